// Dataset layouts of select_cohort: default join keys, roles and derived columns per source.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "table.hpp"

namespace clinflow_select_cohort {

/// The layouts select_cohort knows, in the order the manifest lists them.
inline const std::vector<std::string> kLayouts = {"generic", "mimic_iv", "eicu", "diabetes_130"};

/// What a layout fills in when the workflow does not say.
struct LayoutDefaults {
  std::vector<std::string> keys;             ///< join keys
  std::map<std::string, std::string> roles;  ///< role -> column
};

/// The defaults of layout `name` (one of kLayouts).
LayoutDefaults layout_defaults(const std::string& name);

/// Adds the layout's derived columns to the joined table: `age` and `los_hours` (mimic_iv, eicu,
/// diabetes_130) and `intime` (eicu). Throws StepError naming a missing or mistyped source column.
void add_derived_columns(const std::string& layout, clinflow::builtin::Table& table);

}  // namespace clinflow_select_cohort
