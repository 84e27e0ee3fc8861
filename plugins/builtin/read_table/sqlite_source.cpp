// SQLite query results as a typed Table.
//
// Implementation notes: the result is small next to CSV inputs (a query, not a table dump), so
// it is collected cell by cell first (storage class + text) and typed per column afterwards:
// that is the only way to know whether a TEXT column is all timestamps or an INTEGER column
// meets a REAL. The database is opened read-only; a query that tries to write fails there.
#include "sqlite_source.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <memory>

namespace clinflow::builtin {
namespace {

struct Cell {
  int storage = SQLITE_NULL;
  std::int64_t i = 0;
  double d = 0;
  std::string text;
};

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

[[noreturn]] void fail(const std::string& path, sqlite3* db, const std::string& what) {
  throw StepError(path + ": " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

/// The inferred type of a column's cells (none missing-only -> string).
ColumnType infer(const std::vector<Cell>& cells) {
  bool ints = false, reals = false, texts = false, all_timestamps = true;
  for (const Cell& c : cells) {
    ints |= c.storage == SQLITE_INTEGER;
    reals |= c.storage == SQLITE_FLOAT;
    if (c.storage == SQLITE_TEXT || c.storage == SQLITE_BLOB) {
      texts = true;
      if (all_timestamps && !parse_timestamp(c.text)) all_timestamps = false;
    }
  }
  if (texts)
    return (all_timestamps && !ints && !reals) ? ColumnType::kTimestamp : ColumnType::kString;
  if (reals) return ColumnType::kFloat;
  return ints ? ColumnType::kInt : ColumnType::kString;
}

Column build(const std::string& name, const std::vector<Cell>& cells,
             std::optional<CellKind> forced, const std::string& path) {
  const ColumnType type = forced ? column_type_of(*forced) : infer(cells);
  Column column(name, type);
  column.reserve(cells.size());
  for (std::size_t row = 0; row < cells.size(); ++row) {
    const Cell& c = cells[row];
    if (c.storage == SQLITE_NULL) {
      column.push_missing();
    } else if (forced) {
      if (!append_cell(column, *forced, c.text))
        throw StepError(path + ": row " + std::to_string(row + 1) + ": cell in column '" + name +
                        "' is not a valid " + to_string(*forced));
    } else if (type == ColumnType::kInt) {
      column.push_int(c.i);
    } else if (type == ColumnType::kFloat) {
      column.push_float(c.storage == SQLITE_INTEGER ? double(c.i) : c.d);
    } else if (type == ColumnType::kTimestamp) {
      column.push_int(*parse_timestamp(c.text));
    } else {
      column.push_text(c.text);
    }
  }
  return column;
}

}  // namespace

Table read_sqlite_query(const std::string& path, const std::string& query,
                        const CsvOptions& options, CsvStats* stats) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  if (rc != SQLITE_OK) fail(path, raw, "cannot open the database");
  sqlite3_stmt* stmt_raw = nullptr;
  if (sqlite3_prepare_v2(db.get(), query.c_str(), -1, &stmt_raw, nullptr) != SQLITE_OK)
    fail(path, db.get(), "query failed");
  std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt(stmt_raw);
  if (!stmt) throw StepError(path + ": the query is empty");

  const int n = sqlite3_column_count(stmt.get());
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) {
    const char* name = sqlite3_column_name(stmt.get(), i);
    names.emplace_back(name ? name : "");
    if (std::count(names.begin(), names.end(), names.back()) > 1)
      throw StepError(path + ": the query returns two columns named '" + names.back() + "'");
  }
  for (const auto& c : options.columns)
    if (std::find(names.begin(), names.end(), c) == names.end())
      throw StepError(path + ": columns: " + unknown_column_message(c, names));
  for (const auto& t : options.types)
    if (std::find(names.begin(), names.end(), t.first) == names.end())
      throw StepError(path + ": types: " + unknown_column_message(t.first, names));

  std::vector<std::vector<Cell>> cells(static_cast<std::size_t>(n));
  for (;;) {
    const int step = sqlite3_step(stmt.get());
    if (step == SQLITE_DONE) break;
    if (step != SQLITE_ROW) fail(path, db.get(), "query failed");
    for (int i = 0; i < n; ++i) {
      Cell c;
      c.storage = sqlite3_column_type(stmt.get(), i);
      if (c.storage == SQLITE_INTEGER) c.i = sqlite3_column_int64(stmt.get(), i);
      if (c.storage == SQLITE_FLOAT) c.d = sqlite3_column_double(stmt.get(), i);
      if (c.storage != SQLITE_NULL) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), i));
        c.text.assign(text ? text : "", std::size_t(sqlite3_column_bytes(stmt.get(), i)));
        if (c.storage == SQLITE_TEXT && std::find(options.missing.begin(), options.missing.end(),
                                                  c.text) != options.missing.end())
          c.storage = SQLITE_NULL;
      }
      cells[std::size_t(i)].push_back(std::move(c));
    }
  }

  Table table;
  for (int i = 0; i < n; ++i) {
    const std::string& name = names[std::size_t(i)];
    if (!options.columns.empty() &&
        std::find(options.columns.begin(), options.columns.end(), name) == options.columns.end())
      continue;
    std::optional<CellKind> forced;
    for (const auto& t : options.types)
      if (t.first == name) forced = t.second;
    table.columns.push_back(build(name, cells[std::size_t(i)], forced, path));
  }
  if (stats) {
    stats->rows = n ? cells[0].size() : 0;
    stats->columns = table.columns.size();
    for (const auto& c : table.columns) {
      for (std::size_t r = 0; r < c.size(); ++r) stats->missing_cells += c.missing(r);
      stats->ints += c.type == ColumnType::kInt;
      stats->floats += c.type == ColumnType::kFloat;
      stats->strings += c.type == ColumnType::kString;
      stats->timestamps += c.type == ColumnType::kTimestamp;
    }
  }
  return table;
}

}  // namespace clinflow::builtin
