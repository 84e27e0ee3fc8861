// Implementation notes: AUROC sorts once (O(n log n)) and gives tied scores their average rank,
// so it equals the pair count with ties as one half exactly (up to rounding); the sort is by
// (score, row) so the order, and the sums, do not depend on the sort algorithm.
#include "group_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace clinflow_subgroup_gaps {

double auroc(const std::vector<double>& score, const std::vector<int>& label) {
  const std::size_t n = score.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return score[a] < score[b] || (score[a] == score[b] && a < b);
  });
  double positive_rank_sum = 0, positives = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && score[order[j]] == score[order[i]]) ++j;
    const double average_rank = (double(i + 1) + double(j)) / 2;  // ranks i+1 .. j
    for (std::size_t k = i; k < j; ++k)
      if (label[order[k]] == 1) positive_rank_sum += average_rank, positives += 1;
    i = j;
  }
  const double negatives = double(n) - positives;
  if (positives == 0 || negatives == 0) return NAN;
  return (positive_rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

GroupMetrics group_metrics(const std::vector<double>& score, const std::vector<int>& label,
                           double threshold) {
  GroupMetrics m;
  m.rows = score.size();
  double loss = 0, predicted = 0, true_positives = 0, false_positives = 0;
  for (std::size_t i = 0; i < score.size(); ++i) {
    const double p = std::clamp(score[i], 1e-15, 1 - 1e-15);
    const bool positive = label[i] == 1;
    loss -= positive ? std::log(p) : std::log1p(-p);
    predicted += score[i];
    m.positives += positive;
    if (score[i] >= threshold) (positive ? true_positives : false_positives) += 1;
  }
  const double n = double(m.rows), pos = double(m.positives), neg = n - pos;
  m.log_loss = loss / n;
  m.mean_predicted = predicted / n;
  m.observed_rate = pos / n;
  m.tpr = pos > 0 ? true_positives / pos : NAN;
  m.fpr = neg > 0 ? false_positives / neg : NAN;
  m.auroc = auroc(score, label);
  return m;
}

}  // namespace clinflow_subgroup_gaps
