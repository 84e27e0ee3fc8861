// Implementation notes. Mirror ascent on the dual: q <- q exp(eta L(q)) / Z, where L(q) (the
// group losses at the q-weighted optimum) is the gradient of the concave dual D(q) (Danskin).
// This is Sagawa et al.'s online update, with each step's model fitted to optimality (Newton)
// instead of one SGD step, so the iteration has a fixed point exactly at the minimax solution.
// The step is adapted by backtracking on the relative-smoothness condition
//   D(q') >= D(q) + <L, q' - q> - KL(q' || q) / eta,
// which makes every accepted step an ascent step and, once it holds, guarantees convergence
// (Lu, Freund & Nesterov 2018); eta doubles after an accepted step and halves after a rejected
// one. The stopping rule is the duality gap max_g L_g - sum_g q_g L_g (the penalty cancels): it
// is zero exactly when every group with weight has the worst loss, the optimality condition.
// Mirror ascent alone converges slowly near the optimum (the dual is ill-conditioned), so each
// iteration first tries a Newton step on the dual restricted to the groups with weight: the dual
// Hessian is -G' Hf^-1 G (G: per-group mean-loss gradients, Hf: the fit's Hessian / n), and the
// step solves the equality-constrained quadratic model (sum of q fixed). It is kept when every
// weight stays positive and D increases; otherwise the mirror step runs, which also drives the
// weights of groups that should carry none towards zero.
// Everything is sequential and in a fixed order, so the result is deterministic.
#include "dro_solver.hpp"

#include <cmath>
#include <optional>

namespace clinflow::builtin::group_dro {
namespace {

double softplus(double z) {
  return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}

/// Row weights n q_g / n_g.
Eigen::VectorXd row_weights(const Eigen::VectorXd& q, const std::vector<int>& group,
                            const Eigen::VectorXd& sizes) {
  const double n = double(group.size());
  Eigen::VectorXd s(Eigen::Index(group.size()));
  for (std::size_t i = 0; i < group.size(); ++i)
    s(Eigen::Index(i)) = n * q(group[i]) / sizes(group[i]);
  return s;
}

double kl(const Eigen::VectorXd& p, const Eigen::VectorXd& q) {
  double d = 0;
  for (Eigen::Index g = 0; g < p.size(); ++g)
    if (p(g) > 0) d += p(g) * std::log(p(g) / q(g));
  return d;
}

template <class Matrix>
struct Point {
  logistic::Fit fit;
  Eigen::VectorXd loss;  ///< per group
  double dual = 0;       ///< D(q) = fit.loss / n
};

template <class Matrix>
Point<Matrix> evaluate(const Matrix& x, const Eigen::VectorXd& y, const std::vector<int>& group,
                       int groups, const Eigen::VectorXd& sizes, const Eigen::VectorXd& q,
                       const Options& options, const Point<Matrix>* warm = nullptr) {
  Point<Matrix> p;
  logistic::Options inner = options.inner;
  if (warm) {  // the previous q's optimum is close: start there (the optimum does not change)
    inner.initial.resize(x.cols() + 1);
    inner.initial << warm->fit.weights, warm->fit.intercept;
  }
  p.fit = logistic::fit(x, y, row_weights(q, group, sizes), inner);
  Eigen::VectorXd z = x * p.fit.weights;
  z.array() += p.fit.intercept;
  p.loss = group_losses(z, y, group, groups);
  p.dual = p.fit.loss / double(y.size());
  return p;
}

/// The dual Newton step from q (see the notes), or nullopt when fewer than two groups have
/// weight or the step leaves the simplex.
template <class Matrix>
std::optional<Eigen::VectorXd> newton_q(const Matrix& x, const Eigen::VectorXd& y,
                                        const std::vector<int>& group, const Eigen::VectorXd& sizes,
                                        const Eigen::VectorXd& q, const Point<Matrix>& at,
                                        double l2) {
  std::vector<int> active;
  for (Eigen::Index g = 0; g < q.size(); ++g)
    if (q(g) > 1e-8) active.push_back(int(g));
  const Eigen::Index a = Eigen::Index(active.size()), p = x.cols();
  if (a < 2) return std::nullopt;
  const Eigen::VectorXd s = row_weights(q, group, sizes);
  Eigen::VectorXd z = x * at.fit.weights;
  z.array() += at.fit.intercept;
  Eigen::VectorXd d(z.size());
  Eigen::MatrixXd e = Eigen::MatrixXd::Zero(z.size(), a);  // per-group mean residuals
  std::vector<int> column(std::size_t(q.size()), -1);
  for (Eigen::Index k = 0; k < a; ++k) column[std::size_t(active[std::size_t(k)])] = int(k);
  for (Eigen::Index i = 0; i < z.size(); ++i) {
    const double pi = 1 / (1 + std::exp(-z(i)));
    d(i) = s(i) * pi * (1 - pi);
    const int g = group[std::size_t(i)], k = column[std::size_t(g)];
    if (k >= 0) e(i, k) = (pi - y(i)) / sizes(g);
  }
  Eigen::MatrixXd h(p + 1, p + 1);  // Hessian of the q-weighted fit, intercept last
  h.topLeftCorner(p, p) = Eigen::MatrixXd(x.transpose() * (d.asDiagonal() * x));
  h.topLeftCorner(p, p).diagonal().array() += l2;
  const Eigen::VectorXd xd = x.transpose() * d;
  h.col(p).head(p) = xd;
  h.row(p).head(p) = xd.transpose();
  h(p, p) = d.sum();
  Eigen::MatrixXd grads(p + 1, a);  // mean-loss gradient of each active group
  grads.topRows(p) = x.transpose() * e;
  grads.row(p) = e.colwise().sum();
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(h);
  if (ldlt.info() != Eigen::Success) return std::nullopt;
  const double n = double(y.size());
  Eigen::MatrixXd kkt = Eigen::MatrixXd::Zero(a + 1, a + 1);
  kkt.topLeftCorner(a, a) = n * grads.transpose() * ldlt.solve(grads);
  kkt.col(a).head(a).setOnes();
  kkt.row(a).head(a).setOnes();
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(a + 1);
  for (Eigen::Index k = 0; k < a; ++k) rhs(k) = at.loss(active[std::size_t(k)]);
  const Eigen::VectorXd step = kkt.fullPivLu().solve(rhs);
  if (!step.allFinite()) return std::nullopt;
  Eigen::VectorXd next = q;
  for (Eigen::Index k = 0; k < a; ++k) next(active[std::size_t(k)]) += step(k);
  if ((next.array() <= 0).any()) return std::nullopt;
  return next / next.sum();
}

template <class Matrix>
Result solve(const Matrix& x, const Eigen::VectorXd& y, const std::vector<int>& group, int groups,
             const Options& options) {
  Eigen::VectorXd sizes = Eigen::VectorXd::Zero(groups);
  for (int g : group) sizes(g) += 1;
  Eigen::VectorXd q = sizes / double(group.size());  // start at the plain model
  Point<Matrix> at = evaluate(x, y, group, groups, sizes, q, options);
  Result r;
  r.fits = 1;
  double eta = options.eta;
  auto gap_of = [&](const Point<Matrix>& p, const Eigen::VectorXd& w) {
    return p.loss.maxCoeff() - w.dot(p.loss);
  };
  double gap = gap_of(at, q);
  while (true) {
    if (gap <= options.tol) {
      r.converged = true;
      break;
    }
    if (r.fits >= options.max_iter || eta < 1e-12) break;
    if (const auto newton = newton_q(x, y, group, sizes, q, at, options.inner.l2)) {
      Point<Matrix> next = evaluate(x, y, group, groups, sizes, *newton, options, &at);
      ++r.fits;
      if (next.dual > at.dual) {
        q = *newton;
        at = std::move(next);
        gap = gap_of(at, q);
        ++r.accepted;
        continue;
      }
      if (r.fits >= options.max_iter) break;
    }
    // q' = q exp(eta L) / Z, in logs so no weight under- or overflows.
    Eigen::VectorXd log_q = q.array().log().matrix() + eta * at.loss;
    log_q.array() -= log_q.maxCoeff();
    Eigen::VectorXd next_q = log_q.array().exp().matrix();
    next_q /= next_q.sum();
    next_q = next_q.cwiseMax(1e-300);  // a group's weight may shrink, never vanish
    Point<Matrix> next = evaluate(x, y, group, groups, sizes, next_q, options, &at);
    ++r.fits;
    const double bound = at.dual + at.loss.dot(next_q - q) - kl(next_q, q) / eta;
    if (next.dual >= bound - 1e-12 * std::abs(at.dual)) {
      q = std::move(next_q);
      at = std::move(next);
      gap = gap_of(at, q);
      ++r.accepted;
      eta *= 2;
    } else {
      eta /= 2;
    }
  }
  r.fit = std::move(at.fit);
  r.q = std::move(q);
  r.group_loss = std::move(at.loss);
  r.gap = gap;
  r.eta = eta;
  return r;
}

}  // namespace

Eigen::VectorXd group_losses(const Eigen::VectorXd& margins, const Eigen::VectorXd& y,
                             const std::vector<int>& group, int groups) {
  Eigen::VectorXd total = Eigen::VectorXd::Zero(groups), count = Eigen::VectorXd::Zero(groups);
  for (Eigen::Index i = 0; i < margins.size(); ++i) {
    const int g = group[std::size_t(i)];
    total(g) += softplus(margins(i)) - y(i) * margins(i);
    count(g) += 1;
  }
  return total.cwiseQuotient(count.cwiseMax(1));
}

Result fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const std::vector<int>& group,
           int groups, const Options& options) {
  return solve(x, y, group, groups, options);
}

Result fit(const Eigen::SparseMatrix<double>& x, const Eigen::VectorXd& y,
           const std::vector<int>& group, int groups, const Options& options) {
  return solve(x, y, group, groups, options);
}

}  // namespace clinflow::builtin::group_dro
