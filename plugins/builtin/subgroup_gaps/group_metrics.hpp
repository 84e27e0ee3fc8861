// Metrics of one group's scores against its 0/1 labels: AUROC, log loss, calibration in the
// large, and error rates at a threshold. Plain functions, so tests can check them directly.
#pragma once

#include <cstddef>
#include <vector>

namespace clinflow_subgroup_gaps {

struct GroupMetrics {
  std::size_t rows = 0, positives = 0;
  double auroc = 0;           ///< NaN without both classes
  double log_loss = 0;        ///< mean, scores clipped to [1e-15, 1 - 1e-15]
  double mean_predicted = 0;  ///< mean score
  double observed_rate = 0;   ///< positives / rows
  double tpr = 0;             ///< of positives, share with score >= threshold (NaN: none)
  double fpr = 0;             ///< of negatives, share with score >= threshold (NaN: none)
};

/// AUROC by the Mann-Whitney rank sum (ties count one half): the probability that a random
/// positive scores above a random negative. NaN when either class is absent.
double auroc(const std::vector<double>& score, const std::vector<int>& label);

/// All metrics of one group; `score` in [0, 1], `label` 0/1, same length, not empty.
GroupMetrics group_metrics(const std::vector<double>& score, const std::vector<int>& label,
                           double threshold);

}  // namespace clinflow_subgroup_gaps
