// Fixtures for the dp_mlp tests: toy data from a fixed seed, and a reference full-batch gradient
// descent for the network written independently of the kernel (plain loops, explicit
// backpropagation per example, no Eigen expressions).
#pragma once

#include <Eigen/Dense>
#include <cmath>
#include <cstdint>
#include <vector>

#include "dp_random.hpp"
#include "mlp_network.hpp"

namespace mlp_test {

struct Data {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
};

/// XOR-like: x uniform on [-1, 1]^2, label 1 when x1 x2 > 0. No linear rule beats chance much.
inline Data xor_data(Eigen::Index n, std::uint64_t seed) {
  clinflow::dp::SplitMix64 rng(seed);
  Data d{Eigen::MatrixXd(n, 2), Eigen::VectorXd(n)};
  for (Eigen::Index i = 0; i < n; ++i) {
    d.x(i, 0) = 2.0 * rng.uniform() - 1.0;
    d.x(i, 1) = 2.0 * rng.uniform() - 1.0;
    d.y[i] = d.x(i, 0) * d.x(i, 1) > 0.0 ? 1.0 : 0.0;
  }
  return d;
}

/// n rows of `features` values in [-3, 3] (large enough that many gradients need clipping) and
/// labels from a noisy nonlinear rule.
inline Data noisy_data(Eigen::Index n, Eigen::Index features, std::uint64_t seed) {
  clinflow::dp::SplitMix64 rng(seed);
  Data d{Eigen::MatrixXd(n, features), Eigen::VectorXd(n)};
  for (Eigen::Index i = 0; i < n; ++i) {
    double score = 0.2;
    for (Eigen::Index j = 0; j < features; ++j) {
      d.x(i, j) = 6.0 * rng.uniform() - 3.0;
      score += (j % 2 == 0 ? 0.7 : -0.4) * d.x(i, j) * (j == 0 ? d.x(i, j) : 1.0);
    }
    d.y[i] = rng.uniform() < 1.0 / (1.0 + std::exp(-score)) ? 1.0 : 0.0;
  }
  return d;
}

/// Fraction of rows where (risk > 0.5) equals the label.
inline double accuracy(const Eigen::VectorXd& risk, const Eigen::VectorXd& y) {
  double right = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) right += (risk[i] > 0.5) == (y[i] == 1.0);
  return right / static_cast<double>(y.size());
}

/// Plain gradient descent on mean log loss + (l2 / 2) |W|^2 from theta0, `steps` full-batch
/// steps. Parameters are addressed through the layout's offsets only (W_l(o, i) at
/// weight_offset(l) + o + i * outputs(l)); everything else is written out here.
inline std::vector<double> reference_gradient_descent(const clinflow::dp::MlpLayout& layout,
                                                      std::vector<double> theta, const Data& data,
                                                      int steps, double lr, double l2) {
  const std::size_t layers = layout.layers();
  const bool relu = layout.shape().activation == clinflow::dp::Activation::kRelu;
  const auto w = [&](const std::vector<double>& t, std::size_t l, Eigen::Index o, Eigen::Index i) {
    return t[std::size_t(layout.weight_offset(l) + o + i * layout.outputs(l))];
  };
  for (int step = 0; step < steps; ++step) {
    std::vector<double> grad(theta.size(), 0.0);
    for (Eigen::Index row = 0; row < data.x.rows(); ++row) {
      // Forward: a[l] is the input of layer l.
      std::vector<std::vector<double>> a(layers + 1);
      for (Eigen::Index j = 0; j < data.x.cols(); ++j) a[0].push_back(data.x(row, j));
      for (std::size_t l = 0; l < layers; ++l) {
        for (Eigen::Index o = 0; o < layout.outputs(l); ++o) {
          double z = theta[std::size_t(layout.bias_offset(l) + o)];
          for (Eigen::Index i = 0; i < layout.inputs(l); ++i)
            z += w(theta, l, o, i) * a[l][std::size_t(i)];
          const bool hidden = l + 1 < layers;
          a[l + 1].push_back(!hidden ? z : relu ? (z > 0 ? z : 0.0) : std::tanh(z));
        }
      }
      // Backward: delta = d loss / d z of the current layer.
      std::vector<double> delta{1.0 / (1.0 + std::exp(-a[layers][0])) - data.y[row]};
      for (std::size_t l = layers; l-- > 0;) {
        for (Eigen::Index o = 0; o < layout.outputs(l); ++o) {
          for (Eigen::Index i = 0; i < layout.inputs(l); ++i)
            grad[std::size_t(layout.weight_offset(l) + o + i * layout.outputs(l))] +=
                delta[std::size_t(o)] * a[l][std::size_t(i)];
          grad[std::size_t(layout.bias_offset(l) + o)] += delta[std::size_t(o)];
        }
        if (l == 0) break;
        std::vector<double> below(std::size_t(layout.inputs(l)), 0.0);
        for (Eigen::Index i = 0; i < layout.inputs(l); ++i) {
          for (Eigen::Index o = 0; o < layout.outputs(l); ++o)
            below[std::size_t(i)] += w(theta, l, o, i) * delta[std::size_t(o)];
          const double out = a[l][std::size_t(i)];
          below[std::size_t(i)] *= relu ? (out > 0 ? 1.0 : 0.0) : 1.0 - out * out;
        }
        delta = below;
      }
    }
    const auto n = static_cast<double>(data.x.rows());
    for (std::size_t l = 0; l < layers; ++l)
      for (Eigen::Index k = layout.weight_offset(l); k < layout.bias_offset(l); ++k)
        grad[std::size_t(k)] += l2 * n * theta[std::size_t(k)];
    for (std::size_t k = 0; k < theta.size(); ++k) theta[k] -= lr * grad[k] / n;
  }
  return theta;
}

}  // namespace mlp_test
