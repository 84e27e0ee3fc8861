// Implementation notes: a row's key is the texts of its group cells joined by a separator that
// cannot occur in a name we print (a NUL byte); keys are collected in a std::map, so the group
// numbering is the sorted order of the keys, whatever the row order.
#include "row_groups.hpp"

#include <map>

namespace clinflow::builtin {

RowGroups row_groups(const Table& table, const std::vector<std::string>& columns,
                     const std::string& step) {
  if (columns.empty()) throw StepError(step + ": no group column given");
  std::vector<const Column*> cols;
  for (const std::string& name : columns) cols.push_back(&table.column(name, step));
  const std::size_t n = table.rows();
  std::vector<std::string> keys(n);
  for (std::size_t r = 0; r < n; ++r) {
    std::string key;
    for (std::size_t c = 0; c < cols.size(); ++c) {
      if (c) key += " & ";
      if (cols.size() > 1) key += cols[c]->name + "=";
      key += cols[c]->missing(r) ? std::string(kMissingGroup) : cols[c]->format(r);
    }
    keys[r] = std::move(key);
  }
  std::map<std::string, int> index;
  for (const std::string& key : keys) index.emplace(key, 0);
  RowGroups groups;
  for (auto& [key, i] : index) {
    i = int(groups.names.size());
    groups.names.push_back(key);
  }
  groups.sizes.assign(groups.names.size(), 0);
  groups.of_row.resize(n);
  for (std::size_t r = 0; r < n; ++r) {
    const int g = index.at(keys[r]);
    groups.of_row[r] = g;
    ++groups.sizes[std::size_t(g)];
  }
  return groups;
}

std::vector<std::string> group_columns(const Table& table, const std::string& group,
                                       const std::vector<std::string>& groups,
                                       const std::string& step) {
  if (!groups.empty()) return groups;
  if (!group.empty()) return {group};
  auto it = table.roles.find(roles::kGroup);
  if (it != table.roles.end()) return {it->second};
  throw StepError(step +
                  ": no group column: give `group: <column>` (or `groups: [..]`), or set "
                  "the table's group role");
}

}  // namespace clinflow::builtin
