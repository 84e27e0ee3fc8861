// Reweighing (Kamiran & Calders 2012, "Data preprocessing techniques for classification without
// discrimination"): w = P(group) P(label) / P(group, label), so that under the weights every
// label x group cell weighs n_g n_y / n, as if label and group were independent.
#pragma once

#include <Eigen/Dense>
#include <array>
#include <cstdint>
#include <vector>

#include "row_groups.hpp"

namespace clinflow_reweigh {

/// Counts and weights of the label x group cells, and each row's weight.
struct BalanceWeights {
  /// cells[g][y]: rows of group g with label y (y = 0, 1).
  std::vector<std::array<std::int64_t, 2>> counts;
  /// weight[g][y] = n_g n_y / (n n_gy); 0 for an empty cell (no row carries it).
  std::vector<std::array<double, 2>> weight;
  std::array<std::int64_t, 2> label_counts{0, 0};
  Eigen::VectorXd row_weight;  ///< weight[group of row][label of row]
};

/// Weights for rows in `groups` with 0/1 labels `y` (same length).
BalanceWeights balance_weights(const clinflow::builtin::RowGroups& groups,
                               const Eigen::VectorXd& y);

}  // namespace clinflow_reweigh
