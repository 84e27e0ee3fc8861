// The built-in plugins, loaded from the build's plugin folder and run on small tables.
#include <boost/test/unit_test.hpp>
#include <clinflow/core/plugin_doc.hpp>
#include <clinflow/core/plugin_host.hpp>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "table.hpp"
#include "test_support.hpp"

namespace {

using clinflow::Artifact;
using clinflow::Expr;
using clinflow::List;
using clinflow::Symbol;
using clinflow::Value;

struct Builtins {
  Builtins() {
    registry.load_directory(CLINFLOW_BUILTIN_PLUGIN_DIR, errors);
    BOOST_TEST_REQUIRE(errors.empty());
  }
  const clinflow::Plugin& get(const std::string& name) {
    const clinflow::LoadedPlugin* p = registry.find(name);
    BOOST_TEST_REQUIRE(p != nullptr);
    return *p->plugin;
  }
  /// Runs a step on tables (given as CSV texts, typed by read_table) and returns its only output's
  /// bytes; a table output comes back as CSV text.
  std::string run(const std::string& name, const std::vector<std::string>& tables,
                  const clinflow::Params& params) {
    clinflow::Inputs inputs;
    for (const auto& t : tables) {
      const auto path = tmp.path() / ("input" + std::to_string(++n_inputs) + ".csv");
      std::ofstream(path, std::ios::binary) << t;
      clinflow::Outputs typed = get("read_table").run(ctx, {}, {{"path", path.string()}});
      inputs.push_back(std::make_shared<Artifact>(typed.at(0)));
    }
    clinflow::Outputs out = get(name).run(ctx, inputs, params);
    BOOST_TEST_REQUIRE(out.size() == 1u);
    if (out[0].type == "table")
      return clinflow::builtin::to_csv(clinflow::builtin::deserialize(out[0].bytes, name));
    return out[0].bytes;
  }
  int n_inputs = 0;
  std::string error_of(const std::string& name, const std::vector<std::string>& tables,
                       const clinflow::Params& params) {
    try {
      run(name, tables, params);
    } catch (const clinflow::StepError& e) {
      return e.what();
    }
    return "";
  }
  clinflow::PluginRegistry registry;
  std::vector<std::string> errors;
  clinflow_test::FakeContext ctx;
  clinflow_test::TempDir tmp;
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void spit(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

Value cmp(const std::string& op, Value a, Value b) {
  return Expr{op, {std::move(a), std::move(b)}};
}

const std::string kVitals =
    "id,sex,age,lactate\n1,F,34,1.5\n2,M,17,2.5\n3,F,70,\n4,M,45,3.0\n5,F,unknown,1.0\n";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(builtin_plugins, Builtins)

BOOST_AUTO_TEST_CASE(every_builtin_is_documented) {
  for (const char* name :
       {"read_table", "select_cohort", "label", "extract_features", "fit_preprocessing",
        "apply_preprocessing", "deidentify", "split", "split3", "curation_report", "filter_rows",
        "aggregate", "summarize", "write_csv", "noop"}) {
    const clinflow::Manifest& m = get(name).manifest();
    BOOST_TEST(m.version == "0.1.0");
    BOOST_TEST(!m.summary.empty());
    BOOST_TEST(!m.doc.empty());
    for (const auto& p : m.params) BOOST_TEST(!p.doc.empty(), name << "." << p.name);
  }
  const std::string doc = clinflow::describe_plugin(*registry.find("aggregate"), true);
  BOOST_TEST(doc.find("min_cell: integer, default 10, at least 1\n") != std::string::npos, doc);
  BOOST_TEST(doc.find("columns: list of symbol, required") != std::string::npos, doc);
  BOOST_TEST(doc.find("its output carries no PHI") != std::string::npos, doc);
  const std::string read_doc = clinflow::describe_plugin(*registry.find("read_table"), true);
  BOOST_TEST(read_doc.find("missing: list of string, default [\"\"]\n") != std::string::npos,
             read_doc);
  BOOST_TEST(read_doc.find("inputs: none\n") != std::string::npos, read_doc);
  const std::string brief = clinflow::describe_plugin(*registry.find("noop"), false);
  BOOST_TEST(brief.find("noop 0.1.0 - ") == 0u);
  BOOST_TEST(brief.find("libnoop.so") != std::string::npos);
  BOOST_TEST(brief.find("parameters") == std::string::npos);
}

// read_table has its own suite (tests/read_table).

BOOST_AUTO_TEST_CASE(filter_rows_numeric_and_text) {
  const std::string vitals =
      "id,sex,age,lactate\n1,F,34,1.5\n2,M,17,2.5\n3,F,70,\n4,M,45,3.0\n5,F,,1.0\n";
  BOOST_TEST(run("filter_rows", {vitals}, {{"where", cmp(">=", Symbol{"age"}, 18)}}) ==
             "id,sex,age,lactate\n1,F,34,1.5\n3,F,70,\n4,M,45,3\n");  // missing age: dropped
  BOOST_TEST(run("filter_rows", {vitals}, {{"where", cmp("==", Symbol{"sex"}, Symbol{"M"})}}) ==
             "id,sex,age,lactate\n2,M,17,2.5\n4,M,45,3\n");
  BOOST_TEST(run("filter_rows", {vitals}, {{"where", cmp("<", 2, Symbol{"lactate"})}}) ==
             "id,sex,age,lactate\n2,M,17,2.5\n4,M,45,3\n");
  BOOST_TEST(error_of("filter_rows", {vitals}, {{"where", cmp(">", Symbol{"agee"}, 1)}}) ==
             "filter_rows: unknown column 'agee' in `agee > 1`; the table has: id, sex, age, "
             "lactate");
  // A text column compared with a number is an error, never a silently empty result.
  BOOST_TEST(error_of("filter_rows", {kVitals}, {{"where", cmp(">=", Symbol{"age"}, 18)}})
                 .find("cannot compare text (column 'age')") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(aggregate_suppresses_small_groups) {
  const std::string out =
      run("aggregate", {kVitals},
          {{"by", List{Symbol{"sex"}}}, {"columns", List{Symbol{"lactate"}}}, {"min_cell", 3}});
  BOOST_TEST(out == "sex,count,lactate_mean\nF,3,1.25\n");  // M has 2 rows: suppressed
  BOOST_TEST_REQUIRE(!ctx.lines.empty());
  BOOST_TEST(ctx.lines.back().find("1 suppressed") != std::string::npos, ctx.lines.back());
  BOOST_TEST(
      error_of("aggregate", {kVitals}, {{"columns", List{Symbol{"age"}}}, {"min_cell", 1}}) ==
      "aggregate: column 'age' is not numeric (it holds text)");
}

BOOST_AUTO_TEST_CASE(summarize_counts_and_means) {
  const auto j = nlohmann::json::parse(run("summarize", {kVitals}, {}));
  BOOST_TEST(j["rows"].get<int>() == 5);
  BOOST_TEST(j["columns"].get<int>() == 4);
  BOOST_TEST(j["mean"]["lactate"].get<double>() == 2.0);
  BOOST_TEST(!j["mean"].contains("age"));  // "unknown" makes it a text column
  BOOST_TEST(j["missing"]["lactate"].get<int>() == 1);
  BOOST_TEST(get("summarize").manifest().metrics.size() == 4u);
}

BOOST_AUTO_TEST_CASE(write_csv_is_atomic_and_creates_folders) {
  const auto target = tmp.path() / "out" / "nested" / "table.csv";
  const std::string table = "a,b\n\"x,1\",2\n";
  BOOST_TEST(run("write_csv", {table}, {{"path", target.string()}}) == table);
  BOOST_TEST(slurp(target) == table);
  spit(target, "old content");
  run("write_csv", {table}, {{"path", target.string()}});
  BOOST_TEST(slurp(target) == table);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(target.parent_path())) {
    (void)entry;
    ++files;
  }
  BOOST_TEST(files == 1);  // no temporary file left behind
  BOOST_TEST(get("write_csv").manifest().safety.exports);
}

BOOST_AUTO_TEST_CASE(noop_passes_through) {
  BOOST_TEST(get("noop").run(ctx, {}, {}).at(0).bytes == "noop");
  clinflow::Inputs in = {std::make_shared<Artifact>(Artifact{"model", "m"})};
  const clinflow::Outputs out = get("noop").run(ctx, in, {});
  BOOST_TEST(out.at(0).bytes == "m");
  BOOST_TEST(out.at(0).type == "model");
}

BOOST_AUTO_TEST_SUITE_END()
