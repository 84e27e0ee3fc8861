// Small-cell suppression (see small_cells.hpp for the rule).
#include "small_cells.hpp"

namespace clinflow_curation_report {

std::int64_t suppress_group(std::vector<Cell*>& group, std::int64_t min_cell) {
  std::int64_t hidden = 0;
  for (Cell* c : group)
    if (c->count > 0 && c->count < min_cell && !c->hidden) c->hidden = true, ++hidden;
  std::int64_t hidden_in_group = 0;
  for (const Cell* c : group) hidden_in_group += c->hidden;
  if (hidden_in_group != 1) return hidden;
  Cell* smallest = nullptr;  // first smallest, so the choice is deterministic
  for (Cell* c : group)
    if (!c->hidden && c->count > 0 && (!smallest || c->count < smallest->count)) smallest = c;
  if (smallest) smallest->hidden = true, ++hidden;
  return hidden;
}

Cell single_cell(std::int64_t count, std::int64_t min_cell) {
  return Cell{count, count > 0 && count < min_cell};
}

}  // namespace clinflow_curation_report
