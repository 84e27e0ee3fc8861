// scikit-learn 1.2 (Debian's python3-sklearn) as the outside reference: roc_auc_score,
// average_precision_score, brier_score_loss, log_loss and calibration_curve on fixed prediction
// sets with and without ties, to 1e-9. Calibration intercept and slope, which scikit-learn
// does not offer as such, are checked against a numpy Newton fit written in the script.
// Skipped with a message when /usr/bin/python3 has no sklearn; clinflow itself never needs it.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "calibration.hpp"
#include "support.hpp"
#include "test_support.hpp"

namespace ev = clinflow::builtin::eval;

namespace {

bool have_sklearn() {
  return std::system("/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1") == 0;
}

constexpr const char* kScript = R"(import sys
import numpy as np
from sklearn.metrics import roc_auc_score, average_precision_score, brier_score_loss, log_loss
from sklearn.calibration import calibration_curve
d = np.loadtxt(sys.argv[1], delimiter=',')
p, y = d[:, 0], d[:, 1].astype(int)
out = {'auroc': roc_auc_score(y, p), 'ap': average_precision_score(y, p),
       'brier': brier_score_loss(y, p), 'logloss': log_loss(y, p)}
true, pred = calibration_curve(y, p, n_bins=10, strategy='uniform')
ids = np.searchsorted(np.linspace(0.0, 1.0, 11)[1:-1], p)
counts = np.bincount(ids, minlength=10)
out['ece'] = float(np.sum(counts[counts > 0] / len(p) * np.abs(true - pred)))
for k, (t, q) in enumerate(zip(true, pred)):
    out['bin_true_%d' % k], out['bin_pred_%d' % k] = t, q
x = np.log(np.clip(p, 2**-52, 1 - 2**-52) / (1 - np.clip(p, 2**-52, 1 - 2**-52)))
a, b = 0.0, 1.0
for _ in range(100):
    q = 1 / (1 + np.exp(-(a + b * x)))
    g = np.array([np.sum(y - q), np.sum((y - q) * x)])
    w = q * (1 - q)
    h = np.array([[np.sum(w), np.sum(w * x)], [np.sum(w * x), np.sum(w * x * x)]])
    a, b = np.array([a, b]) + np.linalg.solve(h, g)
out['slope'], out['slope_intercept'] = b, a
c = 0.0
for _ in range(100):
    q = 1 / (1 + np.exp(-(c + x)))
    c += np.sum(y - q) / np.sum(q * (1 - q))
out['citl'] = c
for k in sorted(out):
    print(k, repr(float(out[k])))
)";

std::map<std::string, double> reference(const evaluate_test::Predictions& p,
                                        const clinflow_test::TempDir& dir) {
  {
    std::ofstream csv(dir.path() / "p.csv");
    char buf[64];
    for (std::size_t i = 0; i < p.risk.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%.17g,%d\n", p.risk[i], p.label[i]);
      csv << buf;
    }
    std::ofstream(dir.path() / "ref.py") << kScript;
  }
  const std::string out = (dir.path() / "out.txt").string();
  const std::string command = "/usr/bin/python3 " + (dir.path() / "ref.py").string() + " " +
                              (dir.path() / "p.csv").string() + " > " + out;
  BOOST_TEST_REQUIRE(std::system(command.c_str()) == 0);
  std::ifstream in(out);
  std::map<std::string, double> values;
  std::string key;
  for (double v; in >> key >> v;) values[key] = v;
  return values;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sklearn_reference)

BOOST_AUTO_TEST_CASE(metrics_match_sklearn) {
  if (!have_sklearn()) {
    BOOST_TEST_MESSAGE("SKIP: /usr/bin/python3 with sklearn absent (apt install python3-sklearn)");
    return;
  }
  clinflow_test::TempDir dir;
  for (int decimals : {0, 2, 1}) {
    BOOST_TEST_CONTEXT("risks rounded to " << decimals << " decimals") {
      const auto p = evaluate_test::predictions(700, 40 + std::uint64_t(decimals), decimals);
      auto ref = reference(p, dir);
      const ev::ScoredSet s = ev::prepare(p.risk, p.label, {});
      const ev::UnitWeight one;
      BOOST_TEST(std::abs(ev::auroc(s, one) - ref["auroc"]) < 1e-9);
      BOOST_TEST(std::abs(ev::average_precision(s, one) - ref["ap"]) < 1e-9);
      BOOST_TEST(std::abs(ev::brier(s, one) - ref["brier"]) < 1e-9);
      BOOST_TEST(std::abs(ev::log_loss(s, one) - ref["logloss"]) < 1e-9);
      const auto bins = ev::reliability(s, one, 10);
      BOOST_TEST(std::abs(ev::expected_calibration_error(bins) - ref["ece"]) < 1e-9);
      std::size_t k = 0;  // calibration_curve lists non-empty bins only
      for (const ev::ReliabilityBin& b : bins) {
        if (b.weight == 0) continue;
        BOOST_TEST(std::abs(b.observed - ref["bin_true_" + std::to_string(k)]) < 1e-9);
        BOOST_TEST(std::abs(b.mean_predicted - ref["bin_pred_" + std::to_string(k)]) < 1e-9);
        ++k;
      }
      BOOST_TEST(ref.count("bin_true_" + std::to_string(k)) == 0u);
      const ev::Recalibration r = ev::calibration_slope(s, one);
      BOOST_TEST(std::abs(r.slope - ref["slope"]) < 1e-9);
      BOOST_TEST(std::abs(r.intercept - ref["slope_intercept"]) < 1e-9);
      BOOST_TEST(std::abs(ev::calibration_intercept(s, one) - ref["citl"]) < 1e-9);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
