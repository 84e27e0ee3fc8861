// filter_rows: keeps the rows of a table for which a condition holds.
//
// Implementation notes: the condition is evaluated by expr_eval a column at a time into one flag
// per row, and the kept rows are gathered with Table::take (dictionaries re-coded, so the output
// bytes depend only on the kept rows). Missing cells never satisfy a comparison, as with SQL
// NULLs. Only row counts are logged.
#include <clinflow/plugin.hpp>

#include "csv.hpp"
#include "expr_eval.hpp"
#include "table.hpp"

namespace clinflow_filter_rows {

using namespace clinflow;
using namespace clinflow::builtin;

class FilterRows final : public StepType {
 public:
  FilterRows() {
    manifest_.name = "filter_rows";
    manifest_.version = "0.1.0";
    manifest_.summary = "Keep the rows of a table that satisfy a comparison";
    manifest_.doc =
        "Keeps the rows for which `where` holds. `where` compares a column with a number, a\n"
        "string, a duration or another expression: `age >= 18`, `sex == \"F\"`, `sex == F` (a\n"
        "bare word that names no column is text when compared with a text column),\n"
        "`discharge > admit`, `outtime - intime >= 24h`. The operators are >=, <=, >, <, == and\n"
        "!=; sides may use + - * / (timestamp - timestamp is a duration, timestamp + duration a\n"
        "timestamp). Rows whose cells are missing never satisfy the comparison. Columns are\n"
        "typed: comparing a text column with a number is an error naming the column, as is an\n"
        "unknown column (the message lists the table's columns).";
    manifest_.params = {
        required_param("where", ParamType::kExpr, "The comparison, e.g. `age >= 18`.")};
    manifest_.inputs = {PortSpec{"in", types::kTable, "The table to filter.", false}};
    manifest_.outputs = {PortSpec{"out", types::kTable, "The rows that satisfy `where`.", false}};
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const Table table = input_table(inputs, 0, "filter_rows");
    const std::vector<std::uint8_t> keep =
        evaluate_mask(param(params, manifest_, "where"), table, "filter_rows");
    std::vector<std::uint32_t> rows;
    for (std::size_t r = 0; r < keep.size(); ++r)
      if (keep[r]) rows.push_back(std::uint32_t(r));
    ctx.log("filter_rows: kept " + std::to_string(rows.size()) + " of " +
            std::to_string(table.rows()) + " rows");
    return {table_artifact(table.take(rows))};
  }
};

}  // namespace clinflow_filter_rows

CLINFLOW_PLUGIN_STEPS(clinflow_filter_rows::FilterRows)
