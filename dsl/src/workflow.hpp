// The workflow document: the TOML file read with toml++, `--set` overrides applied, the known
// tables ([workflow], [flow], [plugins], [privacy]) checked, and the `flow.steps` DSL text located
// in the file so DSL offsets map to file positions.
#pragma once

#include <toml++/toml.h>

#include <clinflow/core/diagnostic.hpp>
#include <clinflow/dsl/compile.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clinflow::dsl {

/// Where the DSL text lives: a source file and, for every DSL byte (and one past the end), the
/// byte offset of the character in that file that produced it.
struct SourceMap {
  const SourceText* source = nullptr;
  std::vector<std::size_t> file_offset;

  /// The file span of DSL bytes [begin, end).
  Span span(std::size_t begin, std::size_t end) const;
};

/// `[privacy] budget = { epsilon, delta }`.
struct Budget {
  double epsilon = 0;
  double delta = 0;
  Span where;
};

/// One `[plugins] paths` entry, resolved against the workflow's folder.
struct PluginPath {
  std::string resolved;
  Span where;
};

struct Document {
  std::string file;            ///< as given: messages use it
  std::string folder;          ///< the file's folder ("" for the current one)
  SourceText source;           ///< the whole file
  SourceText override_source;  ///< `flow.steps` given by --set, when it was
  toml::table root;
  std::string name, version, description;
  std::uint64_t seed = 0;
  std::string steps;  ///< the DSL text
  SourceMap steps_map;
  std::vector<PluginPath> plugin_paths;
  std::optional<Budget> budget;

  /// The span of a TOML node in the file (line 0 for values set on the command line).
  Span span_of(const toml::source_region& region) const;
};

/// Parses and checks the TOML side of a workflow. Returns false when nothing more can be done
/// (syntax error, no `flow.steps`); other problems are diagnostics and reading goes on.
bool read_document(Document& doc, const CompileOptions& options, Diagnostics& diags);

/// Formats a TOML scalar for `${...}` ("" and false when the node is not a scalar).
bool format_scalar(const toml::node& node, std::string& out);

}  // namespace clinflow::dsl
