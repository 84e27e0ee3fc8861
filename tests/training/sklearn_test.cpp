// scikit-learn as an outside reference: LogisticRegression(C = 1 / l2) on a small fixed data set
// must give the same coefficients to 1e-6. Skipped when python3 with sklearn is not installed
// (Debian: python3-sklearn); clinflow itself never needs Python.
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "logistic_fit.hpp"
#include "support.hpp"

namespace lf = clinflow::builtin::logistic;

namespace {

bool have_sklearn() {
  return std::system("/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1") == 0;
}

constexpr const char* kScript = R"(import sys, warnings
warnings.filterwarnings('ignore')  # newton-cg warns that tol is tighter than it can verify
import numpy as np
from sklearn.linear_model import LogisticRegression
data = np.loadtxt(sys.argv[1], delimiter=',')
x, y = data[:, :-1], data[:, -1]
m = LogisticRegression(C=1.0 / float(sys.argv[2]), class_weight=None if sys.argv[3] == 'none' else 'balanced',
                       solver='newton-cg', tol=1e-12, max_iter=10000)
m.fit(x, y)
print(' '.join(repr(float(v)) for v in [m.intercept_[0]] + list(m.coef_[0])))
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(sklearn_reference)

BOOST_AUTO_TEST_CASE(coefficients_match_sklearn) {
  if (!have_sklearn()) {
    BOOST_TEST_MESSAGE("SKIP: /usr/bin/python3 with sklearn absent (apt install python3-sklearn)");
    return;
  }
  clinflow_test::TempDir dir;
  training_test::Stream s(77);
  const Eigen::Index n = 150, p = 4;
  Eigen::MatrixXd x(n, p);
  Eigen::VectorXd y(n);
  std::ofstream csv(dir.path() / "data.csv");
  for (Eigen::Index i = 0; i < n; ++i) {
    double z = -0.8;
    for (Eigen::Index j = 0; j < p; ++j) {
      x(i, j) = 3 * s.next() - 1.5;
      z += double(j + 1) * 0.4 * (j % 2 ? -1 : 1) * x(i, j);
    }
    y(i) = s.next() < 1 / (1 + std::exp(-z)) ? 1 : 0;
    char buf[64];
    for (Eigen::Index j = 0; j < p; ++j) {
      std::snprintf(buf, sizeof buf, "%.17g,", x(i, j));
      csv << buf;
    }
    csv << y(i) << "\n";
  }
  csv.close();
  std::ofstream(dir.path() / "fit.py") << kScript;
  for (const char* weighting : {"none", "balanced"}) {
    for (double l2 : {1.0, 0.05}) {
      BOOST_TEST_CONTEXT("class_weight " << weighting << ", l2 " << l2) {
        const std::string out = (dir.path() / "out.txt").string();
        const std::string command = "/usr/bin/python3 " + (dir.path() / "fit.py").string() + " " +
                                    (dir.path() / "data.csv").string() + " " + std::to_string(l2) +
                                    " " + weighting + " > " + out;
        BOOST_TEST_REQUIRE(std::system(command.c_str()) == 0);
        std::ifstream in(out);
        std::vector<double> ref;
        for (double v; in >> v;) ref.push_back(v);
        BOOST_TEST_REQUIRE(ref.size() == std::size_t(p + 1));
        lf::Options o;
        o.l2 = l2;
        const Eigen::VectorXd weights =
            std::string(weighting) == "none" ? Eigen::VectorXd::Ones(n) : lf::balanced_weights(y);
        const lf::Fit fit = lf::fit(x, y, weights, o);
        BOOST_TEST(std::abs(fit.intercept - ref[0]) < 1e-6);
        for (Eigen::Index j = 0; j < p; ++j)
          BOOST_TEST(std::abs(fit.weights(j) - ref[std::size_t(j + 1)]) < 1e-6);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
