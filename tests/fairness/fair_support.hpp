// Fixtures for the fairness tests: the fairness plugins loaded for real, and a table with groups
// whose outcome depends on the features differently (so the plain and the robust model differ).
#pragma once

#include <cmath>

#include "support.hpp"  // tests/training: columns, Stream, artifact()

namespace fairness_test {

using namespace training_test;

struct FairPlugins {
  FairPlugins() {
    for (const char* lib : {"liblogistic.so", "libpredict.so", "libreweigh.so", "libgroup_dro.so",
                            "libsubgroup_gaps.so"})
      BOOST_TEST_REQUIRE(
          registry.load_library(std::string(CLINFLOW_BUILTIN_PLUGIN_DIR) + "/" + lib, errors));
  }
  clinflow::Outputs run(const std::string& name, const Table& table,
                        const clinflow::Params& params = {}) {
    return run(name, clinflow::Inputs{artifact(clinflow::builtin::table_artifact(table))}, params);
  }
  clinflow::Outputs run(const std::string& name, const clinflow::Inputs& inputs,
                        const clinflow::Params& params = {}) {
    const clinflow::LoadedPlugin* p = registry.find(name);
    BOOST_TEST_REQUIRE(p != nullptr);
    return p->plugin->run(ctx, inputs, params);
  }
  clinflow::PluginRegistry registry;
  std::vector<std::string> errors;
  clinflow_test::FakeContext ctx{5};
};

/// `n` rows: x1, x2 floats, site (string "a" 60%, "b" 30%, "c" 10%) and a label whose dependence
/// on x1 and x2 differs by site, so one linear model cannot suit every site equally.
inline Table grouped(std::size_t n, std::uint64_t seed = 11) {
  Stream s(seed);
  std::vector<std::int64_t> id, label;
  std::vector<double> x1, x2;
  std::vector<std::string> site;
  for (std::size_t i = 0; i < n; ++i) {
    const double u = s.next();
    site.push_back(u < 0.6 ? "a" : u < 0.9 ? "b" : "c");
    x1.push_back(4 * s.next() - 2);
    x2.push_back(4 * s.next() - 2);
    const double z = site.back() == "a"   ? -1 + 2.0 * x1.back()
                     : site.back() == "b" ? 0.5 - 1.0 * x1.back() + 1.5 * x2.back()
                                          : 1.0 + 2.0 * x2.back();
    id.push_back(std::int64_t(i));
    label.push_back(s.next() < 1 / (1 + std::exp(-z)));
  }
  Table t;
  t.columns = {int_column("subject_id", id), float_column("x1", x1), float_column("x2", x2),
               string_column("site", site), int_column("label", label)};
  t.roles = {{"patient", "subject_id"}, {"label", "label"}};
  return t;
}

}  // namespace fairness_test
