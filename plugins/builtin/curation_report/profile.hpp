// The aggregates a curation report shows, computed once from the split parts with the
// small-cell rule already applied: the HTML and JSON writers only read published cells.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "small_cells.hpp"
#include "table.hpp"

namespace clinflow_curation_report {

using clinflow::builtin::ColumnType;
using clinflow::builtin::Table;

/// One part (train, test...): its size and its label counts.
struct PartProfile {
  std::string name;
  Cell rows, patients;  ///< patients: only when the patient role is set
  bool has_patients = false;
  bool has_label = false;
  Cell positives, negatives, unlabelled;  ///< label == 1, label == 0, label missing
  /// positives / (positives + negatives), or nullopt when a needed cell is hidden.
  std::optional<double> prevalence() const;
};

/// How a column is summarised.
enum class FeatureKind {
  kNumeric,      ///< histogram over shared bins
  kCategorical,  ///< proportions per category
  kTimestamp,    ///< missingness only (dates are not plotted)
  kIdentifier,   ///< missingness only: all-distinct integers, or strings with mostly distinct
                 ///< values (ids, pseudonyms, free text)
};
const char* to_string(FeatureKind kind);

/// One feature across all parts; every vector is indexed by part first.
struct FeatureProfile {
  std::string name;
  ColumnType type = ColumnType::kFloat;
  FeatureKind kind = FeatureKind::kNumeric;
  std::vector<Cell> missing;  ///< per part
  /// kNumeric: bins + 1 edges shared by all parts; the first and the last bin are open-ended
  /// (values below edges[0] count in bin 0, values above edges.back() in the last bin).
  std::vector<double> edges;
  /// kCategorical: category names with at least min_cell rows over all parts, most frequent
  /// first; rarer ones are pooled (unnamed) in a last "(other)" entry when there are any.
  std::vector<std::string> categories;
  std::vector<std::vector<Cell>> counts;  ///< [part][bin or category]
  /// Cell count / part rows, or nullopt when hidden.
  std::optional<double> fraction(const Cell& cell, const PartProfile& part) const;
};

struct ProfileOptions {
  std::string label_column;           ///< empty: no label summary
  std::vector<std::string> features;  ///< the columns to summarise, in report order
  int bins = 20;                      ///< at most; fewer when the smallest part is small
  std::int64_t min_cell = 10;
  std::size_t max_categories = 12;  ///< named categories per feature (more go to "(other)")
};

struct Profile {
  std::vector<PartProfile> parts;
  std::vector<FeatureProfile> features;
  std::int64_t suppressed_cells = 0;  ///< cells hidden by the small-cell rule
};

/// Label of the pooled rare categories.
inline constexpr const char* kOtherCategory = "(other)";

/// Summarises the parts (same columns, same types); `names` label them. Throws StepError when a
/// feature column is absent from a part or its type differs between parts.
Profile build_profile(const std::vector<Table>& parts, const std::vector<std::string>& names,
                      const ProfileOptions& options, const std::string& step);

/// The default feature list: every column of `table` except those a role names and `label`.
std::vector<std::string> default_features(const Table& table, const std::string& label);

}  // namespace clinflow_curation_report
