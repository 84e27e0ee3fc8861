// Pieces of the engine that engine.cpp composes: step keys, gates, progress output.
#pragma once

#include <chrono>
#include <clinflow/core/engine.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace clinflow::engine_detail {

/// What a step key covers, kept apart so --explain can say which part changed.
struct KeyParts {
  std::string plugin, plugin_version, plugin_hash, params;
  std::uint64_t seed = 0;
  std::vector<std::string> inputs;                ///< artifact hashes, port order
  std::map<std::string, std::string> data_files;  ///< path parameter -> file content hash
};

std::string step_key(const KeyParts& parts);

/// Hashes the files named by the step's path parameters; throws StepError for a missing file.
std::map<std::string, std::string> hash_data_files(const Manifest& manifest, const Params& params);

/// Outcome of one `require` gate.
struct GateResult {
  bool passed = false;
  std::optional<double> observed;
  std::string message;  ///< "eval.auroc.lower = 0.64, required >= 0.7"
};

/// Reads the metric a require line names from a metrics artifact (JSON) and compares.
GateResult check_gate(const ir::Require& gate, const std::string& step_output_name,
                      const Artifact& metrics);

/// Progress output: a live line on a terminal, plain lines elsewhere.
class Progress {
 public:
  Progress(const RunOptions& options, std::size_t total);
  ~Progress();
  void started(std::size_t step, const std::string& name);
  void fraction(std::size_t step, double value);
  void finished(std::size_t step, const StepOutcome& outcome);
  void stop();

 private:
  void redraw();
  const RunOptions& options_;
  std::size_t total_, done_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::map<std::size_t, std::pair<std::string, double>> running_;
  std::thread ticker_;
  bool stopping_ = false;
  std::size_t width_ = 0;
};

}  // namespace clinflow::engine_detail
