// Seeded permutations: mt19937_64's output sequence is fixed by the standard, and everything on
// top of it is written here, so a seed gives the same split on every platform.
#include "shuffle.hpp"

namespace clinflow_split {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::mt19937_64 generator(std::uint64_t seed, std::uint64_t stream) {
  return std::mt19937_64(splitmix64(seed ^ splitmix64(stream)));
}

std::uint64_t uniform_below(std::mt19937_64& rng, std::uint64_t n) {
  // Reject the lowest (2^64 mod n) values so every residue is equally likely.
  const std::uint64_t threshold = (0 - n) % n;
  for (;;) {
    const std::uint64_t x = rng();
    if (x >= threshold) return x % n;
  }
}

void shuffle(std::vector<std::uint32_t>& items, std::mt19937_64& rng) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const std::size_t j = std::size_t(uniform_below(rng, i));
    std::swap(items[i - 1], items[j]);
  }
}

}  // namespace clinflow_split
