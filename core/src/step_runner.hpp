// Executes one step of a plan: skip, reuse from the cache, or run the plugin, then record.
#pragma once

#include <clinflow/core/engine.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine_parts.hpp"
#include "privacy_ledger.hpp"

namespace clinflow::engine_detail {

std::string current_user();
std::string current_host();
std::string versions_text();
double unix_now();

/// CPU time of the calling thread and the process's peak resident memory.
struct Usage {
  double cpu_seconds = 0;
  std::int64_t peak_rss_kb = 0;
};

class StepRunner {
 public:
  StepRunner(const ir::Plan& plan, const PluginRegistry& registry, Provenance& provenance,
             ArtifactStore& store, const RunOptions& options, std::int64_t run_id,
             Progress& progress);

  /// Runs step `index`; never throws. Called once per step, after all its inputs finished.
  void execute(std::size_t index);
  /// Fills the result (outcomes, counts, status) once the graph has finished.
  void finish(RunResult& result);
  /// The step spends privacy budget (the plan says so, or its loaded plugin declares it).
  bool differentially_private(std::size_t index) const;

 private:
  struct State {
    StepOutcome outcome;
    bool gate_failed = false;
    std::string gate_message;
    std::vector<std::shared_ptr<const Artifact>> outputs;  // null until loaded (cached steps)
    std::mutex load_mutex;
    std::int64_t record_id = 0;
    std::optional<PrivacySpendRecord> spend;  // charged before it ran; recorded with its row
  };

  std::optional<std::string> skip_reason(std::size_t index) const;
  std::shared_ptr<const Artifact> input(const ir::PortRef& ref);
  void run_or_reuse(std::size_t index, const LoadedPlugin& plugin, const KeyParts& parts);
  void charge_privacy(std::size_t index, const LoadedPlugin& plugin, bool cached);
  std::string explain_miss(std::size_t index, const KeyParts& parts);
  void record(std::size_t index, const LoadedPlugin* plugin, const KeyParts& parts, double started,
              const Usage& usage, double cpu_start);
  void check_gates(std::size_t index);
  void report_failure(std::size_t index, const std::string& message);

  const ir::Plan& plan_;
  const PluginRegistry& registry_;
  Provenance& provenance_;
  ArtifactStore& store_;
  const RunOptions& options_;
  std::int64_t run_id_;
  Progress& progress_;
  std::vector<State> states_;
  PrivacyLedger ledger_;
  std::vector<std::vector<std::size_t>> gates_by_step_;
  std::map<std::string, StepRecord>
      previous_;  // last run's steps of this workflow, by name (--explain)
  std::mutex report_mutex_;
  int requires_failed_ = 0;
};

}  // namespace clinflow::engine_detail
