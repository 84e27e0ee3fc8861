// Which group each row of a table belongs to, by one column or the intersection of several
// (race x sex). Shared by reweigh, group_dro_logistic and subgroup_gaps so they agree on what a
// group is and how it is named.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "table.hpp"

namespace clinflow::builtin {

/// Rows partitioned into groups. Group names are the cell texts ("Caucasian"; several columns
/// joined as "race=Asian & sex=F"); a missing cell reads "(missing)". Groups are numbered in
/// sorted (byte) order of their names, so the numbering depends on the data only.
struct RowGroups {
  std::vector<std::string> names;  ///< one per group, sorted
  std::vector<std::size_t> sizes;  ///< rows per group
  std::vector<int> of_row;         ///< group index of each row
};

/// Text of a missing group cell.
inline constexpr const char* kMissingGroup = "(missing)";

/// Groups of `table` by `columns` (at least one; any column type). Throws StepError (prefixed by
/// `step`) naming an unknown column.
RowGroups row_groups(const Table& table, const std::vector<std::string>& columns,
                     const std::string& step);

/// The group columns a step was given: `groups` when not empty, else `group` when not empty,
/// else the table's group role. Throws StepError (prefixed by `step`) when none is given.
std::vector<std::string> group_columns(const Table& table, const std::string& group,
                                       const std::vector<std::string>& groups,
                                       const std::string& step);

}  // namespace clinflow::builtin
