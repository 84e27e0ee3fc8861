// The compiler's privacy budget check on dp_mlp beside dp_logistic, through `clinflow check`:
// the two spends are composed with the RDP accountant and compared with the budget. Nothing runs.
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "test_support.hpp"

namespace {

using CheckResult = clinflow_test::CommandResult;

CheckResult clinflow_check(double mlp_epsilon) {
  clinflow_test::TempDir dir;
  std::ofstream(dir.path() / "train.csv") << "age,label\n1,0\n2,1\n";
  char epsilon[64];
  std::snprintf(epsilon, sizeof epsilon, "%.6f", mlp_epsilon);
  std::ofstream(dir.path() / "wf.toml")
      << "[workflow]\nname = \"dp\"\nversion = \"1.0.0\"\nseed = 1\n\n"
         "[privacy]\nbudget = { epsilon = 4.0, delta = 1e-5 }\n\n"
         "[flow]\nsteps = '''\n"
         "train = read_table(path: \"train.csv\")\n"
         "linear = dp_logistic(train, epsilon: 2.0, delta: 1e-5, epochs: 20, sampling_rate: 0.1)\n"
         "net = dp_mlp(train, hidden: [32, 16], activation: tanh, epsilon: "
      << epsilon
      << ", delta: 1e-5, epochs: 20, sampling_rate: 0.1)\n"
         "'''\n";
  return clinflow_test::run_clinflow(dir.path(), CLINFLOW_BIN, "check wf.toml");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dp_mlp_budget_check)

BOOST_AUTO_TEST_CASE(two_steps_of_epsilon_two_fit_a_budget_of_four) {
  // RDP composition: two epsilon-2 mechanisms together spend less than 2 + 2.
  const CheckResult r = clinflow_check(2.0);
  BOOST_TEST_INFO(r.output);
  BOOST_TEST(r.exit_code == 0);
}

BOOST_AUTO_TEST_CASE(an_mlp_that_overspends_is_refused_before_anything_runs) {
  const CheckResult r = clinflow_check(3.5);
  BOOST_TEST_INFO(r.output);
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.output.find("error: privacy budget exceeded") != std::string::npos);
  BOOST_TEST(r.output.find("'net' spends epsilon 3.5") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
