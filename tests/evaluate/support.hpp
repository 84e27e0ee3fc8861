// Fixed prediction sets for the metric tests: risks with many ties, labels drawn from them, and
// clusters of one to three rows (patients with several stays).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "dp_random.hpp"

namespace evaluate_test {

struct Predictions {
  std::vector<double> risk;
  std::vector<int> label;
  std::vector<std::int64_t> cluster;
};

/// `decimals` rounds the risks so that ties are common (0 = no rounding).
inline Predictions predictions(std::size_t n, std::uint64_t seed, int decimals) {
  clinflow::dp::SplitMix64 rng(seed);
  Predictions p;
  std::int64_t patient = 1000;
  for (std::size_t i = 0; i < n; ++i) {
    double r = 0.06 + 0.88 * rng.uniform();
    if (decimals > 0) r = std::round(r * std::pow(10, decimals)) / std::pow(10, decimals);
    p.risk.push_back(r);
    // Events a little more likely than the risk says: calibration is imperfect on purpose.
    p.label.push_back(rng.uniform() < std::min(1.0, 0.8 * r + 0.1) ? 1 : 0);
    if (rng.uniform() < 0.6) ++patient;
    p.cluster.push_back(patient * 7 % 1009);
  }
  return p;
}

}  // namespace evaluate_test
