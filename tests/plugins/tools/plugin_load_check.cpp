// plugin_load_check PATH...: loads plugin files or folders through PluginRegistry and prints
// the step names, one per line. Exit status 1 when anything failed to load. Used by the SDK
// install test to check a team plugin built against the installed SDK.
#include <clinflow/core/plugin_host.hpp>
#include <filesystem>
#include <iostream>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: plugin_load_check PATH...\n";
    return 2;
  }
  clinflow::PluginRegistry registry;
  std::vector<std::string> errors;
  for (int i = 1; i < argc; ++i) {
    if (std::filesystem::is_directory(argv[i])) {
      registry.load_directory(argv[i], errors);
    } else {
      registry.load_library(argv[i], errors);
    }
  }
  for (const auto& e : errors) std::cerr << e << "\n";
  for (const auto& name : registry.names())
    std::cout << name << " " << registry.find(name)->plugin->manifest().version << "\n";
  return errors.empty() ? 0 : 1;
}
