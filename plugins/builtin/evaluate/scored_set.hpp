// Predictions prepared once for evaluation: rows sorted by score (highest first, ties kept
// together), labels, and clusters (patients) renumbered 0..C-1. Every discrimination metric is
// then one pass in a fixed order, for the point estimate and for each bootstrap replicate alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace clinflow::builtin::eval {

/// Per-row byte: the label and whether the row is the last of its group of tied scores.
enum RowFlag : std::uint8_t { kPositive = 1, kLastOfTie = 2 };

struct ScoredSet {
  std::vector<double> score;           ///< descending; ties in input order
  std::vector<std::uint8_t> flags;     ///< RowFlag bits per sorted row
  std::vector<std::uint32_t> cluster;  ///< 0..clusters-1 per sorted row, numbered by first sight
  std::vector<std::size_t> original;   ///< input row index of each sorted row
  std::size_t clusters = 0;
  std::size_t positives = 0;

  std::size_t size() const { return score.size(); }
  std::size_t negatives() const { return size() - positives; }
  bool positive(std::size_t i) const { return flags[i] & kPositive; }
};

/// Sorts and checks: scores finite, labels 0 or 1, one cluster id per row (pass an empty
/// vector for "every row its own cluster"). Throws std::invalid_argument with a message that
/// names the first bad row's index, never a value.
ScoredSet prepare(const std::vector<double>& score, const std::vector<int>& label,
                  const std::vector<std::int64_t>& cluster);

/// Row weights for one evaluation: all ones (the point estimate) or, in a bootstrap
/// replicate, how many times each row's cluster was drawn.
struct UnitWeight {
  std::uint32_t operator()(std::size_t) const { return 1; }
};
struct ClusterWeight {
  const std::uint8_t* draws;     ///< per cluster
  const std::uint32_t* cluster;  ///< per sorted row
  std::uint32_t operator()(std::size_t i) const { return draws[cluster[i]]; }
};

}  // namespace clinflow::builtin::eval
