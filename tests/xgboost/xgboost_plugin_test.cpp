// The xgboost step loaded from the build's plugin folder: a model artifact of kind xgboost whose
// design and booster score the training table well, identical bytes on a second run, and
// StepErrors for bad parameters and unusable labels.
#include <boost/test/unit_test.hpp>
#include <clinflow/core/plugin_host.hpp>
#include <clinflow/plugin.hpp>

#include "design.hpp"
#include "model.hpp"
#include "support.hpp"
#include "table.hpp"
#include "test_support.hpp"
#include "xgboost_model.hpp"

using namespace clinflow;
using namespace clinflow::builtin;
using namespace xgboost_test;

namespace {

/// A cohort table from the synthetic problem: an id (patient role), two numeric features, the
/// noise feature as a 3-level string column, the label role.
Table cohort(int n) {
  const Problem p = synthetic(n);
  Table t;
  Column& id = t.add("subject_id", ColumnType::kInt);
  Column& a = t.add("a", ColumnType::kFloat);
  Column& b = t.add("b", ColumnType::kFloat);
  t.add("ward", ColumnType::kString);
  t.add("label", ColumnType::kInt);
  for (int i = 0; i < n; ++i) {
    t.column("subject_id").push_int(1000 + i);
    t.column("a").push_float(p.X(i, 0));
    t.column("b").push_float(p.X(i, 1));
    t.column("ward").push_text(p.X(i, 2) < -0.5 ? "icu" : p.X(i, 2) < 0.5 ? "med" : "surg");
    t.column("label").push_int(std::int64_t(p.y(i)));
  }
  (void)id, (void)a, (void)b;
  t.roles = {{roles::kPatient, "subject_id"}, {roles::kLabel, "label"}};
  return t;
}

struct Step {
  Step() {
    BOOST_TEST_REQUIRE(
        registry.load_library(std::string(CLINFLOW_BUILTIN_PLUGIN_DIR) + "/libxgboost.so", errors));
    plugin = registry.find("xgboost");
    BOOST_TEST_REQUIRE(plugin != nullptr);
  }
  Outputs run(const Table& t, const Params& params, std::uint64_t seed = 7) {
    clinflow_test::FakeContext ctx(seed);
    Inputs inputs = {std::make_shared<Artifact>(table_artifact(t))};
    return plugin->plugin->run(ctx, inputs, params);
  }
  PluginRegistry registry;
  std::vector<std::string> errors;
  const LoadedPlugin* plugin = nullptr;
};

const Params kSmall = {{"rounds", Value(40)}, {"max_depth", Value(3)}, {"threads", Value(2)}};

bool has(const StepError& e, const std::string& text) {
  return std::string(e.what()).find(text) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(xgboost_plugin)

BOOST_AUTO_TEST_CASE(trains_a_model_artifact_that_scores) {
  Step step;
  const Table t = cohort(400);
  const Outputs out = step.run(t, kSmall);
  BOOST_TEST_REQUIRE(out.size() == 1u);
  BOOST_TEST(out[0].type == "model");
  const Model m = model_from_json(out[0].bytes, "test");
  BOOST_TEST(m.kind == "xgboost");
  const std::vector<std::string> features = {"a", "b", "ward=icu", "ward=med", "ward=surg"};
  BOOST_TEST(m.design.features == features, boost::test_tools::per_element());
  BOOST_TEST(m.parameters.at("booster_format") == "ubj");
  BOOST_TEST(m.training.rows == 400u);
  BOOST_TEST(m.training.seed == 7u);
  BOOST_TEST(m.training.data_hash == sha256_hex(table_artifact(t).bytes));
  BOOST_TEST(m.training.details.at("rounds") == 40);
  const std::string booster = base64_decode(m.parameters.at("booster").get<std::string>(), "test");
  const std::vector<double> risk = xgboost_predict(booster, matrix(m.design, t, "test"));
  BOOST_TEST(auc(risk, labels(t, "test")) > 0.8);
  // Trained from the sparse design, scored from the dense one (as predict does): same scores.
  BOOST_TEST(xgboost_predict(booster, sparse_matrix(m.design, t, "test")) == risk);
}

BOOST_AUTO_TEST_CASE(second_run_gives_identical_bytes) {
  Step step;
  const Table t = cohort(300);
  Params p = kSmall;
  p["subsample"] = Value(0.8);
  const std::string first = step.run(t, p).at(0).bytes;
  BOOST_TEST(step.run(t, p).at(0).bytes == first);
  BOOST_TEST(step.run(t, p, 8).at(0).bytes != first);  // the seed reaches the sampling
}

BOOST_AUTO_TEST_CASE(bad_parameters_and_labels_are_step_errors) {
  Step step;
  const Table t = cohort(60);
  Params p = kSmall;
  p["eta"] = Value(0.0);
  BOOST_CHECK_EXCEPTION(step.run(t, p), StepError,
                        [](const StepError& e) { return has(e, "xgboost: eta must be in"); });
  p = kSmall;
  p["threads"] = Value(0);
  BOOST_CHECK_EXCEPTION(step.run(t, p), StepError, [](const StepError& e) {
    return has(e, "xgboost: threads must be at least 1");
  });

  Table one_class = t;
  for (auto& v : one_class.column("label").ints) v = 0;
  BOOST_CHECK_EXCEPTION(step.run(one_class, kSmall), StepError,
                        [](const StepError& e) { return has(e, "single class in 60 rows"); });

  Table gap = t;
  gap.column("a").floats[3] = missing_float();
  BOOST_CHECK_EXCEPTION(step.run(gap, kSmall), StepError,
                        [](const StepError& e) { return has(e, "impute first"); });
}

BOOST_AUTO_TEST_SUITE_END()
