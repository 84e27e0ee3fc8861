// Item selection (see items.hpp).
//
// Implementation notes: selection works on "slots" (distinct items) so the top_k count pass is
// one array increment per event. Ranking sorts (count desc, item asc), a total order, so equal
// counts never depend on hash or input order.
#include "items.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <unordered_set>

namespace clinflow::builtin::features {

void require_item_column(const Column& item, const std::string& step) {
  if (item.type != ColumnType::kInt && item.type != ColumnType::kString)
    throw StepError(step + ": item column '" + item.name + "' must hold integers or text, not " +
                    to_string(item.type));
}

ItemSelection explicit_items(const Column& item, const std::vector<std::string>& names,
                             const std::string& step) {
  require_item_column(item, step);
  ItemSelection sel;
  sel.by_code = item.type == ColumnType::kString;
  std::set<std::string> seen;
  std::vector<std::pair<std::int64_t, std::int32_t>> pairs;
  if (sel.by_code) sel.code_to_item.assign(item.dict.size(), -1);
  for (const std::string& name : names) {
    if (!seen.insert(name).second)
      throw StepError(step + ": item '" + name + "' is listed twice in 'items'");
    const auto index = std::int32_t(sel.names.size());
    if (sel.by_code) {
      if (auto code = item.code_of(name); code >= 0) sel.code_to_item[std::size_t(code)] = index;
    } else {
      std::int64_t id = 0;
      auto r = std::from_chars(name.data(), name.data() + name.size(), id);
      if (r.ec != std::errc() || r.ptr != name.data() + name.size())
        throw StepError(step + ": item '" + name + "' is not an integer, but item column '" +
                        item.name + "' holds integers");
      pairs.emplace_back(id, index);
      sel.int_ids.push_back(id);
    }
    sel.names.push_back(name);
  }
  if (!sel.by_code) sel.int_to_item = IntLookup(pairs);
  return sel;
}

ItemSlots item_slots(const Column& item) {
  ItemSlots s;
  s.by_code = item.type == ColumnType::kString;
  if (s.by_code) {
    s.slots = item.dict.size();
    s.code_to_slot.resize(s.slots);
    for (std::size_t c = 0; c < s.slots; ++c) s.code_to_slot[c] = std::int32_t(c);
    return s;
  }
  std::unordered_set<std::int64_t> distinct;
  for (std::int64_t v : item.ints)
    if (v != kMissingInt) distinct.insert(v);
  s.int_values.assign(distinct.begin(), distinct.end());
  std::sort(s.int_values.begin(), s.int_values.end());
  std::vector<std::pair<std::int64_t, std::int32_t>> pairs;
  for (std::size_t i = 0; i < s.int_values.size(); ++i)
    pairs.emplace_back(s.int_values[i], std::int32_t(i));
  s.int_to_slot = IntLookup(pairs);
  s.slots = s.int_values.size();
  return s;
}

ItemSelection top_items(const Column& item, const ItemSlots& slots,
                        const std::vector<std::uint64_t>& counts, std::int64_t k) {
  std::vector<std::size_t> order;
  for (std::size_t s = 0; s < slots.slots; ++s)
    if (counts[s] > 0) order.push_back(s);
  auto before = [&](std::size_t a, std::size_t b) {
    if (counts[a] != counts[b]) return counts[a] > counts[b];
    if (slots.by_code) return item.dict[a] < item.dict[b];
    return slots.int_values[a] < slots.int_values[b];
  };
  std::sort(order.begin(), order.end(), before);
  if (order.size() > std::size_t(k)) order.resize(std::size_t(k));
  std::vector<std::string> names;
  for (std::size_t s : order)
    names.push_back(slots.by_code ? item.dict[s] : std::to_string(slots.int_values[s]));
  return explicit_items(item, names, "extract_features");
}

std::string column_safe(const std::string& item) {
  std::string out;
  for (char c : item) {
    const auto u = static_cast<unsigned char>(c);
    out += std::isalnum(u) ? char(std::tolower(u)) : '_';
  }
  return out;
}

}  // namespace clinflow::builtin::features
