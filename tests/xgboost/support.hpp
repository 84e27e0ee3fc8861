// Fixtures for the xgboost tests: a synthetic problem with signal, and AUC to measure it.
#pragma once

#include <Eigen/Dense>
#include <cmath>
#include <cstdint>
#include <vector>

namespace xgboost_test {

/// splitmix64: a fixed, library-independent stream of 64-bit numbers.
struct SplitMix {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1).
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
};

/// n rows of three features in [-2, 2): the label depends on the first two (logistically), the
/// third is noise.
struct Problem {
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
};

inline Problem synthetic(int n, std::uint64_t seed = 42) {
  SplitMix rng{seed};
  Problem p{Eigen::MatrixXd(n, 3), Eigen::VectorXd(n)};
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 3; ++j) p.X(i, j) = 4 * rng.uniform() - 2;
    const double z = 2.0 * p.X(i, 0) - 1.5 * p.X(i, 1);
    p.y(i) = rng.uniform() < 1 / (1 + std::exp(-z)) ? 1 : 0;
  }
  return p;
}

/// Area under the ROC curve (Mann-Whitney; ties count one half).
inline double auc(const std::vector<double>& score, const Eigen::VectorXd& y) {
  double wins = 0, pairs = 0;
  for (std::size_t i = 0; i < score.size(); ++i) {
    if (y(Eigen::Index(i)) != 1) continue;
    for (std::size_t j = 0; j < score.size(); ++j) {
      if (y(Eigen::Index(j)) != 0) continue;
      pairs += 1;
      wins += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
    }
  }
  return pairs == 0 ? 0 : wins / pairs;
}

}  // namespace xgboost_test
