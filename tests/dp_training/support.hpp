// Fixtures for the DP training tests: synthetic data from a fixed seed, and a reference
// clipped SGD written independently of the kernel (plain loops, no Eigen expressions).
#pragma once

#include <Eigen/Dense>
#include <cmath>
#include <cstdint>
#include <vector>

#include "dp_random.hpp"
#include "dp_sgd.hpp"

namespace dp_test {

/// n rows of d features in [-2, 2] (one column scaled up, so some gradients need clipping) and
/// labels from a noisy linear rule.
struct Data {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
};

inline Data synthetic(Eigen::Index n, Eigen::Index d, std::uint64_t seed) {
  clinflow::dp::SplitMix64 rng(seed);
  Data data{Eigen::MatrixXd(n, d), Eigen::VectorXd(n)};
  for (Eigen::Index i = 0; i < n; ++i) {
    double score = 0.3;
    for (Eigen::Index j = 0; j < d; ++j) {
      data.x(i, j) = (4.0 * rng.uniform() - 2.0) * (j == 0 ? 3.0 : 1.0);
      score += (j % 2 == 0 ? 0.8 : -0.5) * data.x(i, j);
    }
    data.y[i] = rng.uniform() < 1.0 / (1.0 + std::exp(-score)) ? 1.0 : 0.0;
  }
  return data;
}

/// Clipped SGD without noise, from zero weights, on the kernel's batches (poisson_sample_step,
/// tested on its own): what it checks is the arithmetic, written out with plain loops.
struct Reference {
  std::vector<double> w;
  double b = 0;
};

inline Reference reference_clipped_sgd(const Data& data, double q, std::int64_t steps, double clip,
                                       double lr, double l2, std::uint64_t seed) {
  const auto n = static_cast<std::size_t>(data.x.rows());
  const auto d = static_cast<std::size_t>(data.x.cols());
  Reference m{std::vector<double>(d, 0.0), 0.0};
  for (std::int64_t t = 0; t < steps; ++t) {
    std::vector<double> sum(d + 1, 0.0);
    for (const Eigen::Index row : clinflow::dp::poisson_sample_step(
             clinflow::dp::sampling_seed(seed), t, data.x.rows(), q, 1)) {
      double z = m.b;
      for (std::size_t j = 0; j < d; ++j) z += m.w[j] * data.x(row, static_cast<Eigen::Index>(j));
      const double r = 1.0 / (1.0 + std::exp(-z)) - data.y[row];
      std::vector<double> g(d + 1);
      double norm2 = 0;
      for (std::size_t j = 0; j < d; ++j) {
        g[j] = r * data.x(row, static_cast<Eigen::Index>(j));
        norm2 += g[j] * g[j];
      }
      g[d] = r;
      norm2 += r * r;
      const double scale = std::sqrt(norm2) > clip ? clip / std::sqrt(norm2) : 1.0;
      for (std::size_t j = 0; j <= d; ++j) sum[j] += scale * g[j];
    }
    const double expected = q * static_cast<double>(n);
    for (std::size_t j = 0; j < d; ++j) m.w[j] -= lr * (sum[j] / expected + l2 * m.w[j]);
    m.b -= lr * sum[d] / expected;
  }
  return m;
}

}  // namespace dp_test
