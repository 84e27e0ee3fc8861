// Template part of bootstrap.hpp.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace clinflow::builtin::eval {

template <class Fn>
void for_each_replicate(const ScoredSet& s, std::size_t replicates, std::uint64_t seed, Fn fn) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, replicates),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      std::vector<std::uint8_t> draws;
                      for (std::size_t r = range.begin(); r != range.end(); ++r) {
                        draw_clusters(seed, r, s.clusters, draws);
                        fn(r, ClusterWeight{draws.data(), s.cluster.data()});
                      }
                    });
}

}  // namespace clinflow::builtin::eval
