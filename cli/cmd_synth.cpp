// `clinflow synth DIR [--patients N] [--seed S]`: a synthetic cohort in the MIMIC-IV demo layout.
#include <iostream>

#include "cli_common.hpp"
#include "synth.hpp"

namespace clinflow::cli {

int cmd_synth(const std::string& dir, std::int64_t patients, std::uint64_t seed) {
  if (patients < 1) {
    print_error("synth: --patients must be at least 1");
    return kExitError;
  }
  synth::SynthOptions options;
  options.patients = patients;
  options.seed = seed;
  const synth::SynthSummary s = synth::write_synthetic_mimic(dir, options);
  std::cout << "clinflow synth: wrote SYNTHETIC data (not real patients) to " << dir << ": "
            << s.patients << " patients, " << s.admissions << " admissions (" << s.deaths
            << " in-hospital deaths), " << s.icustays << " ICU stays, " << s.labevents
            << " lab events; see README.txt\n";
  return 0;
}

}  // namespace clinflow::cli
