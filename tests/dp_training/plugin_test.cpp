// The dp_logistic plugin loaded for real: the model artifact it writes, determinism of its
// bytes, and privacy_spend stating exactly the mechanism run() trained with.
#include <boost/test/unit_test.hpp>
#include <clinflow/core/plugin_host.hpp>
#include <clinflow/rdp.hpp>
#include <string>

#include "csv_reader.hpp"
#include "model.hpp"
#include "support.hpp"
#include "table.hpp"
#include "test_support.hpp"

namespace {

using clinflow::Params;

/// 300 rows: age (float), sex (string), a _id column (not a feature), label.
std::string training_csv() {
  clinflow::dp::SplitMix64 rng(21);
  std::string csv = "stay_id,age,sex,label\n";
  for (int i = 0; i < 300; ++i) {
    const double age = 2.0 * rng.uniform() - 1.0;
    const bool female = rng.uniform() < 0.5;
    const double p = 1.0 / (1.0 + std::exp(-(2.0 * age + (female ? 0.5 : -0.5))));
    csv += std::to_string(i) + "," + std::to_string(age) + "," + (female ? "F" : "M") + "," +
           (rng.uniform() < p ? "1" : "0") + "\n";
  }
  return csv;
}

std::shared_ptr<const clinflow::Artifact> training_artifact() {
  clinflow::Table t = clinflow::builtin::read_csv_text(training_csv(), "train.csv");
  t.roles = {{"label", "label"}, {"stay", "stay_id"}};
  return std::make_shared<clinflow::Artifact>(clinflow::builtin::table_artifact(t));
}

struct Loaded {
  Loaded() {
    BOOST_TEST_REQUIRE(registry.load_library(
        std::string(CLINFLOW_BUILTIN_PLUGIN_DIR) + "/libdp_logistic.so", errors));
    const clinflow::LoadedPlugin* loaded = registry.find("dp_logistic");
    BOOST_TEST_REQUIRE(loaded != nullptr);
    plugin = loaded->plugin;
  }
  clinflow::Artifact run(const Params& params, std::uint64_t seed = 5) {
    clinflow_test::FakeContext ctx(seed);
    clinflow::Outputs out = plugin->run(ctx, {training_artifact()}, params);
    BOOST_TEST_REQUIRE(out.size() == 1u);
    return out[0];
  }
  clinflow::PluginRegistry registry;
  std::vector<std::string> errors;
  const clinflow::Plugin* plugin = nullptr;
};

const Params kParams{{"epsilon", 3.0}, {"epochs", 5.0}, {"sampling_rate", 0.1}};

}  // namespace

BOOST_AUTO_TEST_SUITE(dp_logistic_plugin)

BOOST_AUTO_TEST_CASE(declares_differential_privacy_and_fitting_on_its_input) {
  Loaded l;
  const clinflow::Safety& s = l.plugin->manifest().safety;
  BOOST_TEST(s.differentially_private);
  BOOST_TEST(s.fits_on.has_value());
  BOOST_TEST(*s.fits_on == 0);
}

BOOST_AUTO_TEST_CASE(privacy_spend_is_the_mechanism_run_trained_with) {
  Loaded l;
  const std::vector<clinflow::DpMechanism> spend = l.plugin->privacy_spend(kParams);
  BOOST_TEST_REQUIRE(spend.size() == 1u);
  const clinflow::Artifact a = l.run(kParams);
  BOOST_TEST(a.type == "model");
  const clinflow::builtin::Model m = clinflow::builtin::model_from_json(a.bytes, "test");
  BOOST_TEST(m.kind == "dp_logistic");
  BOOST_TEST_REQUIRE(m.training.privacy.has_value());
  const clinflow::builtin::PrivacyRecord& p = *m.training.privacy;
  BOOST_TEST(p.noise_multiplier == spend[0].noise_multiplier);
  BOOST_TEST(p.sampling_rate == spend[0].sampling_rate);
  BOOST_TEST(p.steps == spend[0].steps);
  BOOST_TEST(p.steps == 50);
  BOOST_TEST(p.delta == 1e-5);
  BOOST_TEST(p.epsilon == clinflow::rdp::epsilon(spend, 1e-5));
  BOOST_TEST(p.epsilon <= 3.0);
  BOOST_TEST(p.epsilon >= 0.99 * 3.0);
  // The design: age and the two sex categories; stay_id and the label are not features.
  BOOST_TEST(m.design.features == (std::vector<std::string>{"age", "sex=F", "sex=M"}),
             boost::test_tools::per_element());
  BOOST_TEST(m.training.rows == 300u);
  BOOST_TEST(m.parameters["weights"].size() == 3u);
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_bytes) {
  Loaded l;
  const clinflow::Artifact a = l.run(kParams, 5), b = l.run(kParams, 5), c = l.run(kParams, 6);
  BOOST_TEST(a.bytes == b.bytes);
  BOOST_TEST(a.bytes != c.bytes);
}

BOOST_AUTO_TEST_CASE(with_a_large_budget_it_learns_the_signal) {
  Loaded l;
  const clinflow::Artifact a =
      l.run({{"epsilon", 50.0}, {"epochs", 30.0}, {"sampling_rate", 0.2}, {"learning_rate", 0.5}});
  const clinflow::builtin::Model m = clinflow::builtin::model_from_json(a.bytes, "test");
  BOOST_TEST(m.parameters["weights"][0].get<double>() > 0.5);  // age pushes risk up
}

BOOST_AUTO_TEST_CASE(parameters_out_of_range_are_a_step_error_in_privacy_spend) {
  // The compiler reports this as "dp_logistic could not state its privacy spend: ...".
  Loaded l;
  try {
    l.plugin->privacy_spend({{"delta", 0.0}});
    BOOST_FAIL("no error");
  } catch (const clinflow::StepError& e) {
    BOOST_TEST(std::string(e.what()) == "dp_logistic: delta must be in (0, 1)");
  }
}

BOOST_AUTO_TEST_SUITE_END()
