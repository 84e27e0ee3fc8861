// `clinflow plugins [NAME]`: every step type found, with its documentation.
#include <clinflow/core/plugin_doc.hpp>
#include <iostream>

#include "cli_common.hpp"

namespace clinflow::cli {

int cmd_plugins(const GlobalOptions& options, const std::string& name) {
  PluginRegistry registry;
  bool clean = load_plugins(registry, options);
  if (!name.empty()) {
    const LoadedPlugin* plugin = registry.find(name);
    if (!plugin) {
      print_error("no plugin named '" + name + "'");
      return kExitFailed;
    }
    std::cout << describe_plugin(*plugin, true);
    return clean ? 0 : kExitFailed;
  }
  std::cout << "searched:";
  for (const std::string& dir : registry.searched()) std::cout << ' ' << dir;
  std::cout << "\n\n";
  for (const std::string& each : registry.names())
    std::cout << describe_plugin(*registry.find(each), false);
  return clean ? 0 : kExitFailed;
}

}  // namespace clinflow::cli
