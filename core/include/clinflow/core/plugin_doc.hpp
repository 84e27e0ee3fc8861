// Human-readable documentation of a loaded step type, for `clinflow plugins`.
#pragma once

#include <clinflow/core/plugin_host.hpp>
#include <string>

namespace clinflow {

/// Describes a step type. Short form, one block per step:
///   read_table 0.1.0 — Read a CSV, CSV.gz or SQLite source into a typed table
///     file: /usr/lib/clinflow/plugins/libread_table.so
/// With `full`: also the long doc, inputs and outputs with types, parameters (type,
/// required/default, range or choices, doc), declared metrics and safety properties in words.
/// The text ends with a newline.
std::string describe_plugin(const LoadedPlugin& plugin, bool full);

/// A parameter's type in words: "integer", "list of symbol".
std::string describe_type(const ParamSpec& spec);

/// The safety properties in words, one sentence per property ("reads patient records (PHI)").
std::vector<std::string> describe_safety(const Safety& safety);

}  // namespace clinflow
