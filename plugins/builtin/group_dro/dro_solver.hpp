// Group distributionally robust logistic regression (Sagawa et al. 2020, "Distributionally
// Robust Neural Networks"), solved to optimality for the convex logistic model:
//   minimise  n max_g L_g(w, b) + (l2 / 2) |w|^2,   L_g = mean log loss of the rows of group g
// (n = rows, so l2 means what it means for logistic: at equal group weights q_g = n_g / n the
// objective is logistic's). Its dual is max over the simplex of D(q) = min_theta
// sum_i s_i loss_i + penalty with s_i = n q_g / n_g: a q-weighted logistic fit.
#pragma once

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <vector>

#include "logistic_fit.hpp"

namespace clinflow::builtin::group_dro {

struct Options {
  logistic::Options inner;  ///< l2 and the Newton solver of each q-weighted fit
  double eta = 1.0;         ///< first exponentiated-gradient step on q (adapted as it goes)
  int max_iter = 200;       ///< q-weighted fits at most
  double tol = 1e-7;        ///< stop when max_g L_g - sum_g q_g L_g <= tol (the duality gap)
};

struct Result {
  logistic::Fit fit;           ///< the model at the final q
  Eigen::VectorXd q;           ///< final group weights (sum 1)
  Eigen::VectorXd group_loss;  ///< mean log loss per group at the result
  int fits = 0;                ///< q-weighted fits run (accepted and rejected)
  int accepted = 0;            ///< q updates accepted
  bool converged = false;
  double gap = 0;  ///< max_g L_g - sum_g q_g L_g at the result (>= 0; 0 at the optimum)
  double eta = 0;  ///< the step size at the end
};

/// Mean log loss of each group under a fit (`group[i]` in [0, groups)).
Eigen::VectorXd group_losses(const Eigen::VectorXd& margins, const Eigen::VectorXd& y,
                             const std::vector<int>& group, int groups);

/// Solves the problem above. `group[i]` in [0, groups), every group non-empty.
Result fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const std::vector<int>& group,
           int groups, const Options& options);
Result fit(const Eigen::SparseMatrix<double>& x, const Eigen::VectorXd& y,
           const std::vector<int>& group, int groups, const Options& options);

}  // namespace clinflow::builtin::group_dro
