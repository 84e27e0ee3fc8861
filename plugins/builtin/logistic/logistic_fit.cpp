// Implementation notes: Newton's method on the (p+1)-dimensional problem with the intercept as
// the last coordinate. Each iteration: p = sigmoid(z), gradient X'(s(p-y)) + l2 w, Hessian
// X' diag(s p(1-p)) X + l2 I (intercept block unpenalised), Newton direction by LDLT, then a
// backtracking (Armijo) line search on L. With l2 > 0 the Hessian is positive definite (see
// header), so the direction is a descent direction and the iteration converges quadratically
// near the optimum. If LDLT reports a problem (l2 = 0 with collinear features) a small ridge
// is added to the Hessian so the step stays a descent direction.
// Everything is single-threaded and in a fixed order: same inputs give bit-identical results.
#include "logistic_fit.hpp"

#include <cmath>

namespace clinflow::builtin::logistic {
namespace {

/// log(1 + exp(z)) without overflow.
double softplus(double z) {
  return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}

double logistic(double z) {
  if (z >= 0) return 1 / (1 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1 + e);
}

// X'D X for dense and sparse X (D diagonal, given as a vector).
Eigen::MatrixXd weighted_gram(const Eigen::MatrixXd& x, const Eigen::VectorXd& d) {
  Eigen::MatrixXd h = Eigen::MatrixXd::Zero(x.cols(), x.cols());
  h.selfadjointView<Eigen::Lower>().rankUpdate(
      (x.array().colwise() * d.array().sqrt()).matrix().transpose());
  return h.selfadjointView<Eigen::Lower>();
}

Eigen::MatrixXd weighted_gram(const Eigen::SparseMatrix<double>& x, const Eigen::VectorXd& d) {
  const Eigen::SparseMatrix<double> dx = d.asDiagonal() * x;
  return Eigen::MatrixXd(Eigen::SparseMatrix<double>(x.transpose() * dx));
}

template <class Matrix>
class Problem {
 public:
  Problem(const Matrix& x, const Eigen::VectorXd& y, const Eigen::VectorXd& s, double l2)
      : x_(x), y_(y), s_(s), l2_(l2) {}

  Eigen::Index dims() const { return x_.cols() + 1; }

  Eigen::VectorXd margins(const Eigen::VectorXd& theta) const {
    const Eigen::Index p = x_.cols();
    Eigen::VectorXd z = x_ * theta.head(p);
    z.array() += theta(p);
    return z;
  }

  double loss(const Eigen::VectorXd& theta) const {
    const Eigen::VectorXd z = margins(theta);
    double total = 0;
    for (Eigen::Index i = 0; i < z.size(); ++i)
      if (s_(i) != 0) total += s_(i) * (softplus(z(i)) - y_(i) * z(i));
    return total + 0.5 * l2_ * theta.head(x_.cols()).squaredNorm();
  }

  /// Gradient and Hessian at theta.
  void derivatives(const Eigen::VectorXd& theta, Eigen::VectorXd& g, Eigen::MatrixXd& h) const {
    const Eigen::Index p = x_.cols();
    const Eigen::VectorXd z = margins(theta);
    Eigen::VectorXd r(z.size()), d(z.size());
    for (Eigen::Index i = 0; i < z.size(); ++i) {
      const double pi = logistic(z(i));
      r(i) = s_(i) * (pi - y_(i));
      d(i) = s_(i) * pi * (1 - pi);
    }
    g.resize(p + 1);
    g.head(p) = x_.transpose() * r + l2_ * theta.head(p);
    g(p) = r.sum();
    h.resize(p + 1, p + 1);
    h.topLeftCorner(p, p) = weighted_gram(x_, d);
    h.topLeftCorner(p, p).diagonal().array() += l2_;
    const Eigen::VectorXd xd = x_.transpose() * d;
    h.col(p).head(p) = xd;
    h.row(p).head(p) = xd.transpose();
    h(p, p) = d.sum();
  }

 private:
  const Matrix& x_;
  const Eigen::VectorXd& y_;
  const Eigen::VectorXd& s_;
  double l2_;
};

template <class Matrix>
Fit newton(const Matrix& x, const Eigen::VectorXd& y, const Eigen::VectorXd& s,
           const Options& options) {
  const Problem<Matrix> problem(x, y, s, options.l2);
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(problem.dims());
  Eigen::VectorXd g;
  Eigen::MatrixXd h;
  Fit fit;
  double loss = problem.loss(theta);
  problem.derivatives(theta, g, h);
  fit.initial_gradient_norm = g.norm();
  const double target = options.tol * fit.initial_gradient_norm;
  while (true) {
    if (g.norm() <= target) {
      fit.converged = true;
      break;
    }
    if (fit.iterations >= options.max_iter) break;
    Eigen::LDLT<Eigen::MatrixXd> ldlt(h);
    Eigen::VectorXd step = ldlt.solve(-g);
    if (ldlt.info() != Eigen::Success || !step.allFinite() || step.dot(g) >= 0) {
      // Singular (l2 = 0, collinear features): regularise the step, never the objective.
      const double ridge = 1e-10 * std::max(1.0, h.diagonal().cwiseAbs().maxCoeff());
      h.diagonal().array() += ridge;
      step = h.ldlt().solve(-g);
    }
    // Backtracking line search (Armijo, c = 1e-4). Once the predicted decrease is below the
    // rounding error of L, the loss can no longer judge a step: take Newton's full step (its
    // local phase, quadratically convergent) and let the gradient norm decide when to stop.
    const double slope = step.dot(g);
    const bool local = -slope <= 1e-9 * (1 + std::abs(loss));
    double t = 1;
    Eigen::VectorXd next = theta + step;
    double next_loss = problem.loss(next);
    while (!local && !(next_loss <= loss + 1e-4 * t * slope) && t > 1e-12) {
      t *= 0.5;
      next = theta + t * step;
      next_loss = problem.loss(next);
    }
    ++fit.iterations;
    if (!local && !(next_loss <= loss)) break;  // no decrease possible
    const bool stalled = next == theta;
    theta = std::move(next);
    loss = next_loss;
    problem.derivatives(theta, g, h);
    if (stalled) {
      fit.converged = g.norm() <= target;
      break;
    }
  }
  const Eigen::Index p = x.cols();
  fit.weights = theta.head(p);
  fit.intercept = theta(p);
  fit.gradient_norm = g.norm();
  fit.loss = loss;
  return fit;
}

}  // namespace

Fit fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& sample_weight,
        const Options& options) {
  return newton(x, y, sample_weight, options);
}

Fit fit(const Eigen::SparseMatrix<double>& x, const Eigen::VectorXd& y,
        const Eigen::VectorXd& sample_weight, const Options& options) {
  return newton(x, y, sample_weight, options);
}

Eigen::VectorXd balanced_weights(const Eigen::VectorXd& y) {
  const double n = double(y.size());
  const double positives = y.sum();
  const double negatives = n - positives;
  Eigen::VectorXd s(y.size());
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double count = y(i) == 1 ? positives : negatives;
    s(i) = count > 0 ? n / (2 * count) : 0;
  }
  return s;
}

}  // namespace clinflow::builtin::logistic
