// Inline SVG charts of the curation report. Plain strings, no scripts, no external references;
// every number is printed with a fixed count of decimals so the bytes are reproducible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "attrition.hpp"
#include "profile.hpp"

namespace clinflow_curation_report {

/// Text safe inside HTML/SVG elements and attribute values.
std::string escape_html(std::string_view text);
/// A number with `decimals` digits after the point ("%.*f").
std::string fixed(double value, int decimals);
/// A count as shown: the number, or "<min_cell" when the small-cell rule hides it.
std::string shown_count(const Cell& cell, std::int64_t min_cell);
/// The colour of part `index` (stable across all charts).
const char* part_colour(std::size_t index);

/// An invisible SVG holding the hatch pattern (id "hidden-hatch") the charts use for hidden
/// cells; put it once near the top of the document.
std::string defs_svg();
/// Horizontal bars: rows left after each attrition stage, relative to the initial rows.
std::string attrition_svg(const Attrition& attrition);
/// One row of cells per part, one column per feature, shaded by the missing fraction.
std::string missingness_svg(const Profile& profile, std::int64_t min_cell);
/// Overlaid per-part histograms on the shared bins (share of each part's rows per bin).
std::string histogram_svg(const FeatureProfile& feature, const std::vector<PartProfile>& parts,
                          std::int64_t min_cell);
/// Grouped bars: share of each part's rows per category.
std::string categories_svg(const FeatureProfile& feature, const std::vector<PartProfile>& parts,
                           std::int64_t min_cell);

}  // namespace clinflow_curation_report
