// A SQLite query's result as a typed Table (the read_table step's database source).
#pragma once

#include <string>

#include "csv_reader.hpp"

namespace clinflow::builtin {

/// Runs `query` on the database at `path`, opened read-only. Column types come from the values:
/// INTEGER -> int, REAL -> float (int and real mixed -> float), TEXT -> string, or timestamp
/// when every text parses as one; NULL and texts listed in options.missing are missing.
/// options.types overrides a column's type (cells converted from their text); options.columns
/// keeps only those columns. SQL errors are StepError with SQLite's message.
Table read_sqlite_query(const std::string& path, const std::string& query,
                        const CsvOptions& options, CsvStats* stats = nullptr);

}  // namespace clinflow::builtin
