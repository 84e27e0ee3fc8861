#include "dro_groups.hpp"

namespace clinflow::builtin::group_dro {

RowGroups pool_small_groups(const RowGroups& groups, std::size_t min_rows) {
  std::vector<int> new_index(groups.names.size(), -1);
  RowGroups out;
  for (std::size_t g = 0; g < groups.names.size(); ++g) {
    if (groups.sizes[g] >= min_rows) {
      new_index[g] = int(out.names.size());
      out.names.push_back(groups.names[g]);
      out.sizes.push_back(groups.sizes[g]);
    }
  }
  const int pooled = int(out.names.size());
  bool any_small = false;
  for (std::size_t g = 0; g < groups.names.size(); ++g) {
    if (new_index[g] >= 0) continue;
    if (!any_small) {
      out.names.push_back(kSmallGroups);
      out.sizes.push_back(0);
      any_small = true;
    }
    new_index[g] = pooled;
    out.sizes[std::size_t(pooled)] += groups.sizes[g];
  }
  out.of_row.reserve(groups.of_row.size());
  for (int g : groups.of_row) out.of_row.push_back(new_index[std::size_t(g)]);
  return out;
}

}  // namespace clinflow::builtin::group_dro
