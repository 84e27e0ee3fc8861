// The groups group_dro_logistic balances: row_groups() with groups below a row floor pooled, so
// a handful of rows cannot become "the worst group" and dictate the model.
#pragma once

#include <cstddef>
#include <string>

#include "row_groups.hpp"

namespace clinflow::builtin::group_dro {

/// Name of the pooled group of small groups.
inline constexpr const char* kSmallGroups = "(small groups)";

/// `groups` with every group of fewer than `min_rows` rows merged into one group named
/// kSmallGroups (placed last; a single small group is renamed too, so the name says why).
/// Unchanged when no group is small.
RowGroups pool_small_groups(const RowGroups& groups, std::size_t min_rows);

}  // namespace clinflow::builtin::group_dro
