// Column rewrites of deidentify.
//
// Implementation notes: hashing is memoised per distinct id text (an unordered_map used only
// for look-ups, so its order never reaches an output). Every rewrite builds a new column and the
// caller swaps it in, so a column is either wholly old or wholly new.
#include "transforms.hpp"

#include <clinflow/plugin.hpp>
#include <cmath>
#include <unordered_map>

#include "csv.hpp"
#include "keyed_hash.hpp"

namespace clinflow_deidentify {

using namespace clinflow::builtin;

std::string id_text(const Column& column, std::size_t row) {
  if (column.type == ColumnType::kInt) return std::to_string(column.ints[row]);
  if (column.type == ColumnType::kString) return std::string(column.text(row));
  return column.format(row);
}

Column pseudonymised(const Column& column, std::uint64_t key) {
  Column out(column.name, ColumnType::kInt);
  const std::size_t n = column.size();
  out.reserve(n);
  std::unordered_map<std::string, std::int64_t> memo;
  for (std::size_t r = 0; r < n; ++r) {
    if (column.missing(r)) {
      out.push_missing();
      continue;
    }
    std::string text = id_text(column, r);
    auto it = memo.find(text);
    if (it == memo.end()) it = memo.emplace(text, pseudonym(key, text)).first;
    out.push_int(it->second);
  }
  return out;
}

std::vector<std::int64_t> row_offsets(const Column& patient, std::uint64_t key,
                                      std::int64_t max_days) {
  const std::size_t n = patient.size();
  std::vector<std::int64_t> offsets(n);
  std::unordered_map<std::string, std::int64_t> memo;
  for (std::size_t r = 0; r < n; ++r) {
    if (patient.missing(r))
      throw clinflow::StepError("deidentify: patient column '" + patient.name +
                                "' is missing at row " + std::to_string(r + 1) +
                                "; dates cannot be shifted per patient");
    std::string text = id_text(patient, r);
    auto it = memo.find(text);
    if (it == memo.end()) it = memo.emplace(text, shift_days(key, text, max_days)).first;
    offsets[r] = it->second * 86400;
  }
  return offsets;
}

void shift(Column& timestamps, const std::vector<std::int64_t>& offsets) {
  for (std::size_t r = 0; r < timestamps.ints.size(); ++r)
    if (timestamps.ints[r] != kMissingInt) timestamps.ints[r] += offsets[r];
}

std::optional<Column> as_timestamps(const Column& column) {
  if (column.type != ColumnType::kString) return std::nullopt;
  // Decode each dictionary entry once; one non-date entry rules the column out.
  std::vector<std::int64_t> seconds(column.dict.size());
  for (std::size_t c = 0; c < column.dict.size(); ++c) {
    auto t = parse_timestamp(column.dict[c]);
    if (!t) return std::nullopt;
    seconds[c] = *t;
  }
  if (column.dict.empty()) return std::nullopt;  // all missing: nothing to shift
  Column out(column.name, ColumnType::kTimestamp);
  out.reserve(column.size());
  for (std::int32_t code : column.codes)
    out.push_int(code < 0 ? kMissingInt : seconds[std::size_t(code)]);
  return out;
}

namespace {

/// An age cell's value: a number, or "> N" / ">N" read as N + 1; nullopt otherwise.
std::optional<double> age_value(std::string_view text) {
  if (!text.empty() && text.front() == '>') {
    auto x = parse_number(text.substr(1));
    return x ? std::optional<double>(std::floor(*x) + 1) : std::nullopt;
  }
  return parse_number(text);
}

}  // namespace

std::optional<CappedAges> capped_ages(const Column& age, double cap) {
  CappedAges out;
  const std::size_t n = age.size();
  std::vector<double> values(n, std::nan(""));
  bool integral = age.type != ColumnType::kFloat;
  for (std::size_t r = 0; r < n; ++r) {
    if (age.missing(r)) continue;
    if (age.type == ColumnType::kString) {
      auto x = age_value(age.text(r));
      if (!x) return std::nullopt;
      values[r] = *x;
      integral = integral && *x == std::floor(*x);
    } else if (age.type == ColumnType::kTimestamp) {
      return std::nullopt;
    } else {
      values[r] = age.number(r);
    }
    if (values[r] > cap) {
      values[r] = std::floor(cap) + 1;
      ++out.capped;
    }
  }
  out.column = Column(age.name, integral ? ColumnType::kInt : ColumnType::kFloat);
  out.column.reserve(n);
  for (double v : values) {
    if (std::isnan(v))
      out.column.push_missing();
    else if (integral)
      out.column.push_int(std::int64_t(v));
    else
      out.column.push_float(v);
  }
  return out;
}

}  // namespace clinflow_deidentify
