// DP-SGD for the multilayer perceptron (mlp_network.hpp), the same mechanism as dp_logistic's
// kernel (dp_sgd.hpp): each step Poisson-samples rows with probability q, clips each example's
// gradient of the WHOLE parameter vector to L2 norm <= clip, sums, adds N(0, (sigma clip)^2 I),
// divides by the expected batch size q n, adds the L2 penalty's gradient and steps. Its privacy
// is therefore what clinflow/rdp.hpp accounts for `steps` subsampled Gaussian compositions.
//
// @code
//   clinflow::dp::DpSgdConfig c;  // dp_sgd.hpp: sampling_rate, steps, clip, noise, lr, l2, seed
//   c.sampling_rate = 0.01; c.steps = 2000; c.noise_multiplier = 1.1; c.seed = ctx.seed();
//   clinflow::dp::MlpFit fit = clinflow::dp::train_dp_mlp(x, y, layout, c);
// @endcode
#pragma once

#include <Eigen/Dense>
#include <cstdint>

#include "dp_sgd.hpp"
#include "mlp_network.hpp"

namespace clinflow::dp {

/// A trained network: parameters in `layout`'s flat order.
struct MlpFit {
  Eigen::VectorXd theta;
  std::int64_t steps = 0;
  std::int64_t sampled_rows = 0;  ///< total batch rows over all steps (an aggregate)
};

/// Runs DP-SGD from initial_parameters(layout, config.seed). config.clip may be kNoClip and
/// config.noise_multiplier 0 (then it is plain SGD, not private: for tests). The L2 penalty
/// (l2 / 2) |W|^2 covers the weights, not the biases. Single-threaded, so the result depends
/// on the inputs and the seed only. Throws std::invalid_argument for mismatched shapes,
/// non-finite cells, labels other than 0/1 or a configuration out of range, and
/// std::runtime_error("training cancelled") when keep_going returns false.
MlpFit train_dp_mlp(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const MlpLayout& layout,
                    const DpSgdConfig& config, const KeepGoing& keep_going = {});

}  // namespace clinflow::dp
