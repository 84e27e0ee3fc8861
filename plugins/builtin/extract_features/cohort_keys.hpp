// Resolves an events table's join keys to the cohort rows that share them.
//
// A key usually names one cohort row (one stay); joining on a patient column gives several rows
// per key, each with its own prediction time, so a key maps to a group of rows (CSR layout).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lookup.hpp"
#include "table.hpp"

namespace clinflow::builtin::features {

class CohortKeys {
 public:
  /// Integer, timestamp and text keys are supported on either side (text that is not an integer
  /// never matches an integer key). Throws StepError for float key columns.
  CohortKeys(const Column& cohort_key, const Column& event_key, const std::string& step);

  /// True when the events' key column is text (use group_of_code), else group_of_int.
  bool by_code() const { return by_code_; }
  std::int32_t group_of_int(std::int64_t key) const { return ints_.find(key); }
  std::int32_t group_of_code(std::int32_t code) const {
    return code < 0 ? -1 : codes_[std::size_t(code)];
  }
  /// Every group has exactly one row. Then the lookups return the ROW itself (one dependent
  /// load less per event) and first_row(g) is g.
  bool one_to_one() const { return one_to_one_; }
  std::uint32_t first_row(std::int32_t g) const { return std::uint32_t(g); }
  const std::uint32_t* rows_begin(std::int32_t g) const { return &rows_[start_[std::size_t(g)]]; }
  const std::uint32_t* rows_end(std::int32_t g) const {
    return rows_.data() + start_[std::size_t(g) + 1];
  }
  std::size_t groups() const { return start_.size() - 1; }

 private:
  bool by_code_ = false;
  bool one_to_one_ = true;
  IntLookup ints_;
  std::vector<std::int32_t> codes_;      ///< event dict code -> group
  std::vector<std::uint32_t> start_{0};  ///< group g's rows are rows_[start_[g] .. start_[g+1])
  std::vector<std::uint32_t> rows_;
};

}  // namespace clinflow::builtin::features
