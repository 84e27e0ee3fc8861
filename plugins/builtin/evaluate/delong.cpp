// Each positive's component is the share of negatives it outranks (ties count 1/2), each
// negative's the share of positives that outrank it; rows in one group of tied scores share
// their components, so one pass over the tie groups gives both sums of squares.
#include "delong.hpp"

#include <algorithm>
#include <cmath>

#include "discrimination.hpp"

namespace clinflow::builtin::eval {

DelongResult delong(const ScoredSet& s) {
  const double P = double(s.positives), N = double(s.negatives());
  if (s.positives < 2 || s.negatives() < 2) return {kUndefined, kUndefined, kUndefined, kUndefined};
  // First pass: the AUROC (mean of the positive components), exactly as auroc() counts it.
  const double auc = auroc(s, UnitWeight{});
  double ss10 = 0, ss01 = 0, pos_before = 0, neg_before = 0, pos_tie = 0, neg_tie = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    (s.positive(i) ? pos_tie : neg_tie) += 1;
    if (!(s.flags[i] & kLastOfTie)) continue;
    const double v10 = (N - neg_before - 0.5 * neg_tie) / N;
    const double v01 = (pos_before + 0.5 * pos_tie) / P;
    ss10 += pos_tie * (v10 - auc) * (v10 - auc);
    ss01 += neg_tie * (v01 - auc) * (v01 - auc);
    pos_before += pos_tie;
    neg_before += neg_tie;
    pos_tie = neg_tie = 0;
  }
  const double variance = ss10 / (P - 1) / P + ss01 / (N - 1) / N;
  const double half = kZ975 * std::sqrt(variance);
  return {auc, variance, std::max(0.0, auc - half), std::min(1.0, auc + half)};
}

}  // namespace clinflow::builtin::eval
