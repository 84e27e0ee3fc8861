// DP-SGD for the multilayer perceptron: see mlp_dp_sgd.hpp.
//
// Implementation notes. The batches come from dp_sgd.hpp's poisson_sample on the sampling
// stream and the noise from its own stream (dp_random.hpp), exactly as dp_logistic, so switching
// the noise off trains on the very same batches. Noise is drawn for every parameter of every
// step, even for an empty batch (skipping it would reveal that the batch was empty).
#include "mlp_dp_sgd.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "dp_random.hpp"

namespace clinflow::dp {

namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::invalid_argument("dp_mlp: " + what);
}

void check_config(const DpSgdConfig& c) {
  if (!(c.sampling_rate > 0.0 && c.sampling_rate <= 1.0)) fail("sampling_rate must be in (0, 1]");
  if (c.steps < 0) fail("steps must be >= 0");
  if (!(c.clip > 0.0)) fail("clip must be > 0");
  if (!(c.noise_multiplier >= 0.0) || std::isinf(c.noise_multiplier))
    fail("noise_multiplier must be a finite number >= 0");
  if (!(c.learning_rate > 0.0) || std::isinf(c.learning_rate))
    fail("learning_rate must be a finite number > 0");
  if (!(c.l2 >= 0.0) || std::isinf(c.l2)) fail("l2 must be a finite number >= 0");
}

void check_data(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const MlpLayout& layout) {
  if (x.rows() != y.size())
    fail(std::to_string(x.rows()) + " rows but " + std::to_string(y.size()) + " labels");
  if (x.cols() != layout.shape().inputs)
    fail(std::to_string(x.cols()) + " features but a network for " +
         std::to_string(layout.shape().inputs));
  if (x.rows() == 0) fail("no training rows");
  if (!x.allFinite()) fail("features hold non-finite values");
  for (Eigen::Index i = 0; i < y.size(); ++i)
    if (y[i] != 0.0 && y[i] != 1.0) fail("label at row " + std::to_string(i) + " is not 0 or 1");
}

}  // namespace

MlpFit train_dp_mlp(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const MlpLayout& layout,
                    const DpSgdConfig& config, const KeepGoing& keep_going) {
  check_config(config);
  check_data(x, y, layout);
  const double expected_batch = config.sampling_rate * static_cast<double>(x.rows());
  const double noise_sd = config.noise_multiplier * config.clip;
  SplitMix64 sampler(sampling_seed(config.seed));
  GaussianStream noise(noise_seed(config.seed));
  MlpFit fit;
  fit.theta = initial_parameters(layout, config.seed);
  const std::int64_t report_every = std::max<std::int64_t>(1, config.steps / 100);
  for (std::int64_t step = 0; step < config.steps; ++step) {
    if (keep_going && step % report_every == 0 &&
        !keep_going(static_cast<double>(step) / static_cast<double>(config.steps)))
      throw std::runtime_error("training cancelled");
    const std::vector<Eigen::Index> rows = poisson_sample(sampler, x.rows(), config.sampling_rate);
    fit.sampled_rows += static_cast<std::int64_t>(rows.size());
    Eigen::VectorXd g = clipped_gradient_sum(layout, fit.theta, x, y, rows, config.clip);
    if (noise_sd > 0.0)
      for (Eigen::Index k = 0; k < g.size(); ++k) g[k] += noise_sd * noise.next();
    g /= expected_batch;
    for (std::size_t l = 0; l < layout.layers(); ++l) {
      const Eigen::Index begin = layout.weight_offset(l), count = layout.bias_offset(l) - begin;
      g.segment(begin, count) += config.l2 * fit.theta.segment(begin, count);
    }
    fit.theta -= config.learning_rate * g;
  }
  fit.steps = config.steps;
  return fit;
}

}  // namespace clinflow::dp
