// Private to the provenance implementation: the SQLite-backed Provenance, a prepared-statement
// wrapper, and the table descriptions shared by the writer (which chains rows) and verify()
// (which re-chains them). One description per table keeps the schema, the INSERT, the SELECT and
// the canonical row text from drifting apart.
#pragma once

#include <sqlite3.h>

#include <array>
#include <chrono>
#include <clinflow/core/provenance.hpp>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

namespace clinflow::prov {

/// Version of the schema written by this build (PRAGMA user_version).
inline constexpr int kSchemaVersion = 3;  // 2: artifacts.content (metrics JSON); 3: privacy_ledger
/// PRAGMA application_id, so a foreign SQLite file is refused rather than written into ("Clnf").
inline constexpr int kApplicationId = 0x436c6e66;

/// One column value as the chain sees it: NULL, integer, real or text.
using Field = std::variant<std::monostate, std::int64_t, double, std::string_view>;

enum class Kind { kInt, kReal, kText, kOptReal, kOptText };

struct Column {
  const char* name;
  Kind kind;
  const char* constraint = "";  ///< extra SQL after the type ("UNIQUE", "REFERENCES runs(id)")
};

/// The chained tables, in the order of kTables.
enum Table : int {
  kRuns,
  kRunEnds,
  kSteps,
  kArtifacts,
  kEdges,
  kRequires,
  kPrivacyLedger,
  kTableCount
};

/// A chained table. columns[0] is always id and columns[1] seq; prev_hash and row_hash follow the
/// listed columns and are not part of the canonical text.
struct TableSpec {
  const char* name;
  std::vector<Column> columns;
};

/// The descriptions of all chained tables, indexed by Table.
const std::array<TableSpec, kTableCount>& tables();

/// Appends the canonical text of a row: fields joined by '|', each typed and length-prefixed
/// ("i42", "r0.5", "t3:abc", "n") so no value can imitate a separator.
void append_canonical(std::string& out, const std::vector<Field>& fields);

/// row_hash = sha256(prev_hash + '|' + table + '|' + canonical text).
std::string chain_hash(std::string_view prev_hash, std::string_view table,
                       const std::vector<Field>& fields, std::string& scratch);

/// Owns one prepared statement; reset after every use.
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, const std::string& sql);
  ~Stmt();
  Stmt(Stmt&& other) noexcept : s_(std::exchange(other.s_, nullptr)) {}
  Stmt& operator=(Stmt&& other) noexcept;
  sqlite3_stmt* get() const { return s_; }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(s_, i, v); }
  void bind(int i, double v) { sqlite3_bind_double(s_, i, v); }
  void bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), int(v.size()), SQLITE_STATIC);
  }
  void bind(int i, const Field& f);
  int step() { return sqlite3_step(s_); }
  void reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(s_, col); }
  double real(int col) const { return sqlite3_column_double(s_, col); }
  std::string text(int col) const;
  bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  /// Reads a column as the chain sees it (NULL stays NULL whatever the declared kind).
  Field field(int col, Kind kind) const;

 private:
  sqlite3_stmt* s_ = nullptr;
};

/// Runs SQL without results; throws ProvenanceError naming `path` on failure.
void exec(sqlite3* db, const std::string& path, const char* sql);

/// Plain words for an SQLite failure ("database is locked by another clinflow process", ...).
std::string describe(sqlite3* db, int rc);

/// The SQLite-backed recorder. All public methods take mutex_; a background thread commits the
/// open transaction once it is kFlushInterval old so a quiet engine still persists its rows.
class SqliteProvenance final : public Provenance {
 public:
  static constexpr auto kFlushInterval = std::chrono::milliseconds(200);
  static constexpr auto kYield = std::chrono::milliseconds(2);

  /// Takes ownership of an open, configured connection whose schema is current.
  SqliteProvenance(std::string path, sqlite3* db);
  ~SqliteProvenance() override;

  std::int64_t begin_run(RunRecord run) override;
  std::int64_t add_step(const StepRecord& step) override;
  void add_artifact(const ArtifactRecord& artifact) override;
  void add_edge(const EdgeRecord& edge) override;
  void add_require(const RequireRecord& result) override;
  std::int64_t add_step_with_spend(const StepRecord& step, PrivacySpendRecord spend) override;
  void end_run(std::int64_t run_id, const std::string& status, const std::string& summary) override;
  void flush() override;
  void cache_put(const std::string& key, const std::vector<std::string>& output_hashes) override;
  std::optional<std::vector<std::string>> cache_get(const std::string& key) override;

  std::vector<RunRecord> runs() override;
  std::optional<RunRecord> run(std::int64_t id) override;
  std::vector<StepRecord> steps(std::int64_t run_id) override;
  std::vector<EdgeRecord> edges(std::int64_t step_id) override;
  std::optional<ArtifactRecord> artifact(const std::string& hash) override;
  std::vector<RequireRecord> requires_of(std::int64_t run_id) override;
  std::vector<PrivacySpendRecord> privacy_ledger(std::int64_t run_id) override;
  VerifyResult verify() override;

  /// Number of steps of a run per status, for reports (no need to load every step).
  std::vector<std::pair<std::string, std::int64_t>> step_counts(std::int64_t run_id);
  /// The database file as given to open().
  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void fail(const std::string& what, int rc) const;
  /// Every row of a prepared query, each read by `read(stmt)`; a failing step throws `what`.
  template <class Read>
  auto read_all(Stmt& stmt, const char* what, Read read) -> std::vector<decltype(read(stmt))> {
    std::vector<decltype(read(stmt))> out;
    int rc;
    while ((rc = stmt.step()) == SQLITE_ROW) out.push_back(read(stmt));
    if (rc != SQLITE_DONE) fail(what, rc);
    return out;
  }
  void rethrow_pending();
  void begin_locked();
  void commit_locked();
  void maybe_commit_locked();
  /// Chains and inserts fields_ (ids and seq filled in here); returns the row id, or 0 when an
  /// idempotent insert found the row already present.
  std::int64_t append_locked(Table table);
  std::int64_t add_step_locked(const StepRecord& step);
  void flusher_loop();
  std::vector<RunRecord> query_runs(const char* where, std::int64_t id);

  std::string path_;
  std::unordered_set<std::string> recorded_artifacts_;  // hashes this object has recorded
  sqlite3* db_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread flusher_;
  bool stop_ = false;
  bool in_txn_ = false;
  std::chrono::steady_clock::time_point txn_started_;
  std::chrono::steady_clock::time_point yield_until_;  ///< after a long batch: let others in
  std::exception_ptr pending_error_;

  std::int64_t head_seq_ = 0;
  std::string head_hash_;
  std::array<std::int64_t, kTableCount> next_id_{};
  std::set<std::int64_t>
      live_runs_;  ///< begun here and not yet ended: "running", not "interrupted"

  std::array<Stmt, kTableCount> insert_;
  Stmt begin_, commit_, rollback_, head_get_, head_set_, cache_put_, cache_get_;
  std::array<Stmt, kTableCount> max_id_;
  std::vector<Field> fields_;  ///< scratch row, reused to avoid allocations per insert
  std::string scratch_;
};

}  // namespace clinflow::prov
