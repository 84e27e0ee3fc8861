// Column rewrites of deidentify: pseudonyms, per-patient date shifts, age capping.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "table.hpp"

namespace clinflow_deidentify {

using clinflow::builtin::Column;
using clinflow::builtin::Table;

/// Canonical text of an identifier cell: integers in decimal, strings as they are. The same
/// patient therefore hashes alike in every table, whichever of the two types it was read as.
std::string id_text(const Column& column, std::size_t row);

/// The column with every present id replaced by its 63-bit pseudonym (an integer column).
Column pseudonymised(const Column& column, std::uint64_t key);

/// Per-row date offsets in seconds: whole days from the row's patient id, the same for every
/// row of a patient. A missing patient id is a StepError naming the column and row.
std::vector<std::int64_t> row_offsets(const Column& patient, std::uint64_t key,
                                      std::int64_t max_days);

/// Adds each row's offset to a timestamp column (missing stays missing).
void shift(Column& timestamps, const std::vector<std::int64_t>& offsets);

/// A string column whose every present cell is a date or date-time, as a timestamp column;
/// nullopt otherwise (so dates read as text are shifted too, never passed through).
std::optional<Column> as_timestamps(const Column& column);

/// The age column as numbers with ages above `cap` set to cap + 1; a text column of numbers and
/// "> 89"-style cells becomes an integer (or float) column. nullopt when some present cell is
/// not an age (already banded text such as "[70-80)"): the caller leaves it as a category.
struct CappedAges {
  Column column;
  std::size_t capped = 0;
};
std::optional<CappedAges> capped_ages(const Column& age, double cap);

}  // namespace clinflow_deidentify
