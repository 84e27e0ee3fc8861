// Implementation notes: counts are integers and each weight is one division of exact products
// (as doubles, exact up to 2^53), so the weights do not depend on row order.
#include "balance_weights.hpp"

namespace clinflow_reweigh {

BalanceWeights balance_weights(const clinflow::builtin::RowGroups& groups,
                               const Eigen::VectorXd& y) {
  BalanceWeights b;
  const std::size_t g_count = groups.names.size();
  b.counts.assign(g_count, {0, 0});
  b.weight.assign(g_count, {0.0, 0.0});
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const int label = y(i) == 1 ? 1 : 0;
    ++b.counts[std::size_t(groups.of_row[std::size_t(i)])][std::size_t(label)];
    ++b.label_counts[std::size_t(label)];
  }
  const double n = double(y.size());
  for (std::size_t g = 0; g < g_count; ++g) {
    const double n_g = double(b.counts[g][0] + b.counts[g][1]);
    for (std::size_t label = 0; label < 2; ++label) {
      const double n_gy = double(b.counts[g][label]);
      b.weight[g][label] = n_gy > 0 ? n_g * double(b.label_counts[label]) / (n * n_gy) : 0.0;
    }
  }
  b.row_weight.resize(y.size());
  for (Eigen::Index i = 0; i < y.size(); ++i)
    b.row_weight(i) = b.weight[std::size_t(groups.of_row[std::size_t(i)])][y(i) == 1 ? 1 : 0];
  return b;
}

}  // namespace clinflow_reweigh
