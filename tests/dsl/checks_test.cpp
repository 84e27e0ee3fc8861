// Semantic checks: names, plugins, parameters, inputs, cycles, unused names, TOML tables.
#include <boost/test/unit_test.hpp>

#include "support.hpp"

using clinflow_test::compile;
using clinflow_test::workflow;

namespace {
bool has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(checks)

BOOST_AUTO_TEST_CASE(names_are_order_independent) {
  auto r = compile(workflow("x = t_deid(c)\nc = t_concat(a, b)\na = t_source()\nb = t_source()\n"));
  BOOST_TEST_REQUIRE(r.plan.has_value(), r.rendered);
  BOOST_TEST(r.plan->steps.back().name == "x");
  BOOST_TEST(r.plan->steps[2].name == "c");  // after both sources
}

BOOST_AUTO_TEST_CASE(undefined_name_suggests_a_bound_one) {
  auto r = compile(workflow("cohort = t_source()\nx = t_deid(cohrot)\n"));
  BOOST_TEST(
      has(r.rendered, "wf.toml:6:12: error: undefined name 'cohrot'; did you mean 'cohort'?"));
}

BOOST_AUTO_TEST_CASE(unused_names_warn_but_compile) {
  auto r =
      compile(workflow("a = t_source()\nb = t_source()\ntr, te = t_split(a, test_fraction: 0.1)\n"
                       "_c = t_source()\nm = t_fit(tr)\n"));
  BOOST_TEST(r.plan.has_value(), r.rendered);
  BOOST_TEST(r.errors == 0);
  BOOST_TEST(r.warnings == 2);
  BOOST_TEST(has(r.rendered, "wf.toml:6:1: warning: 'b' is never used"));
  BOOST_TEST(has(r.rendered, "wf.toml:7:5: warning: 'te' is never used"));
  BOOST_TEST(!has(r.rendered, "'_c'"));
}

BOOST_AUTO_TEST_CASE(cycles_are_listed_in_data_flow_order) {
  auto r = compile(
      workflow("s = t_source()\np = t_concat(s, r)\nq = t_transform(p)\nr = t_transform(q)\n"));
  BOOST_TEST(!r.plan.has_value());
  BOOST_TEST(has(r.rendered, "wf.toml:6:1: error: cycle in the flow: p -> q -> r -> p"));
}

BOOST_AUTO_TEST_CASE(variadic_port_checks_every_argument_type) {
  auto r =
      compile(workflow("a = t_source()\ntr, te = t_split(a, test_fraction: 0.1)\nm = t_fit(tr)\n"
                       "all = t_concat(a, te, m)\n"));
  BOOST_TEST(!r.plan.has_value());
  BOOST_TEST(
      has(r.rendered, "input 'm' of t_concat has the wrong type: expected table, got model"));
}

BOOST_AUTO_TEST_CASE(any_ports_accept_everything) {
  auto r =
      compile(workflow("a = t_source()\nd = t_deid(a)\ntr, te = t_split(d, test_fraction: 0.1)\n"
                       "m = t_fit(tr)\nx = t_export(m)\ny = t_metrics(x)\n_e = t_eval(m, te)\n"));
  BOOST_TEST(r.plan.has_value(), r.rendered);
}

BOOST_AUTO_TEST_CASE(unknown_plugin_notes_the_searched_folders) {
  auto r = compile(workflow("a = t_sorce()\n"));
  BOOST_TEST(has(r.rendered, "error: unknown plugin 't_sorce'; did you mean 't_source'?"));
  BOOST_TEST(
      has(r.rendered, std::string("note: plugins are searched in ") + CLINFLOW_TEST_PLUGIN_DIR));
}

BOOST_AUTO_TEST_CASE(workflow_plugin_paths_are_loaded_and_recorded) {
  // The test library's folder named in the file: a registry without it finds t_source there.
  clinflow::PluginRegistry registry;
  clinflow::Diagnostics diags;
  std::string text =
      workflow("a = t_source()\nb = t_deid(a)\n",
               std::string("[plugins]\npaths = [\"") + CLINFLOW_TEST_PLUGIN_DIR + "\"]\n");
  auto plan = clinflow::dsl::compile_text("wf.toml", text, {}, registry, diags);
  BOOST_TEST_REQUIRE(plan.has_value(), diags.render());
  BOOST_TEST(plan->plugin_paths.size() == 1u);
  BOOST_TEST(plan->plugin_paths[0] == CLINFLOW_TEST_PLUGIN_DIR);
  clinflow::dsl::CompileOptions off;
  off.load_workflow_plugins = false;
  clinflow::PluginRegistry empty;
  clinflow::Diagnostics d2;
  BOOST_TEST(!clinflow::dsl::compile_text("wf.toml", text, off, empty, d2).has_value());
}

BOOST_AUTO_TEST_CASE(missing_file_is_a_diagnostic) {
  auto registry = clinflow_test::test_registry();
  clinflow::Diagnostics diags;
  BOOST_TEST(
      !clinflow::dsl::compile_file("/nonexistent/wf.toml", {}, *registry, diags).has_value());
  BOOST_TEST(
      diags.render() ==
      "/nonexistent/wf.toml: error: cannot read the workflow file: No such file or directory\n");
}

BOOST_AUTO_TEST_SUITE_END()
