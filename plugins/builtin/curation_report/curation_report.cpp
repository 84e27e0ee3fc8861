// curation_report: the curated cohort at a glance, as one HTML page and a JSON twin.
//
// Implementation notes: run() reads the attrition metrics and the split parts, computes every
// aggregate once (profile.cpp, where the small-cell rule is applied), then renders HTML and
// JSON from that one Profile, so the two files always agree. Both are written atomically; the
// step's own output is a small metrics object (rows and prevalence per part, feature counts),
// which makes the step cacheable and lets `require` lines check the report. The step exports,
// so the compiler refuses PHI-bearing inputs: feed it de-identified parts.
#include <clinflow/plugin.hpp>
#include <filesystem>

#include "attrition.hpp"
#include "csv.hpp"
#include "profile.hpp"
#include "report.hpp"
#include "table.hpp"

namespace clinflow_curation_report {

using namespace clinflow;
using namespace clinflow::builtin;

namespace {

constexpr const char* kStep = "curation_report";

constexpr const char* kDoc =
    "Writes a self-contained HTML report (`path`) and a JSON file (`json`, default: `path` with\n"
    "the extension .json) describing a curated cohort: the attrition table and funnel, rows,\n"
    "patients and label prevalence per part, missingness per feature per part (table and\n"
    "heat strip), and per-part distributions of each feature: overlaid histograms on bins\n"
    "shared by all parts for numbers (edges from the pooled 1st-99th percentiles, outer bins\n"
    "open-ended; at most `bins`, fewer when the smallest part is small: about 1.5 x min_cell\n"
    "values per bin, at least 4), proportions for categories. At most `max_features`\n"
    "features are plotted; all are in the JSON. Timestamps and identifiers (integers that\n"
    "are all distinct, strings with mostly distinct values) get missingness only. Role\n"
    "columns (patient, stay, label, prediction_time, ...) are not features.\n"
    "\n"
    "Inputs: the attrition metrics of select_cohort ({\"initial\": {rows, patients},\n"
    "\"criteria\": [{criterion, kind, rows, patients, excluded}], \"final\": {rows, patients}}),\n"
    "then one or more tables (the split parts), named by `parts` in the same order.\n"
    "\n"
    "Small-cell rule: every count from 1 to min_cell-1 is hidden (\"<10\" in HTML, null in\n"
    "JSON) with any share computed from it; when a part's counts that add up to its published\n"
    "rows (missing + bins, missing + categories, positives + negatives + unlabelled) have\n"
    "exactly one hidden cell, the smallest other non-zero cell is hidden too. Parts with fewer\n"
    "than min_cell rows show nothing; categories rarer than min_cell overall are pooled\n"
    "unnamed into \"(other)\". The output holds aggregates only.\n"
    "\n"
    "JSON (schema \"clinflow.curation_report/1\", members in this order):\n"
    "  schema, title,\n"
    "  small_cells: {min_cell, rule, suppressed_cells},\n"
    "  attrition: the attrition input, unchanged,\n"
    "  label: the label column or null,\n"
    "  parts: [{name, rows, patients?, positives?, negatives?, unlabelled?, prevalence?}]\n"
    "         (patients when the patient role is set; label counts when there is a label),\n"
    "  features: [{name, type, kind (numeric|categorical|timestamp|identifier), plotted,\n"
    "              missing: [count per part], missing_fraction: [per part],\n"
    "              histogram?: {edges, open_ended: true, counts: [[count per bin] per part]},\n"
    "              categories?: {values, counts: [[count per value] per part]}}]\n"
    "  Hidden counts and shares are null. Fractions are of the part's rows.\n"
    "\n"
    "Output: metrics {html, json, features, plotted_features, suppressed_cells,\n"
    "parts: {<name>: {rows, patients?, prevalence?}}}. The files hold no timestamp: the same\n"
    "inputs give the same bytes.";

/// An int parameter with a default and an inclusive range.
ParamSpec int_param(const char* name, std::int64_t value, double low, double high,
                    const char* doc) {
  ParamSpec p = optional_param(name, ParamType::kInt, value, doc);
  p.min = low;
  p.max = high;
  return p;
}

std::string text_param(const Params& params, const Manifest& m, const char* name) {
  const Value v = param(params, m, name);
  if (v.is_none()) return "";
  if (v.is<std::string>()) return v.as<std::string>();
  if (v.is<Symbol>()) return v.as<Symbol>().name;
  throw StepError(std::string(kStep) + ": '" + name + "' must be a string");
}

std::string default_json_path(const std::string& html) {
  return std::filesystem::path(html).replace_extension(".json").string();
}

}  // namespace

class CurationReport final : public StepType {
 public:
  CurationReport() {
    manifest_.name = kStep;
    manifest_.version = "0.1.0";
    manifest_.summary =
        "Write the curation report: attrition, prevalence, missingness, "
        "per-part distributions (HTML + JSON)";
    manifest_.doc = kDoc;
    manifest_.params = {
        required_param("path", ParamType::kString, "The HTML file to write."),
        optional_param("json", ParamType::kString, Value(),
                       "The JSON file (default: path with .json)."),
        optional_param("title", ParamType::kString, "Curation report", "Page title."),
        list_param("parts", ParamType::kSymbol, List{},
                   "Names of the part inputs, in order (default part1, ...)."),
        optional_param("labels", ParamType::kSymbol, Value(),
                       "The 0/1 label column (default: the tables' label role; none: no "
                       "prevalence)."),
        list_param("features", ParamType::kSymbol, List{},
                   "Columns to describe (default: all but role columns)."),
        int_param("max_features", 40, 1, 1000, "Features plotted in the HTML (all in JSON)."),
        int_param("bins", 20, 4, 200, "Most histogram bins (fewer for small parts)."),
        int_param("min_cell", 10, 5, 1000000, "Smallest count that is shown (small-cell rule)."),
    };
    PortSpec attrition{"attrition", types::kMetrics, "select_cohort's attrition counts.", false};
    PortSpec parts{"parts", types::kTable, "The parts (e.g. train, test), de-identified.", true};
    PortSpec summary{"summary", types::kMetrics, "What was written (aggregates only).", false};
    summary.aggregate_only = true;
    manifest_.inputs = {attrition, parts};
    manifest_.outputs = {summary};
    manifest_.metrics = {"html",   "json", "features", "plotted_features", "suppressed_cells",
                         "parts.*"};
    manifest_.safety.exports = true;
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    if (inputs.size() < 2)
      throw StepError(std::string(kStep) + ": needs the attrition input and at least one part");
    if (!inputs[0] || inputs[0]->type != types::kMetrics)
      throw StepError(std::string(kStep) + ": input 1 must be the attrition metrics");
    const Attrition attrition = parse_attrition(inputs[0]->bytes, kStep);
    std::vector<Table> parts;
    for (std::size_t i = 1; i < inputs.size(); ++i) parts.push_back(input_table(inputs, i, kStep));
    const std::vector<std::string> names = part_names(params, parts.size());

    ProfileOptions options;
    options.label_column = text_param(params, manifest_, "labels");
    if (options.label_column.empty())
      if (auto it = parts[0].roles.find(roles::kLabel); it != parts[0].roles.end())
        options.label_column = it->second;
    options.features = symbol_list(param(params, manifest_, "features"));
    if (options.features.empty())
      options.features = default_features(parts[0], options.label_column);
    options.bins = int(param(params, manifest_, "bins").as<std::int64_t>());
    options.min_cell = param(params, manifest_, "min_cell").as<std::int64_t>();
    const Profile profile = build_profile(parts, names, options, kStep);

    Report report;
    report.title = text_param(params, manifest_, "title");
    report.label = options.label_column;
    report.min_cell = options.min_cell;
    report.attrition = &attrition;
    report.profile = &profile;
    report.plotted = choose_plotted(
        profile, std::size_t(param(params, manifest_, "max_features").as<std::int64_t>()));

    const std::string html_path = text_param(params, manifest_, "path");
    std::string json_path = text_param(params, manifest_, "json");
    if (json_path.empty()) json_path = default_json_path(html_path);
    write_file_atomic(html_path, report_html(report));
    write_file_atomic(json_path, report_json(report).dump(1) + "\n");
    ctx.log(std::string(kStep) + ": wrote " + html_path + " and " + json_path + " (" +
            std::to_string(profile.features.size()) + " features, " +
            std::to_string(profile.suppressed_cells) + " small cells hidden)");
    return {Artifact{types::kMetrics, summary_json(report, html_path, json_path)}};
  }

 private:
  std::vector<std::string> part_names(const Params& params, std::size_t count) const {
    std::vector<std::string> names = symbol_list(param(params, manifest_, "parts"));
    if (names.empty())
      for (std::size_t i = 0; i < count; ++i) names.push_back("part" + std::to_string(i + 1));
    if (names.size() != count)
      throw StepError(std::string(kStep) + ": 'parts' names " + std::to_string(names.size()) +
                      " parts but " + std::to_string(count) + " tables were given");
    return names;
  }

  static std::string summary_json(const Report& r, const std::string& html,
                                  const std::string& json) {
    using Json = nlohmann::ordered_json;
    Json parts = Json::object();
    for (const PartProfile& p : r.profile->parts) {
      Json part = {{"rows", p.rows.hidden ? Json(nullptr) : Json(p.rows.count)}};
      if (p.has_patients)
        part["patients"] = p.patients.hidden ? Json(nullptr) : Json(p.patients.count);
      if (p.has_label) part["prevalence"] = p.prevalence() ? Json(*p.prevalence()) : Json(nullptr);
      parts[p.name] = part;
    }
    std::size_t plotted = 0;
    for (bool b : r.plotted) plotted += b;
    return Json{{"html", html},
                {"json", json},
                {"features", r.profile->features.size()},
                {"plotted_features", plotted},
                {"suppressed_cells", r.profile->suppressed_cells},
                {"parts", parts}}
        .dump();
  }
};

}  // namespace clinflow_curation_report

CLINFLOW_PLUGIN_STEPS(clinflow_curation_report::CurationReport)
