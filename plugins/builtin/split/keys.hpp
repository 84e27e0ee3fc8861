// Dense, value-ordered indices of a key column (patients, groups).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "table.hpp"

namespace clinflow_split {

/// Each row's key as an index 0..count-1, numbered in increasing key value (numbers by value,
/// text by bytes), so the numbering depends on the set of keys only, never on row order.
struct DenseKeys {
  std::vector<std::uint32_t> of_row;
  std::size_t count = 0;
  /// Rows per key.
  std::vector<std::size_t> sizes() const;
};

/// The dense keys of a column; a missing cell is a StepError naming `what` and the row.
DenseKeys dense_keys(const clinflow::builtin::Column& column, const std::string& what);

}  // namespace clinflow_split
