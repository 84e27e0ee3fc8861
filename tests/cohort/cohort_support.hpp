// Shared fixtures of the cohort tests: typed tables from CSV text, and the cohort plugins
// (select_cohort, label, filter_rows) loaded from the build's plugin folder and run for real.
#pragma once

#include <boost/test/unit_test.hpp>
#include <clinflow/core/plugin_host.hpp>
#include <clinflow/plugin.hpp>
#include <string>
#include <vector>

#include "csv.hpp"
#include "csv_reader.hpp"
#include "table.hpp"
#include "test_support.hpp"

namespace cohort_test {

using namespace clinflow;
using namespace clinflow::builtin;

/// A typed table from CSV text, inferred exactly as read_table infers it. Empty = missing.
inline Table table_from_csv(std::string_view text) {
  return clinflow::builtin::read_csv_text(text, "test.csv");
}

using RecordingContext = clinflow_test::FakeContext;  // records log lines, seed 7

/// Loads the cohort plugins once per test case and runs them on tables.
struct Steps {
  Steps() {
    for (const char* name : {"select_cohort", "label", "filter_rows"}) {
      registry.load_library(std::string(CLINFLOW_BUILTIN_PLUGIN_DIR) + "/lib" + name + ".so",
                            errors);
    }
    BOOST_TEST_REQUIRE(errors.empty());
  }
  Outputs run(const std::string& step, const std::vector<Table>& tables, const Params& params) {
    const LoadedPlugin* p = registry.find(step);
    BOOST_TEST_REQUIRE(p != nullptr);
    Inputs inputs;
    for (const Table& t : tables) inputs.push_back(std::make_shared<Artifact>(table_artifact(t)));
    return p->plugin->run(ctx, inputs, params);
  }
  /// The message of the StepError a run throws, "" when it succeeds.
  std::string error_of(const std::string& step, const std::vector<Table>& tables,
                       const Params& params) {
    try {
      run(step, tables, params);
    } catch (const StepError& e) {
      return e.what();
    }
    return "";
  }
  PluginRegistry registry;
  std::vector<std::string> errors;
  RecordingContext ctx;
};

/// A column's cells as text ("" for missing), for compact assertions.
inline std::vector<std::string> cells(const Table& t, const std::string& column) {
  std::vector<std::string> out;
  const Column& c = t.column(column);
  for (std::size_t r = 0; r < t.rows(); ++r) out.push_back(c.format(r));
  return out;
}

inline Value cmp(const std::string& op, Value a, Value b) {
  return Expr{op, {std::move(a), std::move(b)}};
}

}  // namespace cohort_test
