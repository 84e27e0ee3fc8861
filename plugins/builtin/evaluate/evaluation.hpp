// The evaluation of one model on one data part, as the JSON document the `evaluate` step
// outputs (schema "clinflow.evaluation/1", documented in the step's manifest and in
// docs below). Separate from the plugin so tests call it on fixed prediction sets.
//
// Top-level members are what `require` lines read: `require eval.auroc.lower >= 0.70`.
//   auroc, auprc, brier, log_loss, calibration_intercept, calibration_slope, ece:
//       {"value", "lower", "upper", "defined"}: the point estimate, the 95% cluster-bootstrap
//       percentile interval over the replicates in which the metric is defined, and how many
//       those were (a calibration slope is undefined in a replicate whose risks separate the
//       outcomes; a PPV in one without alerts); bounds are null without bootstrap;
//   auroc_delong: {"value", "lower", "upper", "variance"} (DeLong et al. 1988);
//   rows, patients, positives, prevalence;
//   bootstrap: {"replicates", "defined", "seed", "unit": "patient" | "row"};
//   reliability: [{"lower", "upper", "rows", "mean_predicted", "observed"}] (equal-width bins);
//   thresholds: [{"threshold", "sensitivity", "specificity", "ppv", "npv", "alert_rate",
//       "net_benefit"}], each metric {"value", "lower", "upper"}; an alert is risk >= threshold;
//   decision_curve: [{"threshold", "model", "treat_all", "treat_none"}] net benefit
//       (Vickers & Elkin 2006) over the threshold grid.
// Undefined values (a PPV without alerts, an AUROC without events) are null, never 0.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "scored_set.hpp"

namespace clinflow::builtin::eval {

struct EvaluationSettings {
  std::size_t replicates = 1000;  ///< 0: no bootstrap (intervals null, DeLong still given)
  std::uint64_t seed = 0;
  std::vector<double> thresholds{0.1, 0.2, 0.3, 0.5};
  double curve_from = 0.01, curve_to = 0.5, curve_step = 0.01;
  int bins = 10;
  bool clustered = true;  ///< false: every row is its own cluster ("unit": "row")
};

/// `s` must hold risks in [0, 1] (require_probabilities). Deterministic for the settings,
/// whatever the number of threads.
nlohmann::ordered_json evaluate(const ScoredSet& s, const EvaluationSettings& settings);

}  // namespace clinflow::builtin::eval
