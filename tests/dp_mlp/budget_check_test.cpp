// The compiler's privacy budget check on dp_mlp beside dp_logistic, through `clinflow check`:
// the two spends are composed with the RDP accountant and compared with the budget. Nothing runs.
#include <stdlib.h>
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "test_support.hpp"

namespace {

struct CheckResult {
  int exit_code = -1;
  std::string output;
};

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
  const std::string out = (dir.path() / "out.txt").string();
  const std::string cmd = "cd '" + dir.path().string() + "' && env -u CLINFLOW_PLUGIN_PATH '" +
                          CLINFLOW_BIN + "' check wf.toml > '" + out + "' 2>&1";
  const int status = std::system(cmd.c_str());
  CheckResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(out);
  r.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return r;
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
