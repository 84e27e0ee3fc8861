// Unit plan (see unit_plan.hpp).
//
// Implementation notes: one pass over the item and unit columns counts (selected item,
// normalised unit) pairs; a unit spelling's conversion is then computed once per item, giving
// the flat UnitTable the hot loop indexes with (item, unit code).
#include "unit_plan.hpp"

#include <map>

namespace clinflow::builtin::features {

UnitTable plan_units(const Column& item, const Column& unit, const ItemSelection& items,
                     const std::string& step, std::vector<std::string>& notes) {
  if (unit.type != ColumnType::kString)
    throw StepError(step + ": unit column '" + unit.name + "' must hold text, not " +
                    to_string(unit.type));
  // Normalised spellings, numbered in sorted order.
  std::map<std::string, std::int32_t> norm_id;
  std::vector<std::string> norm_of_code(unit.dict.size());
  for (std::size_t c = 0; c < unit.dict.size(); ++c) {
    norm_of_code[c] = normalise_unit(unit.dict[c]);
    norm_id.emplace(norm_of_code[c], 0);
  }
  std::vector<std::string> norms;
  for (auto& [name, id] : norm_id) {
    id = std::int32_t(norms.size());
    norms.push_back(name);
  }
  std::vector<std::int32_t> norm_index(unit.dict.size(), -1);  // -1: blank spelling
  for (std::size_t c = 0; c < unit.dict.size(); ++c)
    if (!norm_of_code[c].empty()) norm_index[c] = norm_id[norm_of_code[c]];
  const std::size_t k_items = items.names.size(), n_norms = norms.size();
  std::vector<std::uint64_t> counts(k_items * n_norms, 0);
  for (std::size_t i = 0; i < item.size(); ++i) {
    std::int32_t k = -1;
    if (!items.by_code)
      k = items.int_to_item.find(item.ints[i]);
    else if (item.codes[i] >= 0)
      k = items.code_to_item[std::size_t(item.codes[i])];
    const std::int32_t u = unit.codes[i] < 0 ? -1 : norm_index[std::size_t(unit.codes[i])];
    if (k < 0 || u < 0) continue;
    ++counts[std::size_t(k) * n_norms + std::size_t(u)];
  }

  UnitTable table;
  table.unit_col = unit.codes.data();
  table.stride = unit.dict.size() + 1;
  table.conv.assign(k_items * table.stride, Conversion{});
  table.ok.assign(k_items * table.stride, 1);
  table.dropped.assign(k_items, 0);
  for (std::size_t k = 0; k < k_items; ++k) {
    std::size_t best = n_norms, seen = 0;
    for (std::size_t u = 0; u < n_norms; ++u) {
      if (!counts[k * n_norms + u]) continue;
      ++seen;
      if (best == n_norms || counts[k * n_norms + u] > counts[k * n_norms + best]) best = u;
    }
    if (best == n_norms) continue;  // no units: every row as it is
    const auto analyte =
        items.by_code ? analyte_of_name(items.names[k]) : analyte_of_mimic_itemid(items.int_ids[k]);
    for (std::size_t c = 0; c < unit.dict.size(); ++c) {
      const std::size_t slot = k * table.stride + c + 1;
      if (norm_of_code[c].empty()) continue;  // a blank unit: as if missing
      const auto conv = conversion(norm_of_code[c], norms[best], analyte);
      table.ok[slot] = conv.has_value() ? 1 : 0;
      if (conv) table.conv[slot] = *conv;
    }
    if (seen > 1)
      notes.push_back("item " + items.names[k] + ": " + std::to_string(seen) +
                      " units, harmonised to " + norms[best]);
  }
  return table;
}

void note_dropped(const UnitTable& table, const ItemSelection& items,
                  std::vector<std::string>& notes) {
  for (std::size_t k = 0; k < table.dropped.size(); ++k)
    if (table.dropped[k])
      notes.push_back("item " + items.names[k] + ": " + std::to_string(table.dropped[k]) +
                      " rows dropped (unit not convertible)");
}

}  // namespace clinflow::builtin::features
