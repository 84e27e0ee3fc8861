// Which items become features: an explicit list, or the top_k most frequent in the cohort's
// windows; and how an event's item cell maps to the selected item's index.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lookup.hpp"
#include "table.hpp"

namespace clinflow::builtin::features {

/// The selected items, in feature order.
struct ItemSelection {
  std::vector<std::string> names;          ///< item text ("50931", "glucose") as in the events
  std::vector<std::int64_t> int_ids;       ///< integer item columns: the ids
  bool by_code = false;                    ///< the item column is text: use code_to_item
  IntLookup int_to_item;                   ///< integer item id -> index
  std::vector<std::int32_t> code_to_item;  ///< dictionary code -> index (-1: not selected)
};

/// Every distinct item of an item column numbered 0..slots-1 (for counting).
struct ItemSlots {
  bool by_code = false;
  IntLookup int_to_slot;
  std::vector<std::int32_t> code_to_slot;  ///< identity for text columns
  std::vector<std::int64_t> int_values;    ///< slot -> id (integer columns)
  std::size_t slots = 0;
};

/// Throws StepError unless the item column holds integers or text.
void require_item_column(const Column& item, const std::string& step);

/// The items named by the user (integers for an integer column, any text for a text column).
/// Items absent from the events still get (all-missing) features. Duplicates are an error.
ItemSelection explicit_items(const Column& item, const std::vector<std::string>& names,
                             const std::string& step);

ItemSlots item_slots(const Column& item);

/// The `k` slots with the most counts (ties: smaller id, or text that sorts first); slots with
/// no count are never chosen.
ItemSelection top_items(const Column& item, const ItemSlots& slots,
                        const std::vector<std::uint64_t>& counts, std::int64_t k);

/// The column-name form of an item: letters, digits and '_' (others become '_'), lower case.
std::string column_safe(const std::string& item);

}  // namespace clinflow::builtin::features
