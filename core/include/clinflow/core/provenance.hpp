// The provenance database: one SQLite file (WAL) per project folder.
//
// Append-only: every row is written once and chained to the previous row by SHA-256
// (row_hash = sha256(prev_hash | table | canonical row text)), so `verify()` detects a row that
// was changed, inserted or deleted behind the recorder's back. A run's end is its own row
// (run_ends); a run without one was interrupted. The step cache (key -> output artifacts) is a
// plain index beside the chain: it can always be rebuilt from the steps and edges.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace clinflow {

/// Any failure of the database (cannot open, locked, unwritable, corrupt), with a message that
/// names the file. Callers turn it into `clinflow: error: ...` and a non-zero exit.
class ProvenanceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunRecord {
  std::int64_t id = 0;
  std::string workflow_file;
  std::string workflow_text;
  std::string workflow_hash;
  std::string plan_hash;
  std::string params;  ///< overrides given on the command line (`--set`), canonical text
  std::string user, host;
  std::string versions;  ///< engine and library versions, "clinflow 0.1.0; sqlite 3.40.1; ..."
  std::int64_t seed = 0;
  int threads = 0;
  std::int64_t rerun_of = 0;  ///< the run this one reruns, or 0
  double started = 0;         ///< unix seconds
  // filled from run_ends:
  double ended = 0;
  std::string status;  ///< "running"/"interrupted" (no end row), "succeeded", "failed", "cancelled"
  std::string summary;  ///< e.g. "12 ran, 3 cached, 1 failed, 2 skipped"
};

struct StepRecord {
  std::int64_t id = 0;
  std::int64_t run_id = 0;
  std::string name;
  std::string plugin, plugin_version, plugin_hash;
  std::string params;  ///< canonical text (clinflow::to_text)
  std::string key;
  std::int64_t seed = 0;
  double started = 0, ended = 0;
  double cpu_seconds = 0;
  std::int64_t peak_rss_kb = 0;
  std::string status;  ///< "ran", "cached", "failed", "skipped", "cancelled"
  std::string reason;  ///< why it ran or was skipped (--explain)
  std::string error;   ///< the failure message, if any
  int line = 0;        ///< the statement's line in the workflow
};

struct ArtifactRecord {
  std::string hash;
  std::string type;
  std::int64_t size = 0;
  /// The content of small metrics artifacts (JSON: attrition tables, split checks, privacy
  /// spends), kept so provenance alone shows them; nullopt for everything else.
  std::optional<std::string> content;
};

/// An edge between a step and an artifact. Data files named by path parameters are artifacts too
/// (type "file"), linked as inputs with role "data".
struct EdgeRecord {
  std::int64_t step_id = 0;
  std::string artifact_hash;
  std::string direction;  ///< "in" or "out"
  int port = 0;
  std::string role;  ///< the port name, or "data:<param>" for a path parameter
};

struct RequireRecord {
  std::int64_t run_id = 0;
  std::string text;
  std::string metric;
  std::optional<double> observed;
  bool passed = false;
  int line = 0;
  std::string message;
};

/// One differentially private step's charge to the run's privacy ledger (chained table
/// privacy_ledger). Epsilons are at the budget's delta; `cumulative_epsilon` composes (RDP) every
/// charge of the run up to and including this one, in ledger `sequence` order.
struct PrivacySpendRecord {
  std::int64_t run_id = 0;
  std::int64_t step_id = 0;  ///< the step's row (filled in by add_step_with_spend)
  std::string step_name;
  int sequence = 0;        ///< 1, 2, ... within the run: the order the charges were composed in
  std::string mechanisms;  ///< JSON list of {noise_multiplier, sampling_rate, steps}
  double step_epsilon = 0;
  double cumulative_epsilon = 0;
  double delta = 0;
  double budget_epsilon = 0;
  bool cached = false;     ///< the step reused an artifact trained (and charged) earlier
  std::string accountant;  ///< "rdp-subsampled-gaussian/1; ..." with the orders used
};

struct VerifyResult {
  bool ok = true;
  std::int64_t rows = 0;
  std::vector<std::string> problems;  ///< "steps row 17 (seq 40): content changed", ...
};

class Provenance {
 public:
  /// Opens (creating if needed) the database at `path`; throws ProvenanceError.
  static std::unique_ptr<Provenance> open(const std::string& path);
  virtual ~Provenance() = default;

  // Writing. Writes are buffered and committed together at least every `flush_interval`
  // seconds and on flush(); a crash loses at most the unflushed tail, never consistency.
  virtual std::int64_t begin_run(RunRecord run) = 0;
  virtual std::int64_t add_step(const StepRecord& step) = 0;
  virtual void add_artifact(const ArtifactRecord& artifact) = 0;  ///< idempotent per hash
  virtual void add_edge(const EdgeRecord& edge) = 0;
  virtual void add_require(const RequireRecord& result) = 0;
  /// A DP step's row and its ledger row, in one transaction (neither is ever written alone).
  virtual std::int64_t add_step_with_spend(const StepRecord& step, PrivacySpendRecord spend) = 0;
  virtual void end_run(std::int64_t run_id, const std::string& status,
                       const std::string& summary) = 0;
  virtual void flush() = 0;

  /// The step cache: output artifact hashes (one per output port) recorded for a step key.
  virtual void cache_put(const std::string& key, const std::vector<std::string>& output_hashes) = 0;
  virtual std::optional<std::vector<std::string>> cache_get(const std::string& key) = 0;

  // Reading.
  virtual std::vector<RunRecord> runs() = 0;  ///< newest first
  virtual std::optional<RunRecord> run(std::int64_t id) = 0;
  virtual std::vector<StepRecord> steps(std::int64_t run_id) = 0;
  virtual std::vector<EdgeRecord> edges(std::int64_t step_id) = 0;
  virtual std::optional<ArtifactRecord> artifact(const std::string& hash) = 0;
  virtual std::vector<RequireRecord> requires_of(std::int64_t run_id) = 0;
  virtual std::vector<PrivacySpendRecord> privacy_ledger(std::int64_t run_id) = 0;  ///< by sequence
  virtual VerifyResult verify() = 0;
};

}  // namespace clinflow
