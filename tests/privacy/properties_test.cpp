// Mathematical properties of the accountant that hold whatever the published figures say:
// monotonicity, the q = 1 closed form (and continuity towards it), composition additivity,
// agreement of the series with direct numerical integration, and finiteness at the extremes.
#include <boost/test/unit_test.hpp>
#include <clinflow/rdp.hpp>
#include <cmath>
#include <numbers>
#include <vector>

namespace {

using clinflow::DpMechanism;
using clinflow::rdp::ConversionMethod;
namespace rdp = clinflow::rdp;

double eps_of(double sigma, double q, std::int64_t steps, double delta = 1e-5) {
  return rdp::epsilon({DpMechanism{sigma, q, steps}}, delta);
}

/// log A_alpha = log E_{z~N(0,sigma^2)} [((1-q) + q exp((2z-1)/(2 sigma^2)))^alpha] by the
/// trapezoid rule on a wide grid, in log space. Independent of the series under test.
double log_a_by_quadrature(double q, double sigma, double alpha) {
  const double lo = -30 * sigma - 5, hi = 30 * sigma + 5 + 2 * alpha;
  const int n = 400000;
  const double h = (hi - lo) / n;
  std::vector<double> log_f(n + 1);
  double peak = -INFINITY;
  for (int k = 0; k <= n; ++k) {
    const double z = lo + k * h;
    const double log_density =
        -z * z / (2 * sigma * sigma) - std::log(sigma * std::sqrt(2 * std::numbers::pi));
    const double log_ratio =
        rdp::detail::log_add(std::log1p(-q), std::log(q) + (2 * z - 1) / (2 * sigma * sigma));
    log_f[k] = log_density + alpha * log_ratio;
    peak = std::max(peak, log_f[k]);
  }
  double sum = 0;
  for (int k = 0; k <= n; ++k) sum += (k == 0 || k == n ? 0.5 : 1.0) * std::exp(log_f[k] - peak);
  return peak + std::log(sum * h);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(properties)

BOOST_AUTO_TEST_CASE(epsilon_decreases_with_noise) {
  double previous = INFINITY;
  for (double sigma : {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 4.0, 10.0}) {
    const double eps = eps_of(sigma, 0.01, 1000);
    BOOST_TEST_CONTEXT("sigma " << sigma) {
      BOOST_CHECK_LT(eps, previous);
    }
    previous = eps;
  }
}

BOOST_AUTO_TEST_CASE(epsilon_increases_with_sampling_rate_and_steps) {
  double previous = 0;
  for (double q : {1e-5, 1e-4, 1e-3, 0.01, 0.1, 0.5, 0.9, 1.0}) {
    const double eps = eps_of(1.0, q, 100);
    BOOST_TEST_CONTEXT("q " << q) {
      BOOST_CHECK_GT(eps, previous);
    }
    previous = eps;
  }
  previous = 0;
  for (std::int64_t steps : {1, 10, 100, 1000, 10000, 100000}) {
    const double eps = eps_of(1.0, 0.01, steps);
    BOOST_TEST_CONTEXT("steps " << steps) {
      BOOST_CHECK_GT(eps, previous);
    }
    previous = eps;
  }
}

// Rényi divergence is non-decreasing in the order, so the integer (exact binomial) and
// fractional (series) branches must interleave consistently.
BOOST_AUTO_TEST_CASE(rdp_non_decreasing_in_order) {
  const auto orders = rdp::default_orders();
  for (DpMechanism m : {DpMechanism{0.3, 0.2, 1}, DpMechanism{1.0, 0.01, 1},
                        DpMechanism{5.0, 0.999, 1}, DpMechanism{100.0, 1e-7, 1}}) {
    const auto values = rdp::mechanism_rdp(m, orders);
    for (std::size_t k = 1; k < orders.size(); ++k) {
      BOOST_TEST_CONTEXT("sigma " << m.noise_multiplier << " q " << m.sampling_rate << " order "
                                  << orders[k]) {
        BOOST_CHECK_GE(values[k], values[k - 1] * (1 - 1e-12));
      }
    }
  }
}

// q = 1 is the plain Gaussian mechanism: steps * alpha / (2 sigma^2). The series for q just
// below 1 must approach it, for integer and fractional orders alike.
BOOST_AUTO_TEST_CASE(full_sampling_is_the_gaussian_closed_form) {
  const std::vector<double> orders{1.5, 2, 3.25, 8, 9.75, 32};
  for (double sigma : {0.7, 1.3, 4.0}) {
    const auto full = rdp::mechanism_rdp({sigma, 1.0, 7}, orders);
    const auto near = rdp::mechanism_rdp({sigma, 1.0 - 1e-9, 7}, orders);
    for (std::size_t k = 0; k < orders.size(); ++k) {
      BOOST_CHECK_CLOSE(full[k], 7 * orders[k] / (2 * sigma * sigma), 1e-10);
      BOOST_CHECK_CLOSE(near[k], full[k], 1e-4);
    }
  }
}

// With the classic conversion the optimum over a continuum of orders has a closed form:
// eps = 1/(2 sigma^2) + sqrt(2 log(1/delta)) / sigma at alpha = 1 + sigma sqrt(2 log(1/delta)).
BOOST_AUTO_TEST_CASE(gaussian_classic_conversion_closed_form) {
  std::vector<double> orders;
  for (int i = 1; i < 20000; ++i) orders.push_back(1 + 0.01 * i);
  for (double sigma : {1.0, 3.0, 10.0}) {
    const double delta = 1e-6, l = std::log(1 / delta);
    const auto c = rdp::epsilon_from_rdp(orders, rdp::mechanism_rdp({sigma, 1.0, 1}, orders), delta,
                                         ConversionMethod::kClassic);
    BOOST_CHECK_CLOSE(c.epsilon, 1 / (2 * sigma * sigma) + std::sqrt(2 * l) / sigma, 1e-3);
    BOOST_CHECK_CLOSE(c.order, 1 + sigma * std::sqrt(2 * l), 1.0);
  }
}

BOOST_AUTO_TEST_CASE(improved_conversion_is_tighter) {
  for (double sigma : {0.5, 1.0, 3.0}) {
    const DpMechanism m{sigma, 0.02, 500};
    BOOST_CHECK_LT(rdp::epsilon({m}, 1e-5), rdp::epsilon({m}, 1e-5, ConversionMethod::kClassic));
  }
}

BOOST_AUTO_TEST_CASE(composition_adds_rdp_per_order) {
  const auto orders = rdp::default_orders();
  const DpMechanism a{1.1, 0.004, 3000}, b{0.8, 0.05, 200};
  const auto ra = rdp::mechanism_rdp(a, orders), rb = rdp::mechanism_rdp(b, orders);
  std::vector<double> sum(orders.size());
  for (std::size_t k = 0; k < orders.size(); ++k) sum[k] = ra[k] + rb[k];
  const double composed = rdp::epsilon({a, b}, 1e-5);
  BOOST_CHECK_CLOSE(composed, rdp::epsilon_from_rdp(orders, sum, 1e-5).epsilon, 1e-10);
  BOOST_CHECK_GT(composed, std::max(rdp::epsilon({a}, 1e-5), rdp::epsilon({b}, 1e-5)));
  // Splitting a run into two parts changes nothing: RDP is linear in the step count.
  BOOST_CHECK_CLOSE(rdp::epsilon({{1.1, 0.004, 1000}, {1.1, 0.004, 2000}}, 1e-5),
                    rdp::epsilon({a}, 1e-5), 1e-9);
}

// The fractional-order series against brute-force quadrature of A_alpha.
BOOST_AUTO_TEST_CASE(fractional_series_matches_quadrature) {
  const double cases[][3] = {{0.01, 1.0, 2.5},  {0.04, 1.5, 9.75}, {0.5, 0.7, 3.5},
                             {0.99, 0.5, 2.25}, {0.2, 0.3, 1.25},  {0.1, 20.0, 20.5}};
  for (const auto& c : cases) {
    const double q = c[0], sigma = c[1], alpha = c[2];
    const double series = rdp::mechanism_rdp({sigma, q, 1}, {alpha})[0] * (alpha - 1);
    BOOST_TEST_CONTEXT("q " << q << " sigma " << sigma << " alpha " << alpha) {
      BOOST_CHECK_CLOSE(series, log_a_by_quadrature(q, sigma, alpha), 1e-5);
    }
  }
}

// No overflow or NaN for sigma in [0.3, 100], q in (0, 1], up to 1e7 steps.
BOOST_AUTO_TEST_CASE(finite_at_the_extremes) {
  for (double sigma : {0.3, 100.0}) {
    for (double q : {1e-7, 0.5, 0.999999, 1.0}) {
      const DpMechanism m{sigma, q, 10'000'000};
      BOOST_TEST_CONTEXT("sigma " << sigma << " q " << q) {
        for (double v : rdp::mechanism_rdp(m, rdp::default_orders())) {
          BOOST_CHECK(std::isfinite(v) && v > 0);
        }
        const double eps = rdp::epsilon({m}, 1e-5);  // 0 is right for sigma 100, q 1e-7
        BOOST_CHECK(std::isfinite(eps) && eps >= 0);
      }
    }
  }
}

// So much noise that the series' log A_alpha can round below 0: RDP must still be >= 0, and
// the (0, delta) bound applies.
BOOST_AUTO_TEST_CASE(huge_noise_is_free) {
  for (double sigma : {1e4, 1e6}) {
    for (double v : rdp::mechanism_rdp({sigma, 0.01, 100}, rdp::default_orders())) {
      BOOST_CHECK_GE(v, 0.0);
    }
    BOOST_CHECK_EQUAL(eps_of(sigma, 0.01, 100), 0.0);
  }
}

// The tail-safe log erfc against mpmath 1.3.0 (mp.dps = 30, log(erfc(x))), on both sides of
// the switch from std::erfc to the asymptotic series.
BOOST_AUTO_TEST_CASE(log_erfc_tail) {
  const double expected[][2] = {{3, -10.720363041981112568},   {5, -27.200889545537434422},
                                {10, -102.87988902484488857},  {24.9, -623.79803756557437181},
                                {25, -628.79203917407168537},  {25.1, -633.80602485873522019},
                                {30, -903.97411711064387808},  {60, -3604.6668483458433915},
                                {200, -40005.870694809082136}, {-2, std::log(2 - std::erfc(2))}};
  for (const auto& e : expected) {
    BOOST_TEST_CONTEXT("x " << e[0]) {
      BOOST_CHECK_CLOSE(rdp::detail::log_erfc(e[0]), e[1], 1e-10);
    }
  }
}

BOOST_AUTO_TEST_CASE(degenerate_mechanisms) {
  BOOST_CHECK_EQUAL(rdp::epsilon({}, 1e-5), 0.0);
  BOOST_CHECK_EQUAL(eps_of(1.0, 0.0, 1000), 0.0);  // nobody sampled
  BOOST_CHECK_EQUAL(eps_of(1.0, 0.5, 0), 0.0);     // never run
  BOOST_CHECK(std::isinf(eps_of(0.0, 0.5, 1)));    // no noise: no privacy
  const auto c = rdp::epsilon_from_rdp({2, 3}, {INFINITY, INFINITY}, 1e-5);
  BOOST_CHECK(std::isinf(c.epsilon) && std::isnan(c.order));
}

BOOST_AUTO_TEST_SUITE_END()
