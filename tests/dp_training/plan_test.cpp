// The privacy plan from parameters: step count, calibration against the accountant, and the
// plugin's privacy_spend being that plan.
#include <boost/test/unit_test.hpp>
#include <clinflow/rdp.hpp>

#include "dp_plan.hpp"

namespace dp = clinflow::dp;
using clinflow::Params;

namespace {

clinflow::Manifest manifest() {
  // The dp_logistic defaults, restated so the plan can be tested without loading the plugin
  // (plugin_test checks the plugin's own manifest gives the same plan).
  clinflow::Manifest m;
  auto add = [&m](const char* name, clinflow::Value v) {
    m.params.push_back(clinflow::optional_param(name, clinflow::ParamType::kFloat, v, ""));
  };
  add("epsilon", 2.0);
  add("delta", 1e-5);
  add("epochs", 20.0);
  add("sampling_rate", 0.01);
  add("clip", 1.0);
  add("learning_rate", 0.1);
  add("l2", 0.0);
  add("noise_multiplier", clinflow::Value());
  return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dp_plan)

BOOST_AUTO_TEST_CASE(steps_are_epochs_over_the_rate_rounded_up) {
  BOOST_TEST(dp::steps_for(20, 0.01) == 2000);  // not 2001 from 20 / 0.01 rounding
  BOOST_TEST(dp::steps_for(1, 0.3) == 4);       // 3.33 -> 4
  BOOST_TEST(dp::steps_for(3, 0.1) == 30);
  BOOST_TEST(dp::steps_for(0.5, 1.0) == 1);
  BOOST_CHECK_THROW(dp::steps_for(1e6, 1e-3), clinflow::StepError);
}

BOOST_AUTO_TEST_CASE(calibrated_noise_spends_the_target_epsilon_within_one_percent) {
  for (double target : {0.5, 2.0, 8.0}) {
    for (double rate : {0.01, 0.05}) {
      Params p{{"epsilon", target}, {"sampling_rate", rate}, {"epochs", 5.0}};
      const dp::DpPlan plan = dp::plan_from_params(p, manifest());
      BOOST_TEST_INFO("target " << target << " rate " << rate);
      BOOST_TEST(plan.calibrated);
      BOOST_TEST(plan.steps == dp::steps_for(5.0, rate));
      const double spent = clinflow::rdp::epsilon({plan.mechanism()}, 1e-5);
      BOOST_TEST(spent == plan.epsilon);
      BOOST_TEST(spent <= target);
      BOOST_TEST(spent >= 0.99 * target);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_given_noise_multiplier_is_used_as_is) {
  Params p{{"noise_multiplier", 1.3}, {"sampling_rate", 0.02}, {"epochs", 2.0}};
  const dp::DpPlan plan = dp::plan_from_params(p, manifest());
  BOOST_TEST(!plan.calibrated);
  BOOST_TEST(plan.noise_multiplier == 1.3);
  BOOST_TEST(plan.steps == 100);
  BOOST_TEST(plan.epsilon == clinflow::rdp::epsilon({clinflow::DpMechanism{1.3, 0.02, 100}}, 1e-5));
}

BOOST_AUTO_TEST_CASE(the_plan_is_a_function_of_the_parameters) {
  Params p{{"epsilon", 1.0}, {"delta", 1e-6}};
  const dp::DpPlan a = dp::plan_from_params(p, manifest());
  const dp::DpPlan b = dp::plan_from_params(p, manifest());
  BOOST_TEST(a.noise_multiplier == b.noise_multiplier);
  BOOST_TEST(a.steps == 2000);
}

BOOST_AUTO_TEST_CASE(out_of_range_parameters_are_step_errors) {
  const clinflow::Manifest m = manifest();
  BOOST_CHECK_THROW(dp::plan_from_params({{"delta", 1.0}}, m), clinflow::StepError);
  BOOST_CHECK_THROW(dp::plan_from_params({{"epsilon", 0.0}}, m), clinflow::StepError);
  BOOST_CHECK_THROW(dp::plan_from_params({{"noise_multiplier", 0.0}}, m), clinflow::StepError);
  BOOST_CHECK_THROW(dp::plan_from_params({{"clip", -1.0}}, m), clinflow::StepError);
  try {
    dp::plan_from_params({{"sampling_rate", 1.5}}, m);
    BOOST_FAIL("no error");
  } catch (const clinflow::StepError& e) {
    BOOST_TEST(std::string(e.what()) == "dp_logistic: sampling_rate must be in (0, 1]");
  }
}

BOOST_AUTO_TEST_SUITE_END()
