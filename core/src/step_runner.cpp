// Implementation notes: execute() is the only entry; it decides the step's fate, runs the plugin
// when needed, and always records exactly one provenance row for the step. Exceptions from
// plugins are caught here, while the plugin library is still loaded (the registry outlives the
// run), and become the step's error message.
#include "step_runner.hpp"

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <clinflow/core/diagnostic.hpp>
#include <clinflow/core/hash.hpp>
#include <filesystem>
#include <set>
#include <sstream>

#include "step_context.hpp"

namespace clinflow::engine_detail {

namespace {
/// Metrics artifacts up to this size are copied into provenance (attrition tables, split checks).
constexpr std::size_t kMaxRecordedMetricsBytes = 256 * 1024;

/// One system call: ru_maxrss is process-wide even for RUSAGE_THREAD.
Usage thread_usage() {
  rusage usage{};
  ::getrusage(RUSAGE_THREAD, &usage);
  auto seconds = [](const timeval& tv) { return double(tv.tv_sec) + double(tv.tv_usec) * 1e-6; };
  return {seconds(usage.ru_utime) + seconds(usage.ru_stime), usage.ru_maxrss};
}
}  // namespace

StepRunner::StepRunner(const ir::Plan& plan, const PluginRegistry& registry, Provenance& provenance,
                       ArtifactStore& store, const RunOptions& options, std::int64_t run_id,
                       Progress& progress)
    : plan_(plan),
      registry_(registry),
      provenance_(provenance),
      store_(store),
      options_(options),
      run_id_(run_id),
      progress_(progress),
      states_(plan.steps.size()),
      ledger_(plan.budget, run_id),
      gates_by_step_(plan.steps.size()) {
  for (std::size_t g = 0; g < plan.requires_.size(); ++g)
    gates_by_step_[plan.requires_[g].step].push_back(g);
  if (!options.explain) return;
  for (const RunRecord& run : provenance.runs()) {
    if (run.id == run_id || run.workflow_file != plan.file) continue;
    for (StepRecord& step : provenance.steps(run.id)) previous_[step.name] = std::move(step);
    break;
  }
}

bool StepRunner::differentially_private(std::size_t index) const {
  const ir::Step& step = plan_.steps[index];
  if (step.differentially_private) return true;
  const LoadedPlugin* plugin = registry_.find(step.plugin);
  return plugin && plugin->plugin->manifest().safety.differentially_private;
}

std::optional<std::string> StepRunner::skip_reason(std::size_t index) const {
  std::set<std::size_t> upstream;
  for (const ir::PortRef& in : plan_.steps[index].inputs) upstream.insert(in.step);
  for (std::size_t u : upstream) {
    const State& up = states_[u];
    const std::string& name = plan_.steps[u].name;
    switch (up.outcome.status) {
      case StepStatus::kFailed:
        return "input '" + name + "' failed";
      case StepStatus::kSkipped:
        return "input '" + name + "' was skipped";
      case StepStatus::kCancelled:
        return "input '" + name + "' was cancelled";
      default:
        break;
    }
    if (up.gate_failed) return "gate on '" + name + "' failed: " + up.gate_message;
  }
  return std::nullopt;
}

std::shared_ptr<const Artifact> StepRunner::input(const ir::PortRef& ref) {
  State& up = states_[ref.step];
  std::lock_guard lock(up.load_mutex);
  auto& slot = up.outputs[ref.output];
  if (!slot) slot = store_.get(up.outcome.output_hashes[ref.output]);
  return slot;
}

void StepRunner::execute(std::size_t index) {
  State& state = states_[index];
  const ir::Step& step = plan_.steps[index];
  state.outcome.name = step.name;
  progress_.started(index, step.name);
  const double started = unix_now();
  const auto clock_start = std::chrono::steady_clock::now();
  const double cpu_start = thread_usage().cpu_seconds;
  KeyParts parts;
  const LoadedPlugin* plugin = registry_.find(step.plugin);
  try {
    if (options_.cancel && options_.cancel->load()) {
      state.outcome.status = StepStatus::kCancelled;
      state.outcome.reason = "the run was cancelled";
    } else if (auto why = skip_reason(index)) {
      bool cancelled = why->find("was cancelled") != std::string::npos;
      state.outcome.status = cancelled ? StepStatus::kCancelled : StepStatus::kSkipped;
      state.outcome.reason = *why;
    } else if (!plugin) {
      throw StepError("plugin '" + step.plugin + "' is not loaded");
    } else {
      parts.plugin = step.plugin;
      parts.plugin_version = plugin->plugin->manifest().version;
      parts.plugin_hash = plugin->binary_hash;
      parts.params = to_text(step.params);
      parts.seed = step_seed(plan_.seed, step.name);
      for (const ir::PortRef& in : step.inputs)
        parts.inputs.push_back(states_[in.step].outcome.output_hashes[in.output]);
      parts.data_files = hash_data_files(plugin->plugin->manifest(), step.params);
      run_or_reuse(index, *plugin, parts);
    }
  } catch (const std::exception& e) {
    state.outcome.status =
        (options_.cancel && options_.cancel->load()) ? StepStatus::kCancelled : StepStatus::kFailed;
    state.outcome.error = e.what();
  } catch (...) {
    state.outcome.status = StepStatus::kFailed;
    state.outcome.error = "the plugin threw an exception that is not a std::exception";
  }
  state.outcome.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  if (state.outcome.status == StepStatus::kFailed) report_failure(index, state.outcome.error);
  try {
    record(index, plugin, parts, started, thread_usage(), cpu_start);
    if (state.outcome.status == StepStatus::kRan || state.outcome.status == StepStatus::kCached)
      check_gates(index);
  } catch (const std::exception& e) {
    // Provenance or cache trouble after the step ran: the run cannot vouch for this step.
    state.outcome.status = StepStatus::kFailed;
    state.outcome.error = std::string("cannot record the step: ") + e.what();
    report_failure(index, state.outcome.error);
  }
  progress_.finished(index, state.outcome);
}

void StepRunner::run_or_reuse(std::size_t index, const LoadedPlugin& plugin,
                              const KeyParts& parts) {
  State& state = states_[index];
  const ir::Step& step = plan_.steps[index];
  const Manifest& manifest = plugin.plugin->manifest();
  state.outcome.key = step_key(parts);
  const bool exports = manifest.safety.exports;
  if (options_.use_cache && !exports) {
    if (auto hashes = provenance_.cache_get(state.outcome.key);
        hashes && hashes->size() == step.outputs.size()) {
      bool present = true;
      for (const auto& h : *hashes) present = present && store_.contains(h);
      if (present) {
        charge_privacy(index, plugin, /*cached=*/true);
        state.outcome.status = StepStatus::kCached;
        state.outcome.reason = "up to date: key " + state.outcome.key.substr(0, 12) + " is cached";
        state.outcome.output_hashes = *hashes;
        state.outputs.assign(hashes->size(), nullptr);
        return;
      }
    }
  }
  if (exports)
    state.outcome.reason = "exporting step: always runs, its effect is outside the cache";
  else if (!options_.use_cache)
    state.outcome.reason = "the cache was not consulted (rerun)";
  else
    state.outcome.reason =
        options_.explain ? explain_miss(index, parts) : "no cached result for its key";

  charge_privacy(index, plugin, /*cached=*/false);
  Inputs inputs;
  for (const ir::PortRef& in : step.inputs) inputs.push_back(input(in));
  std::mutex& out_mutex = report_mutex_;
  StepContext context(parts.seed, step.name, index, progress_, options_, out_mutex);
  Outputs outputs = plugin.plugin->run(context, inputs, step.params);
  if (outputs.size() != manifest.outputs.size())
    throw StepError("plugin '" + manifest.name + "' returned " + std::to_string(outputs.size()) +
                    " outputs, but declares " + std::to_string(manifest.outputs.size()));
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    const std::string& declared = manifest.outputs[k].type;
    if (declared != types::kAny && outputs[k].type != declared)
      throw StepError("plugin '" + manifest.name + "' returned a '" + outputs[k].type +
                      "' for output '" + manifest.outputs[k].name + "', which it declares as '" +
                      declared + "'");
  }
  for (Artifact& out : outputs) {
    // An output identical to an input is already in the store (pass-through steps).
    std::string hash = ArtifactStore::hash_of(out);
    if (std::find(parts.inputs.begin(), parts.inputs.end(), hash) == parts.inputs.end())
      store_.put(out, hash);
    state.outcome.output_hashes.push_back(std::move(hash));
    state.outputs.push_back(std::make_shared<const Artifact>(std::move(out)));
  }
  provenance_.cache_put(state.outcome.key, state.outcome.output_hashes);
  state.outcome.status = StepStatus::kRan;
}

// A cached DP step spends nothing new, but its artifact was trained with that spend, and this run
// releases what is built on it. So the charge is counted (and recorded, flagged `cached`) just as
// if the step ran: a run's ledger then shows everything its outputs cost, a cached rerun shows the
// same ledger as the run it reuses, and lowering the budget cannot be dodged through the cache.
// A step that fails after its charge keeps it: it may have touched the data, and over-counting is
// the safe direction.
void StepRunner::charge_privacy(std::size_t index, const LoadedPlugin& plugin, bool cached) {
  if (!differentially_private(index)) return;
  const ir::Step& step = plan_.steps[index];
  std::vector<DpMechanism> spend = plugin.plugin->privacy_spend(step.params);
  states_[index].spend = ledger_.charge(step.name, spend, cached);
}

std::string StepRunner::explain_miss(std::size_t index, const KeyParts& parts) {
  const ir::Step& step = plan_.steps[index];
  auto it = previous_.find(step.name);
  if (it == previous_.end()) return "new step: not in the previous run of this workflow";
  const StepRecord& before = it->second;
  std::vector<std::string> changes;
  if (before.plugin != parts.plugin)
    changes.push_back("plugin changed from '" + before.plugin + "'");
  else if (before.plugin_hash != parts.plugin_hash)
    changes.push_back("plugin binary changed");
  if (before.plugin_version != parts.plugin_version) changes.push_back("plugin version changed");
  if (before.params != parts.params)
    changes.push_back("parameters changed (were: " + before.params + ")");
  if (before.seed != std::int64_t(parts.seed)) changes.push_back("seed changed");
  for (const EdgeRecord& edge : provenance_.edges(before.id)) {
    if (edge.direction != "in") continue;
    if (edge.role.rfind("data:", 0) == 0) {
      auto data = parts.data_files.find(edge.role.substr(5));
      if (data != parts.data_files.end() && data->second != edge.artifact_hash)
        changes.push_back("data file of '" + edge.role.substr(5) + "' changed");
    } else if (edge.port >= 0 && std::size_t(edge.port) < parts.inputs.size() &&
               parts.inputs[std::size_t(edge.port)] != edge.artifact_hash) {
      const ir::PortRef& ref = step.inputs[std::size_t(edge.port)];
      changes.push_back("input '" + plan_.steps[ref.step].outputs[ref.output] + "' changed");
    }
  }
  if (changes.empty())
    return before.key == step_key(parts) ? "its cached outputs are no longer in the cache"
                                         : "its key changed";
  std::string out;
  for (const auto& c : changes) out += (out.empty() ? "" : "; ") + c;
  return out;
}

void StepRunner::record(std::size_t index, const LoadedPlugin* plugin, const KeyParts& parts,
                        double started, const Usage& usage, double cpu_start) {
  State& state = states_[index];
  const ir::Step& step = plan_.steps[index];
  StepRecord row;
  row.run_id = run_id_;
  row.name = step.name;
  row.plugin = step.plugin;
  if (plugin) {
    row.plugin_version = plugin->plugin->manifest().version;
    row.plugin_hash = plugin->binary_hash;
  }
  row.params = parts.params.empty() ? to_text(step.params) : parts.params;
  row.key = state.outcome.key;
  row.seed = std::int64_t(parts.seed ? parts.seed : step_seed(plan_.seed, step.name));
  row.started = started;
  row.ended = unix_now();
  row.cpu_seconds = usage.cpu_seconds - cpu_start;
  row.peak_rss_kb = usage.peak_rss_kb;
  row.status = to_string(state.outcome.status);
  row.reason = state.outcome.reason;
  row.error = state.outcome.error;
  row.line = step.where.line;
  state.record_id =
      state.spend ? provenance_.add_step_with_spend(row, *state.spend) : provenance_.add_step(row);

  if (state.outcome.status != StepStatus::kRan && state.outcome.status != StepStatus::kCached)
    return;
  const Manifest& manifest = plugin->plugin->manifest();
  for (std::size_t k = 0; k < parts.inputs.size(); ++k) {
    std::string role = manifest.inputs.empty()          ? "in"
                       : k < manifest.inputs.size() ? manifest.inputs[k].name
                                                    : manifest.inputs.back().name;
    provenance_.add_edge({state.record_id, parts.inputs[k], "in", int(k), role});
  }
  for (const auto& [param, hash] : parts.data_files) {
    const Value& path = step.params.at(param);
    std::error_code ec;
    auto size = std::filesystem::file_size(path.as<std::string>(), ec);
    provenance_.add_artifact({hash, "file", ec ? 0 : std::int64_t(size), std::nullopt});
    provenance_.add_edge({state.record_id, hash, "in", -1, "data:" + param});
  }
  for (std::size_t k = 0; k < state.outcome.output_hashes.size(); ++k) {
    const std::string& hash = state.outcome.output_hashes[k];
    if (state.outputs[k]) {
      const Artifact& a = *state.outputs[k];
      std::optional<std::string> content;
      if (a.type == types::kMetrics && a.bytes.size() <= kMaxRecordedMetricsBytes)
        content = a.bytes;
      provenance_.add_artifact({hash, a.type, std::int64_t(a.bytes.size()), std::move(content)});
    }
    provenance_.add_edge({state.record_id, hash, "out", int(k), manifest.outputs[k].name});
  }
}

void StepRunner::check_gates(std::size_t index) {
  State& state = states_[index];
  for (std::size_t g : gates_by_step_[index]) {
    const ir::Require& gate = plan_.requires_[g];
    auto metrics = input({gate.step, gate.output});
    GateResult r = check_gate(gate, plan_.steps[gate.step].outputs[gate.output], *metrics);
    RequireRecord row{run_id_,  gate.text,       gate.metric, r.observed,
                      r.passed, gate.where.line, r.message};
    provenance_.add_require(row);
    if (r.passed) continue;
    std::lock_guard lock(report_mutex_);
    ++requires_failed_;
    state.gate_failed = true;
    if (state.gate_message.empty()) state.gate_message = "require " + gate.text;
    if (!options_.err) continue;
    Diagnostics diags;
    diags.add_source(SourceText(plan_.file, plan_.source_text));
    diags.error(gate.where.file.empty() ? plan_.file : gate.where.file,
                {gate.where.line, gate.where.column, gate.where.column + int(gate.text.size()) + 8},
                "require failed: " + r.message);
    diags.render(*options_.err);
  }
}

void StepRunner::report_failure(std::size_t index, const std::string& message) {
  if (!options_.err) return;
  const ir::Step& step = plan_.steps[index];
  Diagnostics diags;
  diags.add_source(SourceText(plan_.file, plan_.source_text));
  const std::string file = step.where.file.empty() ? plan_.file : step.where.file;
  diags.error(file, {step.where.line, step.where.column, step.where.column + int(step.name.size())},
              "step '" + step.name + "' (" + step.plugin + ") failed: " + message);
  std::lock_guard lock(report_mutex_);
  diags.render(*options_.err);
}

void StepRunner::finish(RunResult& result) {
  for (State& state : states_) {
    switch (state.outcome.status) {
      case StepStatus::kRan:
        ++result.ran;
        break;
      case StepStatus::kCached:
        ++result.cached;
        break;
      case StepStatus::kFailed:
        ++result.failed;
        break;
      case StepStatus::kSkipped:
        ++result.skipped;
        break;
      case StepStatus::kCancelled:
        ++result.cancelled;
        break;
      case StepStatus::kPending:
        break;
    }
    result.steps.push_back(std::move(state.outcome));
  }
  result.requires_failed = requires_failed_;
  if (result.cancelled)
    result.status = "cancelled";
  else if (result.failed || result.requires_failed)
    result.status = "failed";
  else
    result.status = "succeeded";
}

}  // namespace clinflow::engine_detail
