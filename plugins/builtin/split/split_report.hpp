// The split's own safety check (patient-disjoint parts) and its report.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "table.hpp"

namespace clinflow_split {

/// One output part: its name ("train") and table.
struct NamedPart {
  std::string name;
  const clinflow::builtin::Table* table = nullptr;
};

/// Distinct patients per part. Throws StepError when any patient id occurs in two parts:
/// checked on the output tables themselves, so it holds whatever the assignment did.
std::vector<std::size_t> verify_patient_disjoint(const std::vector<NamedPart>& parts,
                                                 const std::string& patient_column);

/// {"by", "parts": {name: {rows, patients, positives, prevalence}}, "patient_disjoint": 1,
///  "removed_for_disjointness", "seed"}; positives and prevalence are null without a label.
nlohmann::ordered_json split_report(const std::string& by, const std::vector<NamedPart>& parts,
                                    const std::vector<std::size_t>& patients,
                                    const std::string& label_column, std::size_t removed,
                                    std::uint64_t seed);

}  // namespace clinflow_split
