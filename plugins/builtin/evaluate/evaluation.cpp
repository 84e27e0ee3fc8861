// Implementation notes: every replicate computes every metric from the same cluster draws, so
// the intervals of different metrics come from the same resamples. A replicate in which a
// metric is undefined (no event drawn) is left out of that metric's interval only; how many
// replicates defined AUROC is reported.
#include "evaluation.hpp"

#include <cmath>

#include "bootstrap.hpp"
#include "calibration.hpp"
#include "delong.hpp"
#include "discrimination.hpp"

namespace clinflow::builtin::eval {
namespace {

using json = nlohmann::ordered_json;

json number(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

json estimate(double value, const std::vector<double>& replicates) {
  json out = {{"value", number(value)}, {"lower", nullptr}, {"upper", nullptr}};
  if (replicates.empty()) return out;
  const Interval ci = percentile_interval(replicates);
  out["lower"] = number(ci.lower);
  out["upper"] = number(ci.upper);
  out["defined"] = ci.used;  // replicates in which the metric exists (a slope needs overlap)
  return out;
}

std::vector<double> curve_grid(const EvaluationSettings& s) {
  std::vector<double> grid;
  // Integer steps so the grid has no accumulated rounding: from + k * step.
  for (int k = 0;; ++k) {
    // Rounded to 12 decimals so 0.01 * 7 prints as 0.07, not 0.06999999999999999.
    const double t = std::round((s.curve_from + k * s.curve_step) * 1e12) / 1e12;
    if (t > s.curve_to + 1e-12 || k > 100000) break;
    grid.push_back(t);
  }
  return grid;
}

/// The scalar metrics of one weighting, in a fixed order.
/// kSlopeIntercept (the intercept of the slope fit) is kept only to warm-start replicates.
enum Scalar {
  kAuroc,
  kAuprc,
  kBrier,
  kLogLoss,
  kIntercept,
  kSlope,
  kEce,
  kSlopeIntercept,
  kScalars
};
constexpr int kReported = kSlopeIntercept;
constexpr const char* kScalarNames[kReported] = {
    "auroc", "auprc", "brier", "log_loss", "calibration_intercept", "calibration_slope", "ece"};

/// Per threshold: sensitivity, specificity, ppv, npv, alert rate, net benefit.
constexpr int kPerThreshold = 6;
constexpr const char* kThresholdNames[kPerThreshold] = {"sensitivity", "specificity", "ppv", "npv",
                                                        "alert_rate",  "net_benefit"};

/// `start` holds the point estimates, from which replicates start their calibration fits.
template <class Weight>
std::vector<double> all_metrics(const ScoredSet& s, Weight w, const EvaluationSettings& settings,
                                const std::vector<double>* start = nullptr) {
  std::vector<double> m(kScalars + kPerThreshold * settings.thresholds.size());
  m[kAuroc] = auroc(s, w);
  m[kAuprc] = average_precision(s, w);
  m[kBrier] = brier(s, w);
  m[kLogLoss] = log_loss(s, w);
  const bool warm = start && std::isfinite((*start)[kIntercept]) && std::isfinite((*start)[kSlope]);
  m[kIntercept] = calibration_intercept(s, w, warm ? (*start)[kIntercept] : 0.0);
  const Recalibration fit = calibration_slope(
      s, w,
      warm ? Recalibration{(*start)[kSlopeIntercept], (*start)[kSlope]} : Recalibration{0.0, 1.0});
  m[kSlope] = fit.slope;
  m[kSlopeIntercept] = fit.intercept;
  m[kEce] = expected_calibration_error(reliability(s, w, settings.bins));
  const std::vector<Confusion> c = confusions(s, w, settings.thresholds);
  for (std::size_t k = 0; k < c.size(); ++k) {
    double* out = &m[kScalars + kPerThreshold * k];
    out[0] = c[k].sensitivity();
    out[1] = c[k].specificity();
    out[2] = c[k].ppv();
    out[3] = c[k].npv();
    out[4] = c[k].alert_rate();
    out[5] = c[k].net_benefit(settings.thresholds[k]);
  }
  return m;
}

}  // namespace

json evaluate(const ScoredSet& s, const EvaluationSettings& settings) {
  require_probabilities(s);
  const std::vector<double> point = all_metrics(s, UnitWeight{}, settings);
  // replicates[r] holds every metric of replicate r; transposed below per metric.
  std::vector<std::vector<double>> replicates(settings.replicates);
  for_each_replicate(s, settings.replicates, settings.seed,
                     [&](std::size_t r, const ClusterWeight& w) {
                       replicates[r] = all_metrics(s, w, settings, &point);
                     });
  const auto column = [&](std::size_t metric) {
    std::vector<double> v;
    v.reserve(replicates.size());
    for (const auto& r : replicates) v.push_back(r[metric]);
    return v;
  };
  json out;
  out["schema"] = "clinflow.evaluation/1";
  out["rows"] = s.size();
  out["patients"] = s.clusters;
  out["positives"] = s.positives;
  out["prevalence"] = number(s.size() ? double(s.positives) / double(s.size()) : NAN);
  std::size_t defined = 0;
  for (const auto& r : replicates) defined += std::isfinite(r[kAuroc]) ? 1 : 0;
  out["bootstrap"] = {{"replicates", settings.replicates},
                      {"defined", defined},
                      {"seed", settings.seed},
                      {"unit", settings.clustered ? "patient" : "row"}};
  for (int k = 0; k < kReported; ++k)
    out[kScalarNames[k]] = estimate(point[std::size_t(k)], column(std::size_t(k)));
  const DelongResult d = delong(s);
  out["auroc_delong"] = {{"value", number(d.auroc)},
                         {"lower", number(d.lower)},
                         {"upper", number(d.upper)},
                         {"variance", number(d.variance)}};
  json bins = json::array();
  for (const ReliabilityBin& b : reliability(s, UnitWeight{}, settings.bins))
    bins.push_back({{"lower", b.lower},
                    {"upper", b.upper},
                    {"rows", b.weight},
                    {"mean_predicted", number(b.mean_predicted)},
                    {"observed", number(b.observed)}});
  out["reliability"] = bins;
  json thresholds = json::array();
  for (std::size_t k = 0; k < settings.thresholds.size(); ++k) {
    json t = {{"threshold", settings.thresholds[k]}};
    for (int j = 0; j < kPerThreshold; ++j) {
      const std::size_t metric = kScalars + kPerThreshold * k + std::size_t(j);
      t[kThresholdNames[j]] = estimate(point[metric], column(metric));
    }
    thresholds.push_back(t);
  }
  out["thresholds"] = thresholds;
  const std::vector<double> grid = curve_grid(settings);
  const std::vector<Confusion> c = confusions(s, UnitWeight{}, grid);
  json curve = json::array();
  for (std::size_t k = 0; k < grid.size(); ++k)
    curve.push_back({{"threshold", grid[k]},
                     {"model", number(c[k].net_benefit(grid[k]))},
                     {"treat_all", number(c[k].treat_all_net_benefit(grid[k]))},
                     {"treat_none", 0.0}});
  out["decision_curve"] = curve;
  return out;
}

}  // namespace clinflow::builtin::eval
