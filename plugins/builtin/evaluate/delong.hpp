// DeLong, DeLong & Clarke-Pearson (1988), "Comparing the areas under two or more correlated
// receiver operating characteristic curves: a nonparametric approach", Biometrics 44:837-845:
// the variance of the empirical AUROC from its structural components, computed in one pass
// over the sorted scores (the midrank form of Sun & Xu 2014, IEEE SPL 21:1389-1393).
#pragma once

#include "scored_set.hpp"

namespace clinflow::builtin::eval {

struct DelongResult {
  double auroc;
  double variance;
  double lower;  ///< auroc -/+ z(0.975) * sqrt(variance), clipped to [0, 1]
  double upper;
};

/// Needs at least two positives and two negatives; otherwise every field is NaN.
DelongResult delong(const ScoredSet& s);

/// z with P(Z <= z) = 0.975 for a standard normal Z.
constexpr double kZ975 = 1.959963984540054;

}  // namespace clinflow::builtin::eval
