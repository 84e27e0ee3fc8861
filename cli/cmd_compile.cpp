// `clinflow check FILE` and `clinflow graph FILE`: the compiler alone, nothing runs.
#include <iostream>

#include "cli_common.hpp"

namespace clinflow::cli {

int cmd_check(const GlobalOptions& options, const std::string& file) {
  PluginRegistry registry;
  auto [plan, sets, exit_code] = compile_workflow_file(options, file, registry);
  if (!plan) return exit_code;
  std::cout << file << ": ok: " << plan->steps.size() << " steps, " << plan->requires_.size()
            << " require gates\n";
  return 0;
}

int cmd_graph(const GlobalOptions& options, const std::string& file) {
  PluginRegistry registry;
  auto [plan, sets, exit_code] = compile_workflow_file(options, file, registry);
  if (!plan) return exit_code;
  std::cout << ir::to_dot(*plan);
  return 0;
}

}  // namespace clinflow::cli
