// Implementation notes: Newton's method on the (p+1)-dimensional problem with the intercept as
// the last coordinate. Gradient X'(s(p-y)) + l2 w, Hessian X' diag(s p(1-p)) X + l2 I (intercept
// block unpenalised); each evaluation is one fused pass over the rows (logistic_passes.hpp).
//
// A Hessian costs many gradient passes (1M x 100: ~5 exact; Diabetes' 2,200 one-hot columns:
// ~70, mostly the factorisation), so it is not recomputed every iteration: the step is -H^-1 g
// with H the last factored Hessian, which is exact Newton right after a refresh and a
// fixed-matrix (chord) iteration otherwise. H is refreshed when the last step's contraction of
// |g| predicts that a new one saves more passes than it costs (worth_refreshing). With many
// rows (n / 8 >= 1000 per dimension) the Hessian sums every 8th row only (relative error a few
// per cent): still a descent direction, the gradient stays exact, and the fit ends on the
// exact gradient norm as before.
// Every step is a descent direction (H positive definite for l2 > 0) followed by a backtracking
// (Armijo) line search on L. If the factorisation fails (l2 = 0 with collinear features) a small
// ridge is added to H so the step stays a descent direction. Results do not depend on the thread
// count (fixed chunks, fixed reduction order).
#include "logistic_fit.hpp"

#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "logistic_passes.hpp"

namespace clinflow::builtin::logistic {
namespace {

/// No refresh while the reused Hessian shrinks |g| at least this much per step.
constexpr double kRefreshRatio = 0.1;

/// The row data in the layout the passes read, and the chunked reductions over it.
template <class Rows>
class Problem {
 public:
  Problem(const Rows& x, const Eigen::VectorXd& y, const Eigen::VectorXd& s, double l2, int threads)
      : x_(x), y_(y), s_(s), l2_(l2), threads_(threads) {}

  Eigen::Index dims() const { return x_.cols() + 1; }

  /// What a Hessian refresh costs, in gradient passes (a deterministic model from the shape;
  /// the factorisation's flops count 1/10: dense and blocked, they run ~10x faster per flop
  /// than the passes' row-by-row products on the bench machine).
  double refresh_cost_in_passes(Eigen::Index stride) const {
    const double n = double(x_.rows()), dims = double(x_.cols() + 1);
    double pass = 0, hessian = 0;
    if constexpr (std::is_same_v<Rows, Eigen::MatrixXd>) {
      pass = 2 * n * dims;
      hessian = n / double(stride) * dims * dims / 2;
    } else {
      for (Eigen::Index i = 0; i < x_.rows(); ++i) {
        const double k = double(x_.outerIndexPtr()[i + 1] - x_.outerIndexPtr()[i]) + 1;
        pass += 2 * k;
        if (i % stride == 0) hessian += k * (k + 1) / 2;
      }
    }
    return (hessian + dims * dims * dims / 30) / std::max(pass, 1.0);
  }

  /// L and its gradient at theta and, when h is non-null, its Hessian (full symmetric) from the
  /// rows whose index is a multiple of `stride`.
  double evaluate(const Eigen::VectorXd& theta, Eigen::VectorXd& g, Eigen::MatrixXd* h,
                  Eigen::Index stride = 1) const {
    const Eigen::Index n = x_.rows(), p = x_.cols();
    const Eigen::Index size = passes::chunk_rows(n, p + 1);
    const Eigen::Index chunks = std::max<Eigen::Index>(1, (n + size - 1) / size);
    std::vector<passes::Sums> sums{std::size_t(chunks)};
    passes::for_each_chunk(chunks, threads_, [&](Eigen::Index c) {
      const Eigen::Index begin = c * size, end = std::min(n, begin + size);
      chunk(theta, begin, end, h ? stride : 0, sums[std::size_t(c)]);
    });
    double loss = 0;
    g.setZero(p + 1);
    if (h) h->setZero(p + 1, p + 1);
    for (const passes::Sums& part : sums) {  // chunk order: the result ignores thread timing
      loss += part.loss;
      g += part.g;
      if (h) *h += part.h;
    }
    loss += 0.5 * l2_ * theta.head(p).squaredNorm();
    g.head(p) += l2_ * theta.head(p);
    if (h) {
      h->diagonal().head(p).array() += l2_;
      *h = h->selfadjointView<Eigen::Lower>();
    }
    return loss;
  }

 private:
  void chunk(const Eigen::VectorXd& theta, Eigen::Index begin, Eigen::Index end,
             Eigen::Index hessian_stride, passes::Sums& out) const {
    if constexpr (std::is_same_v<Rows, Eigen::MatrixXd>)
      passes::dense_chunk(x_, y_, s_, theta, begin, end, hessian_stride, out);
    else
      passes::sparse_chunk(x_, y_, s_, theta, begin, end, hessian_stride, out);
  }

  const Rows& x_;
  const Eigen::VectorXd& y_;
  const Eigen::VectorXd& s_;
  double l2_;
  int threads_;
};

/// Solves h step = -g; h positive definite when l2 > 0 (Cholesky), LDLT plus a ridge otherwise.
class NewtonMatrix {
 public:
  void factor(Eigen::MatrixXd h, bool positive_definite) {
    h_ = std::move(h);
    positive_definite_ = positive_definite;
    if (positive_definite_) {
      llt_.compute(h_);
      if (llt_.info() != Eigen::Success) positive_definite_ = false;
    }
    if (!positive_definite_) ldlt_.compute(h_);
    ridged_ = false;
  }
  Eigen::VectorXd step(const Eigen::VectorXd& g) {
    Eigen::VectorXd step = positive_definite_ ? Eigen::VectorXd(llt_.solve(-g)) : ldlt_.solve(-g);
    const bool bad =
        positive_definite_ ? llt_.info() != Eigen::Success : ldlt_.info() != Eigen::Success;
    if (bad || !step.allFinite() || step.dot(g) >= 0) {
      // Singular (l2 = 0, collinear features): regularise the step, never the objective.
      if (!ridged_) {
        const double ridge = 1e-10 * std::max(1.0, h_.diagonal().cwiseAbs().maxCoeff());
        h_.diagonal().array() += ridge;
        ldlt_.compute(h_);
        positive_definite_ = false;
        ridged_ = true;
      }
      step = ldlt_.solve(-g);
    }
    return step;
  }

 private:
  Eigen::MatrixXd h_;
  Eigen::LLT<Eigen::MatrixXd> llt_;
  Eigen::LDLT<Eigen::MatrixXd> ldlt_;
  bool positive_definite_ = false;
  bool ridged_ = false;
};

/// Row stride of the sampled Hessian: 8, 4 or 2 when every n / stride rows still number 1000
/// per dimension (its relative error ~ sqrt(dims / rows) stays a few per cent), else 1 (exact).
Eigen::Index sampling_stride(Eigen::Index n, Eigen::Index dims) {
  for (Eigen::Index stride : {8, 4, 2})
    if (n / stride >= 1000 * dims) return stride;
  return 1;
}

/// Secant corrections on top of the factored Hessian M: L-BFGS's two-loop recursion with
/// H0^-1 = M^-1 and the last kMemory (step, gradient change) pairs. Between refreshes M is
/// stale; the pairs hold the curvature seen since, so each pass contracts |g| several times
/// more than the plain M^-1 g step (Diabetes: ~20 passes instead of ~80). Cleared at refresh.
class Secant {
 public:
  void clear() { pairs_.clear(); }
  void add(Eigen::VectorXd s, Eigen::VectorXd y) {
    const double sy = s.dot(y);
    if (!(sy > 1e-12 * s.norm() * y.norm())) return;  // keeps the direction a descent one
    pairs_.push_back({std::move(s), std::move(y), 1 / sy});
    if (pairs_.size() > kMemory) pairs_.erase(pairs_.begin());
  }
  Eigen::VectorXd step(const Eigen::VectorXd& g, NewtonMatrix& m) {
    if (pairs_.empty()) return m.step(g);
    Eigen::VectorXd q = g;
    std::vector<double> a(pairs_.size());
    for (std::size_t k = pairs_.size(); k-- > 0;) {
      a[k] = pairs_[k].rho * pairs_[k].s.dot(q);
      q -= a[k] * pairs_[k].y;
    }
    Eigen::VectorXd r = -m.step(q);
    for (std::size_t k = 0; k < pairs_.size(); ++k)
      r += (a[k] - pairs_[k].rho * pairs_[k].y.dot(r)) * pairs_[k].s;
    if (r.allFinite() && r.dot(g) > 0) return -r;
    clear();
    return m.step(g);
  }

 private:
  struct Pair {
    Eigen::VectorXd s, y;
    double rho;
  };
  static constexpr std::size_t kMemory = 8;
  std::vector<Pair> pairs_;
};

template <class Rows>
Fit newton(const Rows& x, const Eigen::VectorXd& y, const Eigen::VectorXd& s,
           const Options& options) {
  const Problem<Rows> problem(x, y, s, options.l2, options.threads);
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(problem.dims());
  Eigen::VectorXd g, next_g;
  // The stopping rule is relative to the gradient at zero, wherever the iteration starts.
  double zero_gradient_norm = -1;
  if (options.initial.size() > 0) {
    if (options.initial.size() != problem.dims() || !options.initial.allFinite())
      throw std::invalid_argument("logistic: warm start has the wrong size or is not finite");
    problem.evaluate(theta, g, nullptr, 1);
    zero_gradient_norm = g.norm();
    theta = options.initial;
  }
  Eigen::MatrixXd h, next_h;
  NewtonMatrix newton_matrix;
  Secant secant;
  Fit fit;
  // The Hessian is summed only in the passes that follow a slow step, and then over every
  // stride-th row when n is large.
  const Eigen::Index stride = sampling_stride(x.rows(), problem.dims());
  double loss = problem.evaluate(theta, g, &h, stride);
  newton_matrix.factor(std::move(h), options.l2 > 0);
  bool refresh = true;
  fit.initial_gradient_norm = zero_gradient_norm >= 0 ? zero_gradient_norm : g.norm();
  const double target = options.tol * fit.initial_gradient_norm;
  const double refresh_passes = problem.refresh_cost_in_passes(stride);
  // A new Hessian costs refresh_passes gradient passes. Reusing the old one at contraction r
  // needs log(|g| / target) / log(1 / r) more passes; a new one is assumed to square r (Newton).
  // So refresh when that saves more passes than it costs: never for r <= kRefreshRatio.
  int growing = 0;  // consecutive steps that grew |g| (a descent step may, once)
  auto worth_refreshing = [&](double r, double g_norm) {
    growing = r >= 1 ? growing + 1 : 0;
    if (growing > 0) return growing >= 2;
    if (!(r > kRefreshRatio) || g_norm <= target) return false;
    const double remaining = std::log(g_norm / target), per_pass = std::log(1 / r);
    return remaining / per_pass - remaining / (2 * per_pass) > refresh_passes;
  };
  auto trial = [&](const Eigen::VectorXd& at) {
    return problem.evaluate(at, next_g, refresh ? &next_h : nullptr, stride);
  };
  while (true) {
    if (g.norm() <= target) {
      fit.converged = true;
      break;
    }
    if (fit.iterations >= options.max_iter) break;
    const Eigen::VectorXd step = secant.step(g, newton_matrix);
    // Backtracking line search (Armijo, c = 1e-4). Once the predicted decrease is below the
    // rounding error of L, the loss can no longer judge a step: take the full step (the local,
    // fast phase) and let the gradient norm decide when to stop.
    const double slope = step.dot(g);
    const bool local = -slope <= 1e-9 * (1 + std::abs(loss));
    double t = 1;
    Eigen::VectorXd next = theta + step;
    double next_loss = trial(next);
    while (!local && !(next_loss <= loss + 1e-4 * t * slope) && t > 1e-12) {
      t *= 0.5;
      next = theta + t * step;
      next_loss = trial(next);
    }
    ++fit.iterations;
    if (!local && !(next_loss <= loss)) break;  // no decrease possible
    const bool stalled = next == theta;
    const bool slow = worth_refreshing(next_g.norm() / g.norm(), next_g.norm());
    secant.add(next - theta, next_g - g);
    theta = std::move(next);
    loss = next_loss;
    g.swap(next_g);
    if (stalled) {
      fit.converged = g.norm() <= target;
      break;
    }
    if (g.norm() <= target) continue;
    if (refresh) {
      newton_matrix.factor(std::move(next_h), options.l2 > 0);  // the curvature at theta
      secant.clear();
    } else if (slow) {
      problem.evaluate(theta, g, &h, stride);  // the reused Hessian stopped paying off
      newton_matrix.factor(std::move(h), options.l2 > 0);
      secant.clear();
    }
    refresh = slow;
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
  // The passes walk rows; a row-major copy costs O(non-zeros) once.
  const Eigen::SparseMatrix<double, Eigen::RowMajor> rows = x;
  return newton(rows, y, sample_weight, options);
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
