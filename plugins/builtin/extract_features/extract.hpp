// The extract_features kernel: windowed per-item aggregates of events, one row per cohort row.
//
// Shared by the plugin, its tests and the feature benchmark (which times exactly this call).
// @code
//   FeatureSpec spec;  spec.on = "hadm_id"; spec.item = "itemid"; spec.value = "valuenum";
//   spec.window_start = -24 * 3600;  spec.aggregates = {Agg::kMean, Agg::kCount};
//   FeatureLog log;
//   Table features = extract_features(cohort, labs, spec, log);
// @endcode
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "table.hpp"

namespace clinflow::builtin::features {

/// One aggregate of an item's in-window values.
enum class Agg { kMin, kMax, kMean, kLast, kCount, kTimeSinceLast };

/// The aggregate's name in workflows and column names ("time_since_last").
const char* to_string(Agg agg);
/// The aggregate a name denotes; nullopt when unknown.
std::optional<Agg> agg_named(const std::string& name);

/// What to extract. Column names refer to the cohort (`on`, `keep`) and the events table.
struct FeatureSpec {
  std::string on;  ///< join column present in both tables
  std::string time = "charttime";
  std::string item = "itemid";      ///< long format: the item column
  std::string value = "valuenum";   ///< long format: the value column
  std::string unit;                 ///< long format: the unit column ("" = no unit column)
  std::vector<std::string> values;  ///< wide format: each column is an item (item/value unused)
  std::int64_t window_start =
      std::int64_t{-24} * 3600;  ///< seconds relative to the prediction time
  std::int64_t window_end = 0;   ///< seconds relative to the prediction time, <= 0
  std::vector<Agg> aggregates = {Agg::kMin, Agg::kMax, Agg::kMean, Agg::kLast, Agg::kCount};
  std::optional<std::vector<std::string>> items;  ///< explicit items (as text); else top_k
  std::int64_t top_k = 20;
  bool unit_harmonise = true;
  bool missing_indicators = true;
  std::string prefix = "f";
  std::vector<std::string> keep;
  std::string step = "extract_features";  ///< prefixes error messages
};

/// Counts for the step's log (never values).
struct FeatureLog {
  std::uint64_t events = 0;         ///< rows of the events table
  std::uint64_t not_in_cohort = 0;  ///< join key missing or not a cohort key
  std::uint64_t missing_time = 0;
  std::uint64_t missing_value = 0;     ///< item selected, value missing
  std::uint64_t other_items = 0;       ///< item not selected
  std::uint64_t after_prediction = 0;  ///< (event, row) pairs later than the prediction time
  std::uint64_t outside_window = 0;    ///< (event, row) pairs before the window (or after its end)
  std::uint64_t used = 0;  ///< values aggregated: (event, row) pairs; wide: (event, row, column)
  std::uint64_t rows_without_prediction_time = 0;
  std::uint64_t unitless_kept = 0;  ///< rows without a unit, taken as in the item's usual unit
  std::vector<std::string> lines;   ///< per-item notes (unit targets, dropped counts)
};

/// The cohort's role/key columns, `keep` columns and one column per (item, aggregate), plus
/// `<prefix>_<item>_missing` indicators; rows in cohort order, roles kept. Throws StepError
/// for bad parameters or columns (naming them, never a cell value).
Table extract_features(const Table& cohort, const Table& events, const FeatureSpec& spec,
                       FeatureLog& log);

}  // namespace clinflow::builtin::features
