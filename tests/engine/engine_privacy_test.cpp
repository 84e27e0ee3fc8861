// The engine's run-time privacy guard: differentially private steps (t_dp) are charged to the
// run's ledger in plan order with the SDK accountant, a step that would exceed the budget is
// refused before it runs, and a cached DP step is still counted.
#include <boost/test/unit_test.hpp>
#include <clinflow/core/hash.hpp>
#include <clinflow/rdp.hpp>
#include <sstream>

#include "engine_fixture.hpp"

using namespace engine_test;
using clinflow::DpMechanism;
using clinflow::StepStatus;

namespace {

constexpr double kDelta = 1e-5;

clinflow::Params dp_params(double noise, std::int64_t steps) {
  return {{"noise_multiplier", noise}, {"sampling_rate", 0.01}, {"steps", steps}};
}

DpMechanism mech(double noise, std::int64_t steps) {
  return DpMechanism{noise, 0.01, steps};
}

/// raw -> (m1 = t_dp, m2 = t_dp, m3 = t_dp) on three independent branches, then m3 -> after.
PlanBuilder three_dp_models(std::optional<double> budget_epsilon) {
  PlanBuilder b;
  b.add("raw", "t_source")
      .add("m1", "t_dp", {"raw"}, dp_params(1.1, 1000))
      .add("m2", "t_dp", {"raw"}, dp_params(2.0, 500))
      .add("m3", "t_dp", {"raw"}, dp_params(1.5, 2000))
      .add("after", "t_transform", {"m3"});
  if (budget_epsilon) b.plan.budget = clinflow::ir::PrivacyBudget{*budget_epsilon, kDelta};
  return b;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(engine_privacy)

BOOST_AUTO_TEST_CASE(within_budget_the_ledger_composes_every_step_in_plan_order) {
  auto b = three_dp_models(100.0);
  Project project;
  clinflow::RunOptions options;
  options.threads = 4;  // the branches may run in any order; the ledger must not care
  auto result = project.run(b.plan, options);
  BOOST_TEST(result.status == "succeeded");
  auto ledger = project.provenance->privacy_ledger(result.run_id);
  BOOST_REQUIRE_EQUAL(ledger.size(), 3u);
  const std::vector<DpMechanism> m = {mech(1.1, 1000), mech(2.0, 500), mech(1.5, 2000)};
  const std::vector<std::string> names = {"m1", "m2", "m3"};
  auto steps = project.provenance->steps(result.run_id);
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST_CONTEXT("ledger row " << i) {
      BOOST_TEST(ledger[i].sequence == int(i + 1));
      BOOST_TEST(ledger[i].step_name == names[i]);
      BOOST_TEST(ledger[i].step_epsilon == clinflow::rdp::epsilon({m[i]}, kDelta));
      const std::vector<DpMechanism> so_far(m.begin(), m.begin() + long(i) + 1);
      BOOST_TEST(ledger[i].cumulative_epsilon == clinflow::rdp::epsilon(so_far, kDelta));
      BOOST_TEST(ledger[i].delta == kDelta);
      BOOST_TEST(ledger[i].budget_epsilon == 100.0);
      BOOST_TEST(!ledger[i].cached);
      BOOST_TEST(has(ledger[i].accountant, "rdp-subsampled-gaussian/1"), ledger[i].accountant);
      BOOST_TEST(has(ledger[i].accountant, "1.25..10 step 0.25, 11..64, 128, 256"),
                 ledger[i].accountant);
      bool linked = false;
      for (const auto& s : steps)
        linked = linked || (s.id == ledger[i].step_id && s.name == names[i]);
      BOOST_TEST(linked);
    }
  }
  BOOST_TEST(ledger[0].mechanisms ==
             R"([{"noise_multiplier":1.1,"sampling_rate":0.01,"steps":1000}])");
  BOOST_TEST(project.provenance->verify().ok);
}

// Decision recorded in step_runner.cpp: a cached DP step spends nothing new, but the ledger of
// the run that uses its artifact still shows (and counts) what that artifact cost.
BOOST_AUTO_TEST_CASE(cached_dp_steps_are_recorded_and_counted) {
  auto b = three_dp_models(100.0);
  Project project;
  auto first = project.run(b.plan);
  auto second = project.run(b.plan);
  BOOST_TEST(outcome(second, "m2").status == StepStatus::kCached);
  auto before = project.provenance->privacy_ledger(first.run_id);
  auto after = project.provenance->privacy_ledger(second.run_id);
  BOOST_REQUIRE_EQUAL(after.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST(after[i].cached);
    BOOST_TEST(after[i].cumulative_epsilon == before[i].cumulative_epsilon);
  }
}

BOOST_AUTO_TEST_CASE(over_budget_the_step_is_refused_before_it_runs) {
  const double after_two = clinflow::rdp::epsilon({mech(1.1, 1000), mech(2.0, 500)}, kDelta);
  const double after_three =
      clinflow::rdp::epsilon({mech(1.1, 1000), mech(2.0, 500), mech(1.5, 2000)}, kDelta);
  BOOST_REQUIRE(after_two < after_three);
  auto b = three_dp_models(0.5 * (after_two + after_three));  // m3 does not fit
  Project project;
  std::ostringstream err;
  clinflow::RunOptions options;
  options.err = &err;
  auto result = project.run(b.plan, options);
  BOOST_TEST(result.status == "failed");
  BOOST_TEST(outcome(result, "m1").status == StepStatus::kRan);
  BOOST_TEST(outcome(result, "m2").status == StepStatus::kRan);
  const auto& refused = outcome(result, "m3");
  BOOST_TEST(refused.status == StepStatus::kFailed);
  BOOST_TEST(has(refused.error, "privacy budget exceeded: running step 'm3'"), refused.error);
  BOOST_TEST(has(refused.error, "over the budget's epsilon"), refused.error);
  BOOST_TEST(refused.output_hashes.empty());  // the plugin never ran
  BOOST_TEST(outcome(result, "after").status == StepStatus::kSkipped);
  BOOST_TEST(has(err.str(), "step 'm3' (t_dp) failed: privacy budget exceeded"), err.str());

  // Two charges recorded, none for the refused step; its step row says why; the chain holds.
  auto ledger = project.provenance->privacy_ledger(result.run_id);
  BOOST_REQUIRE_EQUAL(ledger.size(), 2u);
  BOOST_TEST(ledger[1].cumulative_epsilon == after_two);
  for (const auto& s : project.provenance->steps(result.run_id))
    if (s.name == "m3") BOOST_TEST(s.status == "failed");
  BOOST_TEST(project.provenance->run(result.run_id)->status == "failed");
  BOOST_TEST(project.provenance->verify().ok);

  // Nothing was cached for m3: with a budget that fits, it runs (not "cached").
  b.plan.budget->epsilon = 100.0;
  auto again = project.run(b.plan);
  BOOST_TEST(outcome(again, "m3").status == StepStatus::kRan);
}

BOOST_AUTO_TEST_CASE(a_lower_budget_cannot_be_dodged_through_the_cache) {
  auto b = three_dp_models(100.0);
  Project project;
  project.run(b.plan);
  b.plan.budget->epsilon = clinflow::rdp::epsilon({mech(1.1, 1000)}, kDelta);  // only m1 fits
  auto result = project.run(b.plan);
  BOOST_TEST(outcome(result, "m1").status == StepStatus::kCached);
  BOOST_TEST(outcome(result, "m2").status == StepStatus::kFailed);
  BOOST_TEST(outcome(result, "m3").status == StepStatus::kFailed);
  BOOST_TEST(project.provenance->privacy_ledger(result.run_id).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_dp_step_without_a_budget_is_refused) {
  auto b = three_dp_models(std::nullopt);
  Project project;
  auto result = project.run(b.plan);
  BOOST_TEST(result.status == "failed");
  BOOST_TEST(outcome(result, "raw").status == StepStatus::kRan);
  BOOST_TEST(outcome(result, "m1").status == StepStatus::kFailed);
  BOOST_TEST(has(outcome(result, "m1").error, "declares no privacy budget"),
             outcome(result, "m1").error);
  BOOST_TEST(project.provenance->privacy_ledger(result.run_id).empty());
}

BOOST_AUTO_TEST_CASE(the_plan_hash_covers_the_budget) {
  auto a = three_dp_models(4.0), b = three_dp_models(8.0), none = three_dp_models(std::nullopt);
  const std::string text = clinflow::ir::to_text(a.plan);
  BOOST_TEST(has(text, "privacy budget epsilon 4.0 delta 1"), text);
  BOOST_TEST(text != clinflow::ir::to_text(b.plan));
  BOOST_TEST(!has(clinflow::ir::to_text(none.plan), "privacy budget"));
  Project project;
  auto ra = project.run(a.plan), rb = project.run(b.plan);
  BOOST_TEST(project.provenance->run(ra.run_id)->plan_hash !=
             project.provenance->run(rb.run_id)->plan_hash);
}

BOOST_AUTO_TEST_SUITE_END()
