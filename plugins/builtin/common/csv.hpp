// Small helpers every built-in plugin uses: parameters with their defaults, number text, whole
// files in and atomic files out. Tables themselves are clinflow/table.hpp; CSV reading is
// csv_reader.hpp.
#pragma once

#include <clinflow/plugin.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clinflow::builtin {

/// A cell as a number, or nullopt when it is missing or not a number (surrounding blanks allowed).
std::optional<double> parse_number(std::string_view cell);

/// The shortest text that reads back as the same double ("0.1", "42", "1e-05").
std::string format_number(double value);

/// A whole file's bytes; `.gz` files are decompressed. Throws StepError naming the file.
std::string read_file(const std::string& path);

/// Writes a file atomically (a temporary file in the same folder, then rename), creating parent
/// folders. Throws StepError naming the file.
void write_file_atomic(const std::string& path, std::string_view bytes);

/// A parameter as given, else its manifest default (run() may be called without the compiler).
Value param(const Params& params, const Manifest& manifest, const std::string& name);

/// The names in a list of symbols (or strings) parameter.
std::vector<std::string> symbol_list(const Value& value);

}  // namespace clinflow::builtin
