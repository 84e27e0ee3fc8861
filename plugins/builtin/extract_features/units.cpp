// Unit table and conversions (see units.hpp).
//
// Implementation notes: every known unit belongs to one dimension and converts linearly to that
// dimension's base unit (g/L, mol/L, eq/L, °C, kg, cm, mmHg, 10^9/L). Converting between two
// units of one dimension goes through the base; between mass and molar (or equivalent)
// concentration it also multiplies by 1/molar mass (or the valence), so only analytes listed
// here convert across dimensions. The table is deliberately small: a unit it does not know is
// never guessed at, and the caller drops (and counts) the rows it cannot convert.
#include "units.hpp"

#include <array>
#include <cctype>
#include <utility>
#include <vector>

namespace clinflow::builtin::features {
namespace {

enum class Dim {
  kMassConc,
  kMolarConc,
  kEquivConc,
  kTemperature,
  kMass,
  kLength,
  kPressure,
  kCount
};

struct UnitDef {
  const char* name;  ///< normalised spelling
  Dim dim;
  double scale;  ///< base = x * scale + offset
  double offset;
};

constexpr double kFahrenheitScale = 5.0 / 9.0;
constexpr double kFahrenheitOffset = -32.0 * 5.0 / 9.0;

const UnitDef kUnits[] = {
    {"g/l", Dim::kMassConc, 1, 0},
    {"g/dl", Dim::kMassConc, 10, 0},
    {"mg/dl", Dim::kMassConc, 1e-2, 0},
    {"mg/l", Dim::kMassConc, 1e-3, 0},
    {"mg/ml", Dim::kMassConc, 1, 0},
    {"ug/ml", Dim::kMassConc, 1e-3, 0},
    {"ug/dl", Dim::kMassConc, 1e-5, 0},
    {"ug/l", Dim::kMassConc, 1e-6, 0},
    {"ng/ml", Dim::kMassConc, 1e-6, 0},
    {"ng/dl", Dim::kMassConc, 1e-8, 0},
    {"ng/l", Dim::kMassConc, 1e-9, 0},
    {"pg/ml", Dim::kMassConc, 1e-9, 0},
    {"mol/l", Dim::kMolarConc, 1, 0},
    {"mmol/l", Dim::kMolarConc, 1e-3, 0},
    {"umol/l", Dim::kMolarConc, 1e-6, 0},
    {"nmol/l", Dim::kMolarConc, 1e-9, 0},
    {"pmol/l", Dim::kMolarConc, 1e-12, 0},
    {"eq/l", Dim::kEquivConc, 1, 0},
    {"meq/l", Dim::kEquivConc, 1e-3, 0},
    {"degc", Dim::kTemperature, 1, 0},
    {"degf", Dim::kTemperature, kFahrenheitScale, kFahrenheitOffset},
    {"kg", Dim::kMass, 1, 0},
    {"g", Dim::kMass, 1e-3, 0},
    {"lb", Dim::kMass, 0.45359237, 0},
    {"lbs", Dim::kMass, 0.45359237, 0},
    {"oz", Dim::kMass, 0.028349523125, 0},
    {"cm", Dim::kLength, 1, 0},
    {"m", Dim::kLength, 100, 0},
    {"mm", Dim::kLength, 0.1, 0},
    {"in", Dim::kLength, 2.54, 0},
    {"inch", Dim::kLength, 2.54, 0},
    {"inches", Dim::kLength, 2.54, 0},
    {"ft", Dim::kLength, 30.48, 0},
    {"mmhg", Dim::kPressure, 1, 0},
    {"kpa", Dim::kPressure, 7.500615758, 0},
    {"cmh2o", Dim::kPressure, 0.73555912, 0},
    {"10^9/l", Dim::kCount, 1, 0},
    {"k/ul", Dim::kCount, 1, 0},
    {"10^3/ul", Dim::kCount, 1, 0},
    {"x10^3/ul", Dim::kCount, 1, 0},
    {"thou/ul", Dim::kCount, 1, 0},
    {"/ul", Dim::kCount, 1e-3, 0},
    {"10^12/l", Dim::kCount, 1e3, 0},
    {"m/ul", Dim::kCount, 1e3, 0},
    {"10^6/ul", Dim::kCount, 1e3, 0},
};

const UnitDef* find_unit(const std::string& name) {
  for (const UnitDef& u : kUnits)
    if (name == u.name) return &u;
  return nullptr;
}

// Phrases are matched as whole words of the lower-cased item name, most specific first.
struct NamedAnalyte {
  std::vector<const char*> words;
  Analyte analyte;
};

const std::vector<NamedAnalyte>& named_analytes() {
  static const std::vector<NamedAnalyte> table = {
      {{"urea", "nitrogen"}, {"urea nitrogen", 28.014, 0}},
      {{"bun"}, {"urea nitrogen", 28.014, 0}},
      {{"urea"}, {"urea", 60.06, 0}},
      {{"glucose"}, {"glucose", 180.16, 0}},
      {{"creatinine"}, {"creatinine", 113.1, 0}},
      {{"calcium"}, {"calcium", 40.078, 2}},
      {{"magnesium"}, {"magnesium", 24.305, 2}},
      {{"sodium"}, {"sodium", 22.99, 1}},
      {{"potassium"}, {"potassium", 39.098, 1}},
      {{"chloride"}, {"chloride", 35.45, 1}},
      {{"bicarbonate"}, {"bicarbonate", 61.017, 1}},
      {{"hco3"}, {"bicarbonate", 61.017, 1}},
      {{"lactate"}, {"lactate", 90.08, 0}},
      {{"bilirubin"}, {"bilirubin", 584.66, 0}},
      {{"cholesterol"}, {"cholesterol", 386.65, 0}},
      {{"triglycerides"}, {"triglycerides", 885.7, 0}},
      {{"phosphate"}, {"phosphate", 30.974, 0}},
      {{"phosphorus"}, {"phosphate", 30.974, 0}},
      {{"uric", "acid"}, {"uric acid", 168.11, 0}},
  };
  return table;
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words(1);
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      words.back() += char(std::tolower(static_cast<unsigned char>(c)));
    } else if (!words.back().empty()) {
      words.emplace_back();
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

/// base(to) = base(from) * factor, for two dimensions; nullopt when they do not connect.
std::optional<double> cross_factor(Dim from, Dim to, const std::optional<Analyte>& a) {
  if (from == to) return 1.0;
  if (!a) return std::nullopt;
  auto to_molar = [&](Dim d) -> std::optional<double> {  // mol/L per base unit of d
    if (d == Dim::kMolarConc) return 1.0;
    if (d == Dim::kMassConc && a->molar_mass > 0) return 1.0 / a->molar_mass;
    if (d == Dim::kEquivConc && a->valence > 0) return 1.0 / a->valence;
    return std::nullopt;
  };
  auto f = to_molar(from), t = to_molar(to);
  if (!f || !t) return std::nullopt;
  return *f / *t;
}

}  // namespace

std::string normalise_unit(std::string_view unit) {
  std::string out;
  for (std::size_t i = 0; i < unit.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(unit[i]);
    if (std::isspace(c)) continue;
    // UTF-8 µ (C2 B5) and μ (CE BC) -> u; ° (C2 B0) -> "deg".
    if (i + 1 < unit.size() && ((c == 0xC2 && (unsigned char)unit[i + 1] == 0xB5) ||
                                (c == 0xCE && (unsigned char)unit[i + 1] == 0xBC))) {
      out += 'u';
      ++i;
      continue;
    }
    if (i + 1 < unit.size() && c == 0xC2 && (unsigned char)unit[i + 1] == 0xB0) {
      out += "deg";
      ++i;
      continue;
    }
    out += char(std::tolower(c));
  }
  if (out == "c" || out == "celsius" || out == "degreesc" || out == "degreec") return "degc";
  if (out == "f" || out == "fahrenheit" || out == "degreesf" || out == "degreef") return "degf";
  if (out == "mmol") return "mmol/l";  // eICU writes "mmol/L" and sometimes just "mmol"
  return out;
}

std::optional<Analyte> analyte_of_name(std::string_view item_name) {
  const std::vector<std::string> words = words_of(item_name);
  for (const NamedAnalyte& n : named_analytes()) {
    bool all = true;
    for (const char* w : n.words) {
      bool found = false;
      for (const auto& word : words) found = found || word == w;
      all = all && found;
    }
    if (all) return n.analyte;
  }
  return std::nullopt;
}

std::optional<Analyte> analyte_of_mimic_itemid(long long itemid) {
  // MIMIC-IV hosp/d_labitems (checked against the demo's dictionary).
  static const std::pair<long long, const char*> kItems[] = {
      {50931, "glucose"},     {50809, "glucose"},       {51006, "urea nitrogen"},
      {50912, "creatinine"},  {50893, "calcium"},       {50960, "magnesium"},
      {50983, "sodium"},      {50824, "sodium"},        {50971, "potassium"},
      {50822, "potassium"},   {50902, "chloride"},      {50806, "chloride"},
      {50882, "bicarbonate"}, {50813, "lactate"},       {50885, "bilirubin"},
      {50907, "cholesterol"}, {51000, "triglycerides"}, {50970, "phosphate"},
      {51007, "uric acid"},
  };
  for (const auto& [id, name] : kItems)
    if (id == itemid) return analyte_of_name(name);
  return std::nullopt;
}

std::optional<Conversion> conversion(const std::string& from, const std::string& to,
                                     const std::optional<Analyte>& analyte) {
  if (from == to) return Conversion{};
  const UnitDef* f = find_unit(from);
  const UnitDef* t = find_unit(to);
  if (!f || !t) return std::nullopt;
  const auto c = cross_factor(f->dim, t->dim, analyte);
  if (!c) return std::nullopt;
  // y = ((x * f.scale + f.offset) * c - t.offset) / t.scale
  return Conversion{f->scale * *c / t->scale, (f->offset * *c - t->offset) / t->scale};
}

}  // namespace clinflow::builtin::features
