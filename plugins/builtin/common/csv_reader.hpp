// The typed CSV reader kernel: CSV / CSV.gz text in, a typed columnar Table out.
//
// One pass over the bytes (decompression in a second thread), types inferred per column over
// the whole file, string columns interned as they are read. Used by the read_table step, and
// callable by any plugin or tool that needs a file as a Table.
//
// @code
//   CsvOptions options;
//   options.missing = {"", "?"};
//   options.types = {{"age", CellKind::kString}};
//   Table t = read_csv_file("diabetic_data.csv.gz", options);
// @endcode
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "table.hpp"

namespace clinflow::builtin {

/// What a `types:` override makes of a column's cells.
enum class CellKind : std::uint8_t {
  kInteger,    ///< int64
  kFloat,      ///< double
  kString,     ///< text, kept exactly as written
  kTimestamp,  ///< parse_timestamp text
  kMinutes,    ///< a number of minutes since the epoch (eICU offsets), stored as a timestamp
  kHours,      ///< a number of hours, stored as a timestamp
  kDays,       ///< a number of days, stored as a timestamp
};

/// "integer", "float", "string", "timestamp", "minutes", "hours", "days" -> kind, or nullopt.
std::optional<CellKind> cell_kind_named(std::string_view name);
/// The name of a kind, as above.
const char* to_string(CellKind kind);

/// How to read a file. Defaults: every column, "" is missing, types inferred.
struct CsvOptions {
  std::vector<std::string> missing{std::string()};      ///< cell texts that mean missing
  std::vector<std::pair<std::string, CellKind>> types;  ///< per-column type overrides
  std::vector<std::string> columns;  ///< read only these (kept in file order); empty: all
  /// Called once per chunk with the fraction of the input consumed; return false to cancel
  /// (the read then throws StepError "cancelled").
  std::function<bool(double)> progress;
  /// Bytes of text per parse chunk; 0 = the default (1 MiB). Tests use a few bytes so that
  /// every record, quote and CRLF straddles a chunk boundary.
  std::size_t chunk_bytes = 0;
};

/// What a read saw, for logs and benchmarks (no cell values).
struct CsvStats {
  std::size_t rows = 0;
  std::size_t columns = 0;
  std::size_t missing_cells = 0;
  std::size_t ints = 0, floats = 0, strings = 0, timestamps = 0;  ///< columns by final type
  std::vector<std::string> reread_as_string;  ///< columns that needed a second pass
  std::uint64_t input_bytes = 0;              ///< bytes of text parsed (uncompressed)
  bool gzip = false;
};

/// Reads a CSV or gzip-compressed CSV file (detected by its magic bytes). Errors are StepError
/// "<path>:<line>:<col>: ..." and never quote a cell.
Table read_csv_file(const std::string& path, const CsvOptions& options = {},
                    CsvStats* stats = nullptr);

/// Reads CSV text held in memory; `source` names it in errors.
Table read_csv_text(std::string_view text, const std::string& source,
                    const CsvOptions& options = {}, CsvStats* stats = nullptr);

/// The column type a kind is stored as (minutes/hours/days -> timestamp).
ColumnType column_type_of(CellKind kind);
/// Appends `text` converted as `kind` to `column` (of type column_type_of(kind)), with the
/// reader's rules; false (nothing appended) when the text is not a valid `kind`.
bool append_cell(Column& column, CellKind kind, std::string_view text);

/// True when the file starts with the gzip magic bytes (1f 8b).
bool is_gzip_file(const std::string& path);
/// True when the file starts with "SQLite format 3\0".
bool is_sqlite_file(const std::string& path);

/// The closest name to `name` among `candidates` (edit distance), or "" when none is close.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);
/// "unknown column 'x' (did you mean 'y'?); the file's columns: a, b, c" — for errors.
std::string unknown_column_message(const std::string& name, const std::vector<std::string>& have);

}  // namespace clinflow::builtin
