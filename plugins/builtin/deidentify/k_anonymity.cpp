// k-anonymity by a fixed ladder, then suppression.
//
// Implementation notes: every quasi-identifier becomes a per-row int64 key under the current
// rung (a string's dictionary code, an integer's value, a float's bits, an age band's index);
// equivalence classes are runs of the row order sorted by the key tuple, so a check is one
// O(n log n) sort and no hashing. Rare categories are judged on the whole table's counts: a
// category rarer than k can never sit in a class of k, so merging them is always the first
// rung. Columns are rewritten only once the rung is known, and only the ones that changed.
#include "k_anonymity.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>

namespace clinflow_deidentify {

using namespace clinflow::builtin;

namespace {

constexpr std::int64_t kOther = kMissingInt + 1;  // key of the merged "other" category
constexpr int kBandWidths[] = {5, 10, 20};

std::int64_t float_key(double x) {
  if (std::isnan(x)) return kMissingInt;
  if (x == 0) x = 0;  // -0 and +0 are one value
  std::int64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
}

/// The exact key of every row of a column.
std::vector<std::int64_t> exact_keys(const Column& c) {
  std::vector<std::int64_t> keys(c.size());
  for (std::size_t r = 0; r < keys.size(); ++r) {
    if (c.type == ColumnType::kString)
      keys[r] = c.codes[r] < 0 ? kMissingInt : c.codes[r];
    else if (c.type == ColumnType::kFloat)
      keys[r] = float_key(c.floats[r]);
    else
      keys[r] = c.ints[r];
  }
  return keys;
}

std::int64_t band_of(double age, int width) {
  return std::int64_t(std::floor(std::floor(age) / width));
}

std::vector<std::int64_t> band_keys(const Column& age, int width) {
  std::vector<std::int64_t> keys(age.size());
  for (std::size_t r = 0; r < keys.size(); ++r)
    keys[r] = age.missing(r) ? kMissingInt : band_of(age.number(r), width);
  return keys;
}

/// Merges keys held by fewer than k rows into kOther; returns how many rows changed.
std::size_t merge_rare(std::vector<std::int64_t>& keys, std::size_t k) {
  std::map<std::int64_t, std::size_t> counts;
  for (std::int64_t key : keys) ++counts[key];
  std::size_t merged = 0;
  for (std::int64_t& key : keys)
    if (key != kMissingInt && counts[key] < k) key = kOther, ++merged;
  return merged;
}

/// The size of each row's equivalence class under the keys.
std::vector<std::size_t> class_sizes(const std::vector<std::vector<std::int64_t>>& keys,
                                     std::size_t rows) {
  std::vector<std::uint32_t> order(rows);
  std::iota(order.begin(), order.end(), 0u);
  auto less = [&](std::uint32_t a, std::uint32_t b) {
    for (const auto& k : keys)
      if (k[a] != k[b]) return k[a] < k[b];
    return false;
  };
  std::sort(order.begin(), order.end(), less);
  std::vector<std::size_t> size(rows);
  for (std::size_t begin = 0; begin < rows;) {
    std::size_t end = begin + 1;
    while (end < rows && !less(order[begin], order[end])) ++end;
    for (std::size_t i = begin; i < end; ++i) size[order[i]] = end - begin;
    begin = end;
  }
  return size;
}

std::size_t smallest(const std::vector<std::size_t>& sizes) {
  return sizes.empty() ? 0 : *std::min_element(sizes.begin(), sizes.end());
}

std::size_t rows_below(const std::vector<std::size_t>& sizes, std::size_t k) {
  return std::size_t(
      std::count_if(sizes.begin(), sizes.end(), [k](std::size_t n) { return n < k; }));
}

std::string band_text(std::int64_t band, int width, std::int64_t top_age) {
  const std::int64_t low = band * width, high = low + width - 1;
  if (low <= top_age && top_age <= high) return std::to_string(low) + "+";
  return std::to_string(low) + "-" + std::to_string(high);
}

Column banded(const Column& age, int width, std::int64_t top_age) {
  Column out(age.name, ColumnType::kString);
  out.reserve(age.size());
  for (std::size_t r = 0; r < age.size(); ++r) {
    if (age.missing(r))
      out.push_missing();
    else
      out.push_text(band_text(band_of(age.number(r), width), width, top_age));
  }
  return out;
}

Column with_other(const Column& c, const std::vector<std::int64_t>& keys) {
  Column out(c.name, ColumnType::kString);
  out.reserve(c.size());
  for (std::size_t r = 0; r < c.size(); ++r) {
    if (c.missing(r))
      out.push_missing();
    else if (keys[r] == kOther)
      out.push_text("other");
    else
      out.push_text(c.type == ColumnType::kString ? std::string(c.text(r)) : c.format(r));
  }
  return out;
}

}  // namespace

KAnonymity k_anonymise(Table& table, const std::vector<QuasiIdentifier>& qis, std::size_t k,
                       std::int64_t top_age, std::size_t max_suppressed) {
  KAnonymity result;
  const std::size_t rows = table.rows();
  std::vector<std::vector<std::int64_t>> keys;
  for (const auto& qi : qis) keys.push_back(exact_keys(table.column(qi.name, "deidentify")));
  std::vector<std::string> level(qis.size(), "exact");
  std::vector<int> band_width(qis.size(), 0);
  std::vector<std::size_t> sizes = class_sizes(keys, rows);
  auto done = [&] { return smallest(sizes) >= k || rows_below(sizes, k) <= max_suppressed; };

  // Rung 1: rare categories -> other.
  if (!qis.empty() && !done()) {
    for (std::size_t q = 0; q < qis.size(); ++q)
      if (!qis[q].age && merge_rare(keys[q], k) > 0) level[q] = "rare categories -> other";
    sizes = class_sizes(keys, rows);
  }
  // Rungs 2-4: age bands.
  for (std::size_t q = 0; q < qis.size(); ++q) {
    if (!qis[q].age) continue;
    for (int width : kBandWidths) {
      if (done()) break;
      keys[q] = band_keys(table.column(qis[q].name), width);
      band_width[q] = width;
      level[q] = std::to_string(width) + "-year bands";
      sizes = class_sizes(keys, rows);
    }
  }

  // Rewrite what changed, then suppress the classes still below k.
  for (std::size_t q = 0; q < qis.size(); ++q) {
    Column& c = table.column(qis[q].name);
    if (band_width[q] > 0)
      c = banded(c, band_width[q], top_age);
    else if (level[q] != "exact")
      c = with_other(c, keys[q]);
    result.levels.emplace_back(qis[q].name, level[q]);
  }
  std::vector<std::uint32_t> kept;
  std::size_t smallest_kept = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    if (!qis.empty() && sizes[r] < k) continue;
    kept.push_back(std::uint32_t(r));
    smallest_kept = smallest_kept == 0 ? sizes[r] : std::min(smallest_kept, sizes[r]);
  }
  result.suppressed = rows - kept.size();
  result.smallest_class = qis.empty() ? rows : smallest_kept;
  if (result.suppressed > 0) table = table.take(kept);
  return result;
}

}  // namespace clinflow_deidentify
