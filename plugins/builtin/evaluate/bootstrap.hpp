// The cluster (patient) bootstrap: each replicate draws as many clusters as there are, with
// replacement, and weighs every row by how often its cluster was drawn, so a patient's stays
// stay together. Replicate r's draws depend only on (seed, r): results are the same whatever
// the number of threads that computed them.
#pragma once

#include <cstdint>
#include <vector>

#include "scored_set.hpp"

namespace clinflow::builtin::eval {

/// Counts, per cluster, how often it is drawn in replicate `replicate` (resized to `clusters`).
void draw_clusters(std::uint64_t seed, std::size_t replicate, std::size_t clusters,
                   std::vector<std::uint8_t>& draws);

/// Calls fn(r, ClusterWeight) for r in [0, replicates), in parallel (oneTBB). fn must write
/// its results by r only.
template <class Fn>
void for_each_replicate(const ScoredSet& s, std::size_t replicates, std::uint64_t seed, Fn fn);

/// The percentile interval at `level` (numpy's default linear interpolation between order
/// statistics) over the finite values; `used` is how many there were.
struct Interval {
  double lower;
  double upper;
  std::size_t used;
};
Interval percentile_interval(std::vector<double> values, double level = 0.95);

}  // namespace clinflow::builtin::eval

#include "bootstrap_impl.hpp"
