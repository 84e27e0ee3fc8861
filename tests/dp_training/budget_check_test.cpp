// The compiler's privacy budget check on dp_logistic, through `clinflow check`: a budget below
// the step's epsilon is refused, a budget above it is accepted. Nothing runs.
#include <boost/test/unit_test.hpp>
#include <clinflow/rdp.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "test_support.hpp"

namespace {

using CheckResult = clinflow_test::CommandResult;

CheckResult clinflow_check(double budget_epsilon) {
  clinflow_test::TempDir dir;
  std::ofstream(dir.path() / "train.csv") << "age,label\n1,0\n2,1\n";
  char budget[64];
  std::snprintf(budget, sizeof budget, "%.6f", budget_epsilon);
  std::ofstream(dir.path() / "wf.toml")
      << "[workflow]\nname = \"dp\"\nversion = \"1.0.0\"\nseed = 1\n\n"
         "[privacy]\nbudget = { epsilon = "
      << budget
      << ", delta = 1e-5 }\n\n"
         "[flow]\nsteps = '''\n"
         "train = read_table(path: \"train.csv\")\n"
         "model = dp_logistic(train, epsilon: 2.0, delta: 1e-5, epochs: 5, sampling_rate: 0.02)\n"
         "'''\n";
  return clinflow_test::run_clinflow(dir.path(), CLINFLOW_BIN, "check wf.toml");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(budget_check)

BOOST_AUTO_TEST_CASE(a_budget_below_the_step_epsilon_is_refused) {
  const CheckResult r = clinflow_check(1.5);
  BOOST_TEST_INFO(r.output);
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.output.find("error: privacy budget exceeded") != std::string::npos);
  BOOST_TEST(r.output.find("'model' spends epsilon 2") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_budget_just_above_the_step_epsilon_is_accepted) {
  // Calibration meets the target from below, so the step spends at most 2.0.
  const CheckResult r = clinflow_check(2.0);
  BOOST_TEST_INFO(r.output);
  BOOST_TEST(r.exit_code == 0);
}

BOOST_AUTO_TEST_CASE(a_budget_just_below_what_the_step_spends_is_refused) {
  // The spend the compiler charges is the accountant's epsilon of the calibrated mechanism.
  const double spent = clinflow::rdp::epsilon(
      {clinflow::DpMechanism{clinflow::rdp::calibrate_noise_multiplier(0.02, 250, 2.0, 1e-5), 0.02,
                             250}},
      1e-5);
  const CheckResult r = clinflow_check(spent * 0.999);
  BOOST_TEST_INFO(r.output);
  BOOST_TEST(r.exit_code == 1);
}

BOOST_AUTO_TEST_SUITE_END()
