// The engine: runs a plan as one oneTBB flow graph.
//
// Each step is a node that fires when all the steps it reads from have finished. A step whose
// key (plugin binary hash, plugin version, parameters, data file hashes, input artifact hashes,
// seed) is in the cache is not run again; a failed step, or a failed `require` gate, makes its
// dependents skip while independent branches go on. Everything is recorded in provenance.
#pragma once

#include <atomic>
#include <clinflow/core/artifact_store.hpp>
#include <clinflow/core/ir.hpp>
#include <clinflow/core/plugin_host.hpp>
#include <clinflow/core/provenance.hpp>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace clinflow {

enum class StepStatus { kPending, kRan, kCached, kFailed, kSkipped, kCancelled };
const char* to_string(StepStatus status);

struct StepOutcome {
  std::string name;
  StepStatus status = StepStatus::kPending;
  std::string reason;  ///< why it ran, was reused or was skipped
  std::string error;   ///< failure message
  std::string key;
  std::vector<std::string> output_hashes;  ///< one per output port
  double seconds = 0;
};

struct RunOptions {
  int threads = 0;              ///< 0: all cores
  bool explain = false;         ///< compute detailed reasons (why a step's key changed)
  bool use_cache = true;        ///< false: run every step (rerun checks reproduction this way)
  bool progress_line = false;   ///< a live status line (a terminal); otherwise plain lines
  bool quiet = false;           ///< no per-step lines
  std::ostream* out = nullptr;  ///< where progress and step lines go (nullptr: nowhere)
  std::ostream* err = nullptr;  ///< where failures go (nullptr: nowhere)
  std::string overrides;        ///< `--set` overrides as text, recorded with the run
  std::int64_t rerun_of = 0;
  const std::atomic<bool>* cancel = nullptr;  ///< set (e.g. by SIGINT) to cancel the run
};

struct RunResult {
  std::int64_t run_id = 0;
  std::string status;              ///< "succeeded", "failed", "cancelled"
  std::vector<StepOutcome> steps;  ///< plan order
  int ran = 0, cached = 0, failed = 0, skipped = 0, cancelled = 0;
  int requires_failed = 0;
  std::string summary() const;
};

/// The seed of a step: the first 8 bytes of SHA-256(workflow seed, step name).
std::uint64_t step_seed(std::uint64_t workflow_seed, const std::string& step_name);

/// Runs the plan. Throws only for infrastructure failures (ProvenanceError, CacheError) that
/// happen before the run starts; failures during the run end it "failed" with the reason.
RunResult run_plan(const ir::Plan& plan, const PluginRegistry& registry, Provenance& provenance,
                   ArtifactStore& store, const RunOptions& options);

}  // namespace clinflow
