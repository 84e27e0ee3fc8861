// The attrition input of the curation report: select_cohort's counts, read and checked.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace clinflow_curation_report {

struct AttritionStage {
  std::string criterion;  ///< "initial" / "final" for the ends
  std::string kind;       ///< include / exclude / first_stay_per_patient ... ("" for the ends)
  std::int64_t rows = 0, patients = 0;
  std::int64_t excluded = 0;  ///< rows removed by this criterion (0 for the ends)
};

/// Initial counts, one stage per criterion, final counts; `raw` is the input as parsed, which
/// the JSON report repeats unchanged.
struct Attrition {
  std::vector<AttritionStage> stages;  ///< initial, criteria..., final
  nlohmann::ordered_json raw;
};

/// Parses {"initial": {"rows", "patients"}, "criteria": [{"criterion", "kind", "rows",
/// "patients", "excluded"}], "final": {"rows", "patients"}}. Throws StepError naming the first
/// missing or mistyped member ("attrition.criteria[2].rows").
Attrition parse_attrition(const std::string& text, const std::string& step);

}  // namespace clinflow_curation_report
