// L2-regularised logistic regression by Newton's method (IRLS, Hessian reused while it pays),
// independent of tables so the tests can check the optimum directly.
//
// Minimises the penalised, weighted negative log-likelihood
//   L(w, b) = sum_i s_i [log(1 + exp(z_i)) - y_i z_i] + (l2 / 2) |w|^2,   z_i = x_i.w + b
// (the intercept b is not penalised; scikit-learn's LogisticRegression(C = 1 / l2) minimises
// the same function). With l2 > 0 the optimum is unique and exists even for separable data.
#pragma once

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <string>

namespace clinflow::builtin::logistic {

struct Options {
  double l2 = 1.0;
  int max_iter = 100;
  /// Stop when |gradient| <= tol * |gradient at w = 0, b = 0| (Euclidean norms).
  double tol = 1e-10;
  /// Threads for the passes over the rows. The result is bit-identical for any value (fixed
  /// chunks reduced in a fixed order); 2 matches the machines clinflow is benchmarked on.
  int threads = 2;
  /// Warm start: (weights, intercept), p + 1 values; empty starts from zero. The optimum and the
  /// stopping rule (relative to the gradient at zero) do not depend on it, only the work does.
  Eigen::VectorXd initial;
};

struct Fit {
  double intercept = 0;
  Eigen::VectorXd weights;
  int iterations = 0;
  bool converged = false;
  double gradient_norm = 0;  ///< at the result
  double initial_gradient_norm = 0;
  double loss = 0;  ///< L at the result
};

/// `x` rows are examples; `y` is 0/1; `sample_weight` one non-negative weight per row.
Fit fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& sample_weight,
        const Options& options);
/// The same on a sparse matrix: gradient and Hessian products cost O(non-zeros), not O(n p).
Fit fit(const Eigen::SparseMatrix<double>& x, const Eigen::VectorXd& y,
        const Eigen::VectorXd& sample_weight, const Options& options);

/// Weights making both classes weigh the same in total: n / (2 n_class) ("balanced", as
/// scikit-learn). A class with no row gets weight 0 (no row to weigh).
Eigen::VectorXd balanced_weights(const Eigen::VectorXd& y);

}  // namespace clinflow::builtin::logistic
