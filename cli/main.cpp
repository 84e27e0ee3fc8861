// clinflow: compile, run and audit clinical data workflows.
//
//   clinflow check FILE            compile only: every diagnostic, nothing runs
//   clinflow graph FILE            the plan as Graphviz DOT
//   clinflow run FILE              run it (cached steps are reused; --explain says why)
//   clinflow plugins [NAME]        the step types found, with their documentation
//   clinflow history [--verify]    the runs recorded in this project; verify the hash chain
//   clinflow show RUN              one run: steps, artifacts, gates
//   clinflow rerun RUN             rerun a recorded run and compare every artifact
//   clinflow synth DIR             a SYNTHETIC cohort in the MIMIC-IV demo layout
#include <CLI/CLI.hpp>
#include <clinflow/core/artifact_store.hpp>
#include <clinflow/core/provenance.hpp>
#include <iostream>

#include "cli_common.hpp"

using namespace clinflow::cli;

namespace {

void add_common(CLI::App& cmd, GlobalOptions& options) {
  cmd.add_option("--project", options.project, "Project folder holding .clinflow/ (default: .)");
  cmd.add_option("--db", options.db,
                 "Provenance database (default: <project>/.clinflow/provenance.db)");
  cmd.add_option("--cache", options.cache,
                 "Artifact cache folder (default: <project>/.clinflow/cache)");
  cmd.add_option("--plugins", options.plugin_dirs,
                 "Another folder of plugin libraries (repeatable)");
}

void add_run_flags(CLI::App& cmd, RunFlags& flags) {
  cmd.add_option("-j,--threads", flags.threads, "Worker threads (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  cmd.add_flag("--explain", flags.explain, "Say for every step why it ran or was reused");
  cmd.add_flag("-q,--quiet", flags.quiet, "No per-step lines");
  cmd.add_flag("--no-progress", flags.no_progress, "No live status line, even on a terminal");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"clinflow " CLINFLOW_VERSION ": reproducible, auditable clinical data workflows"};
  app.set_version_flag("--version", "clinflow " CLINFLOW_VERSION);
  app.require_subcommand(1);
  GlobalOptions options;
  RunFlags flags;
  std::string file, name;
  std::int64_t run_id = 0;
  bool verify = false, allow_plugin_change = false;

  auto* check =
      app.add_subcommand("check", "Compile a workflow and report every problem; nothing runs");
  auto* graph = app.add_subcommand("graph", "Print a workflow's plan as Graphviz DOT");
  auto* run = app.add_subcommand("run", "Run a workflow");
  for (auto* cmd : {check, graph, run}) {
    cmd->add_option("file", file, "Workflow file (.toml)")->required();
    cmd->add_option("--set", options.sets, "Override a TOML value: key.path=value (repeatable)");
    add_common(*cmd, options);
  }
  add_run_flags(*run, flags);

  auto* plugins = app.add_subcommand("plugins", "List plugins with their documentation");
  plugins->add_option("name", name, "Show one plugin in full");
  add_common(*plugins, options);

  auto* history = app.add_subcommand("history", "List recorded runs");
  history->add_flag("--verify", verify, "Check the provenance hash chain");
  auto* show = app.add_subcommand("show", "Show one recorded run");
  show->add_option("run", run_id, "Run id")->required();
  auto* rerun = app.add_subcommand("rerun", "Rerun a recorded run and compare its artifacts");
  rerun->add_option("run", run_id, "Run id")->required();
  rerun->add_flag("--allow-plugin-change", allow_plugin_change,
                  "Rerun even if a plugin binary changed");
  add_run_flags(*rerun, flags);
  for (auto* cmd : {history, show, rerun}) add_common(*cmd, options);
  for (auto* cmd : {history, show}) cmd->add_flag("--json", options.json, "JSON output");

  std::int64_t synth_patients = 1000;
  std::uint64_t synth_seed = 1;
  auto* synth =
      app.add_subcommand("synth", "Write a SYNTHETIC cohort in the MIMIC-IV demo v2.2 layout");
  synth->add_option("dir", file, "Output folder")->required();
  synth->add_option("--patients", synth_patients, "Number of patients (default 1000)");
  synth->add_option("--seed", synth_seed, "Random seed (default 1)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitError;
  }

  try {
    if (*check) return cmd_check(options, file);
    if (*graph) return cmd_graph(options, file);
    if (*run) return cmd_run(options, file, flags);
    if (*plugins) return cmd_plugins(options, name);
    if (*history) return cmd_history(options, verify);
    if (*show) return cmd_show(options, run_id);
    if (*rerun) return cmd_rerun(options, run_id, flags, allow_plugin_change);
    if (*synth) return cmd_synth(file, synth_patients, synth_seed);
  } catch (const clinflow::ProvenanceError& e) {
    print_error(e.what());
  } catch (const clinflow::CacheError& e) {
    print_error(e.what());
  } catch (const std::exception& e) {
    print_error(e.what());
  }
  return kExitError;
}
