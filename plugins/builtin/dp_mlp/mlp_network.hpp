// A small multilayer perceptron for binary risk: one or two hidden layers (ReLU or tanh) and a
// sigmoid output unit, with all parameters in ONE flat vector so DP-SGD can clip, noise and
// update them as a whole. Independent of tables and plugins so the tests call it directly.
//
// Flat layout (MlpLayout): for each layer, input layer first, its weights (outputs x inputs,
// column-major, as Eigen stores a MatrixXd) and then its bias.
//
// @code
//   clinflow::dp::MlpLayout layout({/*inputs=*/12, /*hidden=*/{32, 16}, Activation::kRelu});
//   Eigen::VectorXd theta = clinflow::dp::initial_parameters(layout, seed);
//   Eigen::VectorXd risk = clinflow::dp::predict_risk(layout, theta, x);
// @endcode
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "model.hpp"

namespace clinflow::dp {

/// The hidden layers' nonlinearity.
enum class Activation { kRelu, kTanh };

/// "relu" or "tanh".
const char* activation_name(Activation a);
/// The activation called `name`; throws std::invalid_argument for any other name.
Activation activation_from_name(const std::string& name);

/// The architecture: `inputs` features, hidden layer widths, one sigmoid output.
struct MlpShape {
  Eigen::Index inputs = 0;
  std::vector<Eigen::Index> hidden;  ///< one or two widths, each >= 1
  Activation activation = Activation::kRelu;
};

/// Where each layer's weights and bias live in the flat parameter vector.
class MlpLayout {
 public:
  /// Throws std::invalid_argument unless inputs >= 1 and there are 1 or 2 hidden widths >= 1.
  explicit MlpLayout(MlpShape shape);

  const MlpShape& shape() const { return shape_; }
  /// Hidden layers + the output layer.
  std::size_t layers() const { return shape_.hidden.size() + 1; }
  Eigen::Index outputs(std::size_t layer) const;  ///< rows of the layer's weight matrix
  Eigen::Index inputs(std::size_t layer) const;   ///< columns of the layer's weight matrix
  Eigen::Index weight_offset(std::size_t layer) const { return offsets_[layer]; }
  Eigen::Index bias_offset(std::size_t layer) const;
  /// Total number of parameters.
  Eigen::Index size() const { return offsets_.back(); }

  Eigen::Map<const Eigen::MatrixXd> weights(const Eigen::VectorXd& theta, std::size_t layer) const;
  Eigen::Map<const Eigen::VectorXd> bias(const Eigen::VectorXd& theta, std::size_t layer) const;

 private:
  MlpShape shape_;
  std::vector<Eigen::Index> offsets_;  ///< start of each layer, then the total size
};

/// Deterministic starting point from `seed`: weights uniform on [-a, a] with a = sqrt(6 / fan_in)
/// for ReLU layers (He) and sqrt(6 / (fan_in + fan_out)) otherwise (Glorot), biases zero. Drawn
/// from SplitMix64 (dp_random.hpp) on a stream of its own, independent of sampling and noise.
Eigen::VectorXd initial_parameters(const MlpLayout& layout, std::uint64_t seed);

/// P(y = 1 | x) for every row of x (n x inputs).
Eigen::VectorXd predict_risk(const MlpLayout& layout, const Eigen::VectorXd& theta,
                             const Eigen::MatrixXd& x);

/// Mean log loss over the rows of x (labels 0/1), computed stably from the output logit.
double mean_log_loss(const MlpLayout& layout, const Eigen::VectorXd& theta,
                     const Eigen::MatrixXd& x, const Eigen::VectorXd& y);

/// No clipping: the bound that per_example_gradients / clipped_gradient_sum never reach.
inline constexpr double kNoClip = std::numeric_limits<double>::infinity();

/// Per-example gradients of the log loss at theta for the given rows (one row each, in the flat
/// layout), each clipped to L2 norm <= clip (a gradient within the bound is unchanged). The
/// inspectable twin of clipped_gradient_sum (same pass, same scale factors), for tests.
Eigen::MatrixXd per_example_gradients(const MlpLayout& layout, const Eigen::VectorXd& theta,
                                      const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                      const std::vector<Eigen::Index>& rows, double clip);

/// The sum over `rows` of the clipped per-example gradients, without materialising them.
Eigen::VectorXd clipped_gradient_sum(const MlpLayout& layout, const Eigen::VectorXd& theta,
                                     const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                     const std::vector<Eigen::Index>& rows, double clip);

/// The network as model-artifact parameters (kind dp_mlp; model.hpp).
builtin::MlpParameters to_model_parameters(const MlpLayout& layout, const Eigen::VectorXd& theta);

}  // namespace clinflow::dp
