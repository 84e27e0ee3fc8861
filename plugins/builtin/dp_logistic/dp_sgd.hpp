// DP-SGD for logistic regression (Abadi et al. 2016, "Deep Learning with Differential Privacy"),
// on an Eigen matrix, independent of tables so it can be tested alone.
//
// Each step: Poisson-sample every row with probability q, compute each sampled row's gradient of
// the log loss with respect to (weights, intercept), clip it to L2 norm <= clip, sum, add
// N(0, (noise_multiplier * clip)^2 I), divide by the EXPECTED batch size q * n (not the drawn
// size, which would leak it), add the L2 penalty's gradient (data-independent), and take an SGD
// step. The privacy of this loop is what clinflow/rdp.hpp accounts: `steps` compositions of the
// subsampled Gaussian mechanism with rate q and noise multiplier sigma.
//
// @code
//   clinflow::dp::DpSgdConfig c;
//   c.sampling_rate = 0.01; c.steps = 2000; c.noise_multiplier = 1.1; c.seed = ctx.seed();
//   clinflow::dp::LogisticFit fit = clinflow::dp::train_dp_logistic(x, y, c);
// @endcode
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <vector>

#include "dp_random.hpp"

namespace clinflow::dp {

/// Row-major: a sampled row is contiguous, so a batch reads its rows' cache lines once.
using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Everything one DP-SGD run depends on besides the data.
struct DpSgdConfig {
  double sampling_rate = 0.01;  ///< q: each row's chance to be in a step's batch
  std::int64_t steps = 0;       ///< number of SGD steps
  double clip = 1.0;            ///< L2 bound on each example's gradient
  double noise_multiplier = 0;  ///< sigma: noise sd is sigma * clip; 0 = no noise (not private)
  double learning_rate = 0.1;
  double l2 = 0.0;  ///< penalty (l2 / 2) ||w||^2 on the weights, not the intercept
  std::uint64_t seed = 0;
  /// 2 or more: the next step's Poisson sample is drawn on a second thread. The batches
  /// (integers) and therefore the result are bit-identical for any value.
  int threads = 2;
};

/// A logistic model: P(y = 1 | x) = sigmoid(x . weights + intercept).
struct LogisticFit {
  Eigen::VectorXd weights;
  double intercept = 0.0;
  std::int64_t steps = 0;
  std::int64_t sampled_rows = 0;  ///< total batch rows over all steps (an aggregate)
};

/// Numerically stable 1 / (1 + e^-z).
double sigmoid(double z);

/// The rows of one Poisson sample (each row kept with probability q, independently), in
/// increasing order, drawn by geometric gaps: the distance to the next kept row is
/// floor(log(u) / log(1 - q)) for u uniform on (0, 1], which is exactly geometric, so the
/// sample is exactly Poisson with O(q rows) draws instead of one per row.
std::vector<Eigen::Index> poisson_sample(SplitMix64& rng, Eigen::Index rows, double q);

/// The trainer's sample for step `step` (from 0): rows cut in fixed parts by `rows` alone (two
/// halves from 65,536 rows), each part sampled by poisson_sample on its own stream seeded from
/// (seed, step, part), parts concatenated. Computed on up to `threads` threads; the result does
/// not depend on `threads`.
std::vector<Eigen::Index> poisson_sample_step(std::uint64_t seed, std::int64_t step,
                                              Eigen::Index rows, double q, int threads);

/// Per-example gradients of the log loss at (w, b) for the given rows, one row each:
/// columns 0..d-1 for the weights, column d for the intercept. Clipped to L2 norm <= clip
/// when clip > 0; a gradient already within the bound is returned unchanged. The inspectable
/// twin of clipped_gradient_sum (same scale factors), for tests.
Eigen::MatrixXd per_example_gradients(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                      const Eigen::VectorXd& w, double b,
                                      const std::vector<Eigen::Index>& rows, double clip);

/// The sum over `rows` of the clipped per-example gradients (length d + 1, intercept last),
/// without materialising them. `row_sq_norms` holds ||x_i||^2 for every row of x. Gathers the
/// rows into the row-major layout the trainer uses and runs the trainer's kernel on them.
Eigen::VectorXd clipped_gradient_sum(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                     const Eigen::VectorXd& row_sq_norms, const Eigen::VectorXd& w,
                                     double b, const std::vector<Eigen::Index>& rows, double clip);

/// Called now and then with the fraction done; returning false stops training (the trainer
/// then throws std::runtime_error("training cancelled")).
using KeepGoing = std::function<bool(double fraction_done)>;

/// Runs DP-SGD from zero weights. x is n x d (column-major, as Eigen stores it), y holds 0/1
/// labels. Throws std::invalid_argument for mismatched shapes, non-finite cells, labels other
/// than 0/1 or a configuration out of range.
LogisticFit train_dp_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                              const DpSgdConfig& config, const KeepGoing& keep_going = {});

}  // namespace clinflow::dp
