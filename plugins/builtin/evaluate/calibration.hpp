// Probability metrics over a ScoredSet whose scores are predicted risks in [0, 1], with integer
// row weights as in discrimination.hpp.
//
// Log loss clips risks to [eps, 1 - eps] with eps = 2^-52, scikit-learn's choice for float64.
// Calibration follows Steyerberg's "Clinical Prediction Models": the calibration intercept
// (calibration-in-the-large) is a in logit P(y) = a + logit(p), the slope is b in
// logit P(y) = a' + b logit(p), both maximum-likelihood fits. The reliability curve and the
// expected calibration error use equal-width bins whose edges and boundary rule are those of
// scikit-learn's calibration_curve(strategy="uniform"): a risk equal to an inner edge falls in
// the lower bin.
#pragma once

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <vector>

#include "discrimination.hpp"

namespace clinflow::builtin::eval {

/// Throws std::invalid_argument naming the first sorted row whose score is not in [0, 1].
void require_probabilities(const ScoredSet& s);

inline double clipped_logit(double p) {
  const double q = std::clamp(p, DBL_EPSILON, 1 - DBL_EPSILON);
  return std::log(q / (1 - q));
}

inline double sigmoid(double z) {
  if (z >= 0) return 1 / (1 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1 + e);
}

template <class Weight>
double brier(const ScoredSet& s, Weight weight) {
  double sum = 0, total = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double w = weight(i);
    const double e = s.score[i] - (s.positive(i) ? 1.0 : 0.0);
    sum += w * e * e;
    total += w;
  }
  return total > 0 ? sum / total : kUndefined;
}

template <class Weight>
double log_loss(const ScoredSet& s, Weight weight) {
  double sum = 0, total = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double w = weight(i);
    const double p = std::clamp(s.score[i], DBL_EPSILON, 1 - DBL_EPSILON);
    sum -= w * (s.positive(i) ? std::log(p) : std::log1p(-p));
    total += w;
  }
  return total > 0 ? sum / total : kUndefined;
}

struct Recalibration {
  double intercept = kUndefined;
  double slope = kUndefined;
};

/// True when the logits `x` separate the outcomes (every event at or above every non-event, or
/// the reverse): the slope's maximum-likelihood estimate is then infinite, and Newton's method
/// would only stop at some huge number, so the slope is undefined instead.
template <class Weight>
bool separated(const ScoredSet& s, Weight weight, const std::vector<double>& x) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double min_pos = kInf, max_pos = -kInf, min_neg = kInf, max_neg = -kInf;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (weight(i) == 0) continue;
    double& lo = s.positive(i) ? min_pos : min_neg;
    double& hi = s.positive(i) ? max_pos : max_neg;
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
  return max_neg <= min_pos || max_pos <= min_neg;
}

/// Maximum likelihood of logit P(y) = a + b * logit(risk), with b fixed when `fit_slope` is
/// false. Newton's method from `start`, one pass over the rows per iteration (log-likelihood,
/// gradient and Hessian together), halving a step that lowers the likelihood, so risks of
/// exactly 0 or 1 (logit +/-36) cannot make it diverge. NaN without both outcomes.
template <class Weight>
Recalibration recalibrate(const ScoredSet& s, Weight weight, bool fit_slope,
                          Recalibration start = {0.0, 1.0}) {
  std::vector<double> x(s.size());
  double pos = 0, neg = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    x[i] = clipped_logit(s.score[i]);
    (s.positive(i) ? pos : neg) += weight(i);
  }
  if (pos == 0 || neg == 0) return {};
  if (fit_slope && separated(s, weight, x)) return {};
  struct Pass {
    double ll = 0, ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
  };
  const auto pass = [&](double a, double b) {
    Pass p;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const double w = weight(i);
      if (w == 0) continue;
      const double z = a + b * x[i];
      const double t = s.positive(i) ? z : -z;  // log-likelihood term: log sigmoid(t)
      const double e = std::exp(-std::abs(t));
      p.ll -= w * (std::max(-t, 0.0) + std::log1p(e));
      const double q = z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z));
      const double r = w * ((s.positive(i) ? 1.0 : 0.0) - q);
      const double d = w * q * (1 - q);
      p.ga += r;
      p.gb += r * x[i];
      p.haa += d;
      p.hab += d * x[i];
      p.hbb += d * x[i] * x[i];
    }
    return p;
  };
  double a = start.intercept, b = fit_slope ? start.slope : 1.0;
  Pass here = pass(a, b);
  for (int iter = 0; iter < 100; ++iter) {
    double da = 0, db = 0;
    if (fit_slope) {
      const double det = here.haa * here.hbb - here.hab * here.hab;
      if (!(det > 0)) return {};
      da = (here.hbb * here.ga - here.hab * here.gb) / det;
      db = (here.haa * here.gb - here.hab * here.ga) / det;
    } else {
      if (!(here.haa > 0)) return {};
      da = here.ga / here.haa;
    }
    Pass next = pass(a + da, b + db);
    for (int halvings = 0; !(next.ll >= here.ll) && halvings < 60; ++halvings) {
      da *= 0.5;
      db *= 0.5;
      next = pass(a + da, b + db);
    }
    a += da;
    b += db;
    here = next;
    if (!std::isfinite(a) || !std::isfinite(b)) return {};
    if (std::abs(da) <= 1e-13 * (1 + std::abs(a)) && std::abs(db) <= 1e-13 * (1 + std::abs(b)))
      break;
  }
  return {a, b};
}

/// Calibration-in-the-large: a with the slope fixed at 1.
template <class Weight>
double calibration_intercept(const ScoredSet& s, Weight weight, double start = 0) {
  return recalibrate(s, weight, false, {start, 1.0}).intercept;
}

/// Logistic recalibration: intercept and slope.
template <class Weight>
Recalibration calibration_slope(const ScoredSet& s, Weight weight,
                                Recalibration start = {0.0, 1.0}) {
  return recalibrate(s, weight, true, start);
}

struct ReliabilityBin {
  double lower = 0, upper = 0;
  double weight = 0;  ///< rows in the bin (weighted)
  double mean_predicted = kUndefined;
  double observed = kUndefined;  ///< event rate
};

/// Inner edge k of `bins` equal-width bins, computed as numpy.linspace does.
inline double bin_edge(int k, int bins) {
  return k == bins ? 1.0 : double(k) * (1.0 / bins);
}

template <class Weight>
std::vector<ReliabilityBin> reliability(const ScoredSet& s, Weight weight, int bins) {
  std::vector<ReliabilityBin> out(std::size_t(std::max(bins, 1)));
  std::vector<double> sum_p(out.size()), sum_y(out.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Index = number of inner edges strictly below the risk (numpy.searchsorted, side "left").
    int k = std::clamp(int(std::ceil(s.score[i] * bins)) - 1, 0, bins - 1);
    while (k > 0 && !(bin_edge(k, bins) < s.score[i])) --k;
    while (k + 1 < bins && bin_edge(k + 1, bins) < s.score[i]) ++k;
    const double w = weight(i);
    out[std::size_t(k)].weight += w;
    sum_p[std::size_t(k)] += w * s.score[i];
    sum_y[std::size_t(k)] += s.positive(i) ? w : 0;
  }
  for (std::size_t k = 0; k < out.size(); ++k) {
    out[k].lower = bin_edge(int(k), bins);
    out[k].upper = bin_edge(int(k) + 1, bins);
    if (out[k].weight > 0) {
      out[k].mean_predicted = sum_p[k] / out[k].weight;
      out[k].observed = sum_y[k] / out[k].weight;
    }
  }
  return out;
}

/// Expected calibration error: sum over bins of (bin share) * |mean risk - event rate|.
inline double expected_calibration_error(const std::vector<ReliabilityBin>& bins) {
  double total = 0, sum = 0;
  for (const ReliabilityBin& b : bins) total += b.weight;
  if (total <= 0) return kUndefined;
  for (const ReliabilityBin& b : bins)
    if (b.weight > 0) sum += b.weight / total * std::abs(b.mean_predicted - b.observed);
  return sum;
}

}  // namespace clinflow::builtin::eval
