// Cohort selection bookkeeping: which rows are still in, patient counts, the attrition table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "table.hpp"

namespace clinflow_select_cohort {

/// Rows still in the cohort: one flag per row of the joined table.
using Alive = std::vector<std::uint8_t>;

/// One line of the attrition table: the counts left after a criterion.
struct AttritionStep {
  std::string criterion;  ///< the DSL text, e.g. "age >= 18"
  std::string kind;       ///< "include", "exclude" or "first_stay_per_patient"
  std::size_t rows = 0, patients = 0, excluded = 0;
};

/// Counts before and after every criterion.
struct Attrition {
  std::size_t initial_rows = 0, initial_patients = 0;
  std::vector<AttritionStep> steps;
  std::size_t final_rows = 0, final_patients = 0;
};

/// Rows and distinct non-missing patients among the alive rows.
std::size_t count_rows(const Alive& alive);
std::size_t count_patients(const clinflow::builtin::Column& patient, const Alive& alive);

/// Keeps each patient's earliest alive row by `admit_time` (missing last), ties broken by the
/// smallest `stay`, then by row order. Rows without a patient are dropped.
void keep_first_stay(const clinflow::builtin::Column& patient,
                     const clinflow::builtin::Column& admit_time,
                     const clinflow::builtin::Column& stay, Alive& alive);

/// The attrition metrics JSON: {"initial": {"rows", "patients"}, "criteria": [{"criterion",
/// "kind", "rows", "patients", "excluded"}], "final": {"rows", "patients"}}.
std::string attrition_json(const Attrition& attrition);

}  // namespace clinflow_select_cohort
