// Tables for the built-in plugins: RFC 4180 CSV text in, a row-major table in memory, CSV out.
//
// A "table" artifact is CSV text with a header row, `\n` line ends, fields quoted only when they
// hold a comma, a quote, CR or LF. Parsing accepts CRLF, quoted fields with embedded commas,
// newlines and "" escapes. Errors never quote cell values (they may be patient data).
#pragma once

#include <clinflow/plugin.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clinflow::builtin {

/// A parsed table: column names and rows of string cells ("" = missing).
struct CsvRows {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  /// Index of a column; throws StepError naming it and listing the table's columns.
  std::size_t column(const std::string& name) const;
  /// Index of a column, or nullopt.
  std::optional<std::size_t> find_column(const std::string& name) const;
};

/// Parses CSV text. `source` names the input in errors ("labs.csv"). A row whose field count
/// differs from the header's, an unterminated quote, or text after a closing quote throws
/// StepError("<source>:<line>:<column>: ...").
CsvRows parse_csv(std::string_view text, const std::string& source);

/// Canonical CSV text of a table.
std::string write_csv(const CsvRows& table);

/// Appends one field, quoted when needed.
void append_field(std::string& out, std::string_view field);

/// A cell as a number, or nullopt when it is missing or not a number (surrounding blanks allowed).
std::optional<double> parse_number(std::string_view cell);

/// The shortest text that reads back as the same double ("0.1", "42", "1e-05").
std::string format_number(double value);

/// A whole file's bytes; `.gz` files are decompressed. Throws StepError naming the file.
std::string read_file(const std::string& path);

/// Writes a file atomically (a temporary file in the same folder, then rename), creating parent
/// folders. Throws StepError naming the file.
void write_file_atomic(const std::string& path, std::string_view bytes);

/// The table held by input `index`, parsed; `step` names the step in errors.
CsvRows input_csv_rows(const Inputs& inputs, std::size_t index, const std::string& step);

/// A parameter as given, else its manifest default (run() may be called without the compiler).
Value param(const Params& params, const Manifest& manifest, const std::string& name);

/// The names in a list of symbols (or strings) parameter.
std::vector<std::string> symbol_list(const Value& value);

}  // namespace clinflow::builtin
