// Laboratory values for `clinflow synth`.
//
// Implementation notes: each admission has one underlying level per lab for its first 24 hours,
// drawn from a latent severity; measurements scatter around it (lognormal for concentrations,
// additive for electrolytes). After the first day the level drifts: towards a normal value for
// survivors, towards a worse one for patients who die in hospital. The drift is deliberate: a
// model fed labs from after 24 h learns the outcome from its consequences (label leakage),
// which a correct time-window curation must prevent. Draw times are merged into one sorted
// schedule so rows come out in time order within an admission.
#include "synth_labs.hpp"

#include <algorithm>
#include <cmath>

#include "synth_text.hpp"

namespace clinflow::cli::synth {

namespace {

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;

const LabItem kItems[kLabCount] = {
    {50813, "Lactate", "Blood", "Blood Gas", "mmol/L", 0.5, 2, 1, true, 0.08, 1.2, 1.8},
    {50912, "Creatinine", "Blood", "Chemistry", "mg/dL", 0.5, 1.2, 1, true, 0.05, 0.9, 1.6},
    {50983, "Sodium", "Blood", "Chemistry", "mEq/L", 133, 145, 0, false, 1.0, 139, -3},
    {50971, "Potassium", "Blood", "Chemistry", "mEq/L", 3.3, 5.1, 1, false, 0.15, 4.1, 0.6},
    {51301, "White Blood Cells", "Blood", "Hematology", "K/uL", 4, 10, 1, true, 0.06, 8, 1.5},
    {51222, "Hemoglobin", "Blood", "Hematology", "g/dL", 13.7, 17.5, 1, false, 0.3, 11.5, -1.5},
    {50931, "Glucose", "Blood", "Chemistry", "mg/dL", 70, 100, 0, true, 0.08, 115, 1.3},
    {51265, "Platelet Count", "Blood", "Hematology", "K/uL", 150, 400, 0, true, 0.06, 230, 0.6},
    {50882, "Bicarbonate", "Blood", "Chemistry", "mEq/L", 22, 32, 0, false, 1.0, 25, -5},
    {51006, "Urea Nitrogen", "Blood", "Chemistry", "mg/dL", 6, 20, 0, true, 0.06, 15, 1.6},
};

constexpr int kChemistry[] = {kSodium, kPotassium, kBicarbonate, kBun, kCreatinine, kGlucose};
constexpr int kHematology[] = {kWbc, kHemoglobin, kPlatelets};

/// Share of glucose results reported in mmol/L instead of mg/dL (to exercise harmonisation).
constexpr double kGlucoseMmolShare = 0.15;
constexpr double kGlucoseMgPerMmol = 18.016;

/// The underlying level `days` after admission.
double level_at(int lab, const LabAdmission& a, double days) {
  const LabItem& item = kItems[lab];
  const double start = a.levels[std::size_t(lab)];
  if (days <= 1.0) return start;
  const double target = !a.died               ? item.recovered
                        : item.multiplicative ? start * item.deterioration
                                              : start + item.deterioration;
  const double weight = 1.0 - std::exp(-(days - 1.0) / 2.0);
  return start + (target - start) * weight;
}

double measure(Rng& rng, int lab, double level) {
  const LabItem& item = kItems[lab];
  const double value = item.multiplicative ? level * std::exp(item.noise * rng.normal())
                                           : level + item.noise * rng.normal();
  return std::max(value, std::pow(10.0, -item.decimals));
}

/// A reference range bound as MIMIC prints it ("0.5", "2", "133").
std::string shortest(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

struct Draw {
  std::int64_t time;
  bool stat;
  bool lactate;
  bool operator<(const Draw& o) const { return time < o.time; }
};

bool in_icu(const LabAdmission& a, std::int64_t t) {
  for (const auto& [in, out] : a.icu)
    if (t >= in && t < out) return true;
  return false;
}

/// Admission draw, lactate repeats, morning draws and ICU draws, sorted by time.
std::vector<Draw> schedule(Rng& rng, const LabAdmission& a) {
  std::vector<Draw> draws;
  const std::int64_t first = a.admit + rng.integer(kHour / 3, 5 * kHour / 2);
  const bool sick_lactate = a.levels[kLactate] > 2.0;
  const double lactate_p = 0.30 + (a.icu.empty() ? 0.0 : 0.35) + (sick_lactate ? 0.2 : 0.0);
  const bool lactate = rng.chance(lactate_p);
  draws.push_back({first, true, lactate});
  if (lactate && sick_lactate && rng.chance(0.7))
    draws.push_back({first + rng.integer(3 * kHour, 6 * kHour), true, true});
  const std::int64_t midnight = a.admit - (a.admit % kDay + kDay) % kDay;
  for (std::int64_t t = midnight + kDay;; t += kDay) {
    const std::int64_t when = t + rng.integer(9 * kHour / 2, 13 * kHour / 2);
    if (when >= a.discharge - kHour) break;
    if (rng.chance(0.08)) continue;  // no morning labs that day
    draws.push_back({when, in_icu(a, when), false});
  }
  for (const auto& [in, out] : a.icu)
    for (std::int64_t t = in + rng.integer(kHour / 2, 2 * kHour); t < out;
         t += rng.integer(10 * kHour, 14 * kHour))
      draws.push_back({t, true, rng.chance(0.45)});
  std::stable_sort(draws.begin(), draws.end());
  return draws;
}

}  // namespace

const LabItem& lab_item(int index) {
  return kItems[index];
}

std::string provider_id(Rng& rng) {
  static const char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string id = "P";
  for (int i = 0; i < 5; ++i) id += kAlphabet[rng.integer(0, 35)];
  return id;
}

LabLevels draw_levels(Rng& rng, double s, double age, bool female) {
  LabLevels v{};
  v[kLactate] = std::exp(std::log(1.5) + 0.45 * s + 0.35 * rng.normal());
  v[kCreatinine] =
      std::exp(0.30 * s + 0.35 * rng.normal() + 0.005 * (age - 60)) * (female ? 0.85 : 1.0);
  v[kSodium] = 139 + 3.5 * rng.normal() - 1.0 * s;
  v[kPotassium] = 4.2 + 0.45 * rng.normal() + 0.12 * s;
  v[kWbc] = std::exp(std::log(9.0) + 0.25 * s + 0.30 * rng.normal());
  v[kHemoglobin] = (female ? 11.8 : 13.2) + 1.6 * rng.normal() - 0.5 * s;
  v[kGlucose] = std::exp(std::log(125.0) + 0.10 * s + 0.30 * rng.normal());
  v[kPlatelets] = std::exp(std::log(220.0) - 0.12 * s + 0.35 * rng.normal());
  v[kBicarbonate] = 24 + 3.0 * rng.normal() - 1.3 * s;
  v[kBun] =
      std::exp(std::log(17.0) + 0.20 * s + 0.45 * rng.normal()) * std::pow(v[kCreatinine], 0.6);
  return v;
}

void LabWriter::write(Rng& rng, const LabAdmission& admission) {
  for (const Draw& d : schedule(rng, admission))  // charted to the minute, as in MIMIC
    draw(rng, admission, d.time / 60 * 60, d.stat, d.lactate);
}

void LabWriter::draw(Rng& rng, const LabAdmission& a, std::int64_t time, bool stat, bool lactate) {
  if (lactate) row(rng, a, kLactate, time, next_specimen_++, stat);
  if (rng.chance(0.93)) {
    const std::int64_t specimen = next_specimen_++;
    for (int lab : kChemistry)
      if (rng.chance(0.97)) row(rng, a, lab, time, specimen, stat);
  }
  if (rng.chance(0.88)) {
    const std::int64_t specimen = next_specimen_++;
    for (int lab : kHematology)
      if (rng.chance(0.97)) row(rng, a, lab, time, specimen, stat);
  }
}

void LabWriter::row(Rng& rng, const LabAdmission& a, int lab, std::int64_t time,
                    std::int64_t specimen, bool stat) {
  const LabItem& item = kItems[lab];
  const double days = double(time - a.admit) / double(kDay);
  double value = measure(rng, lab, level_at(lab, a, days));
  const char* unit = item.unit;
  int decimals = item.decimals;
  double low = item.ref_low, high = item.ref_high;
  if (lab == kHemoglobin && a.female) low = 11.2, high = 15.7;
  if (lab == kGlucose && rng.chance(kGlucoseMmolShare)) {
    value /= kGlucoseMgPerMmol;
    unit = "mmol/L";
    decimals = 1;
    low = 3.9, high = 5.6;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  const double shown = std::strtod(text, nullptr);  // flag what the lab reported
  const std::int64_t stored = time + rng.integer(20, 150) * 60;
  CsvRow r(out_);
  r.integer(next_event_++).integer(a.subject_id).integer(a.hadm_id).integer(specimen);
  r.integer(item.itemid);
  if (rng.chance(0.25))
    r.text(provider_id(rng));
  else
    r.empty();
  r.datetime(time).datetime(stored).text(text).text(text).text(unit);
  r.text(shortest(low)).text(shortest(high));
  r.text(shown < low || shown > high ? "abnormal" : "");
  r.text(lab == kLactate ? "" : stat ? "STAT" : "ROUTINE");
  r.empty();
  ++rows_;
}

std::string d_labitems_csv() {
  std::string out = "itemid,label,fluid,category\n";
  for (const LabItem& item : kItems) {
    CsvRow r(out);
    r.integer(item.itemid).text(item.label).text(item.fluid).text(item.category);
  }
  return out;
}

}  // namespace clinflow::cli::synth
