// clinflow privacy accountant: Rényi differential privacy (RDP) of the Poisson-subsampled
// Gaussian mechanism, composition over mechanisms, and conversion to (epsilon, delta)-DP.
//
// The same header serves the compiler's budget check and the DP training plugins, so a workflow
// is refused at check time with exactly the epsilon that training will later report.
//
// @code
//   clinflow::DpMechanism sgd{.noise_multiplier = 1.1, .sampling_rate = 256.0 / 60000,
//                             .steps = 14063};
//   double eps = clinflow::rdp::epsilon({sgd}, 1e-5);  // improved conversion: about 2.6
// @endcode
//
// Implementation notes. RDP follows Mironov, Talwar, Zhang 2019 ("Rényi Differential Privacy of
// the Sampled Gaussian Mechanism", Sec. 3.3): for an integer order the binomial expansion of
// A_alpha is summed exactly; for a fractional order the two-sided series of that paper is summed
// until its terms fall below e^-30 (A_alpha >= 1, so that is negligible). Everything is in log
// space (log-sum-exp, a tail-safe log erfc), so sigma down to ~0.1 and orders up to 256 stay
// finite. When the alternating fractional series cannot be summed reliably, the value at the
// next integer order is used instead: RDP is non-decreasing in the order, so this is a valid
// (slightly loose) upper bound, never an underestimate.
#pragma once

#include <algorithm>
#include <clinflow/plugin.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace clinflow::rdp {

/// How RDP is turned into (epsilon, delta)-DP.
enum class ConversionMethod {
  /// Balle et al. 2020 (Thm 21) / Canonne, Kamath, Steinke 2020 (Prop 12), as used by Opacus
  /// and Google's dp_accounting. The default:
  ///   eps = rdp + log((alpha-1)/alpha) - (log(delta) + log(alpha))/(alpha-1).
  kImproved,
  /// Mironov 2017 (Prop 3), used by TF-Privacy before 2020:
  ///   eps = rdp + log(1/delta)/(alpha-1).
  kClassic,
};

/// Rényi orders the accountant minimises over: 1.25..10 in steps of 0.25, 11..64, 128, 256.
inline std::vector<double> default_orders();

/// RDP of one mechanism (subsampled Gaussian, rate q, noise sigma, composed m.steps times) at
/// each order. q = 1 gives steps * alpha / (2 sigma^2); q = 0 or steps = 0 gives 0; sigma = 0
/// with q > 0 gives infinity. Throws std::invalid_argument for sigma < 0, q outside [0, 1],
/// steps < 0, or an order that is not a finite number > 1.
inline std::vector<double> mechanism_rdp(const DpMechanism& m, const std::vector<double>& orders);

/// The best (smallest) epsilon over the orders and the order that achieves it. When no order
/// gives a finite epsilon, epsilon is infinity and order is NaN.
struct Conversion {
  double epsilon;
  double order;
};

/// (epsilon, delta) from RDP values summed over mechanisms, minimised over orders; epsilon is
/// never below 0, and is 0 when some order's RDP r satisfies 1 - e^-r <= delta^2 (KL/total
/// variation bound, as in dp_accounting), e.g. for mechanisms that never touch the data. Throws
/// std::invalid_argument for delta outside (0, 1), mismatched or empty vectors, an order <= 1, or a
/// negative / NaN RDP value.
inline Conversion epsilon_from_rdp(const std::vector<double>& orders,
                                   const std::vector<double>& rdp, double delta,
                                   ConversionMethod method = ConversionMethod::kImproved);

/// Composes the mechanisms (RDP summed per order over default_orders()) and converts.
/// No mechanisms spend nothing: 0.
inline double epsilon(const std::vector<DpMechanism>& mechanisms, double delta,
                      ConversionMethod method = ConversionMethod::kImproved);

/// Smallest noise multiplier sigma with epsilon(sigma) <= target_epsilon, to within 1e-4
/// relative (the returned sigma always satisfies the target), by monotone bisection.
/// q = 0 or steps = 0 spend nothing and give 0. Throws std::invalid_argument for invalid inputs
/// or a target that needs a noise multiplier above 1e7 (finite orders put a floor of about 0.02
/// under epsilon until the RDP is small enough for the (0, delta) bound).
inline double calibrate_noise_multiplier(double sampling_rate, std::int64_t steps,
                                         double target_epsilon, double delta,
                                         ConversionMethod method = ConversionMethod::kImproved);

// ------------------------------------------------------------------------------------------------

namespace detail {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

/// log(e^a + e^b) without overflow.
inline double log_add(double a, double b) {
  if (a < b) std::swap(a, b);
  if (b == -kInf) return a;
  return a + std::log1p(std::exp(b - a));
}

/// log(e^a - e^b); nullopt when the result would not be positive (a <= b).
inline std::optional<double> log_sub(double a, double b) {
  if (b == -kInf) return a;
  if (!(a > b)) return std::nullopt;
  return b + std::log(std::expm1(a - b));
}

/// log(erfc(x)), accurate far into the tail where erfc(x) itself underflows.
inline double log_erfc(double x) {
  if (x < 25.0) return std::log(std::erfc(x));
  // Asymptotic series erfc(x) ~ e^{-x^2} / (x sqrt(pi)) (1 - 1/(2x^2) + 3/(4x^4) - 15/(8x^6)):
  // for x >= 25 the first omitted term is below 1e-10.
  const double inv2 = 1.0 / (x * x);
  const double series = 1.0 - inv2 * (0.5 - inv2 * (0.75 - inv2 * 1.875));
  constexpr double kLogSqrtPi = 0.57236494292470008707;  // log(sqrt(pi))
  return -x * x - std::log(x) - kLogSqrtPi + std::log(series);
}

/// log A_alpha for integer alpha >= 2, 0 < q < 1: sum_i C(alpha,i) q^i (1-q)^(alpha-i)
/// exp((i^2 - i) / (2 sigma^2)).
inline double log_a_int(double q, double sigma, std::int64_t alpha) {
  const double a = static_cast<double>(alpha);
  const double log_q = std::log(q), log_1mq = std::log1p(-q), lg_alpha = std::lgamma(a + 1.0);
  const double inv_2s2 = 1.0 / (2.0 * sigma * sigma);
  double log_a = -kInf;
  for (std::int64_t i = 0; i <= alpha; ++i) {
    const double di = static_cast<double>(i);
    const double log_binom = lg_alpha - std::lgamma(di + 1.0) - std::lgamma(a - di + 1.0);
    const double term = log_binom + di * log_q + (a - di) * log_1mq + (di * di - di) * inv_2s2;
    log_a = log_add(log_a, term);
  }
  return log_a;
}

/// log A_alpha for fractional alpha, 0 < q < 1: the series of Mironov, Talwar, Zhang 2019,
/// split at z0 where the two mixture components' densities cross. nullopt if the alternating
/// tail did not sum cleanly (rounding made a partial sum non-positive, or no convergence).
inline std::optional<double> log_a_frac(double q, double sigma, double alpha) {
  const double log_q = std::log(q), log_1mq = std::log1p(-q);
  const double inv_2s2 = 1.0 / (2.0 * sigma * sigma), inv_sqrt2s = 1.0 / (std::sqrt(2.0) * sigma);
  const double z0 = sigma * sigma * (log_1mq - log_q) + 0.5;
  const double log_half = std::log(0.5);
  double log_a0 = -kInf, log_a1 = -kInf;
  double log_coef = 0.0;  // log |C(alpha, i)|, updated by the ratio (alpha - i) / (i + 1)
  bool positive = true;   // sign of C(alpha, i)
  for (int i = 0; i < 100000; ++i) {
    const double j = alpha - i;
    const double log_t0 = log_coef + i * log_q + j * log_1mq;
    const double log_t1 = log_coef + j * log_q + i * log_1mq;
    const double log_e0 = log_half + log_erfc((i - z0) * inv_sqrt2s);
    const double log_e1 = log_half + log_erfc((z0 - j) * inv_sqrt2s);
    const double log_s0 = log_t0 + (1.0 * i * i - i) * inv_2s2 + log_e0;
    const double log_s1 = log_t1 + (j * j - j) * inv_2s2 + log_e1;
    if (positive) {
      log_a0 = log_add(log_a0, log_s0);
      log_a1 = log_add(log_a1, log_s1);
    } else {
      const auto a0 = log_sub(log_a0, log_s0), a1 = log_sub(log_a1, log_s1);
      if (!a0 || !a1) return std::nullopt;
      log_a0 = *a0;
      log_a1 = *a1;
    }
    // Past the peak (i > alpha) and both terms negligible against A_alpha >= 1: done.
    if (i > alpha && std::max(log_s0, log_s1) < -30.0) return log_add(log_a0, log_a1);
    const double ratio = alpha - i;
    log_coef += std::log(std::abs(ratio)) - std::log(i + 1.0);
    if (ratio < 0) positive = !positive;
  }
  return std::nullopt;
}

/// RDP of one step of the subsampled Gaussian at one order (validated inputs, 0 < q).
inline double step_rdp(double q, double sigma, double alpha) {
  if (sigma == 0) return kInf;
  if (q == 1.0) return alpha / (2.0 * sigma * sigma);
  double log_a;
  if (std::floor(alpha) == alpha) {
    log_a = log_a_int(q, sigma, static_cast<std::int64_t>(alpha));
  } else if (const auto frac = log_a_frac(q, sigma, alpha)) {
    log_a = *frac;
  } else {
    const double upper = std::ceil(alpha);  // monotone in the order: a safe upper bound
    return std::max(0.0, log_a_int(q, sigma, static_cast<std::int64_t>(upper)) / (upper - 1.0));
  }
  // A_alpha >= 1 exactly; with a lot of noise rounding can leave log A a hair below 0.
  return std::max(0.0, log_a / (alpha - 1.0));
}

/// A number for an error message ("1e-05", "-0.25", "nan").
inline std::string num(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", x);
  return buffer;
}

inline void check_order(double alpha) {
  if (!(std::isfinite(alpha) && alpha > 1.0)) {
    throw std::invalid_argument("clinflow: error: Rényi order must be a finite number > 1, got " +
                                num(alpha));
  }
}

inline void check_delta(double delta) {
  if (!(delta > 0.0 && delta < 1.0)) {
    throw std::invalid_argument("clinflow: error: privacy delta must be in (0, 1), got " +
                                num(delta));
  }
}

inline void check_mechanism(double sigma, double q, std::int64_t steps) {
  if (!(sigma >= 0.0) || std::isinf(sigma)) {
    throw std::invalid_argument(
        "clinflow: error: noise multiplier must be a finite number >= 0, got " + num(sigma));
  }
  if (!(q >= 0.0 && q <= 1.0)) {
    throw std::invalid_argument("clinflow: error: sampling rate must be in [0, 1], got " + num(q));
  }
  if (steps < 0) {
    throw std::invalid_argument("clinflow: error: number of steps must be >= 0, got " +
                                std::to_string(steps));
  }
}

}  // namespace detail

inline std::vector<double> default_orders() {
  std::vector<double> orders;
  for (int k = 5; k <= 40; ++k) orders.push_back(0.25 * k);  // 1.25 .. 10
  for (int a = 11; a <= 64; ++a) orders.push_back(a);
  orders.push_back(128);
  orders.push_back(256);
  return orders;
}

inline std::vector<double> mechanism_rdp(const DpMechanism& m, const std::vector<double>& orders) {
  const double q = m.sampling_rate, sigma = m.noise_multiplier;
  detail::check_mechanism(sigma, q, m.steps);
  for (double alpha : orders) detail::check_order(alpha);
  std::vector<double> rdp(orders.size(), 0.0);
  if (q == 0.0 || m.steps == 0) return rdp;
  for (std::size_t k = 0; k < orders.size(); ++k) {
    rdp[k] = detail::step_rdp(q, sigma, orders[k]) * static_cast<double>(m.steps);
  }
  return rdp;
}

inline Conversion epsilon_from_rdp(const std::vector<double>& orders,
                                   const std::vector<double>& rdp, double delta,
                                   ConversionMethod method) {
  detail::check_delta(delta);
  if (orders.empty() || orders.size() != rdp.size()) {
    throw std::invalid_argument("clinflow: error: RDP conversion needs one value per order (" +
                                std::to_string(orders.size()) + " orders, " +
                                std::to_string(rdp.size()) + " values)");
  }
  Conversion best{detail::kInf, std::numeric_limits<double>::quiet_NaN()};
  const double log_delta = std::log(delta);
  for (std::size_t k = 0; k < orders.size(); ++k) {
    const double a = orders[k], r = rdp[k];
    detail::check_order(a);
    if (!(r >= 0.0)) {
      throw std::invalid_argument("clinflow: error: RDP values must be >= 0, got " +
                                  detail::num(r));
    }
    double eps = method == ConversionMethod::kClassic
                     ? r - log_delta / (a - 1.0)
                     : r + std::log1p(-1.0 / a) - (log_delta + std::log(a)) / (a - 1.0);
    // Tiny RDP bounds KL (D_1 <= D_alpha), and total variation <= sqrt(1 - e^-KL) <= delta is
    // (0, delta)-DP outright; without this a mechanism that spends nothing (q = 0) would be
    // charged the conversion's floor. Same rule as Google's dp_accounting.
    if (delta * delta + std::expm1(-r) >= 0.0) eps = 0.0;
    if (eps < best.epsilon) best = {eps, a};
  }
  if (best.epsilon < 0.0) best.epsilon = 0.0;
  return best;
}

inline double epsilon(const std::vector<DpMechanism>& mechanisms, double delta,
                      ConversionMethod method) {
  detail::check_delta(delta);
  if (mechanisms.empty()) return 0.0;
  const std::vector<double> orders = default_orders();
  std::vector<double> total(orders.size(), 0.0);
  for (const DpMechanism& m : mechanisms) {
    const std::vector<double> rdp = mechanism_rdp(m, orders);
    for (std::size_t k = 0; k < orders.size(); ++k) total[k] += rdp[k];
  }
  return epsilon_from_rdp(orders, total, delta, method).epsilon;
}

inline double calibrate_noise_multiplier(double sampling_rate, std::int64_t steps,
                                         double target_epsilon, double delta,
                                         ConversionMethod method) {
  detail::check_mechanism(0.0, sampling_rate, steps);
  detail::check_delta(delta);
  if (!(target_epsilon > 0.0) || std::isinf(target_epsilon)) {
    throw std::invalid_argument(
        "clinflow: error: target epsilon must be a finite number > 0, got " +
        detail::num(target_epsilon));
  }
  if (sampling_rate == 0.0 || steps == 0) return 0.0;
  auto eps_at = [&](double sigma) {
    return epsilon({DpMechanism{sigma, sampling_rate, steps}}, delta, method);
  };
  // Bracket: eps(lo) > target >= eps(hi). epsilon is non-increasing in sigma.
  constexpr double kMaxSigma = 1e7;
  double lo = 0.0, hi = 1.0;
  while (eps_at(hi) > target_epsilon) {
    lo = hi;
    hi *= 2.0;
    if (hi > kMaxSigma) {
      throw std::invalid_argument("clinflow: error: privacy target epsilon " +
                                  detail::num(target_epsilon) + " cannot be reached at delta " +
                                  detail::num(delta) + " with a noise multiplier up to " +
                                  detail::num(kMaxSigma));
    }
  }
  if (lo == 0.0) {  // hi = 1 already meets the target: halve down to a failing sigma
    for (double s = 0.5; s > 1e-6; s *= 0.5) {
      if (eps_at(s) > target_epsilon) {
        lo = s;
        break;
      }
      hi = s;
    }
  }
  for (int it = 0; it < 200 && hi - lo > 1e-4 * hi; ++it) {
    const double mid = 0.5 * (lo + hi);
    (eps_at(mid) > target_epsilon ? lo : hi) = mid;
  }
  return hi;
}

}  // namespace clinflow::rdp
