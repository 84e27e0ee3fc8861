// clinflow_compile_bench: times dsl::compile_file on workflow files, best of several repetitions.
//
//   clinflow_compile_bench [--plugins DIR]... [--reps R] FILE...
//
// Prints one tab-separated line per file: file, steps, best seconds, median seconds, best µs per
// step. A measuring tool, not a test: it asserts nothing about time. Exit status 1 when a file
// does not compile (its diagnostics are printed once, after the first repetition).
//
// Implementation notes: plugins are loaded once, outside the timed region, because loading is
// the CLI's start-up cost and not the compiler's (`clinflow check` wall time, measured by
// run_spine.sh, includes it). Each repetition compiles from the file, so reading and parsing the
// TOML are timed too. The plan is destroyed inside the timed region: freeing 100k steps is part
// of what a compile costs a caller.
#include <algorithm>
#include <chrono>
#include <clinflow/core/plugin_host.hpp>
#include <clinflow/dsl/compile.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#ifndef CLINFLOW_BENCH_PLUGIN_DIR
#define CLINFLOW_BENCH_PLUGIN_DIR ""
#endif

namespace {

struct Timing {
  std::size_t steps = 0;
  double best = 0, median = 0;
  bool ok = false;
};

Timing time_compile(const std::string& file, int reps, clinflow::PluginRegistry& registry) {
  Timing t;
  std::vector<double> seconds;
  for (int r = 0; r < reps; ++r) {
    clinflow::Diagnostics diags;
    const auto start = std::chrono::steady_clock::now();
    {
      std::optional<clinflow::ir::Plan> plan =
          clinflow::dsl::compile_file(file, {}, registry, diags);
      if (plan) t.steps = plan->steps.size();
    }
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (r == 0 && (diags.errors() > 0 || diags.warnings() > 0)) diags.render(std::cerr);
    if (diags.errors() > 0) return t;
  }
  std::sort(seconds.begin(), seconds.end());
  t.best = seconds.front();
  t.median = seconds[seconds.size() / 2];
  t.ok = true;
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> plugin_dirs{CLINFLOW_BENCH_PLUGIN_DIR};
  int reps = 5;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--plugins" && i + 1 < argc)
      plugin_dirs.push_back(argv[++i]);
    else if (arg == "--reps" && i + 1 < argc)
      reps = std::max(1, std::atoi(argv[++i]));
    else if (!arg.empty() && arg[0] == '-') {
      std::cerr << "usage: clinflow_compile_bench [--plugins DIR]... [--reps R] FILE...\n";
      return 2;
    } else
      files.push_back(arg);
  }
  if (files.empty()) {
    std::cerr << "usage: clinflow_compile_bench [--plugins DIR]... [--reps R] FILE...\n";
    return 2;
  }

  clinflow::PluginRegistry registry;
  std::vector<std::string> errors;
  for (const std::string& dir : plugin_dirs)
    if (!dir.empty()) registry.load_directory(dir, errors);
  for (const std::string& e : errors) std::cerr << "clinflow: error: " << e << '\n';
  if (!registry.find("noop")) {
    std::cerr << "clinflow: error: no 'noop' plugin in the plugin folders\n";
    return 2;
  }

  int status = 0;
  for (const std::string& file : files) {
    Timing t = time_compile(file, reps, registry);
    if (!t.ok) {
      std::cerr << "clinflow: error: '" << file << "' does not compile\n";
      status = 1;
      continue;
    }
    std::printf("%s\t%zu\t%.6f\t%.6f\t%.3f\n", file.c_str(), t.steps, t.best, t.median,
                t.steps ? t.best * 1e6 / double(t.steps) : 0.0);
  }
  return status;
}
