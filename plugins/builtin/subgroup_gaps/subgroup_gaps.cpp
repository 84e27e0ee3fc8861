// subgroup_gaps: how a model's scores differ between groups (race, hospital): per group AUROC,
// log loss, calibration in the large and error rates at a threshold, and the gaps between the
// best and the worst group. Aggregates only.
//
// Implementation notes: small counts never appear. A group with fewer than 10 rows, or without
// events (or without non-events), is flagged and gets no metrics and no place in the gaps. A
// group whose positives or negatives number 1 to 9 keeps its rates but its counts (rows,
// positives) are hidden: with the row count, a rate would give the small count back. The full
// evaluation (bootstrap intervals, curves) is `evaluate`'s job; this stays small.
#include <clinflow/plugin.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "csv.hpp"
#include "design.hpp"
#include "group_metrics.hpp"
#include "row_groups.hpp"
#include "table.hpp"

namespace clinflow_subgroup_gaps {

using namespace clinflow;
using namespace clinflow::builtin;
using Json = nlohmann::json;

inline constexpr std::size_t kMinCount = 10;

namespace {

Json number_or_null(double v) {
  return std::isfinite(v) ? Json(v) : Json(nullptr);
}

/// max - min of the finite values; null with fewer than two.
Json spread(const std::vector<double>& values) {
  double lo = INFINITY, hi = -INFINITY;
  std::size_t count = 0;
  for (double v : values)
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v), ++count;
  return count >= 2 ? Json(hi - lo) : Json(nullptr);
}

std::vector<double> scores(const Table& table, const std::string& name, const std::string& step) {
  const Column& column = table.column(name, step);
  if (column.type != ColumnType::kFloat)
    throw StepError(step + ": score column '" + name + "' must be float (predict's `risk`)");
  std::size_t bad = 0, first = 0;
  for (std::size_t r = 0; r < column.size(); ++r) {
    const double v = column.floats[r];
    if (!(v >= 0 && v <= 1) && bad++ == 0) first = r;
  }
  if (bad > 0)
    throw StepError(step + ": score column '" + name + "': " + std::to_string(bad) +
                    " row(s) missing or outside [0, 1] (first at row " + std::to_string(first) +
                    ")");
  return column.floats;
}

}  // namespace

class SubgroupGaps final : public StepType {
 public:
  SubgroupGaps() {
    manifest_.name = "subgroup_gaps";
    manifest_.version = "0.1.0";
    manifest_.summary = "Per-group AUROC, log loss, calibration, TPR/FPR and the gaps between";
    manifest_.doc =
        "subgroup_gaps(scored, group: race, score: risk, threshold: 0.5) -> metrics: per group\n"
        "rows, positives, auroc, log_loss, mean_predicted, observed_rate,\n"
        "calibration_in_the_large (mean_predicted - observed_rate), tpr and fpr (score >=\n"
        "threshold counts as positive); gaps.auroc / tpr / fpr / calibration = max - min over the\n"
        "evaluated groups. Groups with < 10 rows or without events (or non-events) are flagged\n"
        "(`flag`) and not evaluated; counts of 1-9 are never shown (null), and a group with 1-9\n"
        "positives or negatives shows rates but no counts. groups: [a, b] uses the intersection;\n"
        "without either, the group role. The label role is the outcome.";
    ParamSpec score = optional_param("score", ParamType::kSymbol, Symbol{"risk"},
                                     "The score column (predict's risk).");
    ParamSpec group = optional_param("group", ParamType::kSymbol, Value(), "The group column.");
    ParamSpec groups = list_param("groups", ParamType::kSymbol, Value(),
                                  "Several group columns: their intersection is the group.");
    ParamSpec threshold = optional_param("threshold", ParamType::kFloat, 0.5,
                                         "Scores at or above it count as predicted positive.");
    threshold.min = 0;
    threshold.max = 1;
    manifest_.params = {score, group, groups, threshold};
    manifest_.inputs = {PortSpec{"scored", types::kTable, "A scored table (predict).", false}};
    PortSpec out{"metrics", types::kMetrics, "Per-group metrics and gaps (JSON).", false};
    out.aggregate_only = true;
    manifest_.outputs = {out};
    manifest_.metrics = {"groups_evaluated", "groups_flagged", "gaps.*", "groups.*"};
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const std::string step = "subgroup_gaps";
    const Table table = input_table(inputs, 0, step);
    const std::vector<std::string> group_param = symbol_list(param(params, manifest_, "group"));
    const std::vector<std::string> columns =
        group_columns(table, group_param.empty() ? std::string() : group_param.front(),
                      symbol_list(param(params, manifest_, "groups")), step);
    const std::string score_name = symbol_list(param(params, manifest_, "score")).front();
    const double threshold = param(params, manifest_, "threshold").number();
    const std::vector<double> score = scores(table, score_name, step);
    const Eigen::VectorXd y = labels(table, step);
    const RowGroups groups = row_groups(table, columns, step);

    std::vector<std::vector<double>> group_score(groups.names.size());
    std::vector<std::vector<int>> group_label(groups.names.size());
    for (std::size_t r = 0; r < score.size(); ++r) {
      const std::size_t g = std::size_t(groups.of_row[r]);
      group_score[g].push_back(score[r]);
      group_label[g].push_back(y(Eigen::Index(r)) == 1 ? 1 : 0);
    }
    Json by_group = Json::object();
    std::vector<double> aurocs, tprs, fprs, calibrations;
    std::size_t flagged = 0;
    for (std::size_t g = 0; g < groups.names.size(); ++g) {
      const GroupMetrics m = group_metrics(group_score[g], group_label[g], threshold);
      const std::size_t negatives = m.rows - m.positives;
      const char* flag = m.rows < kMinCount ? "fewer than 10 rows"
                         : m.positives == 0 ? "no events"
                         : negatives == 0   ? "no non-events"
                                            : nullptr;
      const bool small_class = m.positives < kMinCount || negatives < kMinCount;
      Json entry = {
          {"rows", !flag && small_class  ? Json(nullptr)
                   : m.rows >= kMinCount ? Json(m.rows)
                                         : Json(nullptr)},
          {"positives", small_class && m.positives > 0 ? Json(nullptr) : Json(m.positives)},
          {"flag", flag ? Json(flag) : Json(nullptr)}};
      if (flag) {
        ++flagged;
      } else {
        const double calibration = m.mean_predicted - m.observed_rate;
        entry.update({{"auroc", number_or_null(m.auroc)},
                      {"log_loss", m.log_loss},
                      {"mean_predicted", m.mean_predicted},
                      {"observed_rate", m.observed_rate},
                      {"calibration_in_the_large", calibration},
                      {"tpr", number_or_null(m.tpr)},
                      {"fpr", number_or_null(m.fpr)}});
        aurocs.push_back(m.auroc), tprs.push_back(m.tpr), fprs.push_back(m.fpr);
        calibrations.push_back(calibration);
      }
      by_group[groups.names[g]] = entry;
    }
    const Json out = {{"score", score_name},
                      {"threshold", threshold},
                      {"group_columns", columns},
                      {"groups_evaluated", groups.names.size() - flagged},
                      {"groups_flagged", flagged},
                      {"gaps",
                       {{"auroc", spread(aurocs)},
                        {"tpr", spread(tprs)},
                        {"fpr", spread(fprs)},
                        {"calibration", spread(calibrations)}}},
                      {"groups", by_group}};
    ctx.log(step + ": " + std::to_string(groups.names.size() - flagged) + " groups evaluated, " +
            std::to_string(flagged) + " flagged; AUROC gap " + out["gaps"]["auroc"].dump());
    return {Artifact{types::kMetrics, out.dump()}};
  }
};

}  // namespace clinflow_subgroup_gaps

CLINFLOW_PLUGIN_STEPS(clinflow_subgroup_gaps::SubgroupGaps)
