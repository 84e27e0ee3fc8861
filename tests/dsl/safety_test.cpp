// The safety analyses, each with workflows that must pass and workflows that must fail.
#include <boost/test/unit_test.hpp>
#include <clinflow/rdp.hpp>

#include "support.hpp"

using clinflow_test::compile;
using clinflow_test::workflow;

namespace {
bool has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}
const std::string kSplit = "raw = t_source()\ntrain, test = t_split(raw, test_fraction: 0.2)\n";
}  // namespace

BOOST_AUTO_TEST_SUITE(leakage)

BOOST_AUTO_TEST_CASE(fit_on_train_and_evaluate_on_test_passes) {
  auto r = compile(workflow(kSplit + "m = t_fit(train)\ne = t_eval(m, test)\n"));
  BOOST_TEST(r.plan.has_value(), r.rendered);
}

BOOST_AUTO_TEST_CASE(fitting_on_test_fails) {
  auto r = compile(workflow(kSplit + "m = t_fit(test)\ne = t_eval(m, train)\n"));
  BOOST_TEST(!r.plan.has_value());
  BOOST_TEST(has(r.rendered,
                 "wf.toml:7:11: error: fitting 'm' on test part 'test' of split 'train,test'"));
  BOOST_TEST(has(r.rendered, "note: 'test' is the test part of split 'train,test': test -> m"));
}

BOOST_AUTO_TEST_CASE(evaluating_on_the_unsplit_table_fails) {
  auto r =
      compile(workflow(kSplit + "m = t_fit(train)\ne = t_eval(m, raw)\n_f = t_eval(m, test)\n"));
  BOOST_TEST(!r.plan.has_value());
  BOOST_TEST(has(r.rendered, "evaluating 'm' on 'raw', which overlaps its training data"));
  BOOST_TEST(has(r.rendered, "'raw' reaches the training data of 'm': raw -> train -> m"));
}

BOOST_AUTO_TEST_CASE(nested_splits_are_disjoint_when_they_diverge_at_one_split) {
  auto ok =
      compile(workflow(kSplit + "fit, valid = t_split(train, test_fraction: 0.25)\n"
                                "m = t_fit(fit)\ne = t_eval(m, valid)\nf = t_eval(m, test)\n"));
  BOOST_TEST(ok.plan.has_value(), ok.rendered);
  auto bad = compile(workflow(
      kSplit +
      "fit, valid = t_split(train, test_fraction: 0.25)\n"
      "m = t_fit(fit)\ne = t_eval(m, train)\nf = t_eval(m, test)\n_v = t_transform(valid)\n"));
  BOOST_TEST(!bad.plan.has_value());
  BOOST_TEST(has(bad.rendered, "evaluating 'm' on 'train'"));
}

BOOST_AUTO_TEST_CASE(separate_sources_are_disjoint) {
  auto r =
      compile(workflow("a = t_source()\nb = t_source(rows: 5)\nm = t_fit(a)\ne = t_eval(m, b)\n"));
  BOOST_TEST(r.plan.has_value(), r.rendered);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(phi)

BOOST_AUTO_TEST_CASE(export_after_deidentification_passes) {
  auto r = compile(
      workflow("raw = t_source()\nclean = t_transform(raw)\nd = t_deid(clean)\nx = t_export(d)\n"));
  BOOST_TEST(r.plan.has_value(), r.rendered);
}

BOOST_AUTO_TEST_CASE(export_of_phi_fails_with_the_path) {
  auto r = compile(workflow("raw = t_source()\nclean = t_transform(raw)\nx = t_export(clean)\n"));
  BOOST_TEST(!r.plan.has_value());
  BOOST_TEST(has(r.rendered, "wf.toml:7:14: error: 'x' (t_export) exports 'clean'"));
  BOOST_TEST(has(r.rendered, "note: PHI flows raw (t_source introduces PHI) -> clean -> x"));
  BOOST_TEST(has(r.rendered, "note: 'clean' carries PHI from 'raw' (t_transform)"));
}

BOOST_AUTO_TEST_CASE(any_phi_input_of_a_join_taints_it) {
  auto r =
      compile(workflow("raw = t_source()\nd = t_deid(raw)\nj = t_join(d, raw)\nx = t_export(j)\n"));
  BOOST_TEST(!r.plan.has_value());
  BOOST_TEST(has(r.rendered, "PHI flows raw (t_source introduces PHI) -> j -> x"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(privacy)

const std::string kDp =
    "raw = t_source()\nd = t_deid(raw)\nm = t_dp(d, noise_multiplier: 1.1)\n_a = t_apply(m, d)\n";

BOOST_AUTO_TEST_CASE(dp_without_budget_fails) {
  auto r = compile(workflow(kDp));
  BOOST_TEST(!r.plan.has_value());
  BOOST_TEST(has(r.rendered, "workflow spends privacy budget but declares no [privacy].budget"));
}

BOOST_AUTO_TEST_CASE(within_budget_passes_and_over_budget_fails) {
  // The same accountant: what one step spends alone decides the budget that admits it.
  clinflow::DpMechanism mech{1.1, 0.01, 1000};
  const double eps = clinflow::rdp::epsilon({mech}, 1e-5);
  auto budget = [](double e) {
    return "[privacy]\nbudget = { epsilon = " + std::to_string(e) + ", delta = 1e-5 }\n";
  };
  auto ok = compile(workflow(kDp, budget(eps * 1.01)));
  BOOST_TEST(ok.plan.has_value(), ok.rendered);
  auto bad = compile(workflow(kDp, budget(eps * 0.99)));
  BOOST_TEST(!bad.plan.has_value());
  BOOST_TEST(has(bad.rendered, "error: privacy budget exceeded"));
  BOOST_TEST(has(bad.rendered, "note: 'm' spends epsilon"));
  BOOST_TEST(has(bad.rendered, "(noise 1.1, rate 0.01, 1000 steps)"));
}

BOOST_AUTO_TEST_CASE(two_steps_compose_to_less_than_their_sum_but_more_than_either) {
  const std::string two = kDp + "m2 = t_dp(d, noise_multiplier: 1.1)\n_b = t_apply(m2, d)\n";
  clinflow::DpMechanism mech{1.1, 0.01, 1000};
  const double one = clinflow::rdp::epsilon({mech}, 1e-5);
  const double both = clinflow::rdp::epsilon({mech, mech}, 1e-5);
  BOOST_TEST(both > one);
  BOOST_TEST(both < 2 * one);
  auto budget =
      "[privacy]\nbudget = { epsilon = " + std::to_string((one + both) / 2) + ", delta = 1e-5 }\n";
  auto r = compile(workflow(two, budget));
  BOOST_TEST(!r.plan.has_value());
  BOOST_TEST(has(r.rendered, "for 2 steps"));
}

BOOST_AUTO_TEST_SUITE_END()
