// Finding, loading and indexing plugin libraries (Boost.DLL).
#pragma once

#include <clinflow/plugin.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace clinflow {

/// A step type together with the library that provides it.
struct LoadedPlugin {
  const Plugin* plugin = nullptr;
  std::string library;      ///< absolute path of the shared library
  std::string binary_hash;  ///< SHA-256 (hex) of the library file: enters step keys and provenance
};

/// All step types known to a process. Libraries stay loaded until the registry is destroyed,
/// so everything a plugin made (objects, exceptions, strings) outlives its use.
class PluginRegistry {
 public:
  PluginRegistry();
  ~PluginRegistry();
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  /// Loads every plugin library (*.so) in `dir`. Problems (not a plugin, no entry point, another
  /// ABI version, a name registered twice, a plugin that throws while registering) are appended
  /// to `errors` as one line each, naming the file; loading goes on with the other files.
  /// A directory that does not exist is an error only when `must_exist`.
  void load_directory(const std::string& dir, std::vector<std::string>& errors,
                      bool must_exist = true);

  /// Loads one library file; problems as for load_directory. Returns true when it loaded.
  bool load_library(const std::string& path, std::vector<std::string>& errors);

  /// The default search folders: the built-in folder (next to the executable:
  /// ../lib/clinflow/plugins or the build tree's plugins/), then each entry of CLINFLOW_PLUGIN_PATH
  /// (':'-separated).
  static std::vector<std::string> default_directories();

  const LoadedPlugin* find(const std::string& name) const;
  /// All step type names, sorted.
  std::vector<std::string> names() const;
  /// The directories searched so far, in order (for "plugins are searched in ..." notes).
  const std::vector<std::string>& searched() const { return searched_; }

 private:
  struct Library;
  std::vector<std::unique_ptr<Library>> libraries_;
  std::map<std::string, LoadedPlugin> plugins_;
  std::vector<std::string> searched_;
};

}  // namespace clinflow
