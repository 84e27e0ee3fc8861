// The HTML page of the curation report: one file, inline CSS and SVG, no script, no link out.
#include "report.hpp"
#include "svg.hpp"

namespace clinflow_curation_report {

namespace {

constexpr const char* kStyle =
    "body{font-family:sans-serif;margin:2em auto;max-width:70em;color:#222}"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}"
    "h3{font-size:1em;margin:1.2em 0 .3em}table{border-collapse:collapse;margin:.5em 0}"
    "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
    "td:first-child,th:first-child{text-align:left}.note{color:#555;font-size:.9em}"
    "svg text{font-size:11px;fill:#333}svg text.value{font-size:8px}.legend "
    "span{display:inline-block;width:1em;height:1em;"
    "margin:0 .3em 0 1em;vertical-align:middle}.feature{display:inline-block;margin-right:1.5em;"
    "vertical-align:top}.kind{color:#777;font-weight:normal}";

std::string percent_or_hidden(const std::optional<double>& x, const Cell& c, std::int64_t m) {
  return x ? fixed(100.0 * *x, 1) + "%" : shown_count(c, m);
}

std::string attrition_section(const Report& r) {
  std::string h =
      "<h2>Cohort attrition</h2>\n<table><tr><th>Stage</th><th>Kind</th><th>Rows</th>"
      "<th>Patients</th><th>Excluded rows</th></tr>\n";
  for (const AttritionStage& s : r.attrition->stages) {
    const bool end = s.kind.empty();
    h += "<tr class=\"attrition-row\"><td>" + escape_html(s.criterion) + "</td><td>" +
         escape_html(s.kind) + "</td><td>" + std::to_string(s.rows) + "</td><td>" +
         std::to_string(s.patients) + "</td><td>" + (end ? "" : std::to_string(s.excluded)) +
         "</td></tr>\n";
  }
  return h + "</table>\n" + attrition_svg(*r.attrition) + "\n";
}

std::string legend(const Profile& p) {
  std::string h = "<p class=\"legend\">";
  for (std::size_t i = 0; i < p.parts.size(); ++i)
    h += std::string("<span style=\"background:") + part_colour(i) + "\"></span>" +
         escape_html(p.parts[i].name);
  return h + "</p>\n";
}

std::string parts_section(const Report& r) {
  const Profile& p = *r.profile;
  std::string h = "<h2>Parts and label prevalence</h2>\n";
  h += r.label.empty() ? "<p class=\"note\">No label column: prevalence not shown.</p>\n"
                       : "<p class=\"note\">Label column: " + escape_html(r.label) + "</p>\n";
  h += "<table><tr><th>Part</th><th>Rows</th><th>Patients</th><th>Positives</th>"
       "<th>Negatives</th><th>Unlabelled</th><th>Prevalence</th></tr>\n";
  for (const PartProfile& part : p.parts) {
    auto c = [&](const Cell& cell, bool has) { return has ? shown_count(cell, r.min_cell) : ""; };
    const auto prevalence = part.prevalence();
    h += "<tr><td>" + escape_html(part.name) + "</td><td>" + c(part.rows, true) + "</td><td>" +
         c(part.patients, part.has_patients) + "</td><td>" + c(part.positives, part.has_label) +
         "</td><td>" + c(part.negatives, part.has_label) + "</td><td>" +
         c(part.unlabelled, part.has_label) + "</td><td>" +
         (prevalence       ? fixed(100.0 * *prevalence, 1) + "%"
          : part.has_label ? "hidden"
                           : "") +
         "</td></tr>\n";
  }
  return h + "</table>\n" + legend(p);
}

std::string missingness_section(const Report& r) {
  const Profile& p = *r.profile;
  std::string h = "<h2>Missingness</h2>\n" + missingness_svg(p, r.min_cell) +
                  "\n<table><tr><th>#</th><th>Feature</th><th>Type</th>";
  for (const PartProfile& part : p.parts) h += "<th>" + escape_html(part.name) + "</th>";
  h += "</tr>\n";
  for (std::size_t i = 0; i < p.features.size(); ++i) {
    const FeatureProfile& f = p.features[i];
    h += "<tr><td>" + std::to_string(i + 1) + "</td><td>" + escape_html(f.name) + "</td><td>" +
         clinflow::to_string(f.type) + "</td>";
    for (std::size_t k = 0; k < p.parts.size(); ++k)
      h += "<td>" +
           percent_or_hidden(f.fraction(f.missing[k], p.parts[k]), f.missing[k], r.min_cell) +
           "</td>";
    h += "</tr>\n";
  }
  return h + "</table>\n";
}

std::string distributions_section(const Report& r) {
  const Profile& p = *r.profile;
  std::string h = "<h2>Distributions per part</h2>\n" + legend(p);
  std::size_t shown = 0, left_out = 0;
  for (std::size_t i = 0; i < p.features.size(); ++i) {
    const FeatureProfile& f = p.features[i];
    if (!r.plotted[i]) {
      left_out += f.kind == FeatureKind::kNumeric || f.kind == FeatureKind::kCategorical;
      continue;
    }
    ++shown;
    h += "<div class=\"feature\"><h3>" + escape_html(f.name) + " <span class=\"kind\">(" +
         to_string(f.kind) + ")</span></h3>\n" +
         (f.kind == FeatureKind::kNumeric ? histogram_svg(f, p.parts, r.min_cell)
                                          : categories_svg(f, p.parts, r.min_cell)) +
         "</div>\n";
  }
  if (shown == 0) h += "<p class=\"note\">No numeric or categorical feature.</p>\n";
  if (left_out > 0)
    h += "<p class=\"note\">" + std::to_string(left_out) +
         " more features are not plotted here; all are in the JSON file.</p>\n";
  return h;
}

}  // namespace

std::vector<bool> choose_plotted(const Profile& profile, std::size_t max_plotted) {
  std::vector<bool> plotted;
  std::size_t n = 0;
  for (const FeatureProfile& f : profile.features) {
    const bool plottable = f.kind == FeatureKind::kNumeric || f.kind == FeatureKind::kCategorical;
    plotted.push_back(plottable && n < max_plotted);
    n += plotted.back();
  }
  return plotted;
}

std::string small_cell_rule(std::int64_t m) {
  const std::string n = std::to_string(m), below = std::to_string(m - 1);
  return "Every count from 1 to " + below + " is hidden (shown as <" + n +
         ", null in JSON), with any share computed from it; when a part's counts that add up to "
         "its published rows (missing + bins, missing + categories, positives + negatives + "
         "unlabelled) have exactly one hidden cell, the smallest other non-zero cell is hidden "
         "too. Parts with fewer than " +
         n + " rows show nothing. Categories with fewer than " + n +
         " rows over all parts are pooled unnamed into (other). Attrition counts are "
         "repeated as the cohort step published them.";
}

std::string report_html(const Report& r) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
                  escape_html(r.title) + "</title>\n<style>" + kStyle +
                  "</style>\n</head>\n<body>\n";
  h += defs_svg() + "\n<h1>" + escape_html(r.title) + "</h1>\n";
  h += "<p class=\"note\">Aggregates only, made by the clinflow curation_report step. "
       "Small-cell rule: " +
       escape_html(small_cell_rule(r.min_cell)) + "</p>\n";
  h += attrition_section(r) + parts_section(r) + missingness_section(r) + distributions_section(r);
  return h + "</body>\n</html>\n";
}

}  // namespace clinflow_curation_report
