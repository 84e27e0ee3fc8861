// The workflow compiler: TOML + the flow DSL -> checked plan.
//
//   parse (toml++ for the document, Spirit X3 for `flow.steps`) -> ast::Workflow
//   -> checks (names, parameters, types, ports, cycles, references, requires)
//   -> safety analyses (leakage, PHI flow, privacy budget) -> ir::Plan
//
// No stage throws for user errors: each pushes to Diagnostics and the result is empty when any
// error was found.
#pragma once

#include <clinflow/core/diagnostic.hpp>
#include <clinflow/core/ir.hpp>
#include <clinflow/core/plugin_host.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace clinflow::dsl {

struct CompileOptions {
  /// `--set key.path=value` overrides of TOML values, applied before anything reads them.
  /// The value is parsed as a TOML value when it parses as one, else taken as a string.
  std::vector<std::pair<std::string, std::string>> overrides;
  /// Load the plugin folders named in `[plugins] paths` into the registry (relative to the
  /// workflow file's folder). Errors loading them are diagnostics at the `paths` entry.
  bool load_workflow_plugins = true;
};

/// Compiles the workflow in `file`. Diagnostics (errors and warnings) go to `diags`.
std::optional<ir::Plan> compile_file(const std::string& file, const CompileOptions& options,
                                     PluginRegistry& registry, Diagnostics& diags);

/// Compiles workflow text; `file` is used for messages and to resolve relative paths.
std::optional<ir::Plan> compile_text(const std::string& file, std::string text,
                                     const CompileOptions& options, PluginRegistry& registry,
                                     Diagnostics& diags);

}  // namespace clinflow::dsl
