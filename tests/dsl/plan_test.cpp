// Lowering: good workflows produce the expected plan (order, names, inputs, params, requires).
#include <boost/test/unit_test.hpp>
#include <clinflow/core/ir.hpp>

#include "support.hpp"

using clinflow_test::compile;
using clinflow_test::workflow;

BOOST_AUTO_TEST_SUITE(plan)

BOOST_AUTO_TEST_CASE(example_program_lowers_in_topological_order) {
  auto r =
      compile(workflow("eval  = t_eval(model, test, bootstrap: 200)\n"
                       "model = t_fit(train, l2: 0.1)\n"
                       "raw   = t_source(rows: 100)\n"
                       "train, test = t_split(clean, test_fraction: 0.25)\n"
                       "clean = t_transform(raw, factor: 2, mode: fast)\n"
                       "require eval.auroc.lower >= 0.70\n"
                       "require eval.brier in [0,\n  0.25]\n"));
  BOOST_TEST_REQUIRE(r.plan.has_value(), r.rendered);
  BOOST_TEST(r.rendered == "");
  BOOST_TEST(clinflow::ir::to_text(*r.plan) ==
             "workflow t  seed 0\n"
             "raw = t_source(rows: 100)\n"
             "clean = t_transform(raw; factor: 2.0, mode: fast)\n"
             "train,test = t_split(clean; by: patient, test_fraction: 0.25)\n"
             "model = t_fit(train; l2: 0.10000000000000001)\n"
             "eval = t_eval(model, test; bootstrap: 200)\n"
             "require eval.auroc.lower >= 0.70\n"
             "require eval.brier in [0, 0.25]\n");
  const auto& plan = *r.plan;
  BOOST_TEST(plan.steps[4].inputs.size() == 2u);
  BOOST_TEST(plan.steps[4].inputs[1].step == 2u);  // test = output 1 of the split
  BOOST_TEST(plan.steps[4].inputs[1].output == 1u);
  BOOST_TEST(plan.steps[0].where.line == 7);  // raw is bound on the third DSL line
  BOOST_TEST(plan.steps[0].where.column == 1);
  BOOST_TEST(plan.requires_.size() == 2u);
  BOOST_TEST(plan.requires_[0].metric == "auroc.lower");
  BOOST_TEST(plan.requires_[0].step == 4u);
  BOOST_TEST(plan.requires_[0].value == 0.70);
  BOOST_TEST(plan.requires_[1].op == "in");
  BOOST_TEST(plan.requires_[1].high == 0.25);
  BOOST_TEST(plan.requires_[1].where.line == 11);
}

BOOST_AUTO_TEST_CASE(workflow_table_fills_the_plan) {
  auto r = compile(
      "[workflow]\nname = \"n\"\nversion = \"2.1\"\nseed = 99\n[flow]\n"
      "steps = \"a = t_source()\\nb = t_deid(a)\"\n");
  BOOST_TEST_REQUIRE(r.plan.has_value(), r.rendered);
  BOOST_TEST(r.plan->name == "n");
  BOOST_TEST(r.plan->version == "2.1");
  BOOST_TEST(r.plan->seed == 99u);
  BOOST_TEST(r.plan->file == "wf.toml");
  BOOST_TEST(r.plan->source_text.find("seed = 99") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(defaults_are_filled_and_optional_params_left_out) {
  auto r = compile(workflow("a = t_source()\nb = t_deid(a)\n"));
  BOOST_TEST_REQUIRE(r.plan.has_value(), r.rendered);
  const auto& params = r.plan->steps[0].params;
  BOOST_TEST(params.size() == 1u);  // rows (default 10); path has no default
  BOOST_TEST(params.at("rows").as<std::int64_t>() == 10);
}

BOOST_AUTO_TEST_CASE(overrides_replace_toml_values_before_use) {
  clinflow::dsl::CompileOptions options;
  options.overrides = {{"data.rows", "77"}, {"data.name", "not toml at all"}};
  auto r =
      compile(workflow("a = t_source(rows: data.rows)\nb = t_throw(a, message: \"${data.name}\")\n",
                       "[data]\nrows = 5\n"),
              options);
  BOOST_TEST_REQUIRE(r.plan.has_value(), r.rendered);
  BOOST_TEST(r.plan->steps[0].params.at("rows").as<std::int64_t>() == 77);
  BOOST_TEST(r.plan->steps[1].params.at("message").as<std::string>() == "not toml at all");
}

BOOST_AUTO_TEST_CASE(overriding_the_steps_compiles_them) {
  clinflow::dsl::CompileOptions options;
  options.overrides = {{"flow.steps", "x = t_source()\ny = t_deid(x)"}};
  auto r = compile(workflow("a = t_source()\n"), options);
  BOOST_TEST_REQUIRE(r.plan.has_value(), r.rendered);
  BOOST_TEST(r.plan->steps[0].name == "x");
}

BOOST_AUTO_TEST_SUITE_END()
