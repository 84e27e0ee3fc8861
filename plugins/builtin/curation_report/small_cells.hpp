// The small-cell rule of the curation report: counts that could single out a few patients are
// never published, neither directly nor by subtraction from a published total.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace clinflow_curation_report {

/// One published count: its value, or hidden by the small-cell rule.
struct Cell {
  std::int64_t count = 0;
  bool hidden = false;
  /// The count when it may be shown.
  std::optional<std::int64_t> shown() const {
    return hidden ? std::nullopt : std::optional<std::int64_t>(count);
  }
};

/// Applies the rule to a group of counts whose sum is published (a part's rows split into
/// missing + histogram bins, or positives + negatives + unlabelled):
///  1. primary: every count from 1 to min_cell - 1 is hidden (0 is shown: it names no one);
///  2. complementary: when exactly one cell of the group is hidden, the smallest other non-zero
///     cell is hidden too, so the hidden one cannot be recovered as total minus the rest.
/// Returns the number of cells hidden.
std::int64_t suppress_group(std::vector<Cell*>& group, std::int64_t min_cell);

/// A count that stands alone (no published total): primary rule only.
Cell single_cell(std::int64_t count, std::int64_t min_cell);

}  // namespace clinflow_curation_report
