// The two files a curation report writes: one self-contained HTML page and its JSON twin.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "attrition.hpp"
#include "profile.hpp"

namespace clinflow_curation_report {

/// Everything both writers read.
struct Report {
  std::string title;
  std::string label;  ///< label column ("" when none)
  std::int64_t min_cell = 10;
  const Attrition* attrition = nullptr;
  const Profile* profile = nullptr;
  std::vector<bool> plotted;  ///< per feature: drawn in the HTML
};

/// Marks the first `max_plotted` numeric or categorical features (in report order) as plotted.
std::vector<bool> choose_plotted(const Profile& profile, std::size_t max_plotted);

/// The small-cell rule in one sentence, for both files.
std::string small_cell_rule(std::int64_t min_cell);

/// The HTML page: inline CSS and SVG, no script, no external reference, no timestamp.
std::string report_html(const Report& report);

/// The JSON document (schema "clinflow.curation_report/1", documented in the manifest).
nlohmann::ordered_json report_json(const Report& report);

}  // namespace clinflow_curation_report
