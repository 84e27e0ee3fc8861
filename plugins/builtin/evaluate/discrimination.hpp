// Rank metrics over a ScoredSet with integer row weights (1, or bootstrap multiplicities).
//
// AUROC counts, over (positive, negative) pairs, 1 when the positive scores higher and 1/2 on
// a tie (the Mann-Whitney statistic; equals the trapezoidal area under the ROC curve). The
// pair count is accumulated in 64-bit integers, so the value is exact and independent of
// summation order. Average precision is scikit-learn's definition: sum over distinct
// thresholds, highest first, of (recall_k - recall_{k-1}) * precision_k (no interpolation).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "scored_set.hpp"

namespace clinflow::builtin::eval {

constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();

/// NaN when there is no positive or no negative weight.
template <class Weight>
double auroc(const ScoredSet& s, Weight weight) {
  std::uint64_t pos_before = 0, neg_total = 0;
  std::uint64_t pos_tie = 0, neg_tie = 0;
  // Twice the count of concordant pairs plus ties, kept as an exact integer: at most n^2 / 2,
  // which fits 64 bits for any n below 6e9 rows (weights sum to n).
  std::uint64_t twice_pairs = 0;
  const std::size_t n = s.size();
  const std::uint8_t* flags = s.flags.data();
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t w = weight(i);
    const std::uint64_t is_pos = flags[i] & kPositive;
    pos_tie += w * is_pos;
    neg_tie += w * (1 - is_pos);
    if (flags[i] & kLastOfTie) {
      twice_pairs += neg_tie * (2 * pos_before + pos_tie);
      pos_before += pos_tie;
      neg_total += neg_tie;
      pos_tie = neg_tie = 0;
    }
  }
  if (pos_before == 0 || neg_total == 0) return kUndefined;
  return static_cast<double>(twice_pairs) /
         (2.0 * static_cast<double>(pos_before) * static_cast<double>(neg_total));
}

/// NaN when there is no positive weight.
template <class Weight>
double average_precision(const ScoredSet& s, Weight weight) {
  std::uint64_t tp = 0, fp = 0, positives = 0;
  for (std::size_t i = 0; i < s.size(); ++i) positives += weight(i) * (s.flags[i] & kPositive);
  if (positives == 0) return kUndefined;
  double ap = 0;
  std::uint64_t tp_before = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::uint64_t w = weight(i);
    if (s.positive(i))
      tp += w;
    else
      fp += w;
    if ((s.flags[i] & kLastOfTie) && tp + fp > 0) {
      ap += double(tp - tp_before) / double(positives) * (double(tp) / double(tp + fp));
      tp_before = tp;
    }
  }
  return ap;
}

/// Weighted counts of the 2x2 table when "score >= threshold" is an alert.
struct Confusion {
  double tp = 0, fp = 0, tn = 0, fn = 0;
  double total() const { return tp + fp + tn + fn; }
  double sensitivity() const { return ratio(tp, tp + fn); }
  double specificity() const { return ratio(tn, tn + fp); }
  double ppv() const { return ratio(tp, tp + fp); }
  double npv() const { return ratio(tn, tn + fn); }
  double alert_rate() const { return ratio(tp + fp, total()); }
  /// Vickers & Elkin 2006: TP/n - FP/n * t / (1 - t).
  double net_benefit(double threshold) const {
    return (tp - fp * threshold / (1 - threshold)) / total();
  }
  /// Treat everyone: prevalence - (1 - prevalence) * t / (1 - t).
  double treat_all_net_benefit(double threshold) const {
    return ((tp + fn) - (fp + tn) * threshold / (1 - threshold)) / total();
  }
  static double ratio(double a, double b) { return b > 0 ? a / b : kUndefined; }
};

/// One Confusion per threshold (any order; each in [0, 1]), in one pass over the sorted rows.
template <class Weight>
std::vector<Confusion> confusions(const ScoredSet& s, Weight weight,
                                  const std::vector<double>& thresholds) {
  std::vector<Confusion> out(thresholds.size());
  double positives = 0, negatives = 0;
  for (std::size_t i = 0; i < s.size(); ++i) (s.positive(i) ? positives : negatives) += weight(i);
  // Thresholds visited from the highest; rows with score >= t are alerts.
  std::vector<std::size_t> order(thresholds.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return thresholds[a] > thresholds[b]; });
  std::size_t i = 0;
  double tp = 0, fp = 0;
  for (std::size_t k : order) {
    for (; i < s.size() && s.score[i] >= thresholds[k]; ++i) (s.positive(i) ? tp : fp) += weight(i);
    out[k].tp = tp;
    out[k].fp = fp;
    out[k].fn = positives - tp;
    out[k].tn = negatives - fp;
  }
  return out;
}

}  // namespace clinflow::builtin::eval
