// `clinflow check FILE` and `clinflow graph FILE`: the compiler alone, nothing runs.
#include "cli_common.hpp"

#include <iostream>

namespace clinflow::cli {

int cmd_check(const GlobalOptions& options, const std::string& file) {
  PluginRegistry registry;
  if (!load_plugins(registry, options)) return kExitError;
  auto sets = parse_sets(options.sets);
  if (!sets) return kExitError;
  auto plan = compile(file, std::nullopt, *sets, registry);
  if (!plan) return kExitFailed;
  std::cout << file << ": ok: " << plan->steps.size() << " steps, " << plan->requires_.size()
            << " require gates\n";
  return 0;
}

int cmd_graph(const GlobalOptions& options, const std::string& file) {
  PluginRegistry registry;
  if (!load_plugins(registry, options)) return kExitError;
  auto sets = parse_sets(options.sets);
  if (!sets) return kExitError;
  auto plan = compile(file, std::nullopt, *sets, registry);
  if (!plan) return kExitFailed;
  std::cout << ir::to_dot(*plan);
  return 0;
}

}  // namespace clinflow::cli
