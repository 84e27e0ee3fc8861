// The outcomes label() computes: one label per stay and the time the outcome became known.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "table.hpp"

namespace clinflow_label {

/// The outcomes label() knows, in the order the manifest lists them.
inline const std::vector<std::string> kOutcomes = {"in_hospital_death", "death_within",
                                                   "readmission_within", "los_over", "expression"};

/// What the outcome computation needs besides the cohort.
struct OutcomeRequest {
  std::string outcome;       ///< one of kOutcomes
  std::int64_t horizon = 0;  ///< seconds (death_within, readmission_within, los_over)
  const clinflow::builtin::Table* admissions = nullptr;  ///< all admissions (readmission_within)
  const clinflow::Value* where = nullptr;                ///< the condition (expression)
};

/// Per stay: the label (0/1, kMissingInt when the outcome is unknown) and when the outcome became
/// known (a timestamp; kMissingInt when it is not known before the end of follow-up).
struct OutcomeValues {
  std::vector<std::int64_t> label;
  std::vector<std::int64_t> known_at;
};

/// Computes the outcome for every row of `cohort`; `prediction_time` (timestamps, one per row,
/// kMissingInt allowed) anchors the time windows. Throws StepError naming a missing column.
OutcomeValues compute_outcome(const clinflow::builtin::Table& cohort,
                              const std::vector<std::int64_t>& prediction_time,
                              const OutcomeRequest& request);

}  // namespace clinflow_label
