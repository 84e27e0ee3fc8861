// Dense keys by sorting (value, row) pairs: O(n log n), no hashing, order-independent.
#include "keys.hpp"

#include <algorithm>
#include <clinflow/plugin.hpp>
#include <cmath>
#include <numeric>

namespace clinflow_split {

using namespace clinflow::builtin;

std::vector<std::size_t> DenseKeys::sizes() const {
  std::vector<std::size_t> out(count, 0);
  for (std::uint32_t k : of_row) ++out[k];
  return out;
}

namespace {

/// Numbers rows by a strict weak order `less` on row indices (equal rows share a number).
template <class Less>
DenseKeys number_rows(std::size_t rows, Less less) {
  std::vector<std::uint32_t> order(rows);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), less);
  DenseKeys keys;
  keys.of_row.resize(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0 && less(order[i - 1], order[i])) ++keys.count;
    keys.of_row[order[i]] = std::uint32_t(keys.count);
  }
  if (rows > 0) ++keys.count;
  return keys;
}

}  // namespace

DenseKeys dense_keys(const Column& column, const std::string& what) {
  const std::size_t rows = column.size();
  for (std::size_t r = 0; r < rows; ++r)
    if (column.missing(r))
      throw clinflow::StepError("split: " + what + " '" + column.name + "' is missing at row " +
                                std::to_string(r + 1));
  if (column.type == ColumnType::kString) {
    // Rank the dictionary once, then compare ranks.
    std::vector<std::uint32_t> by_text(column.dict.size());
    std::iota(by_text.begin(), by_text.end(), 0u);
    std::sort(by_text.begin(), by_text.end(),
              [&](std::uint32_t a, std::uint32_t b) { return column.dict[a] < column.dict[b]; });
    std::vector<std::uint32_t> rank(column.dict.size());
    for (std::uint32_t i = 0; i < by_text.size(); ++i) rank[by_text[i]] = i;
    return number_rows(rows, [&](std::uint32_t a, std::uint32_t b) {
      return rank[std::size_t(column.codes[a])] < rank[std::size_t(column.codes[b])];
    });
  }
  if (column.type == ColumnType::kFloat)
    return number_rows(rows, [&](std::uint32_t a, std::uint32_t b) {
      return column.floats[a] < column.floats[b];
    });
  return number_rows(
      rows, [&](std::uint32_t a, std::uint32_t b) { return column.ints[a] < column.ints[b]; });
}

}  // namespace clinflow_split
