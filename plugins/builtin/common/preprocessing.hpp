// Fitted imputation and scaling: statistics learnt on one table, applied to others.
//
// The "preprocessing" artifact is JSON (canonical: fixed key order, shortest round-trip
// numbers), e.g.
// @code
//   {"format":"clinflow.preprocessing","version":1,"impute":"median","scale":"standard",
//    "fitted_rows":812,"columns":[{"name":"lab_50912_mean","observed":640,"impute":1.1,
//    "mean":1.42,"sd":1.37}, ...]}
// @endcode
// `observed` counts the non-missing cells the statistics come from; impute/mean/sd are null
// when not used. A column with no observed value imputes 0; a column whose sd is 0 (or that has
// fewer than 2 observed values) gets sd 1, so it is centred but not scaled.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "table.hpp"

namespace clinflow::builtin::preprocess {

/// The artifact type of fitted preprocessing.
inline constexpr const char* kArtifactType = "preprocessing";

enum class Impute { kMedian, kMean, kZero, kNone };
enum class Scale { kStandard, kNone };

struct ColumnStats {
  std::string name;
  std::uint64_t observed = 0;
  std::optional<double> impute;    ///< value for missing cells (nullopt: leave missing)
  std::optional<double> mean, sd;  ///< standard scaling (nullopt: no scaling)
};

struct Preprocessing {
  Impute impute = Impute::kMedian;
  Scale scale = Scale::kStandard;
  std::uint64_t fitted_rows = 0;
  std::vector<ColumnStats> columns;
};

std::optional<Impute> impute_named(const std::string& name);
std::optional<Scale> scale_named(const std::string& name);

/// Numeric (integer or float) columns that are neither role columns nor identifiers (names
/// ending in "id" or "_nbr") nor missingness indicators (ending in "_missing").
std::vector<std::string> default_columns(const Table& table);

/// Learns the statistics of `columns` on `table`; a missing or text column is a StepError.
Preprocessing fit(const Table& table, const std::vector<std::string>& columns, Impute impute,
                  Scale scale);

/// Applies `prep` to a copy of `table`: each listed column becomes a float column (same
/// position), missing cells imputed, then (x - mean) / sd. Throws StepError naming a column the
/// table lacks.
Table apply(const Preprocessing& prep, Table table);

std::string to_json(const Preprocessing& prep);
/// Parses the artifact; throws StepError naming `source` when it is not one.
Preprocessing from_json(const std::string& text, const std::string& source);

}  // namespace clinflow::builtin::preprocess
