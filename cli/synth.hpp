// `clinflow synth`: a synthetic cohort in the MIMIC-IV Clinical Database Demo v2.2 layout.
//
// Same file names, column names and column order as the real demo, so every workflow written
// for the demo runs on it, at any size, without credentials. The data is SYNTHETIC and carries
// a planted, learnable in-hospital mortality signal (see synthetic_readme()).
//
// @code
//   SynthOptions options;  options.patients = 5000;  options.seed = 7;
//   SynthSummary done = write_synthetic_mimic("/tmp/mimic-synth", options);
// @endcode
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clinflow::cli::synth {

struct SynthOptions {
  std::int64_t patients = 1000;
  std::uint64_t seed = 1;
};

/// Row counts of the generated tables.
struct SynthSummary {
  std::int64_t patients = 0, admissions = 0, icustays = 0, labevents = 0, deaths = 0;
};

/// The generated tables as CSV text (header line included).
struct SynthTables {
  std::string patients, admissions, icustays, labevents, d_labitems;
  SynthSummary summary;
};

/// One generated file: its path below the output folder and its header line.
struct SynthFile {
  const char* path;
  const char* header;
};
/// The five tables, in the real demo's names and column order.
const std::vector<SynthFile>& synth_files();

/// Generates the cohort; the same options always give the same text.
SynthTables generate_synthetic_mimic(const SynthOptions& options);

/// README.txt: says loudly that the data is synthetic and describes the planted signal.
std::string synthetic_readme(const SynthOptions& options, const SynthSummary& summary);

/// gzip bytes of `data` with a fixed header (mtime 0, no name), so output is reproducible.
std::string gzip_deterministic(std::string_view data);

/// Generates and writes <dir>/hosp/*.csv.gz, <dir>/icu/icustays.csv.gz and <dir>/README.txt,
/// each through a temporary file and a rename. Throws std::runtime_error on I/O failure.
SynthSummary write_synthetic_mimic(const std::string& dir, const SynthOptions& options);

}  // namespace clinflow::cli::synth
