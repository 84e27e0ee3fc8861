// summarize: table shape, per-column means and missing counts, as a metrics object.
//
// Implementation notes: a column counts as numeric when its type is integer or float and it
// has at least one value; only numeric columns get a mean. nlohmann::json keeps object
// keys sorted, so the text (and its hash) does not depend on column order.
#include <clinflow/plugin.hpp>
#include <nlohmann/json.hpp>

#include "table.hpp"

namespace clinflow_summarize {

using namespace clinflow;
using namespace clinflow::builtin;

class Summarize final : public StepType {
 public:
  Summarize() {
    manifest_.name = "summarize";
    manifest_.version = "0.1.0";
    manifest_.summary = "Summarize a table: rows, columns, means, missing counts";
    manifest_.doc =
        "Emits a metrics object {\"rows\": N, \"columns\": M, \"mean\": {column: value},\n"
        "\"missing\": {column: count}}. Means are given for integer and float columns\n"
        "with at least one value; missing counts for every column. `require` lines can\n"
        "read them, e.g. `require summary.rows >= 100` or `summary.missing.age <= 5`.";
    manifest_.inputs = {PortSpec{"in", types::kTable, "The table to summarize.", false}};
    manifest_.outputs = {PortSpec{"metrics", types::kMetrics, "The summary (JSON).", false}};
    manifest_.metrics = {"rows", "columns", "mean.*", "missing.*"};
  }

  Outputs run(Context&, const Inputs& inputs, const Params&) const override {
    const Table table = input_table(inputs, 0, "summarize");
    nlohmann::json mean = nlohmann::json::object(), missing = nlohmann::json::object();
    for (const Column& column : table.columns) {
      double sum = 0;
      std::size_t numbers = 0, blanks = 0;
      for (std::size_t r = 0; r < column.size(); ++r) {
        if (column.missing(r)) {
          ++blanks;
        } else if (column.is_numeric()) {
          sum += column.number(r);
          ++numbers;
        }
      }
      missing[column.name] = blanks;
      if (column.type != ColumnType::kString && column.type != ColumnType::kTimestamp &&
          numbers > 0)
        mean[column.name] = sum / double(numbers);
    }
    nlohmann::json out = {{"rows", table.rows()},
                          {"columns", table.columns.size()},
                          {"mean", mean},
                          {"missing", missing}};
    return {Artifact{types::kMetrics, out.dump()}};
  }
};

}  // namespace clinflow_summarize

CLINFLOW_PLUGIN_STEPS(clinflow_summarize::Summarize)
