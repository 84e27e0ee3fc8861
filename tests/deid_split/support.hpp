// Shared helpers of the deidentify / split tests: the two plugin libraries loaded for real, a
// recording context, and builders for small typed tables.
#pragma once

#include <boost/test/unit_test.hpp>
#include <clinflow/core/plugin_host.hpp>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "table.hpp"
#include "test_support.hpp"

namespace clinflow {
/// Lets BOOST_TEST print column types ("integer", "string").
inline std::ostream& operator<<(std::ostream& out, ColumnType type) {
  return out << to_string(type);
}
}  // namespace clinflow

namespace deid_split_test {

using clinflow::builtin::Column;
using clinflow::builtin::ColumnType;
using clinflow::builtin::Table;

using Ctx = clinflow_test::FakeContext;  // records log lines

/// The registry with deidentify, split and split3 (loaded once per process).
inline const clinflow::Plugin& step(const std::string& name) {
  static clinflow::PluginRegistry* registry = [] {
    auto* r = new clinflow::PluginRegistry;
    std::vector<std::string> errors;
    r->load_library(CLINFLOW_DEIDENTIFY_PLUGIN, errors);
    r->load_library(CLINFLOW_SPLIT_PLUGIN, errors);
    for (const auto& e : errors) BOOST_TEST_MESSAGE(e);
    return r;
  }();
  const clinflow::LoadedPlugin* p = registry->find(name);
  BOOST_TEST_REQUIRE(p != nullptr);
  return *p->plugin;
}

/// Runs a step on one table; outputs as artifacts.
inline clinflow::Outputs run(const std::string& name, const Table& in,
                             const clinflow::Params& params, std::uint64_t seed = 7,
                             std::vector<std::string>* log = nullptr) {
  Ctx ctx(seed);
  clinflow::Inputs inputs{
      std::make_shared<clinflow::Artifact>(clinflow::builtin::table_artifact(in))};
  clinflow::Outputs out = step(name).run(ctx, inputs, params);
  if (log) *log = ctx.lines;
  return out;
}

inline Table table_of(const clinflow::Artifact& a) {
  BOOST_TEST_REQUIRE(a.type == "table");
  return clinflow::builtin::deserialize(a.bytes, "test");
}

inline nlohmann::json json_of(const clinflow::Artifact& a) {
  BOOST_TEST_REQUIRE(a.type == "metrics");
  return nlohmann::json::parse(a.bytes);
}

/// The StepError text of running a step, or "" when it succeeds.
inline std::string error_of(const std::string& name, const Table& in,
                            const clinflow::Params& params) {
  try {
    run(name, in, params);
  } catch (const clinflow::StepError& e) {
    return e.what();
  }
  return "";
}

inline Column ints(const std::string& name, const std::vector<std::int64_t>& v) {
  Column c(name, ColumnType::kInt);
  c.ints = v;
  return c;
}

/// A text column; "" is missing.
inline Column texts(const std::string& name, const std::vector<std::string>& v) {
  Column c(name, ColumnType::kString);
  for (const auto& s : v) s.empty() ? c.push_missing() : c.push_text(s);
  return c;
}

/// A timestamp column from "YYYY-MM-DD HH:MM:SS" texts; "" is missing.
inline Column times(const std::string& name, const std::vector<std::string>& v) {
  Column c(name, ColumnType::kTimestamp);
  for (const auto& s : v)
    c.push_int(s.empty() ? clinflow::builtin::kMissingInt : *clinflow::builtin::parse_timestamp(s));
  return c;
}

inline bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace deid_split_test
