// Random numbers that are the same bits on every platform and library version (DP-SGD, the
// evaluation bootstrap): splitmix64, a uniform double from its top 53 bits, Box-Muller Gaussians
// (std::*_distribution output is implementation-defined, so it is never used).
#pragma once

#include <cmath>
#include <cstdint>

namespace clinflow::dp {

/// Steele, Lea, Flood 2014 "Fast splittable pseudorandom number generators": 64-bit state,
/// one add and three xor-shift-multiplies per draw.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// Uniform on [0, 1): the top 53 bits as a fraction.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

/// Standard normal draws by the Box-Muller transform, both values of each pair used in turn.
class GaussianStream {
 public:
  explicit GaussianStream(std::uint64_t seed) : bits_(seed) {}
  double next() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    // u1 in (0, 1] so the log is finite; u2 in [0, 1).
    const double u1 = static_cast<double>((bits_.next() >> 11) + 1) * 0x1.0p-53;
    const double u2 = bits_.uniform();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    constexpr double kTwoPi = 6.283185307179586476925286766559;
    spare_ = radius * std::sin(kTwoPi * u2);
    has_spare_ = true;
    return radius * std::cos(kTwoPi * u2);
  }

 private:
  SplitMix64 bits_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

/// Independent seeds for the sampling and the noise streams of one training run, so turning the
/// noise off leaves the batches unchanged.
inline std::uint64_t sampling_seed(std::uint64_t seed) {
  return SplitMix64(seed ^ 0x5A4D504CULL).next();
}
inline std::uint64_t noise_seed(std::uint64_t seed) {
  return SplitMix64(seed ^ 0x4E4F4953ULL).next();
}

}  // namespace clinflow::dp
