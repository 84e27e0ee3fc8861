// Implementation notes: opening the database.
//
// Every way an open can fail is turned into one sentence naming the file, because the user sees
// it as `clinflow: error: ...` with nothing else to go on. Folder problems are checked with the
// filesystem first (SQLite would only say "unable to open database file"). The schema is created
// or checked inside BEGIN IMMEDIATE, which also detects a database another process keeps locked:
// after the busy timeout it fails with SQLITE_BUSY, which becomes "locked by another clinflow
// process". PRAGMA application_id marks our files so a foreign SQLite file is never written into.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "provenance_impl.hpp"

namespace clinflow {
namespace {

using prov::describe;

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, Closer>;

constexpr auto kBusyTimeout = std::chrono::milliseconds(2000);

/// Like sqlite3_busy_timeout, but polls every 200 us instead of backing off to 100 ms sleeps: a
/// recording engine frees the write lock only for a moment between batches (see begin_locked),
/// and a slow poller would almost never see that moment.
int busy_handler(void*, int attempt) {
  static thread_local std::chrono::steady_clock::time_point first;
  auto now = std::chrono::steady_clock::now();
  if (attempt == 0) first = now;
  if (now - first >= kBusyTimeout) return 0;
  std::this_thread::sleep_for(std::chrono::microseconds(200));
  return 1;
}

std::int64_t pragma_int(sqlite3* db, const std::string& prefix, const char* sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_step(s);
  std::int64_t value = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  sqlite3_finalize(s);
  if (rc != SQLITE_ROW) throw ProvenanceError(prefix + describe(db, rc));
  return value;
}

std::string pragma_text(sqlite3* db, const std::string& prefix, const char* sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_step(s);
  std::string value;
  if (rc == SQLITE_ROW && sqlite3_column_text(s, 0))
    value = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  if (rc != SQLITE_ROW) throw ProvenanceError(prefix + describe(db, rc));
  return value;
}

void run_sql(sqlite3* db, const std::string& prefix, const std::string& sql) {
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) throw ProvenanceError(prefix + describe(db, rc));
}

std::string schema_sql() {
  std::string sql;
  for (const auto& t : prov::tables()) {
    sql += std::string("CREATE TABLE \"") + t.name + "\"(id INTEGER PRIMARY KEY";
    // seq is unique by construction (one writer at a time, under BEGIN IMMEDIATE) and verify()
    // reports duplicates; a UNIQUE index on it would cost ~15% of every insert.
    sql += ", seq INTEGER NOT NULL";
    for (std::size_t i = 2; i < t.columns.size(); ++i) {
      const auto& c = t.columns[i];
      sql += std::string(", \"") + c.name + "\" ";
      switch (c.kind) {
        case prov::Kind::kInt:
          sql += "INTEGER NOT NULL";
          break;
        case prov::Kind::kReal:
          sql += "REAL NOT NULL";
          break;
        case prov::Kind::kOptReal:
          sql += "REAL";
          break;
        case prov::Kind::kText:
          sql += "TEXT NOT NULL";
          break;
        case prov::Kind::kOptText:
          sql += "TEXT";
          break;
      }
      if (*c.constraint) sql += std::string(" ") + c.constraint;
    }
    sql += ", prev_hash TEXT NOT NULL, row_hash TEXT NOT NULL);\n";
  }
  sql +=
      "CREATE INDEX steps_by_run ON steps(run_id);\n"
      "CREATE INDEX edges_by_step ON edges(step_id);\n"
      "CREATE INDEX requires_by_run ON \"requires\"(run_id);\n"
      "CREATE INDEX privacy_ledger_by_run ON privacy_ledger(run_id);\n"
      // The chain's last link, rewritten at every commit: verify() compares it with the rows so
      // that deleting the newest rows is detected too.
      "CREATE TABLE chain_head(one INTEGER PRIMARY KEY CHECK(one = 1), seq INTEGER NOT NULL, "
      "row_hash TEXT NOT NULL);\n"
      "INSERT INTO chain_head VALUES(1, 0, '');\n"
      "CREATE TABLE step_cache(key TEXT PRIMARY KEY, outputs TEXT NOT NULL) WITHOUT ROWID;\n";
  sql += "PRAGMA user_version = " + std::to_string(prov::kSchemaVersion) + ";\n";
  sql += "PRAGMA application_id = " + std::to_string(prov::kApplicationId) + ";\n";
  return sql;
}

/// Folder problems in plain words, before SQLite gets a chance to be vague about them.
void check_location(const std::string& path, const std::string& prefix) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::exists(dir, ec))
    throw ProvenanceError(prefix + "the folder '" + dir.string() + "' does not exist");
  if (!fs::is_directory(dir, ec))
    throw ProvenanceError(prefix + "'" + dir.string() + "' is not a folder");
  if (fs::is_directory(path, ec)) throw ProvenanceError(prefix + "it is a folder, not a file");
  // WAL keeps two files beside the database, so the folder must be writable even when the
  // database itself already exists.
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw ProvenanceError(prefix + "the folder '" + dir.string() + "' is not writable");
  if (fs::exists(path, ec) && ::access(path.c_str(), R_OK | W_OK) != 0)
    throw ProvenanceError(prefix + "the file is not readable and writable by this user");
}

void create_or_check_schema(sqlite3* db, const std::string& prefix) {
  run_sql(db, prefix, "BEGIN IMMEDIATE");
  try {
    // Read again under the write lock: another process may have created the schema meanwhile.
    std::int64_t version = pragma_int(db, prefix, "PRAGMA user_version");
    if (version == 0) {
      std::int64_t tables = pragma_int(
          db, prefix, "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'");
      if (tables > 0)
        throw ProvenanceError(prefix +
                              "it is an SQLite database of another program, not a "
                              "clinflow provenance database");
      run_sql(db, prefix, schema_sql());
    }
    run_sql(db, prefix, "COMMIT");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace

std::unique_ptr<Provenance> Provenance::open(const std::string& path) {
  const std::string prefix = "cannot open provenance database '" + path + "': ";
  check_location(path, prefix);

  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) throw ProvenanceError(prefix + describe(raw, rc));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_handler(raw, busy_handler, nullptr);

  // The first statement reads the file header: a file that is not a database fails here.
  std::int64_t app_id = pragma_int(raw, prefix, "PRAGMA application_id");
  if (app_id != 0 && app_id != prov::kApplicationId)
    throw ProvenanceError(prefix +
                          "it is an SQLite database of another program, not a clinflow "
                          "provenance database");
  std::int64_t version = pragma_int(raw, prefix, "PRAGMA user_version");
  if (version > prov::kSchemaVersion)
    throw ProvenanceError(prefix + "it was written by a newer clinflow (schema version " +
                          std::to_string(version) + "; this build reads up to version " +
                          std::to_string(prov::kSchemaVersion) + ")");
  // Rows are hash-chained over their exact columns, so an older schema cannot be migrated in
  // place without breaking the chain it is meant to prove.
  if (version != 0 && version < prov::kSchemaVersion)
    throw ProvenanceError(prefix + "it was written by an older clinflow (schema version " +
                          std::to_string(version) + "; this build writes version " +
                          std::to_string(prov::kSchemaVersion) +
                          "); keep it with the clinflow that wrote it and use a new --project "
                          "folder (or --db FILE) for new runs");

  std::string mode = pragma_text(raw, prefix, "PRAGMA journal_mode = WAL");
  if (mode != "wal")
    throw ProvenanceError(prefix + "SQLite refused write-ahead logging (journal mode is '" + mode +
                          "'); the database must be a file on a local disk");
  // A 64 MB WAL between automatic checkpoints keeps them (copying pages back into the database,
  // with the recorder's lock held) off most commits; end_run() checkpoints once more.
  // A 64 MB page cache keeps the random-order index inserts (artifact hashes, cache keys) off
  // the disk; with SQLite's 2 MB default, recording a step cost about 60% more.
  run_sql(raw, prefix,
          "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; "
          "PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 16384;");
  // Only a new file needs the write lock; an existing database is opened without it, so
  // `clinflow history` gets in while a busy run holds the lock almost all the time.
  if (version == 0) create_or_check_schema(raw, prefix);
  return std::make_unique<prov::SqliteProvenance>(path, db.release());
}

}  // namespace clinflow
