// Implementation notes: the label x group table is published with its margins (group rows and
// label totals), so small-cell suppression must hold along both: the curation report's
// complementary rule is applied to every group row and every label column, repeatedly, until
// nothing new is hidden (a hidden cell never comes back, so this stops).
#include "cell_report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "small_cells.hpp"

namespace clinflow_reweigh {

using clinflow_curation_report::Cell;
using clinflow_curation_report::suppress_group;
using Json = nlohmann::json;

namespace {

Json shown(const Cell& c) {
  return c.hidden ? Json(nullptr) : Json(c.count);
}

/// Suppresses along group rows (with their row totals) and label columns until stable.
std::int64_t suppress_table(std::vector<std::array<Cell, 2>>& cells) {
  std::int64_t hidden = 0, added = 1;
  while (added > 0) {
    added = 0;
    for (auto& row : cells) {
      std::vector<Cell*> group{&row[0], &row[1]};
      added += suppress_group(group, kMinCell);
    }
    for (std::size_t label = 0; label < 2; ++label) {
      std::vector<Cell*> column;
      for (auto& row : cells) column.push_back(&row[label]);
      added += suppress_group(column, kMinCell);
    }
    hidden += added;
  }
  return hidden;
}

}  // namespace

Json cell_report(const clinflow::builtin::RowGroups& groups, const BalanceWeights& b,
                 const std::vector<std::string>& group_columns, const std::string& weight_column) {
  std::vector<std::array<Cell, 2>> cells(groups.names.size());
  for (std::size_t g = 0; g < cells.size(); ++g)
    for (std::size_t label = 0; label < 2; ++label) cells[g][label] = Cell{b.counts[g][label]};
  const std::int64_t suppressed = suppress_table(cells);
  std::int64_t empty = 0;
  double min_weight = std::numeric_limits<double>::infinity(), max_weight = 0;
  Json by_group = Json::object();
  for (std::size_t g = 0; g < cells.size(); ++g) {
    Json entry = Json::object();
    const Cell group_rows =
        clinflow_curation_report::single_cell(b.counts[g][0] + b.counts[g][1], kMinCell);
    entry["rows"] = shown(group_rows);
    for (std::size_t label = 0; label < 2; ++label) {
      const Cell& c = cells[g][label];
      empty += c.count == 0;
      const bool show_weight = !c.hidden && c.count > 0;
      if (show_weight) {
        min_weight = std::min(min_weight, b.weight[g][label]);
        max_weight = std::max(max_weight, b.weight[g][label]);
      }
      entry[label ? "positives" : "negatives"] = {
          {"rows", shown(c)}, {"weight", show_weight ? Json(b.weight[g][label]) : Json(nullptr)}};
    }
    by_group[groups.names[g]] = entry;
  }
  const std::int64_t n = b.label_counts[0] + b.label_counts[1];
  return Json{{"rows", shown(clinflow_curation_report::single_cell(n, kMinCell))},
              {"groups", groups.names.size()},
              {"cells", 2 * groups.names.size()},
              {"empty_cells", empty},
              {"suppressed_cells", suppressed},
              {"min_weight", std::isfinite(min_weight) ? Json(min_weight) : Json(nullptr)},
              {"max_weight", std::isfinite(min_weight) ? Json(max_weight) : Json(nullptr)},
              {"weight_column", weight_column},
              {"group_columns", group_columns},
              {"by_group", by_group}};
}

}  // namespace clinflow_reweigh
