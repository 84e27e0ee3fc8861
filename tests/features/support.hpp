// Fixtures for the feature tests: typed tables from CSV text, the two plugins loaded for real.
#pragma once

#include <boost/test/unit_test.hpp>
#include <clinflow/core/plugin_host.hpp>
#include <clinflow/plugin.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "csv_reader.hpp"
#include "extract.hpp"
#include "table.hpp"
#include "test_support.hpp"

namespace features_test {

using clinflow::builtin::Column;
using clinflow::builtin::Table;

/// A Context that records log lines, with this suite's seed.
class Ctx final : public clinflow_test::FakeContext {
 public:
  Ctx() : FakeContext(11) {}
};

/// A typed table from CSV text (types inferred as read_table does).
inline Table csv(const std::string& text) {
  return clinflow::builtin::read_csv_text(text, "test.csv");
}

/// The cohort roles the tests use: stay_id, subject_id, label, pred_time.
inline Table cohort_of(const std::string& text) {
  Table t = csv(text);
  t.roles = {{"stay", "stay_id"},
             {"patient", "subject_id"},
             {"label", "label"},
             {"prediction_time", "pred_time"}};
  return t;
}

/// The plugins under test, loaded from the build's plugin folder.
struct Plugins {
  Plugins() {
    for (const char* lib : {"libextract_features.so", "libpreprocess.so"})
      BOOST_TEST_REQUIRE(
          registry.load_library(std::string(CLINFLOW_BUILTIN_PLUGIN_DIR) + "/" + lib, errors));
  }
  const clinflow::Plugin& get(const std::string& name) {
    const clinflow::LoadedPlugin* p = registry.find(name);
    BOOST_TEST_REQUIRE(p != nullptr);
    return *p->plugin;
  }
  clinflow::Outputs run(const std::string& name, const clinflow::Inputs& inputs,
                        const clinflow::Params& params) {
    return get(name).run(ctx, inputs, params);
  }
  clinflow::PluginRegistry registry;
  std::vector<std::string> errors;
  Ctx ctx;
};

inline std::shared_ptr<const clinflow::Artifact> artifact(const Table& t) {
  return std::make_shared<clinflow::Artifact>(clinflow::builtin::table_artifact(t));
}

/// Equal as doubles, both NaN counting as equal.
inline bool same(double a, double b, double tol = 1e-12) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::fabs(a - b) <= tol * std::max(1.0, std::fabs(b));
}

}  // namespace features_test
