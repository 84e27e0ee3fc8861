// Gradient-boosted trees through libxgboost's C API: train a binary:logistic booster on a
// design matrix, save it as bytes, score a matrix with saved bytes.
//
// Kept apart from the plugin so `predict` can score xgboost models too. Whoever calls these
// functions must link libxgboost (CMake target xgboost::xgboost, defined GLOBAL in
// plugins/builtin/xgboost/CMakeLists.txt); other users of clinflow_builtin_common need not.
//
// @code
//   XgboostOptions o;  o.rounds = 200;  o.threads = 2;  o.seed = ctx.seed();
//   XgboostFit fit = xgboost_train(X, y, o, "xgboost");
//   std::vector<double> risk = xgboost_predict(fit.booster, X);   // == fit.train_risk
// @endcode
#pragma once

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace clinflow::builtin {

/// Hyper-parameters of xgboost_train (validated there: StepError when out of range).
struct XgboostOptions {
  int rounds = 200;            ///< boosting rounds (trees), >= 1
  int max_depth = 4;           ///< tree depth, 1..32
  double eta = 0.1;            ///< learning rate, in (0, 1]
  double subsample = 1.0;      ///< row sampling rate per tree, in (0, 1]
  int threads = 2;             ///< OpenMP threads; the result is identical for the same count
  std::uint64_t seed = 0;      ///< sampling seed (only matters when subsample < 1)
  std::string format = "ubj";  ///< booster bytes: "ubj" (binary JSON) or "json"
  /// Called after each round with the number of rounds done; may throw to stop (cancel).
  std::function<void(int)> on_round;
};

/// A trained booster and its own scores on the training rows.
struct XgboostFit {
  std::string booster;             ///< XGBoosterSaveModelToBuffer bytes, in options.format
  std::vector<double> train_risk;  ///< P(label = 1) for each training row (in-memory booster)
};

/// Trains objective binary:logistic, tree_method hist, on `X` (rows = examples) with 0/1
/// labels `y`. Zero cells (and NaN) are MISSING to xgboost, as in a sparse matrix: each split
/// learns where they go, so a one-hot 0 is the same as "not 1", and the dense and the sparse
/// form of one matrix train the same booster. Deterministic for the same data, options and
/// xgboost library. Throws StepError prefixed by `step` for bad options, an infinite or
/// too-large-for-float value, or any failing C API call (xgboost's message).
XgboostFit xgboost_train(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                         const XgboostOptions& options, const std::string& step);
/// The same from a sparse matrix (design.hpp sparse_matrix): much faster when most cells are
/// zero (one-hot categories); identical booster bytes to the dense form.
XgboostFit xgboost_train(const Eigen::SparseMatrix<double>& X, const Eigen::VectorXd& y,
                         const XgboostOptions& options, const std::string& step);

/// P(label = 1) for each row of `X` under the booster saved in `booster_bytes` (json or ubj,
/// detected by xgboost); zero cells are missing, as in training. `X` must have the model's
/// number of columns. Throws StepError ("xgboost: ...") when the bytes are not a booster or a
/// C API call fails. Same result for any `threads`.
std::vector<double> xgboost_predict(const std::string& booster_bytes, const Eigen::MatrixXd& X,
                                    int threads = 1);
/// The same from a sparse matrix (identical results; less memory for one-hot designs).
std::vector<double> xgboost_predict(const std::string& booster_bytes,
                                    const Eigen::SparseMatrix<double>& X, int threads = 1);

/// "1.7.4": the linked libxgboost's version (recorded in models).
std::string xgboost_version();

}  // namespace clinflow::builtin
