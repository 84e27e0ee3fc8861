// The dp_mlp plugin loaded for real beside dp_logistic and predict: the privacy plan shared with
// dp_logistic, privacy_spend stating exactly what run() trained with, byte-identical models for a
// seed, the model artifact's JSON round trip, and predict scoring the network.
#include <boost/test/unit_test.hpp>
#include <clinflow/core/plugin_host.hpp>
#include <clinflow/rdp.hpp>
#include <string>

#include "csv_reader.hpp"
#include "design.hpp"
#include "mlp_network.hpp"
#include "model.hpp"
#include "support.hpp"
#include "table.hpp"
#include "test_support.hpp"

namespace {

using clinflow::Params;
namespace builtin = clinflow::builtin;

/// 300 rows: age (float), sex (string), a stay_id column (not a feature), label.
std::shared_ptr<const clinflow::Artifact> training_artifact() {
  clinflow::dp::SplitMix64 rng(21);
  std::string csv = "stay_id,age,sex,label\n";
  for (int i = 0; i < 300; ++i) {
    const double age = 2.0 * rng.uniform() - 1.0;
    const bool female = rng.uniform() < 0.5;
    const double p = 1.0 / (1.0 + std::exp(-(3.0 * age * age - 1.0 + (female ? 0.5 : -0.5))));
    csv += std::to_string(i) + "," + std::to_string(age) + "," + (female ? "F" : "M") + "," +
           (rng.uniform() < p ? "1" : "0") + "\n";
  }
  clinflow::Table t = builtin::read_csv_text(csv, "train.csv");
  t.roles = {{"label", "label"}, {"stay", "stay_id"}};
  return std::make_shared<clinflow::Artifact>(builtin::table_artifact(t));
}

struct Plugins {
  Plugins() {
    for (const char* name : {"dp_mlp", "dp_logistic", "predict"})
      BOOST_TEST_REQUIRE(registry.load_library(
          std::string(CLINFLOW_BUILTIN_PLUGIN_DIR) + "/lib" + name + ".so", errors));
    mlp = registry.find("dp_mlp")->plugin;
    logistic = registry.find("dp_logistic")->plugin;
    predict = registry.find("predict")->plugin;
  }
  clinflow::Artifact train(const Params& params, std::uint64_t seed = 5) const {
    clinflow_test::FakeContext ctx(seed);
    clinflow::Outputs out = mlp->run(ctx, {training_artifact()}, params);
    BOOST_TEST_REQUIRE(out.size() == 1u);
    return out[0];
  }
  clinflow::PluginRegistry registry;
  std::vector<std::string> errors;
  const clinflow::Plugin* mlp = nullptr;
  const clinflow::Plugin* logistic = nullptr;
  const clinflow::Plugin* predict = nullptr;
};

const Params kParams{{"epsilon", 3.0}, {"epochs", 5.0}, {"sampling_rate", 0.1}};

/// The network of a dp_mlp model as the kernel's flat parameter vector.
Eigen::VectorXd flatten(const clinflow::dp::MlpLayout& layout, const builtin::MlpParameters& p) {
  Eigen::VectorXd theta(layout.size());
  for (std::size_t l = 0; l < layout.layers(); ++l) {
    Eigen::Map<Eigen::MatrixXd>(theta.data() + layout.weight_offset(l), layout.outputs(l),
                                layout.inputs(l)) = p.layers[l].weights;
    theta.segment(layout.bias_offset(l), layout.outputs(l)) = p.layers[l].bias;
  }
  return theta;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dp_mlp_plugin)

BOOST_AUTO_TEST_CASE(declares_differential_privacy_and_fitting_on_its_input) {
  Plugins p;
  const clinflow::Safety& s = p.mlp->manifest().safety;
  BOOST_TEST(s.differentially_private);
  BOOST_TEST_REQUIRE(s.fits_on.has_value());
  BOOST_TEST(*s.fits_on == 0);
}

BOOST_AUTO_TEST_CASE(noise_calibration_is_dp_logistics_for_the_same_budget) {
  Plugins p;
  for (const Params& params :
       {Params{{"epsilon", 2.0}, {"delta", 1e-5}, {"epochs", 20.0}, {"sampling_rate", 0.1}},
        Params{{"epsilon", 0.5}, {"delta", 1e-6}, {"epochs", 3.0}, {"sampling_rate", 0.01}},
        Params{{"epsilon", 8.0}, {"epochs", 1.0}, {"sampling_rate", 0.3}},
        Params{{"noise_multiplier", 1.3}, {"epochs", 2.0}, {"sampling_rate", 0.02}}}) {
    const auto mlp = p.mlp->privacy_spend(params), logistic = p.logistic->privacy_spend(params);
    BOOST_TEST_INFO(clinflow::to_text(params));
    BOOST_TEST_REQUIRE(mlp.size() == 1u);
    BOOST_TEST_REQUIRE(logistic.size() == 1u);
    BOOST_TEST(mlp[0].noise_multiplier == logistic[0].noise_multiplier);  // bit for bit
    BOOST_TEST(mlp[0].sampling_rate == logistic[0].sampling_rate);
    BOOST_TEST(mlp[0].steps == logistic[0].steps);
  }
}

BOOST_AUTO_TEST_CASE(privacy_spend_is_the_mechanism_run_trained_with) {
  Plugins p;
  const std::vector<clinflow::DpMechanism> spend = p.mlp->privacy_spend(kParams);
  BOOST_TEST_REQUIRE(spend.size() == 1u);
  const clinflow::Artifact a = p.train(kParams);
  BOOST_TEST(a.type == "model");
  const builtin::Model m = builtin::model_from_json(a.bytes, "test");
  BOOST_TEST(m.kind == "dp_mlp");
  BOOST_TEST_REQUIRE(m.training.privacy.has_value());
  const builtin::PrivacyRecord& r = *m.training.privacy;
  BOOST_TEST(r.noise_multiplier == spend[0].noise_multiplier);
  BOOST_TEST(r.sampling_rate == spend[0].sampling_rate);
  BOOST_TEST(r.steps == spend[0].steps);
  BOOST_TEST(r.steps == 50);
  BOOST_TEST(r.delta == 1e-5);
  BOOST_TEST(r.epsilon == clinflow::rdp::epsilon(spend, 1e-5));
  BOOST_TEST(r.epsilon <= 3.0);
  BOOST_TEST(r.epsilon >= 0.99 * 3.0);
  BOOST_TEST(m.design.features == (std::vector<std::string>{"age", "sex=F", "sex=M"}),
             boost::test_tools::per_element());
  BOOST_TEST(m.training.rows == 300u);
  BOOST_TEST(m.training.details["hidden"] == nlohmann::json::array({32}));
  BOOST_TEST(m.training.details["activation"] == "relu");
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_bytes) {
  Plugins p;
  const Params params{
      {"epsilon", 3.0}, {"epochs", 5.0}, {"sampling_rate", 0.1}, {"hidden", clinflow::List{8, 4}}};
  const clinflow::Artifact a = p.train(params, 5), b = p.train(params, 5), c = p.train(params, 6);
  BOOST_TEST(a.bytes == b.bytes);
  BOOST_TEST(a.bytes != c.bytes);
}

BOOST_AUTO_TEST_CASE(the_model_json_round_trips_byte_for_byte) {
  Plugins p;
  const clinflow::Artifact a = p.train({{"epochs", 2.0},
                                        {"sampling_rate", 0.2},
                                        {"hidden", clinflow::List{5, 3}},
                                        {"activation", clinflow::Symbol{"tanh"}}});
  const builtin::Model m = builtin::model_from_json(a.bytes, "test");
  BOOST_TEST(builtin::to_json_text(m) == a.bytes);
  const builtin::MlpParameters net = builtin::mlp_from_json(m.parameters, 3, "test");
  BOOST_TEST_REQUIRE(net.layers.size() == 3u);
  BOOST_TEST(net.layers[0].weights.rows() == 5);
  BOOST_TEST(net.layers[0].weights.cols() == 3);
  BOOST_TEST(net.layers[1].activation == "tanh");
  BOOST_TEST(net.layers[2].activation == "sigmoid");
  BOOST_TEST(builtin::to_json(net) == m.parameters);
  // Shapes are checked against the design.
  BOOST_CHECK_THROW(builtin::mlp_from_json(m.parameters, 4, "test"), clinflow::StepError);
  nlohmann::json damaged = m.parameters;
  damaged["layers"][1]["bias"].erase(0);
  BOOST_CHECK_THROW(builtin::mlp_from_json(damaged, 3, "test"), clinflow::StepError);
}

BOOST_AUTO_TEST_CASE(predict_scores_an_mlp_model_as_the_network_does) {
  Plugins p;
  const auto model =
      std::make_shared<clinflow::Artifact>(p.train({{"epsilon", 50.0},
                                                    {"epochs", 30.0},
                                                    {"sampling_rate", 0.2},
                                                    {"learning_rate", 0.5},
                                                    {"hidden", clinflow::List{6, 4}},
                                                    {"activation", clinflow::Symbol{"tanh"}}}));
  const auto table = training_artifact();
  clinflow_test::FakeContext ctx;
  const clinflow::Outputs out = p.predict->run(ctx, {model, table}, {});
  BOOST_TEST_REQUIRE(out.size() == 1u);
  const clinflow::Table scored =
      clinflow::input_table({std::make_shared<clinflow::Artifact>(out[0])}, 0, "test");
  const clinflow::Column* risk = scored.find("risk");
  BOOST_TEST_REQUIRE(risk != nullptr);

  const builtin::Model m = builtin::model_from_json(model->bytes, "test");
  const clinflow::dp::MlpLayout layout({3, {6, 4}, clinflow::dp::Activation::kTanh});
  const Eigen::VectorXd theta = flatten(layout, builtin::mlp_from_json(m.parameters, 3, "test"));
  const clinflow::Table train = clinflow::input_table({table}, 0, "test");
  const Eigen::MatrixXd x = builtin::matrix(m.design, train, "test");
  const Eigen::VectorXd expected = clinflow::dp::predict_risk(layout, theta, x);
  BOOST_TEST_REQUIRE(risk->floats.size() == 300u);
  for (Eigen::Index i = 0; i < 300; ++i)
    BOOST_TEST(risk->floats[std::size_t(i)] == expected[i], boost::test_tools::tolerance(1e-12));
  // With a large budget the network learns the U-shaped risk in age: better than chance.
  BOOST_TEST(mlp_test::accuracy(expected, builtin::labels(train, "test")) > 0.6);
}

BOOST_AUTO_TEST_CASE(bad_architectures_are_step_errors) {
  Plugins p;
  try {
    p.train({{"hidden", clinflow::List{4, 4, 4}}});
    BOOST_FAIL("no error");
  } catch (const clinflow::StepError& e) {
    BOOST_TEST(std::string(e.what()) ==
               "dp_mlp: hidden must list 1 or 2 layer widths, e.g. [32, 16]");
  }
  BOOST_CHECK_THROW(p.train({{"hidden", clinflow::List{0}}}), clinflow::StepError);
  try {
    p.mlp->privacy_spend({{"delta", 0.0}});
    BOOST_FAIL("no error");
  } catch (const clinflow::StepError& e) {
    BOOST_TEST(std::string(e.what()) == "dp_mlp: delta must be in (0, 1)");
  }
}

BOOST_AUTO_TEST_SUITE_END()
