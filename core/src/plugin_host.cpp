// Plugin host: finds, checks and loads plugin libraries with Boost.DLL.
//
// Implementation notes. Loading one file goes through fixed gates, each with its own one-line
// error naming the file: dlopen (the dlerror text is fetched again with a direct dlopen, because
// Boost.DLL clears it), the exported `clinflow_abi_version` (read and compared before any plugin
// code runs), the `clinflow_register` alias, then registration into a scratch Registrar. Only
// when every step type of the library is new does the library join the registry: a library is
// all or nothing, so a half-registered plugin set never reaches the compiler. A Library owns its
// step objects and its handle; members are declared so the objects die before dlclose.
// The same file (by canonical path) is loaded once, so overlapping search folders are harmless.
#include <dlfcn.h>

#include <algorithm>
#include <boost/dll/import.hpp>
#include <boost/dll/shared_library.hpp>
#include <clinflow/core/hash.hpp>
#include <clinflow/core/plugin_host.hpp>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <utility>

namespace clinflow {

namespace fs = std::filesystem;

struct PluginRegistry::Library {
  boost::dll::shared_library handle;  // declared first: destroyed last
  std::string path;
  std::vector<std::unique_ptr<Plugin>> plugins;

  ~Library() { plugins.clear(); }
};

namespace {

const std::string kPrefix = "clinflow: error: ";

/// Collects what a library registers, without touching the registry yet.
class ScratchRegistrar final : public Registrar {
 public:
  void add(std::unique_ptr<Plugin> plugin) override {
    if (plugin) plugins.push_back(std::move(plugin));
  }
  std::vector<std::unique_ptr<Plugin>> plugins;
};

/// dlerror() text for a file Boost.DLL could not open (Boost resets dlerror before returning).
std::string dlopen_reason(const std::string& path) {
  dlerror();
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle) {
    dlclose(handle);
    return "unknown loader error";
  }
  const char* text = dlerror();
  return text ? text : "unknown loader error";
}

std::string canonical_or_absolute(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path), ec);
  return ec ? fs::absolute(path).lexically_normal().string() : p.string();
}

}  // namespace

PluginRegistry::PluginRegistry() = default;

PluginRegistry::~PluginRegistry() {
  // Drop the index first (it points into the libraries), then unload in reverse load order.
  plugins_.clear();
  while (!libraries_.empty()) libraries_.pop_back();
}

bool PluginRegistry::load_library(const std::string& file, std::vector<std::string>& errors) {
  const std::string path = canonical_or_absolute(file);
  for (const auto& lib : libraries_)
    if (lib->path == path) return true;  // already loaded through another search folder

  std::error_code exists_ec;
  if (!fs::is_regular_file(path, exists_ec)) {
    errors.push_back(kPrefix + path + ": no such plugin file");
    return false;
  }

  auto lib = std::make_unique<Library>();
  lib->path = path;
  boost::dll::fs::error_code ec;
  lib->handle.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec || !lib->handle.is_loaded()) {
    errors.push_back(kPrefix + path +
                     ": not a shared library or cannot be loaded: " + dlopen_reason(path));
    return false;
  }
  if (!lib->handle.has("clinflow_abi_version")) {
    errors.push_back(kPrefix + path +
                     " is not a clinflow plugin: no symbol 'clinflow_abi_version'");
    return false;
  }
  const int abi = *boost::dll::import <int>(lib->handle, "clinflow_abi_version");
  if (abi != kPluginAbiVersion) {
    errors.push_back(kPrefix + path + " was built for plugin ABI version " + std::to_string(abi) +
                     ", but this clinflow uses plugin ABI version " +
                     std::to_string(kPluginAbiVersion) + "; rebuild it against this SDK");
    return false;
  }
  if (!lib->handle.has("clinflow_register")) {
    errors.push_back(kPrefix + path +
                     " is not a clinflow plugin: no symbol 'clinflow_register' "
                     "(declare the entry point with CLINFLOW_PLUGIN_ENTRY)");
    return false;
  }

  ScratchRegistrar registrar;
  try {
    auto register_fn = boost::dll::import_alias<void(Registrar&)>(lib->handle, "clinflow_register");
    register_fn(registrar);
  } catch (const std::exception& e) {
    // The exception object lives in the library's code: read it before the library unloads.
    errors.push_back(kPrefix + path + ": plugin registration failed: " + e.what());
    registrar.plugins.clear();
    return false;
  } catch (...) {
    errors.push_back(kPrefix + path + ": plugin registration failed with an unknown exception");
    registrar.plugins.clear();
    return false;
  }

  bool clash = false;
  std::set<std::string> seen;
  for (const auto& plugin : registrar.plugins) {
    const std::string& name = plugin->manifest().name;
    if (auto it = plugins_.find(name); it != plugins_.end()) {
      errors.push_back(kPrefix + path + ": step '" + name + "' is already registered by " +
                       it->second.library);
      clash = true;
    } else if (!seen.insert(name).second) {
      errors.push_back(kPrefix + path + ": step '" + name + "' is registered twice by this file");
      clash = true;
    }
  }
  if (clash) {
    registrar.plugins.clear();
    return false;
  }

  std::string hash;
  try {
    hash = sha256_file(path);
  } catch (const std::exception& e) {
    errors.push_back(kPrefix + path + ": cannot hash plugin file: " + e.what());
    registrar.plugins.clear();
    return false;
  }
  lib->plugins = std::move(registrar.plugins);
  for (const auto& plugin : lib->plugins)
    plugins_[plugin->manifest().name] = LoadedPlugin{plugin.get(), path, hash};
  libraries_.push_back(std::move(lib));
  return true;
}

void PluginRegistry::load_directory(const std::string& dir, std::vector<std::string>& errors,
                                    bool must_exist) {
  searched_.push_back(dir);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    if (must_exist) errors.push_back(kPrefix + "plugin folder '" + dir + "' does not exist");
    return;
  }
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".so" && !entry.is_directory(ec))
      files.push_back(entry.path().string());
  }
  if (ec) errors.push_back(kPrefix + "cannot list plugin folder '" + dir + "': " + ec.message());
  std::sort(files.begin(), files.end());  // deterministic: first file wins a name clash
  for (const auto& file : files) load_library(file, errors);
}

std::vector<std::string> PluginRegistry::default_directories() {
  std::vector<std::string> dirs;
  auto add = [&dirs](const fs::path& p) {
    std::string s = p.lexically_normal().string();
    if (s.size() > 1 && s.back() == '/') s.pop_back();
    if (std::find(dirs.begin(), dirs.end(), s) == dirs.end()) dirs.push_back(s);
  };
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path exe_dir = exe.parent_path();
    for (const fs::path& candidate :
         {exe_dir / ".." / "plugins", exe_dir / ".." / "lib" / "clinflow" / "plugins"}) {
      if (fs::is_directory(candidate, ec)) add(fs::weakly_canonical(candidate, ec));
    }
  }
  if (const char* env = std::getenv("CLINFLOW_PLUGIN_PATH")) {
    std::string list = env;
    std::size_t start = 0;
    while (start <= list.size()) {
      std::size_t end = list.find(':', start);
      if (end == std::string::npos) end = list.size();
      if (end > start) add(fs::path(list.substr(start, end - start)));
      start = end + 1;
    }
  }
  return dirs;
}

const LoadedPlugin* PluginRegistry::find(const std::string& name) const {
  auto it = plugins_.find(name);
  return it == plugins_.end() ? nullptr : &it->second;
}

std::vector<std::string> PluginRegistry::names() const {
  std::vector<std::string> out;
  out.reserve(plugins_.size());
  for (const auto& [name, loaded] : plugins_) out.push_back(name);
  return out;
}

}  // namespace clinflow
