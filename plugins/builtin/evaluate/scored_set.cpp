#include "scored_set.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>

namespace clinflow::builtin::eval {

ScoredSet prepare(const std::vector<double>& score, const std::vector<int>& label,
                  const std::vector<std::int64_t>& cluster) {
  const std::size_t n = score.size();
  if (label.size() != n || (!cluster.empty() && cluster.size() != n))
    throw std::invalid_argument("scores, labels and clusters differ in length");
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(score[i]))
      throw std::invalid_argument("score of row " + std::to_string(i) + " is not finite");
    if (label[i] != 0 && label[i] != 1)
      throw std::invalid_argument("label of row " + std::to_string(i) + " is not 0 or 1");
  }
  ScoredSet s;
  s.original.resize(n);
  std::iota(s.original.begin(), s.original.end(), std::size_t{0});
  std::stable_sort(s.original.begin(), s.original.end(),
                   [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  s.score.resize(n);
  s.flags.resize(n);
  s.cluster.resize(n);
  // Clusters are numbered in input order so the numbering does not depend on the scores.
  std::vector<std::uint32_t> number(n);
  if (cluster.empty()) {
    std::iota(number.begin(), number.end(), std::uint32_t{0});
    s.clusters = n;
  } else {
    std::map<std::int64_t, std::uint32_t> seen;
    for (std::size_t i = 0; i < n; ++i)
      number[i] = seen.emplace(cluster[i], std::uint32_t(seen.size())).first->second;
    s.clusters = seen.size();
  }
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = s.original[k];
    s.score[k] = score[i];
    s.flags[k] = label[i] ? kPositive : 0;
    s.cluster[k] = number[i];
    s.positives += std::size_t(label[i]);
  }
  for (std::size_t k = 0; k < n; ++k)
    if (k + 1 == n || s.score[k + 1] != s.score[k]) s.flags[k] |= kLastOfTie;
  return s;
}

}  // namespace clinflow::builtin::eval
