// Seeded permutations that are the same with every standard library.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace clinflow_split {

/// splitmix64 of a value: a good 64-bit mixer for deriving independent seeds.
std::uint64_t splitmix64(std::uint64_t x);

/// A generator for one purpose (`stream`) of a seed.
std::mt19937_64 generator(std::uint64_t seed, std::uint64_t stream);

/// Uniform in [0, n), n > 0, by rejection: no modulo bias, no std::*_distribution (whose
/// output differs between library versions).
std::uint64_t uniform_below(std::mt19937_64& rng, std::uint64_t n);

/// Fisher-Yates shuffle in place.
void shuffle(std::vector<std::uint32_t>& items, std::mt19937_64& rng);

}  // namespace clinflow_split
