// The multilayer perceptron: see mlp_network.hpp.
//
// Implementation notes. A batch is processed as columns (features x examples), one matrix
// product per layer. Backpropagation keeps, per layer l, its input a_l and the loss derivative
// delta_l with respect to its pre-activation; example i's weight gradient is the outer product
// delta_l,i a_l,i^T, whose squared norm is |delta_l,i|^2 |a_l,i|^2, so every per-example norm
// comes from two column norms per layer without forming the gradients ("ghost" norms, Goodfellow
// 2015). The clipped sum is then delta_l diag(s) a_l^T with s_i = min(1, clip / norm_i).
// per_example_gradients forms the outer products from the very same pass for the tests.
#include "mlp_network.hpp"

#include <cmath>
#include <stdexcept>

#include "dp_random.hpp"

namespace clinflow::dp {

namespace {

double logistic(double z) {
  if (z >= 0.0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

/// log(1 + e^z) without overflow.
double softplus(double z) {
  return z > 0.0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}

Eigen::MatrixXd activate(Activation a, const Eigen::MatrixXd& z) {
  if (a == Activation::kRelu) return z.cwiseMax(0.0);
  return z.unaryExpr([](double v) { return std::tanh(v); });
}

/// The activation's derivative, from its OUTPUT (ReLU: 1 where positive; tanh: 1 - a^2).
Eigen::MatrixXd derivative_from_output(Activation a, const Eigen::MatrixXd& out) {
  if (a == Activation::kRelu) return (out.array() > 0.0).cast<double>().matrix();
  return (1.0 - out.array().square()).matrix();
}

/// The factor that brings a gradient of this norm within `clip` (1 when it already is).
double clip_scale(double norm, double clip) {
  return norm > clip ? clip / norm : 1.0;
}

/// Stream for the initial weights, apart from the sampling and noise streams.
std::uint64_t init_seed(std::uint64_t seed) {
  return SplitMix64(seed ^ 0x494E4954ULL).next();  // "INIT"
}

/// Layer inputs (features x examples) from a forward pass, and the output logits.
struct Forward {
  std::vector<Eigen::MatrixXd> inputs;  ///< inputs[l]: what layer l reads
  Eigen::RowVectorXd logits;
};

Forward forward(const MlpLayout& layout, const Eigen::VectorXd& theta, Eigen::MatrixXd batch) {
  Forward f;
  f.inputs.push_back(std::move(batch));
  for (std::size_t l = 0; l < layout.layers(); ++l) {
    Eigen::MatrixXd z = layout.weights(theta, l) * f.inputs[l];
    z.colwise() += layout.bias(theta, l);
    if (l + 1 < layout.layers())
      f.inputs.push_back(activate(layout.shape().activation, z));
    else
      f.logits = z.row(0);
  }
  return f;
}

/// Backpropagation for a batch: the deltas of every layer and each example's squared gradient
/// norm over all parameters.
struct Backward {
  Forward fwd;
  std::vector<Eigen::MatrixXd> deltas;  ///< deltas[l]: d loss_i / d z_l, outputs(l) x examples
  Eigen::RowVectorXd sq_norms;
};

Backward backward(const MlpLayout& layout, const Eigen::VectorXd& theta, const Eigen::MatrixXd& x,
                  const Eigen::VectorXd& y, const std::vector<Eigen::Index>& rows) {
  Backward b{forward(layout, theta, x(rows, Eigen::all).transpose()), {}, {}};
  const std::size_t layers = layout.layers();
  const auto batch = static_cast<Eigen::Index>(rows.size());
  b.deltas.resize(layers);
  b.deltas[layers - 1].resize(1, batch);
  for (Eigen::Index k = 0; k < batch; ++k)
    b.deltas[layers - 1](0, k) = logistic(b.fwd.logits[k]) - y[rows[std::size_t(k)]];
  b.sq_norms = Eigen::RowVectorXd::Zero(batch);
  for (std::size_t l = layers; l-- > 0;) {
    const Eigen::MatrixXd& in = b.fwd.inputs[l];
    b.sq_norms.array() +=
        b.deltas[l].colwise().squaredNorm().array() * (in.colwise().squaredNorm().array() + 1.0);
    if (l > 0)
      b.deltas[l - 1] = (layout.weights(theta, l).transpose() * b.deltas[l])
                            .cwiseProduct(derivative_from_output(layout.shape().activation, in));
  }
  return b;
}

}  // namespace

const char* activation_name(Activation a) {
  return a == Activation::kRelu ? "relu" : "tanh";
}

Activation activation_from_name(const std::string& name) {
  if (name == "relu") return Activation::kRelu;
  if (name == "tanh") return Activation::kTanh;
  throw std::invalid_argument("dp_mlp: unknown activation '" + name + "' (relu or tanh)");
}

MlpLayout::MlpLayout(MlpShape shape) : shape_(std::move(shape)) {
  if (shape_.inputs < 1) throw std::invalid_argument("dp_mlp: the network needs >= 1 input");
  if (shape_.hidden.empty() || shape_.hidden.size() > 2)
    throw std::invalid_argument("dp_mlp: hidden must list 1 or 2 layer widths");
  for (Eigen::Index width : shape_.hidden)
    if (width < 1) throw std::invalid_argument("dp_mlp: hidden layer widths must be >= 1");
  offsets_.push_back(0);
  for (std::size_t l = 0; l < layers(); ++l)
    offsets_.push_back(offsets_.back() + outputs(l) * inputs(l) + outputs(l));
}

Eigen::Index MlpLayout::outputs(std::size_t layer) const {
  return layer < shape_.hidden.size() ? shape_.hidden[layer] : 1;
}

Eigen::Index MlpLayout::inputs(std::size_t layer) const {
  return layer == 0 ? shape_.inputs : shape_.hidden[layer - 1];
}

Eigen::Index MlpLayout::bias_offset(std::size_t layer) const {
  return offsets_[layer] + outputs(layer) * inputs(layer);
}

Eigen::Map<const Eigen::MatrixXd> MlpLayout::weights(const Eigen::VectorXd& theta,
                                                     std::size_t layer) const {
  return {theta.data() + weight_offset(layer), outputs(layer), inputs(layer)};
}

Eigen::Map<const Eigen::VectorXd> MlpLayout::bias(const Eigen::VectorXd& theta,
                                                  std::size_t layer) const {
  return {theta.data() + bias_offset(layer), outputs(layer)};
}

Eigen::VectorXd initial_parameters(const MlpLayout& layout, std::uint64_t seed) {
  SplitMix64 rng(init_seed(seed));
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(layout.size());
  for (std::size_t l = 0; l < layout.layers(); ++l) {
    const auto fan_in = static_cast<double>(layout.inputs(l));
    const auto fan_out = static_cast<double>(layout.outputs(l));
    const bool relu = l + 1 < layout.layers() && layout.shape().activation == Activation::kRelu;
    const double bound = std::sqrt(6.0 / (relu ? fan_in : fan_in + fan_out));
    for (Eigen::Index k = layout.weight_offset(l); k < layout.bias_offset(l); ++k)
      theta[k] = bound * (2.0 * rng.uniform() - 1.0);
  }
  return theta;
}

Eigen::VectorXd predict_risk(const MlpLayout& layout, const Eigen::VectorXd& theta,
                             const Eigen::MatrixXd& x) {
  const Forward f = forward(layout, theta, x.transpose());
  return f.logits.transpose().unaryExpr([](double z) { return logistic(z); });
}

double mean_log_loss(const MlpLayout& layout, const Eigen::VectorXd& theta,
                     const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  const Forward f = forward(layout, theta, x.transpose());
  double sum = 0.0;
  for (Eigen::Index i = 0; i < y.size(); ++i) sum += softplus(f.logits[i]) - y[i] * f.logits[i];
  return sum / static_cast<double>(y.size());
}

Eigen::MatrixXd per_example_gradients(const MlpLayout& layout, const Eigen::VectorXd& theta,
                                      const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                      const std::vector<Eigen::Index>& rows, double clip) {
  const Backward b = backward(layout, theta, x, y, rows);
  Eigen::MatrixXd g(static_cast<Eigen::Index>(rows.size()), layout.size());
  Eigen::VectorXd one(layout.size());
  for (Eigen::Index k = 0; k < g.rows(); ++k) {
    for (std::size_t l = 0; l < layout.layers(); ++l) {
      Eigen::Map<Eigen::MatrixXd>(one.data() + layout.weight_offset(l), layout.outputs(l),
                                  layout.inputs(l)) =
          b.deltas[l].col(k) * b.fwd.inputs[l].col(k).transpose();
      one.segment(layout.bias_offset(l), layout.outputs(l)) = b.deltas[l].col(k);
    }
    g.row(k) = clip_scale(std::sqrt(b.sq_norms[k]), clip) * one.transpose();
  }
  return g;
}

Eigen::VectorXd clipped_gradient_sum(const MlpLayout& layout, const Eigen::VectorXd& theta,
                                     const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                     const std::vector<Eigen::Index>& rows, double clip) {
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(layout.size());
  if (rows.empty()) return sum;
  const Backward b = backward(layout, theta, x, y, rows);
  const Eigen::RowVectorXd scale =
      b.sq_norms.unaryExpr([clip](double sq) { return clip_scale(std::sqrt(sq), clip); });
  for (std::size_t l = 0; l < layout.layers(); ++l) {
    const Eigen::MatrixXd scaled = b.deltas[l] * scale.asDiagonal();
    Eigen::Map<Eigen::MatrixXd>(sum.data() + layout.weight_offset(l), layout.outputs(l),
                                layout.inputs(l)) = scaled * b.fwd.inputs[l].transpose();
    sum.segment(layout.bias_offset(l), layout.outputs(l)) = scaled.rowwise().sum();
  }
  return sum;
}

builtin::MlpParameters to_model_parameters(const MlpLayout& layout, const Eigen::VectorXd& theta) {
  builtin::MlpParameters p;
  for (std::size_t l = 0; l < layout.layers(); ++l) {
    const bool last = l + 1 == layout.layers();
    p.layers.push_back({last ? "sigmoid" : activation_name(layout.shape().activation),
                        layout.weights(theta, l), layout.bias(theta, l)});
  }
  return p;
}

}  // namespace clinflow::dp
