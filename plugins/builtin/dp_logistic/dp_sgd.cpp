// DP-SGD for logistic regression: see dp_sgd.hpp.
//
// Implementation notes. A logistic example's gradient is r_i [x_i; 1] with r_i = p_i - y_i, so
// its norm is |r_i| sqrt(||x_i||^2 + 1): clipping needs only one scale factor per example, and
// the clipped sum is X_b^T (s .* r) plus sum(s .* r) for the intercept. Row norms are computed
// once. per_example_gradients materialises the same factors for the tests. The sampling and the
// noise draw from separate streams, so noise_multiplier = 0 trains on the very same batches.
// Noise is drawn even for an empty batch: skipping it would reveal the batch was empty.
#include "dp_sgd.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace clinflow::dp {

namespace {

/// The factor that brings a gradient of this norm within `clip` (1 when it already is).
double clip_scale(double norm, double clip) {
  return clip > 0.0 && norm > clip ? clip / norm : 1.0;
}

void check_config(const DpSgdConfig& c) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("dp_logistic: " + what); };
  if (!(c.sampling_rate > 0.0 && c.sampling_rate <= 1.0)) fail("sampling_rate must be in (0, 1]");
  if (c.steps < 0) fail("steps must be >= 0");
  if (!(c.clip > 0.0) || std::isinf(c.clip)) fail("clip must be a finite number > 0");
  if (!(c.noise_multiplier >= 0.0) || std::isinf(c.noise_multiplier))
    fail("noise_multiplier must be a finite number >= 0");
  if (!(c.learning_rate > 0.0) || std::isinf(c.learning_rate))
    fail("learning_rate must be a finite number > 0");
  if (!(c.l2 >= 0.0) || std::isinf(c.l2)) fail("l2 must be a finite number >= 0");
}

void check_data(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  if (x.rows() != y.size())
    throw std::invalid_argument("dp_logistic: " + std::to_string(x.rows()) + " rows but " +
                                std::to_string(y.size()) + " labels");
  if (x.rows() == 0) throw std::invalid_argument("dp_logistic: no training rows");
  if (!x.allFinite()) throw std::invalid_argument("dp_logistic: features hold non-finite values");
  for (Eigen::Index i = 0; i < y.size(); ++i)
    if (y[i] != 0.0 && y[i] != 1.0)
      throw std::invalid_argument("dp_logistic: label at row " + std::to_string(i) +
                                  " is not 0 or 1");
}

}  // namespace

double sigmoid(double z) {
  if (z >= 0.0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

std::vector<Eigen::Index> poisson_sample(SplitMix64& rng, Eigen::Index rows, double q) {
  std::vector<Eigen::Index> batch;
  batch.reserve(static_cast<std::size_t>(q * static_cast<double>(rows) * 1.5) + 8);
  for (Eigen::Index i = 0; i < rows; ++i)
    if (rng.uniform() < q) batch.push_back(i);
  return batch;
}

Eigen::MatrixXd per_example_gradients(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                      const Eigen::VectorXd& w, double b,
                                      const std::vector<Eigen::Index>& rows, double clip) {
  const Eigen::Index d = x.cols();
  Eigen::MatrixXd g(static_cast<Eigen::Index>(rows.size()), d + 1);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const Eigen::Index i = rows[k], r = static_cast<Eigen::Index>(k);
    const double residual = sigmoid(x.row(i).dot(w) + b) - y[i];
    g.row(r).head(d) = residual * x.row(i);
    g(r, d) = residual;
    const double norm = std::abs(residual) * std::sqrt(x.row(i).squaredNorm() + 1.0);
    g.row(r) *= clip_scale(norm, clip);
  }
  return g;
}

Eigen::VectorXd clipped_gradient_sum(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                     const Eigen::VectorXd& row_sq_norms, const Eigen::VectorXd& w,
                                     double b, const std::vector<Eigen::Index>& rows, double clip) {
  const Eigen::Index d = x.cols();
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(d + 1);
  if (rows.empty()) return sum;
  const Eigen::MatrixXd batch = x(rows, Eigen::all);
  const Eigen::VectorXd margins = batch * w;
  Eigen::VectorXd coef(batch.rows());
  for (Eigen::Index k = 0; k < batch.rows(); ++k) {
    const Eigen::Index i = rows[static_cast<std::size_t>(k)];
    const double residual = sigmoid(margins[k] + b) - y[i];
    const double norm = std::abs(residual) * std::sqrt(row_sq_norms[i] + 1.0);
    coef[k] = residual * clip_scale(norm, clip);
  }
  sum.head(d) = batch.transpose() * coef;
  sum[d] = coef.sum();
  return sum;
}

LogisticFit train_dp_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                              const DpSgdConfig& config, const KeepGoing& keep_going) {
  check_config(config);
  check_data(x, y);
  const Eigen::Index n = x.rows(), d = x.cols();
  const Eigen::VectorXd row_sq_norms = x.rowwise().squaredNorm();
  const double expected_batch = config.sampling_rate * static_cast<double>(n);
  const double noise_sd = config.noise_multiplier * config.clip;
  SplitMix64 sampler(sampling_seed(config.seed));
  GaussianStream noise(noise_seed(config.seed));
  LogisticFit fit;
  fit.weights = Eigen::VectorXd::Zero(d);
  const std::int64_t report_every = std::max<std::int64_t>(1, config.steps / 100);
  for (std::int64_t step = 0; step < config.steps; ++step) {
    if (keep_going && step % report_every == 0 &&
        !keep_going(static_cast<double>(step) / static_cast<double>(config.steps)))
      throw std::runtime_error("training cancelled");
    const std::vector<Eigen::Index> rows = poisson_sample(sampler, n, config.sampling_rate);
    fit.sampled_rows += static_cast<std::int64_t>(rows.size());
    Eigen::VectorXd g =
        clipped_gradient_sum(x, y, row_sq_norms, fit.weights, fit.intercept, rows, config.clip);
    if (noise_sd > 0.0)
      for (Eigen::Index k = 0; k <= d; ++k) g[k] += noise_sd * noise.next();
    g /= expected_batch;
    g.head(d) += config.l2 * fit.weights;
    fit.weights -= config.learning_rate * g.head(d);
    fit.intercept -= config.learning_rate * g[d];
  }
  fit.steps = config.steps;
  return fit;
}

}  // namespace clinflow::dp
