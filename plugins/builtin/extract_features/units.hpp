// Unit harmonisation for clinical measurements: a small built-in table of units and analytes.
//
// Units are compared by a normalised spelling ("mg/dL", "MG/DL" and "mg/dl" are one unit).
// A conversion is linear (y = x * scale + offset); °F -> °C is the only one with an offset.
// Conversions within one dimension (mass concentration, molar concentration, mass, length,
// pressure, temperature, cell counts) need nothing else; mass <-> molar concentration and
// mEq/L <-> mmol/L need the analyte (its molar mass or valence), which is known for a few
// common analytes by name (eICU lab names, "glucose") or by MIMIC-IV itemid (50931).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace clinflow::builtin::features {

/// A linear conversion y = x * scale + offset.
struct Conversion {
  double scale = 1;
  double offset = 0;
  double apply(double x) const { return x * scale + offset; }
};

/// An analyte whose mass <-> molar conversion is known.
struct Analyte {
  const char* name;
  double molar_mass;  ///< g/mol (0: unknown)
  int valence;        ///< charge of the ion (0: not an ion)
};

/// The canonical spelling of a unit: lower case, no blanks, µ/μ -> u, "deg f"/"°f" -> "degf".
std::string normalise_unit(std::string_view unit);

/// The analyte an item denotes: by name ("Glucose", "bedside glucose", "BUN") for text items,
/// by MIMIC-IV d_labitems itemid for integer items. nullopt when unknown.
std::optional<Analyte> analyte_of_name(std::string_view item_name);
std::optional<Analyte> analyte_of_mimic_itemid(long long itemid);

/// The conversion from unit `from` to unit `to` (both normalised) for an optional analyte;
/// nullopt when the table has no way to convert.
std::optional<Conversion> conversion(const std::string& from, const std::string& to,
                                     const std::optional<Analyte>& analyte);

}  // namespace clinflow::builtin::features
