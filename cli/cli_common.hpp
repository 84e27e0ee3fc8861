// Shared pieces of the clinflow commands: the project folder, plugin loading, compiling, exits.
#pragma once

#include <atomic>
#include <clinflow/core/artifact_store.hpp>
#include <clinflow/core/ir.hpp>
#include <clinflow/core/plugin_host.hpp>
#include <clinflow/core/provenance.hpp>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace clinflow::cli {

/// Exit codes: 0 success, 1 the workflow or run failed, 2 usage or infrastructure, 130 cancelled.
inline constexpr int kExitFailed = 1;
inline constexpr int kExitError = 2;
inline constexpr int kExitCancelled = 130;

/// Options every command shares.
struct GlobalOptions {
  std::string project = ".";  ///< the project folder: .clinflow/ holds provenance.db and cache/
  std::string db;             ///< provenance database (default <project>/.clinflow/provenance.db)
  std::string cache;          ///< artifact cache (default <project>/.clinflow/cache)
  std::vector<std::string> plugin_dirs;  ///< extra plugin folders (--plugins)
  std::vector<std::string> sets;         ///< --set key=value
  bool json = false;
};

std::string db_path(const GlobalOptions& options);
std::string cache_path(const GlobalOptions& options);

/// Loads the built-in folder, CLINFLOW_PLUGIN_PATH and --plugins folders. Loader problems are
/// printed as `clinflow: error: ...`; returns false when there were any.
bool load_plugins(PluginRegistry& registry, const GlobalOptions& options);

/// Parses `--set key=value` pairs; prints an error and returns nullopt for a malformed one.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_sets(
    const std::vector<std::string>& sets);
/// The overrides as recorded with a run ("key=value" lines) and back.
std::string sets_to_text(const std::vector<std::pair<std::string, std::string>>& sets);
std::vector<std::pair<std::string, std::string>> sets_from_text(const std::string& text);

/// Compiles a workflow file (or recorded text when `text` is given), printing diagnostics.
std::optional<ir::Plan> compile(const std::string& file, const std::optional<std::string>& text,
                                const std::vector<std::pair<std::string, std::string>>& sets,
                                PluginRegistry& registry);

/// A workflow file compiled with the command line's plugins and --set overrides; when `plan` is
/// empty, `exit_code` says how the command should end (messages are already printed).
struct CompiledWorkflow {
  std::optional<ir::Plan> plan;
  std::vector<std::pair<std::string, std::string>> sets;
  int exit_code = 0;
};
CompiledWorkflow compile_workflow_file(const GlobalOptions& options, const std::string& file,
                                       PluginRegistry& registry);

/// Installs the SIGINT/SIGTERM handler: the first signal cancels the run, the second kills.
const std::atomic<bool>& install_cancel_handler();

/// `clinflow: error: <message>` on stderr.
void print_error(const std::string& message);

int cmd_check(const GlobalOptions& options, const std::string& file);
int cmd_graph(const GlobalOptions& options, const std::string& file);
struct RunFlags {
  int threads = 0;
  bool explain = false;
  bool quiet = false;
  bool no_progress = false;
};
int cmd_run(const GlobalOptions& options, const std::string& file, const RunFlags& flags);
int cmd_rerun(const GlobalOptions& options, std::int64_t run, const RunFlags& flags,
              bool allow_plugin_change);
int cmd_plugins(const GlobalOptions& options, const std::string& name);
int cmd_history(const GlobalOptions& options, bool verify);
int cmd_show(const GlobalOptions& options, std::int64_t run);
/// `clinflow synth DIR`: writes a synthetic MIMIC-IV-demo-shaped cohort (cli/synth.hpp).
int cmd_synth(const std::string& dir, std::int64_t patients, std::uint64_t seed);

}  // namespace clinflow::cli
