// aggregate: per-group row counts and column means, with small-cell suppression.
//
// Implementation notes: groups are keyed by their `by` cells in a std::map, so the output order
// is sorted and independent of input order. Sums are accumulated in input order (deterministic).
// Groups with fewer than `min_cell` rows are dropped before anything is written: the output holds
// only aggregates over at least min_cell patients' rows, which is why the step declares that it
// clears PHI. Only the number of suppressed groups is logged, never their keys.
#include <clinflow/plugin.hpp>
#include <cmath>
#include <map>

#include "csv.hpp"
#include "table.hpp"

namespace clinflow_aggregate {

using namespace clinflow;
using namespace clinflow::builtin;

struct Group {
  std::size_t rows = 0;
  std::vector<double> sum;
  std::vector<std::size_t> count;  // non-missing cells per column
};

class Aggregate final : public StepType {
 public:
  Aggregate() {
    manifest_.name = "aggregate";
    manifest_.version = "0.1.0";
    manifest_.summary = "Group rows and report counts and means, suppressing small cells";
    manifest_.doc =
        "Groups the rows by the `by` columns (all rows form one group when `by` is empty) and\n"
        "emits one row per group: the `by` values, `count` (rows in the group) and\n"
        "`<column>_mean` for each of `columns` (missing cells are skipped; empty when a group\n"
        "has none). Groups with fewer than `min_cell` rows are suppressed: dropped from the\n"
        "output and counted in the log. Because the output holds only aggregates over at least\n"
        "`min_cell` rows, the step declares that it clears PHI. A non-numeric cell in one of\n"
        "`columns` is an error naming the column and row.";
    ParamSpec by = list_param("by", ParamType::kSymbol, List{}, "Columns that define the groups.");
    ParamSpec columns =
        list_param("columns", ParamType::kSymbol, Value(), "Numeric columns to average.");
    columns.required = true;
    ParamSpec min_cell =
        optional_param("min_cell", ParamType::kInt, 10,
                       "Smallest group size that is reported; smaller groups are suppressed.");
    min_cell.min = 1;
    manifest_.params = {by, columns, min_cell};
    manifest_.inputs = {PortSpec{"in", types::kTable, "The rows to aggregate.", false}};
    manifest_.outputs = {PortSpec{"out", types::kTable, "One row per reported group.", false}};
    manifest_.safety.phi = PhiEffect::kClears;
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const Table in = input_table(inputs, 0, "aggregate");
    const std::vector<std::string> by = symbol_list(param(params, manifest_, "by"));
    const std::vector<std::string> columns = symbol_list(param(params, manifest_, "columns"));
    const std::int64_t min_cell = param(params, manifest_, "min_cell").as<std::int64_t>();
    std::vector<const Column*> by_columns, value_columns;
    for (const auto& name : by) by_columns.push_back(&in.column(name, "aggregate"));
    for (const auto& name : columns) {
      const Column& c = in.column(name, "aggregate");
      if (!c.is_numeric())
        throw StepError("aggregate: column '" + name + "' is not numeric (it holds text)");
      value_columns.push_back(&c);
    }

    std::map<std::vector<std::string>, Group> groups;
    for (std::size_t r = 0; r < in.rows(); ++r) {
      std::vector<std::string> key;
      for (const Column* c : by_columns) key.push_back(c->format(r));
      Group& g = groups[key];
      if (g.sum.empty()) {
        g.sum.assign(columns.size(), 0.0);
        g.count.assign(columns.size(), 0);
      }
      ++g.rows;
      for (std::size_t c = 0; c < value_columns.size(); ++c) {
        const double x = value_columns[c]->number(r);
        if (std::isnan(x)) continue;
        g.sum[c] += x;
        ++g.count[c];
      }
    }

    Table out;
    for (std::size_t i = 0; i < by.size(); ++i)
      out.add(by[i], by_columns[i]->type == ColumnType::kString ? ColumnType::kString
                                                                : by_columns[i]->type);
    out.add("count", ColumnType::kInt);
    for (const auto& name : columns) out.add(name + "_mean", ColumnType::kFloat);
    std::size_t suppressed = 0, reported = 0;
    for (const auto& [key, g] : groups) {
      if (std::int64_t(g.rows) < min_cell) {
        ++suppressed;
        continue;
      }
      ++reported;
      for (std::size_t i = 0; i < by.size(); ++i) {
        Column& c = out.columns[i];
        // Group keys were formatted from the column; copy the first row of the group back.
        if (key[i].empty()) {
          c.push_missing();
        } else if (c.type == ColumnType::kString) {
          c.push_text(key[i]);
        } else if (c.type == ColumnType::kFloat) {
          c.push_float(std::stod(key[i]));
        } else if (c.type == ColumnType::kTimestamp) {
          c.push_int(*parse_timestamp(key[i]));
        } else {
          c.push_int(std::stoll(key[i]));
        }
      }
      out.columns[by.size()].push_int(std::int64_t(g.rows));
      for (std::size_t c = 0; c < columns.size(); ++c)
        out.columns[by.size() + 1 + c].push_float(g.count[c] ? g.sum[c] / double(g.count[c])
                                                             : missing_float());
    }
    if (in.rows() == 0 && by.empty()) ++suppressed;  // an empty table is one group of 0 rows
    ctx.log("aggregate: " + std::to_string(reported) + " groups reported, " +
            std::to_string(suppressed) + " suppressed (fewer than " + std::to_string(min_cell) +
            " rows)");
    return {table_artifact(out)};
  }
};

}  // namespace clinflow_aggregate

CLINFLOW_PLUGIN_STEPS(clinflow_aggregate::Aggregate)
