// The laboratory side of `clinflow synth`: ten common MIMIC-IV lab items, an admission's
// underlying levels, and the labevents rows measured from them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "synth_random.hpp"

namespace clinflow::cli::synth {

/// The labs synth writes, in d_labitems order.
enum LabIndex {
  kLactate,
  kCreatinine,
  kSodium,
  kPotassium,
  kWbc,
  kHemoglobin,
  kGlucose,
  kPlatelets,
  kBicarbonate,
  kBun,
  kLabCount
};

/// One lab item with MIMIC-IV's itemid, label, unit and reference range.
struct LabItem {
  int itemid;
  const char* label;
  const char* fluid;
  const char* category;
  const char* unit;
  double ref_low, ref_high;
  int decimals;          ///< digits after the point in `value` / `valuenum`
  bool multiplicative;   ///< lognormal scatter (concentrations) rather than additive
  double noise;          ///< measurement scatter: log-sd or absolute sd
  double recovered;      ///< the level a survivor drifts back to after the first day
  double deterioration;  ///< a non-survivor's drift after the first day: factor or shift
};

const LabItem& lab_item(int index);

/// An admission's underlying lab levels during its first 24 hours.
using LabLevels = std::array<double, kLabCount>;

/// Draws the first-24h levels from the admission's latent `severity` (standard normal).
LabLevels draw_levels(Rng& rng, double severity, double age, bool female);

/// What the lab writer needs to know about one admission.
struct LabAdmission {
  std::int64_t subject_id = 0, hadm_id = 0;
  std::int64_t admit = 0, discharge = 0;                   ///< seconds since the epoch
  std::vector<std::pair<std::int64_t, std::int64_t>> icu;  ///< ICU stays (in, out)
  bool died = false;
  bool female = false;
  LabLevels levels{};
};

/// Appends labevents rows for admissions in turn; owns the id counters.
class LabWriter {
 public:
  explicit LabWriter(std::string& out) : out_(out) {}
  /// Writes the admission's draws: an admission panel, morning panels, extra ICU panels and
  /// lactates, each analyte sometimes absent, glucose sometimes reported in mmol/L.
  void write(Rng& rng, const LabAdmission& admission);
  std::int64_t rows() const { return rows_; }

 private:
  void draw(Rng& rng, const LabAdmission& a, std::int64_t time, bool stat, bool lactate);
  void row(Rng& rng, const LabAdmission& a, int lab, std::int64_t time, std::int64_t specimen,
           bool stat);
  std::string& out_;
  std::int64_t next_event_ = 1;
  std::int64_t next_specimen_ = 90000001;
  std::int64_t rows_ = 0;
};

/// A random provider id in MIMIC's style ("P" and five characters, e.g. "P41R5N").
std::string provider_id(Rng& rng);

/// d_labitems.csv text for the ten items (header included).
std::string d_labitems_csv();

}  // namespace clinflow::cli::synth
