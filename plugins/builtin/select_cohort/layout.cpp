// Layout defaults and derived columns for MIMIC-IV, eICU and Diabetes 130-US.
//
// Implementation notes. Derived columns are computed from typed source columns and replace a
// column of the same name (eICU's text `age` becomes a number). Text cells are parsed once per
// dictionary entry, not per row. A cell that cannot be parsed is an error naming the column and
// the data row, never the cell's text (it may be patient data).
#include "layout.hpp"

#include <charconv>
#include <cmath>
#include <optional>

namespace clinflow_select_cohort {

using namespace clinflow;
using namespace clinflow::builtin;

namespace {

const Column& source(const Table& t, const std::string& layout, const std::string& name,
                     bool numeric) {
  const Column& c = t.column(name, "select_cohort (layout " + layout + ")");
  if (numeric && !c.is_numeric())
    throw StepError("select_cohort: layout " + layout + " needs column '" + name +
                    "' to be numeric, but it holds text");
  return c;
}

const Column& timestamps(const Table& t, const std::string& layout, const std::string& name) {
  const Column& c = source(t, layout, name, true);
  if (c.type != ColumnType::kTimestamp)
    throw StepError("select_cohort: layout " + layout + " needs column '" + name +
                    "' to be a timestamp, but it is " + to_string(c.type));
  return c;
}

/// Parses an integer occupying all of `s`.
std::optional<std::int64_t> integer(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

/// A numeric column from a text (or numeric) one: `parse` maps each dictionary entry to a value,
/// nullopt for an unparseable one (an error naming the first row that holds it).
template <class Parse>
Column ints_from(const Column& c, const std::string& layout, Parse parse) {
  Column out(c.name, ColumnType::kInt);
  if (c.type == ColumnType::kInt) {
    out.ints = c.ints;
    return out;
  }
  if (c.type != ColumnType::kString)
    throw StepError("select_cohort: layout " + layout + " needs column '" + c.name +
                    "' to be text or integer, but it is " + to_string(c.type));
  std::vector<std::optional<std::int64_t>> value;
  for (const auto& text : c.dict) value.push_back(parse(std::string_view(text)));
  out.ints.reserve(c.size());
  for (std::size_t r = 0; r < c.size(); ++r) {
    if (c.codes[r] < 0) {
      out.ints.push_back(kMissingInt);
      continue;
    }
    const auto& v = value[std::size_t(c.codes[r])];
    if (!v)
      throw StepError("select_cohort: layout " + layout + ": column '" + c.name + "' data row " +
                      std::to_string(r + 1) + " is not an age the layout understands");
    out.ints.push_back(*v);
  }
  return out;
}

void derive_mimic_iv(Table& t) {
  const Column& intime = timestamps(t, "mimic_iv", "intime");
  const Column& outtime = timestamps(t, "mimic_iv", "outtime");
  const Column& anchor_age = source(t, "mimic_iv", "anchor_age", true);
  const Column& anchor_year = source(t, "mimic_iv", "anchor_year", true);
  Column age("age", ColumnType::kInt), los("los_hours", ColumnType::kFloat);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const double a = anchor_age.number(r), y = anchor_year.number(r);
    const bool known = !intime.missing(r) && !std::isnan(a) && !std::isnan(y);
    // anchor_age is the age in anchor_year; the stay's year shifts it (MIMIC-IV's documentation).
    age.push_int(known ? std::int64_t(a) + year_of(intime.ints[r]) - std::int64_t(y) : kMissingInt);
    los.push_float(intime.missing(r) || outtime.missing(r)
                       ? missing_float()
                       : double(outtime.ints[r] - intime.ints[r]) / 3600.0);
  }
  t.add("age", ColumnType::kInt) = std::move(age);
  t.add("los_hours", ColumnType::kFloat) = std::move(los);
}

void derive_eicu(Table& t) {
  Column age = ints_from(t.column("age", "select_cohort (layout eicu)"), "eicu",
                         [](std::string_view s) -> std::optional<std::int64_t> {
                           if (s.empty()) return kMissingInt;
                           if (s == "> 89") return 90;  // eICU's top-coding of ages over 89
                           return integer(s);
                         });
  const Column& offset = source(t, "eicu", "unitdischargeoffset", true);
  Column los("los_hours", ColumnType::kFloat);
  for (std::size_t r = 0; r < t.rows(); ++r) los.push_float(offset.number(r) / 60.0);
  Column intime("intime", ColumnType::kTimestamp);
  intime.ints.assign(t.rows(), 0);  // eICU times are minute offsets from unit admission
  t.add("age", ColumnType::kInt) = std::move(age);
  t.add("los_hours", ColumnType::kFloat) = std::move(los);
  t.add("intime", ColumnType::kTimestamp) = std::move(intime);
}

void derive_diabetes_130(Table& t) {
  Column age = ints_from(t.column("age", "select_cohort (layout diabetes_130)"), "diabetes_130",
                         [](std::string_view s) -> std::optional<std::int64_t> {
                           if (s.empty() || s == "?") return kMissingInt;
                           // "[70-80)": the bin's lower bound
                           const auto dash = s.find('-');
                           if (s.front() != '[' || dash == std::string_view::npos)
                             return std::nullopt;
                           return integer(s.substr(1, dash - 1));
                         });
  const Column& days = source(t, "diabetes_130", "time_in_hospital", true);
  Column los("los_hours", ColumnType::kFloat);
  for (std::size_t r = 0; r < t.rows(); ++r) los.push_float(days.number(r) * 24.0);
  t.add("age", ColumnType::kInt) = std::move(age);
  t.add("los_hours", ColumnType::kFloat) = std::move(los);
}

}  // namespace

LayoutDefaults layout_defaults(const std::string& name) {
  LayoutDefaults d;
  if (name == "mimic_iv") {
    d.keys = {"subject_id", "hadm_id"};
    d.roles = {
        {roles::kPatient, "subject_id"}, {roles::kStay, "stay_id"}, {roles::kAdmitTime, "intime"}};
  } else if (name == "eicu") {
    d.keys = {"patientunitstayid"};
    d.roles = {{roles::kPatient, "uniquepid"},
               {roles::kStay, "patientunitstayid"},
               {roles::kGroup, "hospitalid"},
               {roles::kAdmitTime, "hospitaldischargeyear"}};
  } else if (name == "diabetes_130") {
    d.keys = {"encounter_id"};
    d.roles = {{roles::kPatient, "patient_nbr"},
               {roles::kStay, "encounter_id"},
               {roles::kAdmitTime, "encounter_id"}};
  }
  return d;
}

void add_derived_columns(const std::string& layout, Table& table) {
  if (layout == "mimic_iv") derive_mimic_iv(table);
  if (layout == "eicu") derive_eicu(table);
  if (layout == "diabetes_130") derive_diabetes_130(table);
}

}  // namespace clinflow_select_cohort
