// The aggregate-only metrics of reweigh: cell counts and weights under the small-cell rule.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "balance_weights.hpp"

namespace clinflow_reweigh {

/// Counts from 1 to 9 are hidden (null), as in the curation report.
inline constexpr std::int64_t kMinCell = 10;

/// {"rows", "groups", "cells", "empty_cells", "suppressed_cells", "min_weight", "max_weight",
///  "weight_column", "group_columns", "by_group": {name: {"rows", "negatives": {"rows",
///  "weight"}, "positives": {...}}}}. A hidden count hides its cell's weight too (the weight and
/// the margins would give the count back); min/max_weight are over shown cells.
nlohmann::json cell_report(const clinflow::builtin::RowGroups& groups, const BalanceWeights& b,
                           const std::vector<std::string>& group_columns,
                           const std::string& weight_column);

}  // namespace clinflow_reweigh
