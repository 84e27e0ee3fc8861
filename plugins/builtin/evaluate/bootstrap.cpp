#include "bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "dp_random.hpp"

namespace clinflow::builtin::eval {
namespace {

/// Uniform integer in [0, range) without modulo bias (Lemire 2019, "Fast random integer
/// generation in an interval", ACM TOMACS 29:3).
std::uint64_t bounded(dp::SplitMix64& rng, std::uint64_t range) {
  unsigned __int128 m = static_cast<unsigned __int128>(rng.next()) * range;
  auto low = static_cast<std::uint64_t>(m);
  if (low < range) {
    const std::uint64_t floor = (0 - range) % range;
    while (low < floor) {
      m = static_cast<unsigned __int128>(rng.next()) * range;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

}  // namespace

void draw_clusters(std::uint64_t seed, std::size_t replicate, std::size_t clusters,
                   std::vector<std::uint8_t>& draws) {
  draws.assign(clusters, 0);
  dp::SplitMix64 rng(dp::SplitMix64(seed ^ (0x9E3779B97F4A7C15ULL * (replicate + 1))).next());
  // One byte per cluster keeps the counts in cache. A cluster drawn 256 times (probability
  // below 1e-500 for any size) would wrap: it stops the evaluation instead.
  for (std::size_t k = 0; k < clusters; ++k)
    if (++draws[bounded(rng, clusters)] == 0)
      throw std::overflow_error("bootstrap: a cluster was drawn more than 255 times");
}

Interval percentile_interval(std::vector<double> values, double level) {
  values.erase(
      std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
      values.end());
  const double nan = std::nan("");
  if (values.empty()) return {nan, nan, 0};
  std::sort(values.begin(), values.end());
  // numpy.percentile(method="linear"): position q (n - 1), interpolated between neighbours.
  const auto at = [&](double q) {
    const double pos = q * double(values.size() - 1);
    const auto lo = std::size_t(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (pos - double(lo)) * (values[hi] - values[lo]);
  };
  const double tail = (1 - level) / 2;
  return {at(tail), at(1 - tail), values.size()};
}

}  // namespace clinflow::builtin::eval
