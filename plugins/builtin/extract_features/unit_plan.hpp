// Per-item unit harmonisation plan: the target unit of each selected item and the conversion
// of every unit spelling in the events to it.
#pragma once

#include <string>
#include <vector>

#include "items.hpp"
#include "kernel.hpp"

namespace clinflow::builtin::features {

/// Each selected item's target is its most frequent normalised unit among ALL its events (not
/// only the cohort's, so train and test cohorts agree; ties: the spelling that sorts first).
/// Rows without a unit are taken to be in the target unit. `notes` gets one line per item
/// whose events have more than one unit.
UnitTable plan_units(const Column& item, const Column& unit, const ItemSelection& items,
                     const std::string& step, std::vector<std::string>& notes);

/// Per-item lines for the log: targets and rows dropped as unconvertible (counts only).
void note_dropped(const UnitTable& table, const ItemSelection& items,
                  std::vector<std::string>& notes);

}  // namespace clinflow::builtin::features
