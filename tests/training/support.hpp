// Fixtures for the training tests: small typed tables and the plugins loaded for real.
#pragma once

#include <boost/test/unit_test.hpp>
#include <clinflow/core/plugin_host.hpp>
#include <clinflow/plugin.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "table.hpp"
#include "test_support.hpp"

namespace training_test {

using clinflow::builtin::Column;
using clinflow::builtin::ColumnType;
using clinflow::builtin::Table;

inline Column float_column(const std::string& name, std::vector<double> v) {
  Column c(name, ColumnType::kFloat);
  c.floats = std::move(v);
  return c;
}
inline Column int_column(const std::string& name, std::vector<std::int64_t> v) {
  Column c(name, ColumnType::kInt);
  c.ints = std::move(v);
  return c;
}
/// "" is a missing cell.
inline Column string_column(const std::string& name, const std::vector<std::string>& v) {
  Column c(name, ColumnType::kString);
  for (const auto& s : v) {
    if (s.empty())
      c.push_missing();
    else
      c.push_text(s);
  }
  return c;
}

/// A deterministic pseudo-random stream in [0, 1) (splitmix64), for test data.
class Stream {
 public:
  explicit Stream(std::uint64_t seed) : state_(seed) {}
  double next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return double((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t state_;
};

/// A training table: patient id (role), x1, x2 (floats), smoker (0/1 int), ward (string),
/// label drawn from a logistic model of them. `n` rows, fixed seed.
inline Table synthetic(std::size_t n, std::uint64_t seed = 42) {
  Stream s(seed);
  std::vector<std::int64_t> id, smoker, label;
  std::vector<double> x1, x2;
  std::vector<std::string> ward;
  const char* wards[] = {"icu", "med", "surg"};
  for (std::size_t i = 0; i < n; ++i) {
    id.push_back(std::int64_t(i));
    x1.push_back(4 * s.next() - 2);
    x2.push_back(2 * s.next() - 1);
    smoker.push_back(s.next() < 0.3);
    ward.push_back(wards[std::size_t(3 * s.next())]);
    const double z = -1.0 + 1.5 * x1.back() - 0.7 * x2.back() + 0.8 * double(smoker.back()) +
                     (ward.back() == std::string("icu") ? 1.0 : 0.0);
    label.push_back(s.next() < 1 / (1 + std::exp(-z)));
  }
  Table t;
  t.columns = {int_column("subject_id", id), float_column("x1", x1),
               float_column("x2", x2),       int_column("smoker", smoker),
               string_column("ward", ward),  int_column("label", label)};
  t.roles = {{"patient", "subject_id"}, {"label", "label"}};
  return t;
}

inline std::shared_ptr<const clinflow::Artifact> artifact(clinflow::Artifact a) {
  return std::make_shared<const clinflow::Artifact>(std::move(a));
}

/// logistic, predict and fit/apply_preprocessing, loaded from the build's plugin folder.
struct Plugins {
  Plugins() {
    for (const char* lib : {"liblogistic.so", "libpredict.so", "libpreprocess.so"})
      BOOST_TEST_REQUIRE(
          registry.load_library(std::string(CLINFLOW_BUILTIN_PLUGIN_DIR) + "/" + lib, errors));
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

}  // namespace training_test
