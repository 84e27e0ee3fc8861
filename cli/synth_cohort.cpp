// The cohort of `clinflow synth`: patients, admissions and ICU stays, with the planted outcome.
//
// Implementation notes: patients are generated one after another, each from its own random
// stream (seed, index), straight into the CSV buffers; nothing is kept but id counters, so 1000
// patients take a few milliseconds. Distributions follow the real demo's shapes (about 1.3
// admissions per patient, ICU for a subset with about 1.4 stays each, length of stay 0.5-20
// days, ages 18-91 through anchor_age / anchor_year, shifted years 2110-2210); categorical
// weights are the demo's counts. The outcome is planted in admission(): see mortality_logit().
#include <algorithm>
#include <cmath>

#include "synth.hpp"
#include "synth_labs.hpp"
#include "synth_random.hpp"
#include "synth_text.hpp"

namespace clinflow::cli::synth {

namespace {

constexpr std::int64_t kMinute = 60, kHour = 3600, kDay = 86400;
// Id ranges inside MIMIC-IV's own (subject 1xxxxxxx, hadm 2xxxxxxx, stay 3xxxxxxx) but above
// the demo's, so a synthetic row is never mistaken for a real one by its id.
constexpr std::int64_t kSubjectBase = 19000000, kHadmBase = 29000000, kStayBase = 39000000;

/// The planted model: logit P(in-hospital death) from age and the first-24h levels of
/// lactate (mmol/L), creatinine (mg/dL) and white cells (K/uL). Prevalence comes out near 12%.
double mortality_logit(double age, const LabLevels& v) {
  return -2.25 + 0.035 * (age - 65) + 0.60 * (v[kLactate] - 2.0) + 0.70 * (v[kCreatinine] - 1.2) +
         0.06 * (v[kWbc] - 10.0);
}

double logistic(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

struct Weighted {
  std::vector<const char*> values;
  std::vector<double> weights;
  const char* operator()(Rng& rng) const { return values[rng.pick(weights)]; }
};

const Weighted kRace{{"WHITE", "BLACK/AFRICAN AMERICAN", "UNKNOWN", "HISPANIC/LATINO - CUBAN",
                      "HISPANIC/LATINO - PUERTO RICAN", "PORTUGUESE", "ASIAN - CHINESE", "OTHER",
                      "UNABLE TO OBTAIN", "WHITE - BRAZILIAN"},
                     {170, 48, 17, 9, 8, 7, 5, 4, 4, 3}};
const Weighted kMarital{{"MARRIED", "SINGLE", "WIDOWED", "DIVORCED", ""}, {38, 35, 15, 8, 4}};
const Weighted kYearGroup{{"2008 - 2010", "2011 - 2013", "2014 - 2016", "2017 - 2019"},
                          {25, 30, 30, 15}};
const Weighted kAdmissionType{
    {"EW EMER.", "OBSERVATION ADMIT", "URGENT", "EU OBSERVATION", "SURGICAL SAME DAY ADMISSION",
     "DIRECT EMER.", "ELECTIVE", "DIRECT OBSERVATION", "AMBULATORY OBSERVATION"},
    {104, 45, 38, 30, 18, 15, 13, 7, 5}};
const Weighted kReferral{{"PHYSICIAN REFERRAL", "TRANSFER FROM HOSPITAL", "CLINIC REFERRAL",
                          "WALK-IN/SELF REFERRAL", "PROCEDURE SITE"},
                         {63, 43, 10, 7, 7}};
const Weighted kDischarge{{"HOME HEALTH CARE", "HOME", "", "SKILLED NURSING FACILITY", "REHAB",
                           "CHRONIC/LONG TERM ACUTE CARE", "HOSPICE", "AGAINST ADVICE"},
                          {76, 72, 42, 36, 13, 9, 5, 4}};
const Weighted kCareUnit{
    {"Medical Intensive Care Unit (MICU)", "Surgical Intensive Care Unit (SICU)",
     "Cardiac Vascular Intensive Care Unit (CVICU)",
     "Medical/Surgical Intensive Care Unit (MICU/SICU)", "Trauma SICU (TSICU)",
     "Coronary Care Unit (CCU)", "Neuro Surgical Intensive Care Unit (Neuro SICU)"},
    {29, 29, 25, 23, 16, 13, 3}};

struct Patient {
  std::int64_t subject_id = 0;
  bool female = false;
  std::int64_t anchor_age = 0, anchor_year = 0;
  const char *year_group = "", *race = "", *language = "", *marital = "";
};

class CohortWriter {
 public:
  explicit CohortWriter(SynthTables& t) : t_(t), labs_(t.labevents) {}
  void patient(Rng& rng, std::int64_t index);
  std::int64_t lab_rows() const { return labs_.rows(); }

 private:
  /// Writes one admission starting at `admit`; returns its discharge time, sets `died`.
  std::int64_t admission(Rng& rng, const Patient& p, std::int64_t admit, bool& died);
  void icu_stays(Rng& rng, LabAdmission& a);
  SynthTables& t_;
  LabWriter labs_;
  std::int64_t next_hadm_ = kHadmBase + 1, next_stay_ = kStayBase + 1;
};

void CohortWriter::patient(Rng& rng, std::int64_t index) {
  Patient p;
  p.subject_id = kSubjectBase + index + 1;
  p.female = rng.chance(0.45);
  p.anchor_age = std::clamp<std::int64_t>(std::llround(rng.normal(60, 17)), 18, 95);
  if (p.anchor_age > 89) p.anchor_age = 91;  // MIMIC groups everyone over 89 at 91
  p.anchor_year = rng.integer(2110, 2204);
  p.year_group = kYearGroup(rng);
  p.race = kRace(rng);
  p.language = rng.chance(0.9) ? "ENGLISH" : "?";
  p.marital = kMarital(rng);

  int count = 1;
  while (count < 8 && rng.chance(0.23)) ++count;
  const std::int64_t year_start = days_from_civil(p.anchor_year + rng.integer(0, 2), 1, 1) * kDay;
  std::int64_t admit = year_start + rng.integer(0, 364) * kDay + rng.integer(0, 1439) * kMinute;
  std::int64_t discharge = admit;
  bool died = false;
  for (int i = 0; i < count && !died; ++i) {
    discharge = admission(rng, p, admit, died);
    const double gap_days = rng.chance(0.2) ? rng.uniform(2, 30) : 30 + rng.exponential(365);
    admit = discharge + std::int64_t(gap_days * kDay) / kMinute * kMinute;
  }
  std::string dod;
  if (died) {
    dod = format_date(discharge);
  } else if (rng.chance(p.anchor_age > 75 ? 0.22 : 0.10)) {
    dod = format_date(discharge + rng.integer(1, 365) * kDay);
  }
  CsvRow r(t_.patients);
  r.integer(p.subject_id).text(p.female ? "F" : "M").integer(p.anchor_age);
  r.integer(p.anchor_year).text(p.year_group).text(dod);
  ++t_.summary.patients;
}

std::int64_t CohortWriter::admission(Rng& rng, const Patient& p, std::int64_t admit, bool& died) {
  const double age = double(p.anchor_age + (year_of(admit) - p.anchor_year));
  const double severity = rng.normal() + 0.01 * (age - 60);
  LabAdmission a;
  a.subject_id = p.subject_id;
  a.hadm_id = next_hadm_++;
  a.female = p.female;
  a.levels = draw_levels(rng, severity, age, p.female);
  died = rng.chance(logistic(mortality_logit(age, a.levels)));
  a.died = died;
  double los = std::exp(std::log(3.8) + 0.25 * severity + 0.6 * rng.normal());
  if (died) los *= rng.uniform(0.4, 1.0);
  los = std::clamp(los, 0.5, 20.0);
  a.admit = admit;
  a.discharge = admit + std::int64_t(los * kDay) / kMinute * kMinute;
  if (rng.chance(logistic(-0.7 + 1.1 * severity))) icu_stays(rng, a);

  const char* type = kAdmissionType(rng);
  const std::string type_text = type;
  const bool emergency = type_text.find("EMER") != std::string::npos ||
                         type_text.find("OBSERVATION") != std::string::npos;
  const char* insurance = age >= 65 ? (rng.chance(0.8) ? "Medicare" : "Other")
                                    : (rng.chance(0.7) ? "Other" : "Medicaid");
  CsvRow r(t_.admissions);
  r.integer(p.subject_id).integer(a.hadm_id).datetime(a.admit).datetime(a.discharge);
  if (died)
    r.datetime(a.discharge);
  else
    r.empty();
  r.text(type).text(provider_id(rng)).text(emergency ? "EMERGENCY ROOM" : kReferral(rng));
  r.text(died ? "DIED" : kDischarge(rng)).text(insurance).text(p.language).text(p.marital);
  r.text(p.race);
  if (emergency) {
    r.datetime(a.admit - rng.integer(2 * kHour, 8 * kHour) / kMinute * kMinute);
    r.datetime(a.admit + rng.integer(0, kHour) / kMinute * kMinute);
  } else {
    r.empty().empty();
  }
  r.integer(died ? 1 : 0);
  ++t_.summary.admissions;
  t_.summary.deaths += died;
  labs_.write(rng, a);
  return a.discharge;
}

void CohortWriter::icu_stays(Rng& rng, LabAdmission& a) {
  const int stays = rng.chance(0.4) ? 2 : 1;
  const std::int64_t length = a.discharge - a.admit;
  const std::int64_t begin = a.admit + std::min<std::int64_t>(6 * kHour, length / 10) / 2 +
                             rng.integer(0, std::min<std::int64_t>(6 * kHour, length / 10) / 2);
  const std::int64_t end = a.discharge - rng.integer(0, length / 10);
  const std::int64_t segment = (end - begin) / stays;
  const char* unit = kCareUnit(rng);
  for (int i = 0; i < stays; ++i) {
    const std::int64_t s0 = begin + i * segment;
    const std::int64_t in = s0 + std::int64_t(rng.uniform(0.0, 0.15) * double(segment));
    const std::int64_t out = s0 + segment - std::int64_t(rng.uniform(0.05, 0.15) * double(segment));
    const char* last = rng.chance(0.85) ? unit : kCareUnit(rng);
    a.icu.emplace_back(in, out);
    CsvRow r(t_.icustays);
    r.integer(a.subject_id).integer(a.hadm_id).integer(next_stay_++).text(unit).text(last);
    r.datetime(in).datetime(out).precise(double(out - in) / double(kDay));
    ++t_.summary.icustays;
    unit = last;
  }
}

}  // namespace

const std::vector<SynthFile>& synth_files() {
  static const std::vector<SynthFile> files = {
      {"hosp/patients.csv.gz", "subject_id,gender,anchor_age,anchor_year,anchor_year_group,dod"},
      {"hosp/admissions.csv.gz",
       "subject_id,hadm_id,admittime,dischtime,deathtime,admission_type,admit_provider_id,"
       "admission_location,discharge_location,insurance,language,marital_status,race,edregtime,"
       "edouttime,hospital_expire_flag"},
      {"icu/icustays.csv.gz",
       "subject_id,hadm_id,stay_id,first_careunit,last_careunit,intime,outtime,los"},
      {"hosp/labevents.csv.gz",
       "labevent_id,subject_id,hadm_id,specimen_id,itemid,order_provider_id,charttime,storetime,"
       "value,valuenum,valueuom,ref_range_lower,ref_range_upper,flag,priority,comments"},
      {"hosp/d_labitems.csv.gz", "itemid,label,fluid,category"},
  };
  return files;
}

SynthTables generate_synthetic_mimic(const SynthOptions& options) {
  SynthTables t;
  const auto& files = synth_files();
  t.patients = std::string(files[0].header) + "\n";
  t.admissions = std::string(files[1].header) + "\n";
  t.icustays = std::string(files[2].header) + "\n";
  t.labevents = std::string(files[3].header) + "\n";
  t.d_labitems = d_labitems_csv();
  CohortWriter writer(t);
  for (std::int64_t i = 0; i < options.patients; ++i) {
    Rng rng(options.seed, std::uint64_t(i));
    writer.patient(rng, i);
  }
  t.summary.labevents = writer.lab_rows();
  return t;
}

}  // namespace clinflow::cli::synth
