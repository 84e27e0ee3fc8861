// `clinflow run FILE`: compile, then run on the engine with the project's cache and provenance.
#include <unistd.h>

#include <clinflow/core/engine.hpp>
#include <iomanip>
#include <iostream>

#include "cli_common.hpp"

namespace clinflow::cli {

RunOptions make_run_options(const RunFlags& flags, const std::atomic<bool>& cancel) {
  RunOptions run;
  run.threads = flags.threads;
  run.explain = flags.explain;
  run.quiet = flags.quiet;
  run.progress_line = !flags.no_progress && ::isatty(STDOUT_FILENO);
  run.out = &std::cout;
  run.err = &std::cerr;
  run.cancel = &cancel;
  return run;
}

int run_exit_code(const RunResult& result) {
  if (result.status == "succeeded") return 0;
  return result.status == "cancelled" ? kExitCancelled : kExitFailed;
}

void print_summary(const RunResult& result, double seconds) {
  std::cout << "run " << result.run_id << ' ' << result.status << ": " << result.summary() << " in "
            << std::fixed << std::setprecision(2) << seconds << " s\n";
  std::cout.unsetf(std::ios::floatfield);
}

int cmd_run(const GlobalOptions& options, const std::string& file, const RunFlags& flags) {
  PluginRegistry registry;
  auto [plan, sets, exit_code] = compile_workflow_file(options, file, registry);
  if (!plan) return exit_code;

  ArtifactStore store(cache_path(options));
  auto provenance = Provenance::open(db_path(options));
  const auto& cancel = install_cancel_handler();
  RunOptions run = make_run_options(flags, cancel);
  run.overrides = sets_to_text(sets);
  auto start = std::chrono::steady_clock::now();
  RunResult result = run_plan(*plan, registry, *provenance, store, run);
  print_summary(result,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return run_exit_code(result);
}

}  // namespace clinflow::cli
