// Random numbers for `clinflow synth`: a seeded generator whose every draw is written out here.
//
// std::*_distribution output differs between standard library versions, so the transforms
// (uniform, normal, choice) are our own on top of std::mt19937_64, whose sequence the standard
// fixes. Every patient gets its own stream derived from (seed, patient index) with splitmix64,
// so patient i is the same whatever N is.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace clinflow::cli::synth {

/// splitmix64's finaliser: a well-mixed 64-bit value from any input.
inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// A deterministic random stream.
class Rng {
 public:
  /// The stream for `stream` (a patient index) under the run's `seed`.
  Rng(std::uint64_t seed, std::uint64_t stream) : engine_(splitmix64(splitmix64(seed) ^ stream)) {}

  /// Uniform in [0, 1): the top 53 bits of one draw.
  double uniform() { return double(engine_() >> 11) * 0x1.0p-53; }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  /// Uniform integer in [low, high] (the tiny modulo bias is irrelevant here).
  std::int64_t integer(std::int64_t low, std::int64_t high) {
    return low + std::int64_t(engine_() % std::uint64_t(high - low + 1));
  }
  bool chance(double p) { return uniform() < p; }
  /// Standard normal by Box-Muller (one value per call; the pair's twin is dropped for clarity).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]: log is finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double normal(double mean, double sd) { return mean + sd * normal(); }
  /// Exponential with the given mean.
  double exponential(double mean) { return -mean * std::log(1.0 - uniform()); }
  /// An index drawn with the given (unnormalised) weights.
  std::size_t pick(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = uniform() * total;
    for (std::size_t i = 0; i + 1 < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace clinflow::cli::synth
