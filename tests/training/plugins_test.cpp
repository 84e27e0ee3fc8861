// logistic and predict loaded as plugins: the model artifact, predict's scores and layout
// check, determinism.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "design.hpp"
#include "model.hpp"
#include "support.hpp"

using namespace clinflow::builtin;
using namespace training_test;
using clinflow::Inputs;
using clinflow::Symbol;

namespace {

Inputs one(const Table& t) {
  return {artifact(table_artifact(t))};
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const clinflow::StepError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(training_plugins)

BOOST_AUTO_TEST_CASE(logistic_writes_a_model_that_predict_scores) {
  Plugins plugins;
  const Table train = synthetic(300);
  const auto outputs = plugins.run("logistic", one(train), {{"l2", 0.5}});
  BOOST_TEST_REQUIRE(outputs.size() == 1u);
  BOOST_TEST(outputs[0].type == "model");
  const Model model = model_from_json(outputs[0].bytes, "m");
  BOOST_TEST(model.kind == "logistic");
  const std::vector<std::string> features = {"x1",       "x2",       "smoker",
                                             "ward=icu", "ward=med", "ward=surg"};
  BOOST_TEST(model.design.features == features, boost::test_tools::per_element());
  BOOST_TEST(model.training.rows == 300u);
  BOOST_TEST(model.training.data_hash == sha256_hex(table_artifact(train).bytes));
  BOOST_TEST(model.training.details["converged"] == true);
  BOOST_TEST(model.training.privacy.has_value() == false);
  // The true model has +1.5 on x1 and -0.7 on x2: the signs must come back.
  const LinearParameters p = linear_from_json(model.parameters, features.size(), "m");
  BOOST_TEST(p.weights(0) > 0.5);
  BOOST_TEST(p.weights(1) < 0);

  const auto scored = plugins.run(
      "predict",
      {std::make_shared<const clinflow::Artifact>(outputs[0]), artifact(table_artifact(train))});
  const Table out = deserialize(scored.at(0).bytes, "scored");
  BOOST_TEST(out.roles == train.roles);
  BOOST_TEST(out.columns.size() == train.columns.size() + 1);
  const Column& risk = out.column("risk");
  const Eigen::MatrixXd x = matrix(model.design, train, "t");
  for (std::size_t r = 0; r < train.rows(); ++r) {
    const double z = p.intercept + x.row(Eigen::Index(r)).dot(p.weights);
    BOOST_TEST(risk.floats[r] == 1 / (1 + std::exp(-z)), boost::test_tools::tolerance(1e-12));
  }
  BOOST_TEST(plugins.ctx.lines.size() >= 3u);
}

BOOST_AUTO_TEST_CASE(a_model_keeps_its_preprocessing_and_scores_raw_rows_with_it) {
  Plugins plugins;
  Table raw = synthetic(300, 11);
  // Raw data: missing cells and a scale the model never saw.
  for (std::size_t r = 0; r < raw.rows(); r += 7) raw.column("x1").floats[r] = NAN;
  for (double& v : raw.column("x2").floats) v = 100 + 50 * v;
  const auto prep = plugins.run("fit_preprocessing", one(raw));
  const auto prep_artifact = artifact(prep.at(0));
  const auto train_x =
      plugins.run("apply_preprocessing", {artifact(table_artifact(raw)), prep_artifact});
  const auto train_x_artifact = artifact(train_x.at(0));
  const auto with = plugins.run("logistic", {train_x_artifact, prep_artifact});
  const Model model = model_from_json(with.at(0).bytes, "m");
  BOOST_TEST_REQUIRE(!model.preprocessing.is_null());
  BOOST_TEST(model.preprocessing == nlohmann::json::parse(prep.at(0).bytes));
  // The same optimum as without the preprocessing input: only the kept statistics differ.
  const auto without = plugins.run("logistic", {train_x_artifact});
  BOOST_TEST(model_from_json(without.at(0).bytes, "m").parameters == model.parameters);

  const auto model_artifact = artifact(with.at(0));
  const Table on_preprocessed =
      deserialize(plugins.run("predict", {model_artifact, train_x_artifact}).at(0).bytes, "a");
  const Table on_raw = deserialize(
      plugins
          .run("predict", {model_artifact, artifact(table_artifact(raw))}, {{"preprocess", true}})
          .at(0)
          .bytes,
      "b");
  BOOST_TEST(on_raw.column("risk").floats == on_preprocessed.column("risk").floats,
             boost::test_tools::per_element());
  BOOST_TEST(message_of([&] {
               plugins.run("predict", {artifact(without.at(0)), artifact(table_artifact(raw))},
                           {{"preprocess", true}});
             }).find("the model keeps no preprocessing") != std::string::npos);
  BOOST_TEST(message_of([&] {
               plugins.run("logistic", {train_x_artifact, train_x_artifact});
             }).find("must be a preprocessing artifact") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(same_inputs_give_the_same_bytes) {
  Plugins a, b;
  const Table train = synthetic(250, 7);
  const clinflow::Params params = {{"class_weight", Symbol{"balanced"}}, {"l2", 2.0}};
  BOOST_TEST(a.run("logistic", one(train), params)[0].bytes ==
             b.run("logistic", one(train), params)[0].bytes);
}

BOOST_AUTO_TEST_CASE(sparse_tables_use_the_sparse_solver_with_the_same_optimum) {
  Plugins plugins;
  Table t = synthetic(300, 3);
  // Mostly-zero indicators push the density below the sparse threshold.
  Stream s(1);
  for (int k = 0; k < 20; ++k) {
    std::vector<std::int64_t> v;
    for (std::size_t r = 0; r < t.rows(); ++r) v.push_back(s.next() < 0.05);
    t.columns.push_back(int_column("lab" + std::to_string(k) + "_missing", v));
  }
  const Model m = model_from_json(plugins.run("logistic", one(t))[0].bytes, "m");
  BOOST_TEST(m.training.details["solver"] == "newton-sparse");
  BOOST_TEST(m.training.details["converged"] == true);
  BOOST_TEST(m.training.details["gradient_norm"].get<double>() < 1e-6);
}

BOOST_AUTO_TEST_CASE(predict_refuses_a_table_of_another_layout) {
  Plugins plugins;
  const Table train = synthetic(100);
  const auto model =
      std::make_shared<const clinflow::Artifact>(plugins.run("logistic", one(train))[0]);
  Table other = train;
  other.column("x2") = string_column("x2", std::vector<std::string>(100, "high"));
  other.columns.erase(other.columns.begin() + 3);  // smoker (after x2 in design order)
  BOOST_TEST(message_of([&] {
               plugins.run("predict", {model, artifact(table_artifact(other))});
             }) ==
             "predict: column 'x2' is string in the table but float in the model's training data");
  BOOST_TEST(
      message_of([&] {
        plugins.run("predict", {artifact(table_artifact(train)), artifact(table_artifact(train))});
      }) == "predict: input 1 is a table, not a model");
}

BOOST_AUTO_TEST_CASE(logistic_refuses_missing_values_and_bad_labels) {
  Plugins plugins;
  Table t = synthetic(50);
  t.column("x1").floats[4] = std::nan("");
  BOOST_TEST(message_of([&] { plugins.run("logistic", one(t)); }) ==
             "logistic: column 'x1' has 1 missing value; impute first (fit_preprocessing / "
             "apply_preprocessing)");
  t = synthetic(50);
  t.column("label").ints[0] = 3;
  BOOST_TEST(message_of([&] { plugins.run("logistic", one(t)); }).find("not 0 or 1") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
