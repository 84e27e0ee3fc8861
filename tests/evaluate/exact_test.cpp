// Metrics against their definitions computed the slow way in the test itself.
#include <tbb/global_control.h>

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <stdexcept>

#include "bootstrap.hpp"
#include "calibration.hpp"
#include "delong.hpp"
#include "support.hpp"

namespace ev = clinflow::builtin::eval;
using evaluate_test::predictions;

namespace {

/// Mann-Whitney by brute force over all pairs.
double pair_count_auroc(const evaluate_test::Predictions& p) {
  double pairs = 0, wins = 0;
  for (std::size_t i = 0; i < p.risk.size(); ++i)
    for (std::size_t j = 0; j < p.risk.size(); ++j)
      if (p.label[i] == 1 && p.label[j] == 0) {
        pairs += 1;
        wins += p.risk[i] > p.risk[j] ? 1 : p.risk[i] == p.risk[j] ? 0.5 : 0;
      }
  return wins / pairs;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(exact)

BOOST_AUTO_TEST_CASE(auroc_equals_the_pair_count_with_and_without_ties) {
  for (int decimals : {0, 1, 2}) {
    const auto p = predictions(400, 11 + std::uint64_t(decimals), decimals);
    const ev::ScoredSet s = ev::prepare(p.risk, p.label, p.cluster);
    BOOST_TEST(std::abs(ev::auroc(s, ev::UnitWeight{}) - pair_count_auroc(p)) < 1e-15);
  }
}

BOOST_AUTO_TEST_CASE(cluster_weights_equal_repeated_rows) {
  // Weighing rows by their cluster's draw count must equal literally repeating those rows.
  const auto p = predictions(300, 5, 2);
  const ev::ScoredSet s = ev::prepare(p.risk, p.label, p.cluster);
  std::vector<std::uint8_t> draws;
  ev::draw_clusters(42, 3, s.clusters, draws);
  evaluate_test::Predictions repeated;
  for (std::size_t k = 0; k < s.size(); ++k)
    for (std::uint32_t c = 0; c < draws[s.cluster[k]]; ++c) {
      repeated.risk.push_back(s.score[k]);
      repeated.label.push_back(s.positive(k) ? 1 : 0);
    }
  const ev::ScoredSet r = ev::prepare(repeated.risk, repeated.label, {});
  const ev::ClusterWeight w{draws.data(), s.cluster.data()};
  BOOST_TEST(ev::auroc(s, w) == ev::auroc(r, ev::UnitWeight{}));
  BOOST_TEST(std::abs(ev::average_precision(s, w) - ev::average_precision(r, ev::UnitWeight{})) <
             1e-14);
  BOOST_TEST(std::abs(ev::brier(s, w) - ev::brier(r, ev::UnitWeight{})) < 1e-14);
  BOOST_TEST(std::abs(ev::calibration_slope(s, w).slope -
                      ev::calibration_slope(r, ev::UnitWeight{}).slope) < 1e-10);
}

BOOST_AUTO_TEST_CASE(delong_variance_equals_its_structural_components) {
  // DeLong et al. 1988, eq. for V10 / V01, written out with O(P N) loops.
  const auto p = predictions(250, 8, 1);
  const ev::ScoredSet s = ev::prepare(p.risk, p.label, {});
  std::vector<double> v10, v01;
  double pos = 0, neg = 0;
  for (int l : p.label) (l ? pos : neg) += 1;
  for (std::size_t i = 0; i < p.risk.size(); ++i) {
    double sum = 0;
    for (std::size_t j = 0; j < p.risk.size(); ++j) {
      if (p.label[i] == p.label[j]) continue;
      const double a = p.label[i] ? p.risk[i] : p.risk[j];  // the positive's risk
      const double b = p.label[i] ? p.risk[j] : p.risk[i];
      sum += a > b ? 1 : a == b ? 0.5 : 0;
    }
    (p.label[i] ? v10 : v01).push_back(sum / (p.label[i] ? neg : pos));
  }
  double auc = 0;
  for (double v : v10) auc += v / pos;
  double s10 = 0, s01 = 0;
  for (double v : v10) s10 += (v - auc) * (v - auc) / (pos - 1);
  for (double v : v01) s01 += (v - auc) * (v - auc) / (neg - 1);
  const ev::DelongResult d = ev::delong(s);
  BOOST_TEST(std::abs(d.auroc - auc) < 1e-14);
  BOOST_TEST(std::abs(d.variance - (s10 / pos + s01 / neg)) < 1e-15);
  BOOST_TEST(d.lower < d.auroc);
  BOOST_TEST(d.upper > d.auroc);
}

BOOST_AUTO_TEST_CASE(net_benefit_and_threshold_counts) {
  // A hand-checked 2 x 2 table: risks >= 0.3 alert.
  const std::vector<double> risk{0.9, 0.8, 0.3, 0.3, 0.2, 0.1};
  const std::vector<int> label{1, 0, 1, 0, 1, 0};
  const ev::ScoredSet s = ev::prepare(risk, label, {});
  const auto c = ev::confusions(s, ev::UnitWeight{}, {0.3, 0.95})[0];
  BOOST_TEST(c.tp == 2);
  BOOST_TEST(c.fp == 2);
  BOOST_TEST(c.fn == 1);
  BOOST_TEST(c.tn == 1);
  BOOST_TEST(std::abs(c.net_benefit(0.3) - (2.0 / 6 - 2.0 / 6 * 0.3 / 0.7)) < 1e-15);
  BOOST_TEST(std::abs(c.treat_all_net_benefit(0.3) - (3.0 / 6 - 3.0 / 6 * 0.3 / 0.7)) < 1e-15);
  const auto none = ev::confusions(s, ev::UnitWeight{}, {0.95})[0];
  BOOST_TEST(none.tp + none.fp == 0);
  BOOST_TEST(std::isnan(none.ppv()));  // no alert: PPV undefined, never 0
}

BOOST_AUTO_TEST_CASE(calibration_of_a_perfectly_recalibrated_model) {
  // Labels equal to a deterministic function: when risk' = sigmoid(a + b logit(risk)) is the
  // MLE fit, recalibrating risk' gives intercept 0, slope 1 (the score equations hold).
  const auto p = predictions(500, 21, 0);
  const ev::ScoredSet s = ev::prepare(p.risk, p.label, {});
  const ev::Recalibration fit = ev::calibration_slope(s, ev::UnitWeight{});
  std::vector<double> recalibrated;
  for (double r : p.risk)
    recalibrated.push_back(ev::sigmoid(fit.intercept + fit.slope * ev::clipped_logit(r)));
  const ev::ScoredSet t = ev::prepare(recalibrated, p.label, {});
  const ev::Recalibration again = ev::calibration_slope(t, ev::UnitWeight{});
  BOOST_TEST(std::abs(again.intercept) < 1e-9);
  BOOST_TEST(std::abs(again.slope - 1) < 1e-9);
  BOOST_TEST(std::abs(ev::calibration_intercept(t, ev::UnitWeight{})) < 1e-9);
}

BOOST_AUTO_TEST_CASE(a_slope_without_a_finite_estimate_is_undefined_not_huge) {
  // Events all at higher risks than non-events (ties at the boundary included): the likelihood
  // keeps growing with the slope, so there is no estimate to report.
  const std::vector<double> risk{0.1, 0.2, 0.3, 0.3, 0.6, 0.9};
  for (const std::vector<int>& label :
       {std::vector<int>{0, 0, 0, 1, 1, 1}, std::vector<int>{0, 0, 1, 1, 1, 1},
        std::vector<int>{1, 1, 1, 0, 0, 0}}) {
    const ev::ScoredSet s = ev::prepare(risk, label, {});
    BOOST_TEST(std::isnan(ev::calibration_slope(s, ev::UnitWeight{}).slope));
    BOOST_TEST(std::isfinite(ev::calibration_intercept(s, ev::UnitWeight{})));
  }
  // One overlap is enough for a finite estimate.
  const ev::ScoredSet overlap = ev::prepare(risk, {0, 1, 0, 1, 0, 1}, {});
  BOOST_TEST(std::isfinite(ev::calibration_slope(overlap, ev::UnitWeight{}).slope));
}

BOOST_AUTO_TEST_CASE(bootstrap_is_the_same_whatever_the_thread_count) {
  const auto p = predictions(2000, 3, 2);
  const ev::ScoredSet s = ev::prepare(p.risk, p.label, p.cluster);
  auto run = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
    std::vector<double> auc(200);
    ev::for_each_replicate(s, auc.size(), 99, [&](std::size_t r, const ev::ClusterWeight& w) {
      auc[r] = ev::auroc(s, w);
    });
    return auc;
  };
  const auto one = run(1), two = run(2);
  BOOST_TEST(one == two);
  const ev::Interval ci = ev::percentile_interval(one);
  const double point = ev::auroc(s, ev::UnitWeight{});
  BOOST_TEST(ci.lower < point);
  BOOST_TEST(ci.upper > point);
  BOOST_TEST(ci.used == one.size());
}

BOOST_AUTO_TEST_CASE(bad_input_names_the_row_not_the_value) {
  try {
    ev::prepare({0.1, NAN}, {0, 1}, {});
    BOOST_FAIL("accepted a NaN score");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()) == "score of row 1 is not finite");
  }
  BOOST_CHECK_THROW(ev::prepare({0.1, 0.2}, {0, 2}, {}), std::invalid_argument);
  BOOST_CHECK_THROW(ev::require_probabilities(ev::prepare({0.1, 1.5}, {0, 1}, {})),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
