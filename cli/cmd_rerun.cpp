// `clinflow rerun RUN`: run a recorded workflow again, from its recorded text and overrides, with
// the cache switched off, and say for every recorded artifact whether it was reproduced.
// Refuses when a plugin's binary differs from the recorded one (unless --allow-plugin-change),
// and names every data file whose content differs from the recorded hash.
#include <clinflow/core/engine.hpp>
#include <clinflow/core/hash.hpp>
#include <iostream>
#include <map>

#include "cli_common.hpp"

namespace clinflow::cli {

RunOptions make_run_options(const RunFlags& flags, const std::atomic<bool>& cancel);
int run_exit_code(const RunResult& result);
void print_summary(const RunResult& result, double seconds);

namespace {

/// Plugins whose binary hash differs from the recorded one: "name: recorded abc…, now def… (file)".
std::vector<std::string> changed_plugins(const std::vector<StepRecord>& steps,
                                         const PluginRegistry& registry) {
  std::map<std::string, std::string> seen;
  std::vector<std::string> changes;
  for (const StepRecord& step : steps) {
    if (step.plugin_hash.empty() || seen.count(step.plugin)) continue;
    seen[step.plugin] = step.plugin_hash;
    const LoadedPlugin* now = registry.find(step.plugin);
    if (!now)
      changes.push_back(step.plugin + ": not found (recorded binary " +
                        step.plugin_hash.substr(0, 12) + ")");
    else if (now->binary_hash != step.plugin_hash)
      changes.push_back(step.plugin + ": recorded binary " + step.plugin_hash.substr(0, 12) +
                        ", now " + now->binary_hash.substr(0, 12) + " (" + now->library + ")");
  }
  return changes;
}

/// Data files whose content differs from what the recorded run read.
std::vector<std::string> changed_data(Provenance& db, const std::vector<StepRecord>& steps,
                                      const ir::Plan& plan) {
  std::vector<std::string> changes;
  for (const StepRecord& step : steps) {
    for (const EdgeRecord& edge : db.edges(step.id)) {
      if (edge.direction != "in" || edge.role.rfind("data:", 0) != 0) continue;
      const std::string param = edge.role.substr(5);
      for (const ir::Step& now : plan.steps) {
        if (now.name != step.name) continue;
        auto it = now.params.find(param);
        if (it == now.params.end() || !it->second.is<std::string>()) continue;
        const std::string& path = it->second.as<std::string>();
        std::string hash;
        try {
          hash = sha256_file(path);
        } catch (const std::exception&) {
          hash = "missing";
        }
        if (hash != edge.artifact_hash)
          changes.push_back("'" + path + "' (step '" + step.name + "'): recorded " +
                            edge.artifact_hash.substr(0, 12) + ", now " + hash.substr(0, 12));
      }
    }
  }
  return changes;
}

}  // namespace

int cmd_rerun(const GlobalOptions& options, std::int64_t run_id, const RunFlags& flags,
              bool allow_plugin_change) {
  auto db = Provenance::open(db_path(options));
  auto recorded = db->run(run_id);
  if (!recorded) {
    print_error("no run " + std::to_string(run_id) + " in '" + db_path(options) + "'");
    return kExitFailed;
  }
  PluginRegistry registry;
  if (!load_plugins(registry, options)) return kExitError;
  auto plan = compile(recorded->workflow_file, recorded->workflow_text,
                      sets_from_text(recorded->params), registry);
  if (!plan) return kExitFailed;
  std::vector<StepRecord> steps = db->steps(run_id);

  if (auto changes = changed_plugins(steps, registry); !changes.empty()) {
    for (const auto& c : changes)
      std::cerr << (allow_plugin_change ? "warning: " : "") << "plugin changed: " << c << '\n';
    if (!allow_plugin_change) {
      print_error("refusing to rerun run " + std::to_string(run_id) +
                  ": a plugin differs from the recorded binary (use --allow-plugin-change to rerun "
                  "anyway)");
      return kExitFailed;
    }
  }
  for (const auto& c : changed_data(*db, steps, *plan)) std::cerr << "data changed: " << c << '\n';

  ArtifactStore store(cache_path(options));
  const auto& cancel = install_cancel_handler();
  RunOptions run = make_run_options(flags, cancel);
  run.use_cache = false;
  run.rerun_of = run_id;
  run.overrides = recorded->params;
  auto start = std::chrono::steady_clock::now();
  RunResult result = run_plan(*plan, registry, *db, store, run);
  print_summary(result,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());

  std::map<std::string, const StepOutcome*> now;
  for (const StepOutcome& o : result.steps) now[o.name] = &o;
  int total = 0, same = 0;
  for (const StepRecord& step : steps) {
    for (const EdgeRecord& edge : db->edges(step.id)) {
      if (edge.direction != "out") continue;
      ++total;
      auto it = now.find(step.name);
      const StepOutcome* o = it == now.end() ? nullptr : it->second;
      bool ok = o && std::size_t(edge.port) < o->output_hashes.size() &&
                o->output_hashes[std::size_t(edge.port)] == edge.artifact_hash;
      same += ok;
      std::cout << (ok ? "reproduced " : "DIFFERS    ") << step.name << '.' << edge.role << ' '
                << edge.artifact_hash.substr(0, 12);
      if (!ok)
        std::cout << " -> "
                  << (o && std::size_t(edge.port) < o->output_hashes.size()
                          ? o->output_hashes[std::size_t(edge.port)].substr(0, 12)
                          : std::string("not produced"));
      std::cout << '\n';
    }
  }
  std::cout << "reproduced " << same << '/' << total << " artifacts of run " << run_id << '\n';
  if (result.status != "succeeded") return run_exit_code(result);
  return same == total ? 0 : kExitFailed;
}

}  // namespace clinflow::cli
