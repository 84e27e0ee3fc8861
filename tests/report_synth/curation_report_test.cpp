// curation_report, loaded from its built library: the HTML is self-contained and complete, the
// JSON parses and repeats the inputs' numbers, small cells are hidden, bytes are reproducible.
#include <boost/test/unit_test.hpp>
#include <clinflow/core/plugin_host.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "table.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace clinflow;
using namespace clinflow::builtin;
using Json = nlohmann::json;

namespace {

const char* kAttrition =
    R"({"initial":{"rows":400,"patients":380},"criteria":[)"
    R"({"criterion":"age >= 18","kind":"include","rows":330,"patients":320,"excluded":70},)"
    R"({"criterion":"los_hours >= 24","kind":"include","rows":280,"patients":275,"excluded":50}],)"
    R"("final":{"rows":280,"patients":275}})";

/// A part of `n` rows: ids, a label with `positives` ones, numeric and categorical features.
/// `lactate` is missing on every 7th row; `rare` holds "RARECAT" on exactly 3 rows; `spike`
/// puts 3 values far above the rest (a small histogram bin).
Table part(std::size_t n, std::size_t positives, std::int64_t first_id) {
  Table t;
  Column id("subject_id", ColumnType::kInt), label("died", ColumnType::kInt),
      age("age", ColumnType::kFloat), lactate("lactate", ColumnType::kFloat),
      gender("gender", ColumnType::kString), rare("unit", ColumnType::kString),
      when("intime", ColumnType::kTimestamp), spike("spike", ColumnType::kInt),
      hadm("hadm_id", ColumnType::kInt);
  for (std::size_t i = 0; i < n; ++i) {
    id.push_int(first_id + std::int64_t(i));
    label.push_int(i < positives ? 1 : 0);
    age.push_float(20.0 + double(i % 70));
    lactate.push_float(i % 7 == 0 ? missing_float() : 0.5 + double(i % 10) * 0.3);
    gender.push_text(i % 2 ? "F" : "M");
    rare.push_text(i < 3 ? "RARECAT" : i % 3 ? "MICU" : "SICU");
    when.push_int(4'000'000'000 + std::int64_t(i) * 3600);
    spike.push_int(i < 3 ? 1000 : std::int64_t(i % 50));
    hadm.push_int(first_id * 7 + std::int64_t(i) * 13);  // distinct, like a pseudonym
  }
  for (Column* c : {&id, &label, &age, &lactate, &gender, &rare, &when, &spike, &hadm})
    t.columns.push_back(std::move(*c));
  t.roles[roles::kPatient] = "subject_id";
  t.roles[roles::kLabel] = "died";
  return t;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

struct Fixture {
  Fixture() {
    std::vector<std::string> errors;
    registry.load_library(CLINFLOW_CURATION_REPORT_PLUGIN, errors);
    for (const auto& e : errors) BOOST_TEST_MESSAGE(e);
    BOOST_REQUIRE(errors.empty());
    plugin = registry.find("curation_report");
    BOOST_REQUIRE(plugin != nullptr);
  }

  Inputs inputs(const std::string& attrition = kAttrition) const {
    return {std::make_shared<Artifact>(Artifact{types::kMetrics, attrition}),
            std::make_shared<Artifact>(table_artifact(part(200, 30, 1000))),
            std::make_shared<Artifact>(table_artifact(part(80, 12, 5000)))};
  }

  Params params(const std::string& stem) const {
    return {{"path", (dir.path() / (stem + ".html")).string()},
            {"parts", List{Symbol{"train"}, Symbol{"test"}}},
            {"title", "ICU <cohort> & report"}};
  }

  Json run(const std::string& stem) {
    clinflow_test::FakeContext ctx;
    Outputs out = plugin->plugin->run(ctx, inputs(), params(stem));
    BOOST_REQUIRE(out.size() == 1u);
    BOOST_TEST(out[0].type == types::kMetrics);
    html = slurp(dir.path() / (stem + ".html"));
    json_text = slurp(dir.path() / (stem + ".json"));
    json = Json::parse(json_text);
    return Json::parse(out[0].bytes);
  }

  std::string run_error(const Inputs& in, const Params& p) {
    clinflow_test::FakeContext ctx;
    try {
      plugin->plugin->run(ctx, in, p);
    } catch (const StepError& e) {
      return e.what();
    }
    return "";
  }

  const Json& feature(const std::string& name) const {
    for (const Json& f : json["features"])
      if (f["name"] == name) return f;
    BOOST_FAIL("no feature " + name);
    return json;
  }

  PluginRegistry registry;
  const LoadedPlugin* plugin = nullptr;
  clinflow_test::TempDir dir;
  std::string html, json_text;
  Json json;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(curation_report, Fixture)

BOOST_AUTO_TEST_CASE(html_is_self_contained_with_one_svg_per_plotted_feature) {
  run("r");
  BOOST_TEST(html.find("http") == std::string::npos);
  BOOST_TEST(html.find("<script") == std::string::npos);
  BOOST_TEST(html.find("src=") == std::string::npos);
  BOOST_TEST(html.find("<title>ICU &lt;cohort&gt; &amp; report</title>") != std::string::npos);
  std::size_t plotted = 0;
  for (const Json& f : json["features"]) plotted += f["plotted"].get<bool>();
  BOOST_TEST(plotted == 5u);  // age, lactate, gender, unit, spike (not intime, hadm_id)
  BOOST_TEST(occurrences(html, "<svg class=\"dist\"") == plotted);
  BOOST_TEST(occurrences(html, "<svg class=\"attrition\"") == 1u);
  BOOST_TEST(occurrences(html, "<tr class=\"attrition-row\">") == 4u);
  BOOST_TEST(
      html.find("<td>age &gt;= 18</td><td>include</td><td>330</td><td>320</td><td>70</td>") !=
      std::string::npos);
  BOOST_TEST(html.find("<td>los_hours &gt;= 24</td>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_repeats_the_inputs_numbers) {
  const Json summary = run("r");
  BOOST_TEST(json["schema"] == "clinflow.curation_report/1");
  BOOST_TEST(json["attrition"] == Json::parse(kAttrition));
  BOOST_TEST(json["label"] == "died");
  BOOST_REQUIRE(json["parts"].size() == 2u);
  const Json& train = json["parts"][0];
  BOOST_TEST(train["name"] == "train");
  BOOST_TEST(train["rows"] == 200);
  BOOST_TEST(train["patients"] == 200);
  BOOST_TEST(train["positives"] == 30);
  BOOST_TEST(train["negatives"] == 170);
  BOOST_TEST(train["prevalence"].get<double>() == 30.0 / 200.0);
  BOOST_TEST(json["parts"][1]["rows"] == 80);
  BOOST_TEST(json["parts"][1]["positives"] == 12);
  const Json& lactate = feature("lactate");
  BOOST_TEST(lactate["kind"] == "numeric");
  BOOST_TEST(lactate["missing"][0] == 29);  // rows 0, 7, ..., 196
  BOOST_TEST(lactate["missing"][1] == 12);
  std::int64_t binned = 0;
  for (const Json& c : lactate["histogram"]["counts"][0]) binned += c.get<std::int64_t>();
  BOOST_TEST(binned == 200 - 29);
  BOOST_TEST(lactate["histogram"]["edges"].size() == lactate["histogram"]["counts"][0].size() + 1);
  BOOST_TEST(feature("intime")["kind"] == "timestamp");
  BOOST_TEST(feature("hadm_id")["kind"] == "identifier");
  BOOST_TEST(!feature("hadm_id").contains("histogram"));
  // bins shrink with the smallest part: 80 test values, 2 x 80 / (3 x 10) = 5 bins, not 20
  BOOST_TEST(feature("age")["histogram"]["edges"].size() == 6u);
  BOOST_TEST(feature("gender")["categories"]["values"] == Json({"F", "M"}));
  BOOST_TEST(feature("gender")["categories"]["counts"][0] == Json({100, 100}));
  // roles are not features
  for (const Json& f : json["features"])
    BOOST_TEST((f["name"] != "died" && f["name"] != "subject_id"));
  // the step's own metrics
  BOOST_TEST(summary["parts"]["train"]["rows"] == 200);
  BOOST_TEST(summary["parts"]["test"]["prevalence"].get<double>() == 12.0 / 80.0);
  BOOST_TEST(summary["features"] == 7);
  BOOST_TEST(summary["plotted_features"] == 5);
}

BOOST_AUTO_TEST_CASE(small_cells_are_hidden_in_both_files) {
  const Json summary = run("r");
  BOOST_TEST(summary["suppressed_cells"].get<int>() > 0);
  BOOST_TEST(json["small_cells"]["min_cell"] == 10);
  // no published count from 1 to 9 anywhere in the features or parts
  auto check = [](const Json& v, auto& self) -> void {
    if (v.is_number_integer())
      BOOST_TEST(!(v.get<std::int64_t>() >= 1 && v.get<std::int64_t>() <= 9), v.dump());
    if (v.is_array() || v.is_object())
      for (const Json& e : v) self(e, self);
  };
  for (const Json& f : json["features"]) {
    check(f["missing"], check);
    if (f.contains("histogram")) check(f["histogram"]["counts"], check);
    if (f.contains("categories")) check(f["categories"]["counts"], check);
  }
  check(json["parts"], check);
  // the 3 spikes at 1000 land in the open last bin: hidden, and so is one complementary cell
  const Json& spike = feature("spike")["histogram"]["counts"][0];
  BOOST_TEST(spike.back().is_null());
  std::size_t nulls = 0;
  for (const Json& c : spike) nulls += c.is_null();
  BOOST_TEST(nulls >= 2u);
  // a category with 3 rows in total is pooled, never named
  BOOST_TEST(html.find("RARECAT") == std::string::npos);
  BOOST_TEST(json_text.find("RARECAT") == std::string::npos);
  BOOST_TEST(feature("unit")["categories"]["values"].back() == "(other)");
  BOOST_TEST(html.find("&lt;10") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(tiny_parts_publish_nothing) {
  clinflow_test::FakeContext ctx;
  Inputs in = {std::make_shared<Artifact>(Artifact{types::kMetrics, kAttrition}),
               std::make_shared<Artifact>(table_artifact(part(200, 30, 1000))),
               std::make_shared<Artifact>(table_artifact(part(6, 1, 5000)))};
  plugin->plugin->run(ctx, in, params("tiny"));
  const Json j = Json::parse(slurp(dir.path() / "tiny.json"));
  BOOST_TEST(j["parts"][1]["rows"].is_null());
  BOOST_TEST(j["parts"][1]["prevalence"].is_null());
  for (const Json& f : j["features"]) BOOST_TEST(f["missing"][1].is_null());
}

BOOST_AUTO_TEST_CASE(same_inputs_give_the_same_bytes) {
  const Json first = run("a");
  const std::string html_a = html, json_a = json_text;
  const Json second = run("b");
  BOOST_TEST(html_a == html);
  BOOST_TEST(json_a == json_text);
  BOOST_TEST(first["parts"] == second["parts"]);
}

BOOST_AUTO_TEST_CASE(errors_name_the_problem) {
  Params p = params("e");
  p["parts"] = List{Symbol{"train"}};
  BOOST_TEST(run_error(inputs(), p).find("'parts' names 1 parts but 2 tables") !=
             std::string::npos);
  const std::string no_final = R"({"initial":{"rows":1,"patients":1},"criteria":[]})";
  BOOST_TEST(run_error(inputs(no_final), params("e")).find("'attrition.final'") !=
             std::string::npos);
  Params missing_column = params("e");
  missing_column["features"] = List{Symbol{"nope"}};
  BOOST_TEST(run_error(inputs(), missing_column).find("column 'nope' is not in part 'train'") !=
             std::string::npos);
  BOOST_TEST(!fs::exists(dir.path() / "e.html"));
}

BOOST_AUTO_TEST_SUITE_END()
