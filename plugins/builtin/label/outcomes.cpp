// Outcome definitions of label(): in-hospital death, death or readmission within a horizon,
// length of stay over a horizon, or any condition.
//
// Implementation notes. Each outcome gives, per stay, the label and the time the outcome became
// known (the death, the discharge, the readmission); label() drops the stays whose outcome was
// known by the prediction time. MIMIC-IV and eICU name things differently, so each outcome looks
// for the columns of either source (MIMIC: hospital_expire_flag, dischtime, deathtime, dod;
// eICU: hospitaldischargestatus, hospitaldischargeoffset in minutes from unit admission, which
// select_cohort's eICU layout sets as `intime` = 0). Readmissions use a per-patient sorted list
// of admission times, probed (never iterated) by patient, so the result does not depend on hash
// order.
#include "outcomes.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "expr_eval.hpp"

namespace clinflow_label {

using namespace clinflow;
using namespace clinflow::builtin;

namespace {

const std::string kStep = "label";

/// The timestamp column `name`, nullptr when absent; an error when it is not a timestamp.
const Column* timestamps(const Table& t, const std::string& name) {
  const Column* c = t.find(name);
  if (c && c->type != ColumnType::kTimestamp)
    throw StepError("label: column '" + name + "' must be a timestamp, but it is " +
                    to_string(c->type));
  return c;
}

std::int64_t at(const Column* c, std::size_t r) {
  return c ? c->ints[r] : kMissingInt;
}

/// The columns that say when a hospital stay ended, looked up once.
struct StayEnd {
  explicit StayEnd(const Table& t)
      : dischtime(timestamps(t, "dischtime")),
        deathtime(timestamps(t, "deathtime")),
        offset(t.find("hospitaldischargeoffset")),
        intime(t.find("intime")),
        status(t.find("hospitaldischargestatus")) {
    if (offset && !offset->is_numeric()) offset = nullptr;
    if (intime && intime->type != ColumnType::kTimestamp) intime = nullptr;
    if (status && status->type != ColumnType::kString) status = nullptr;
  }

  /// eICU: `intime` (0 with select_cohort's layout) + hospitaldischargeoffset minutes.
  std::int64_t eicu_discharge(std::size_t r) const {
    if (!offset || offset->missing(r)) return kMissingInt;
    const std::int64_t base = intime ? intime->ints[r] : 0;
    return base == kMissingInt ? kMissingInt : base + std::llround(offset->number(r) * 60);
  }
  bool eicu_expired(std::size_t r) const { return status && status->text(r) == "Expired"; }

  /// Discharge or death, whichever came first, or kMissingInt.
  std::int64_t hospital_end(std::size_t r) const {
    const std::int64_t disch = at(dischtime, r), death = at(deathtime, r);
    if (disch != kMissingInt && death != kMissingInt) return std::min(disch, death);
    if (disch != kMissingInt) return disch;
    if (death != kMissingInt) return death;
    return eicu_discharge(r);
  }

  const Column *dischtime, *deathtime, *offset, *intime, *status;
};

OutcomeValues in_hospital_death(const Table& t) {
  OutcomeValues out;
  const StayEnd end(t);
  const Column* flag = t.find("hospital_expire_flag");
  const Column* status = t.find("hospitaldischargestatus");
  if (!flag && !status)
    throw StepError(
        "label: outcome in_hospital_death needs column 'hospital_expire_flag' (MIMIC-IV "
        "admissions) or 'hospitaldischargestatus' (eICU patient)");
  if (flag && !flag->is_numeric())
    throw StepError("label: column 'hospital_expire_flag' must be numeric, but it holds text");
  for (std::size_t r = 0; r < t.rows(); ++r) {
    std::int64_t label = kMissingInt;
    if (flag) {
      if (!flag->missing(r)) label = flag->number(r) != 0;
    } else if (status->type == ColumnType::kString) {
      if (status->text(r) == "Expired") label = 1;
      if (status->text(r) == "Alive") label = 0;  // blank and anything else: unknown
    }
    out.label.push_back(label);
    out.known_at.push_back(end.hospital_end(r));
  }
  return out;
}

OutcomeValues death_within(const Table& t, const std::vector<std::int64_t>& pt,
                           std::int64_t horizon) {
  const Column *deathtime = timestamps(t, "deathtime"), *dod = timestamps(t, "dod");
  if (!deathtime && !dod && !t.find("hospitaldischargestatus"))
    throw StepError(
        "label: outcome death_within needs column 'deathtime' or 'dod' (MIMIC-IV) or "
        "'hospitaldischargestatus' (eICU)");
  OutcomeValues out;
  const StayEnd end(t);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    std::int64_t death = at(deathtime, r);
    if (death == kMissingInt) death = at(dod, r);
    if (death == kMissingInt && end.eicu_expired(r)) death = end.eicu_discharge(r);
    if (pt[r] == kMissingInt)
      out.label.push_back(kMissingInt);
    else
      out.label.push_back(death != kMissingInt && death > pt[r] && death - pt[r] <= horizon);
    out.known_at.push_back(death);
  }
  return out;
}

/// The bytes identifying a cell (for the per-patient map), or nullopt when it is missing.
std::optional<std::string> key_of(const Column& c, std::size_t r) {
  if (c.missing(r)) return std::nullopt;
  if (c.type == ColumnType::kString) return std::string(c.text(r));
  const double x = c.number(r);
  return std::string(reinterpret_cast<const char*>(&x), sizeof x);
}

OutcomeValues readmission_within(const Table& t, const Table* admissions, std::int64_t horizon) {
  if (!admissions)
    throw StepError(
        "label: outcome readmission_within needs a second input with all admissions of the "
        "patients (columns: the patient column and 'admittime')");
  const Column& patient = t.require_role(roles::kPatient, kStep);
  const Column& other_patient = admissions->column(patient.name, "label (admissions input)");
  const Column* admittime = timestamps(*admissions, "admittime");
  const Column* dischtime = timestamps(t, "dischtime");
  if (!admittime || !dischtime)
    throw StepError(
        "label: outcome readmission_within needs 'dischtime' in the cohort and 'admittime' in "
        "the admissions input");
  if (patient.is_numeric() != other_patient.is_numeric())
    throw StepError("label: column '" + patient.name +
                    "' is text in one input and numeric in the other");
  std::unordered_map<std::string, std::vector<std::int64_t>> admits;
  for (std::size_t r = 0; r < admissions->rows(); ++r) {
    auto key = key_of(other_patient, r);
    if (key && admittime->ints[r] != kMissingInt) admits[*key].push_back(admittime->ints[r]);
  }
  for (auto& entry : admits) std::sort(entry.second.begin(), entry.second.end());

  OutcomeValues out;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::int64_t disch = dischtime->ints[r];
    auto key = key_of(patient, r);
    std::int64_t next = kMissingInt;
    if (key && disch != kMissingInt) {
      auto it = admits.find(*key);
      if (it != admits.end()) {
        auto after = std::upper_bound(it->second.begin(), it->second.end(), disch);
        if (after != it->second.end()) next = *after;
      }
    }
    out.label.push_back(disch == kMissingInt ? kMissingInt
                                             : next != kMissingInt && next - disch <= horizon);
    out.known_at.push_back(next);
  }
  return out;
}

OutcomeValues los_over(const Table& t, std::int64_t horizon) {
  const Column& los = t.column("los_hours", "label (outcome los_over)");
  if (!los.is_numeric())
    throw StepError("label: column 'los_hours' must be numeric, but it holds text");
  const Column* intime = t.find("intime");
  if (intime && intime->type != ColumnType::kTimestamp) intime = nullptr;
  OutcomeValues out;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const double seconds = los.number(r) * 3600;
    out.label.push_back(std::isnan(seconds) ? kMissingInt : seconds > double(horizon));
    const std::int64_t start = at(intime, r);
    out.known_at.push_back(
        start == kMissingInt || std::isnan(seconds) ? kMissingInt : start + std::llround(seconds));
  }
  return out;
}

}  // namespace

OutcomeValues compute_outcome(const Table& cohort, const std::vector<std::int64_t>& pt,
                              const OutcomeRequest& request) {
  const std::string& o = request.outcome;
  if (o == "in_hospital_death") return in_hospital_death(cohort);
  if (o == "death_within") return death_within(cohort, pt, request.horizon);
  if (o == "readmission_within")
    return readmission_within(cohort, request.admissions, request.horizon);
  if (o == "los_over") return los_over(cohort, request.horizon);
  if (o != "expression") throw StepError("label: unknown outcome '" + o + "'");
  if (!request.where || request.where->is_none())
    throw StepError("label: outcome expression needs `where:`, e.g. where: readmitted == \"<30\"");
  const std::vector<std::uint8_t> holds = evaluate_mask(*request.where, cohort, kStep);
  OutcomeValues out;
  out.label.assign(holds.begin(), holds.end());
  out.known_at.assign(cohort.rows(), kMissingInt);  // a condition has no time: nothing dropped
  return out;
}

}  // namespace clinflow_label
