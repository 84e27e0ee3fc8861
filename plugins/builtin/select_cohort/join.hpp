// Many-to-one left joins of select_cohort.
#pragma once

#include <string>
#include <vector>

#include "table.hpp"

namespace clinflow_select_cohort {

/// Appends the columns of `right` to `left`, matching rows on the columns of `keys` that both
/// tables have (at least one). Rows of `left` keep their order; a row without a match gets missing
/// cells. `right` may hold at most one row per key (a duplicate is a StepError: the join would
/// multiply stays). `input` is right's input number (1-based) for messages.
void left_join(clinflow::builtin::Table& left, const clinflow::builtin::Table& right,
               const std::vector<std::string>& keys, std::size_t input);

}  // namespace clinflow_select_cohort
