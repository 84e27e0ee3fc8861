// Helpers shared by the compiler tests: a registry with the test plugins, compiling text.
#pragma once

#include <clinflow/core/plugin_host.hpp>
#include <clinflow/dsl/compile.hpp>
#include <memory>
#include <optional>
#include <string>

namespace clinflow_test {

/// A registry with the test plugin library and the built-in plugins loaded.
inline std::unique_ptr<clinflow::PluginRegistry> test_registry() {
  auto registry = std::make_unique<clinflow::PluginRegistry>();
  std::vector<std::string> errors;
  registry->load_directory(CLINFLOW_TEST_PLUGIN_DIR, errors, true);
  registry->load_directory(CLINFLOW_BUILTIN_PLUGIN_DIR, errors, false);
  return registry;
}

/// The result of compiling a workflow text: the plan (or not) and the rendered diagnostics.
struct Compiled {
  std::optional<clinflow::ir::Plan> plan;
  std::string rendered;
  int errors = 0;
  int warnings = 0;
};

inline Compiled compile(const std::string& text, clinflow::dsl::CompileOptions options = {}) {
  auto registry = test_registry();
  clinflow::Diagnostics diags;
  Compiled out;
  out.plan = clinflow::dsl::compile_text("wf.toml", text, options, *registry, diags);
  out.rendered = diags.render();
  out.errors = diags.errors();
  out.warnings = diags.warnings();
  return out;
}

/// A workflow document around a DSL program (the program starts on line 5, column 1).
inline std::string workflow(const std::string& steps, const std::string& extra = "") {
  return "[workflow]\nname = \"t\"\n[flow]\nsteps = '''\n" + steps + "'''\n" + extra;
}

}  // namespace clinflow_test
