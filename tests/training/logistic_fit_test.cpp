// The Newton solver called directly: optimality checked with an independently written
// gradient, class weights, separable data, dense and sparse agreement.
#include "logistic_fit.hpp"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "support.hpp"

namespace lf = clinflow::builtin::logistic;
using training_test::Stream;

namespace {

struct Data {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
};

Data make_data(Eigen::Index n, Eigen::Index p, std::uint64_t seed, double prevalence_shift = 0) {
  Stream s(seed);
  Data d{Eigen::MatrixXd(n, p), Eigen::VectorXd(n)};
  for (Eigen::Index i = 0; i < n; ++i) {
    double z = prevalence_shift;
    for (Eigen::Index j = 0; j < p; ++j) {
      d.x(i, j) = 2 * s.next() - 1;
      z += (j % 2 ? -1.0 : 1.0) * double(j + 1) * 0.5 * d.x(i, j);
    }
    d.y(i) = s.next() < 1 / (1 + std::exp(-z)) ? 1 : 0;
  }
  return d;
}

/// Gradient of sum_i s_i [log(1 + e^z) - y z] + l2/2 |w|^2 in plain loops (no Eigen, no solver
/// code): coordinates 0..p-1 the weights, p the intercept.
std::vector<double> reference_gradient(const Data& d, const std::vector<double>& s, double l2,
                                       const std::vector<double>& w, double b) {
  const std::size_t n = std::size_t(d.x.rows()), p = std::size_t(d.x.cols());
  std::vector<double> g(p + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double z = b;
    for (std::size_t j = 0; j < p; ++j) z += d.x(Eigen::Index(i), Eigen::Index(j)) * w[j];
    const double r = s[i] * (1 / (1 + std::exp(-z)) - d.y(Eigen::Index(i)));
    for (std::size_t j = 0; j < p; ++j) g[j] += r * d.x(Eigen::Index(i), Eigen::Index(j));
    g[p] += r;
  }
  for (std::size_t j = 0; j < p; ++j) g[j] += l2 * w[j];
  return g;
}

double norm(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x * x;
  return std::sqrt(s);
}

/// |gradient at the fit| / |gradient at zero|, computed by reference_gradient.
double relative_gradient(const Data& d, const Eigen::VectorXd& weights, const lf::Fit& fit,
                         double l2) {
  std::vector<double> s(std::size_t(d.y.size()));
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = weights(Eigen::Index(i));
  const std::vector<double> w(fit.weights.data(), fit.weights.data() + fit.weights.size());
  const auto g = reference_gradient(d, s, l2, w, fit.intercept);
  const auto g0 = reference_gradient(d, s, l2, std::vector<double>(w.size(), 0.0), 0.0);
  return norm(g) / norm(g0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(logistic_solver)

BOOST_AUTO_TEST_CASE(reaches_the_optimum_for_several_penalties) {
  const Data d = make_data(400, 6, 1);
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(d.y.size());
  for (double l2 : {0.0, 1e-4, 1.0, 50.0}) {
    lf::Options o;
    o.l2 = l2;
    const lf::Fit fit = lf::fit(d.x, d.y, ones, o);
    BOOST_TEST_CONTEXT("l2 = " << l2) {
      BOOST_TEST(fit.converged);
      BOOST_TEST(relative_gradient(d, ones, fit, l2) < 1e-8);
      BOOST_TEST(fit.iterations < 30);
    }
  }
}

BOOST_AUTO_TEST_CASE(larger_penalty_shrinks_weights) {
  const Data d = make_data(300, 4, 2);
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(d.y.size());
  lf::Options weak, strong;
  weak.l2 = 0.1;
  strong.l2 = 100;
  BOOST_TEST(lf::fit(d.x, d.y, ones, strong).weights.norm() <
             0.5 * lf::fit(d.x, d.y, ones, weak).weights.norm());
}

BOOST_AUTO_TEST_CASE(class_weights_move_the_optimum_as_expected) {
  // Rare positives (about 10%). With an unpenalised intercept the optimum satisfies
  // sum_i s_i (p_i - y_i) = 0: unweighted, the mean risk equals the prevalence; balanced,
  // the weighted mean risk is 1/2, so every risk rises (the intercept grows).
  const Data d = make_data(600, 3, 3, -2.5);
  const double prevalence = d.y.mean();
  BOOST_TEST_REQUIRE(prevalence < 0.25);
  BOOST_TEST_REQUIRE(prevalence > 0.02);
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(d.y.size());
  const Eigen::VectorXd balanced = lf::balanced_weights(d.y);
  BOOST_TEST(balanced.sum() == double(d.y.size()), boost::test_tools::tolerance(1e-12));
  lf::Options o;
  const lf::Fit plain = lf::fit(d.x, d.y, ones, o);
  const lf::Fit weighted = lf::fit(d.x, d.y, balanced, o);
  BOOST_TEST(relative_gradient(d, balanced, weighted, o.l2) < 1e-8);
  const auto risks = [&](const lf::Fit& f) {
    Eigen::VectorXd z = d.x * f.weights;
    z.array() += f.intercept;
    return Eigen::VectorXd((1 + (-z.array()).exp()).inverse());
  };
  BOOST_TEST(risks(plain).mean() == prevalence, boost::test_tools::tolerance(1e-8));
  BOOST_TEST(balanced.dot(risks(weighted)) / balanced.sum() == 0.5,
             boost::test_tools::tolerance(1e-8));
  BOOST_TEST(weighted.intercept > plain.intercept + 1.0);
}

BOOST_AUTO_TEST_CASE(separable_data_converges_with_a_penalty) {
  Eigen::MatrixXd x(6, 2);
  x << -3, 1, -2, 0, -1, 1, 1, 0, 2, 1, 3, 0;
  Eigen::VectorXd y(6);
  y << 0, 0, 0, 1, 1, 1;
  const Data d{x, y};
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(6);
  for (double l2 : {1.0, 1e-3}) {
    lf::Options o;
    o.l2 = l2;
    const lf::Fit fit = lf::fit(x, y, ones, o);
    BOOST_TEST_CONTEXT("l2 = " << l2) {
      BOOST_TEST(fit.converged);
      BOOST_TEST(fit.weights.allFinite());
      BOOST_TEST(fit.weights(0) > 0);
      BOOST_TEST(relative_gradient(d, ones, fit, l2) < 1e-8);
    }
  }
}

BOOST_AUTO_TEST_CASE(collinear_features_without_penalty_still_converge) {
  // Both one-hot categories plus the intercept: the Hessian is singular when l2 = 0.
  Data d = make_data(200, 2, 4);
  d.x.col(1) = (d.x.col(0).array() > 0).cast<double>();
  Eigen::MatrixXd x(200, 3);
  x << d.x.col(0), d.x.col(1), (1 - d.x.col(1).array()).matrix();
  const Data c{x, d.y};
  lf::Options o;
  o.l2 = 0;
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(200);
  const lf::Fit fit = lf::fit(x, d.y, ones, o);
  BOOST_TEST(fit.weights.allFinite());
  BOOST_TEST(relative_gradient(c, ones, fit, 0) < 1e-8);
}

BOOST_AUTO_TEST_CASE(sparse_and_dense_solvers_agree) {
  Stream s(9);
  Data d = make_data(300, 8, 5);
  for (Eigen::Index i = 0; i < d.x.rows(); ++i)
    for (Eigen::Index j = 0; j < d.x.cols(); ++j)
      if (s.next() < 0.85) d.x(i, j) = 0;  // mostly zeros, like missingness indicators
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(d.y.size());
  lf::Options o;
  const lf::Fit dense = lf::fit(d.x, d.y, ones, o);
  const lf::Fit sparse = lf::fit(Eigen::SparseMatrix<double>(d.x.sparseView()), d.y, ones, o);
  BOOST_TEST(sparse.converged);
  BOOST_TEST(relative_gradient(d, ones, sparse, o.l2) < 1e-8);
  BOOST_TEST((dense.weights - sparse.weights).norm() < 1e-9);
  BOOST_TEST(std::abs(dense.intercept - sparse.intercept) < 1e-9);
}

BOOST_AUTO_TEST_CASE(max_iter_is_honoured_and_reported) {
  const Data d = make_data(200, 4, 6);
  lf::Options o;
  o.max_iter = 1;
  const lf::Fit fit = lf::fit(d.x, d.y, Eigen::VectorXd::Ones(200), o);
  BOOST_TEST(fit.iterations == 1);
  BOOST_TEST(!fit.converged);
}

BOOST_AUTO_TEST_CASE(many_rows_use_the_sampled_hessian_and_still_reach_the_optimum) {
  // 40,000 rows x 3 features: several reduction chunks and a Hessian summed over every 8th row.
  const Data d = make_data(40000, 3, 11);
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(d.y.size());
  lf::Options o;
  o.l2 = 0.5;
  const lf::Fit fit = lf::fit(d.x, d.y, ones, o);
  BOOST_TEST(fit.converged);
  BOOST_TEST(relative_gradient(d, ones, fit, o.l2) < 1e-8);
}

BOOST_AUTO_TEST_CASE(the_thread_count_does_not_change_a_bit) {
  Data d = make_data(40000, 5, 12);
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(d.y.size());
  lf::Options o;
  o.threads = 1;
  const lf::Fit one = lf::fit(d.x, d.y, ones, o);
  for (int threads : {2, 3, 7}) {
    o.threads = threads;
    const lf::Fit many = lf::fit(d.x, d.y, ones, o);
    BOOST_TEST_CONTEXT("threads = " << threads) {
      BOOST_TEST(many.weights == one.weights);
      BOOST_TEST(many.intercept == one.intercept);
      BOOST_TEST(many.loss == one.loss);
      BOOST_TEST(many.iterations == one.iterations);
    }
  }
  // The sparse solver too (mostly zeros, several chunks).
  Stream s(13);
  for (Eigen::Index i = 0; i < d.x.rows(); ++i)
    for (Eigen::Index j = 0; j < d.x.cols(); ++j)
      if (s.next() < 0.8) d.x(i, j) = 0;
  const Eigen::SparseMatrix<double> sparse = d.x.sparseView();
  o.threads = 1;
  const lf::Fit sparse_one = lf::fit(sparse, d.y, ones, o);
  o.threads = 2;
  const lf::Fit sparse_two = lf::fit(sparse, d.y, ones, o);
  BOOST_TEST(sparse_one.converged);
  BOOST_TEST(relative_gradient(d, ones, sparse_one, o.l2) < 1e-8);
  BOOST_TEST(sparse_two.weights == sparse_one.weights);
  BOOST_TEST(sparse_two.intercept == sparse_one.intercept);
}

BOOST_AUTO_TEST_SUITE_END()
