// The JSON twin of the curation report. Hidden cells are null; the attrition input is repeated
// unchanged; nlohmann::ordered_json keeps the documented member order, so bytes are stable.
#include "report.hpp"

namespace clinflow_curation_report {

namespace {

using Json = nlohmann::ordered_json;

Json cell(const Cell& c) {
  return c.hidden ? Json(nullptr) : Json(c.count);
}
Json maybe(const std::optional<double>& x) {
  return x ? Json(*x) : Json(nullptr);
}

Json part_json(const PartProfile& p) {
  Json j = {{"name", p.name}, {"rows", cell(p.rows)}};
  if (p.has_patients) j["patients"] = cell(p.patients);
  if (p.has_label) {
    j["positives"] = cell(p.positives);
    j["negatives"] = cell(p.negatives);
    j["unlabelled"] = cell(p.unlabelled);
    j["prevalence"] = maybe(p.prevalence());
  }
  return j;
}

Json counts_json(const FeatureProfile& f) {
  Json counts = Json::array();
  for (const auto& part : f.counts) {
    Json row = Json::array();
    for (const Cell& c : part) row.push_back(cell(c));
    counts.push_back(row);
  }
  return counts;
}

Json feature_json(const FeatureProfile& f, const std::vector<PartProfile>& parts, bool plotted) {
  Json missing = Json::array(), fraction = Json::array();
  for (std::size_t p = 0; p < parts.size(); ++p) {
    missing.push_back(cell(f.missing[p]));
    fraction.push_back(maybe(f.fraction(f.missing[p], parts[p])));
  }
  Json j = {{"name", f.name},
            {"type", clinflow::to_string(f.type)},
            {"kind", to_string(f.kind)},
            {"plotted", plotted},
            {"missing", missing},
            {"missing_fraction", fraction}};
  if (f.kind == FeatureKind::kNumeric)
    j["histogram"] = {{"edges", f.edges}, {"open_ended", true}, {"counts", counts_json(f)}};
  if (f.kind == FeatureKind::kCategorical)
    j["categories"] = {{"values", f.categories}, {"counts", counts_json(f)}};
  return j;
}

}  // namespace

Json report_json(const Report& r) {
  Json parts = Json::array(), features = Json::array();
  for (const PartProfile& p : r.profile->parts) parts.push_back(part_json(p));
  for (std::size_t i = 0; i < r.profile->features.size(); ++i)
    features.push_back(feature_json(r.profile->features[i], r.profile->parts, r.plotted[i]));
  return Json{{"schema", "clinflow.curation_report/1"},
              {"title", r.title},
              {"small_cells",
               {{"min_cell", r.min_cell},
                {"rule", small_cell_rule(r.min_cell)},
                {"suppressed_cells", r.profile->suppressed_cells}}},
              {"attrition", r.attrition->raw},
              {"label", r.label.empty() ? Json(nullptr) : Json(r.label)},
              {"parts", parts},
              {"features", features}};
}

}  // namespace clinflow_curation_report
