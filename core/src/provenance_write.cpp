// Implementation notes: the writer.
//
// Speed comes from three things: statements prepared once, one open write transaction that
// collects every row for up to kFlushInterval, and synchronous=NORMAL under WAL (a commit is a
// WAL append, fsync only at checkpoints). A crash therefore loses at most the last interval,
// and because the chain head is rewritten inside the same transaction as the rows it covers, what
// survives is always a consistent chain.
//
// The chain head and the next row ids are read again at every BEGIN IMMEDIATE: while we hold the
// write lock nobody else can append, and between our transactions another clinflow process may
// have. Ids are assigned here rather than by SQLite because a row's id is part of its hash.
//
// One mutex guards everything; the engine calls from several TBB workers and the work under the
// lock is a few microseconds. The flusher thread only commits a transaction that has grown old.
#include <charconv>
#include <cstdio>
#include <ctime>

#include "provenance_impl.hpp"

namespace clinflow::prov {
namespace {

double now_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

std::string insert_sql(const TableSpec& t) {
  std::string sql = std::string("INSERT INTO \"") + t.name + "\"(";
  std::string values;
  for (const auto& c : t.columns) {
    sql += std::string("\"") + c.name + "\", ";
    values += "?, ";
  }
  sql += "prev_hash, row_hash) VALUES(" + values + "?, ?)";
  // Artifacts are content-addressed: recording one twice is normal and must not add a link.
  if (std::string_view(t.name) == "artifacts") sql += " ON CONFLICT(hash) DO NOTHING";
  return sql;
}

/// Output hashes as "<length>:<hash>" pieces, so any byte string survives the round trip.
std::string encode_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += std::to_string(s.size()) + ':' + s;
  return out;
}

std::optional<std::vector<std::string>> decode_list(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::size_t length = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + colon, length);
    if (error != std::errc() || end != text.data() + colon || colon + 1 + length > text.size())
      return std::nullopt;  // not written by us: treat as a cache miss
    items.emplace_back(text.substr(colon + 1, length));
    text.remove_prefix(colon + 1 + length);
  }
  return items;
}

}  // namespace

SqliteProvenance::SqliteProvenance(std::string path, sqlite3* db)
    : path_(std::move(path)), db_(db) {
  try {
    for (int t = 0; t < kTableCount; ++t) {
      insert_[t] = Stmt(db_, insert_sql(tables()[t]));
      max_id_[t] =
          Stmt(db_, std::string("SELECT coalesce(max(id), 0) FROM \"") + tables()[t].name + "\"");
    }
    begin_ = Stmt(db_, "BEGIN IMMEDIATE");
    commit_ = Stmt(db_, "COMMIT");
    rollback_ = Stmt(db_, "ROLLBACK");
    head_get_ = Stmt(db_, "SELECT seq, row_hash FROM chain_head WHERE one = 1");
    head_set_ = Stmt(db_, "UPDATE chain_head SET seq = ?, row_hash = ? WHERE one = 1");
    cache_put_ = Stmt(db_, "INSERT OR REPLACE INTO step_cache(key, outputs) VALUES(?, ?)");
    cache_get_ = Stmt(db_, "SELECT outputs FROM step_cache WHERE key = ?");
  } catch (...) {
    sqlite3_close_v2(db_);  // statements prepared so far finalize later; close_v2 waits for them
    throw;
  }
  flusher_ = std::thread([this] { flusher_loop(); });
}

SqliteProvenance::~SqliteProvenance() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  flusher_.join();
  try {
    rethrow_pending();
    commit_locked();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "clinflow: error: %s\n", e.what());
  }
  sqlite3_close_v2(db_);  // a zombie until the member statements are finalized just after
}

void SqliteProvenance::fail(const std::string& what, int rc) const {
  throw ProvenanceError("provenance database '" + path_ + "': " + what + ": " + describe(db_, rc));
}

void SqliteProvenance::rethrow_pending() {
  if (pending_error_) std::rethrow_exception(std::exchange(pending_error_, nullptr));
}

void SqliteProvenance::begin_locked() {
  // After holding the write lock for a whole batch, leave it free for a moment so that another
  // connection waiting for it (`clinflow history` opening the database) gets its turn: costs
  // 2 ms per 200 ms batch, and nothing when batches are short (flush() after each step).
  auto now = std::chrono::steady_clock::now();
  if (now < yield_until_) std::this_thread::sleep_for(yield_until_ - now);
  int rc = begin_.step();
  begin_.reset();
  if (rc != SQLITE_DONE) fail("cannot start writing", rc);
  in_txn_ = true;
  txn_started_ = std::chrono::steady_clock::now();
  rc = head_get_.step();
  if (rc == SQLITE_ROW) {
    head_seq_ = head_get_.integer(0);
    head_hash_ = head_get_.text(1);
  }
  head_get_.reset();
  for (int t = 0; t < kTableCount && rc == SQLITE_ROW; ++t) {
    rc = max_id_[t].step();
    if (rc == SQLITE_ROW) next_id_[t] = max_id_[t].integer(0) + 1;
    max_id_[t].reset();
  }
  if (rc != SQLITE_ROW) {
    rollback_.step();
    rollback_.reset();
    in_txn_ = false;
    fail("cannot read the chain head", rc);
  }
  wake_.notify_one();
}

void SqliteProvenance::commit_locked() {
  if (!in_txn_) return;
  in_txn_ = false;
  auto now = std::chrono::steady_clock::now();
  yield_until_ = now - txn_started_ >= kFlushInterval / 2 ? now + kYield : now;
  head_set_.bind(1, head_seq_);
  head_set_.bind(2, std::string_view(head_hash_));
  int rc = head_set_.step();
  head_set_.reset();
  if (rc == SQLITE_DONE) {
    rc = commit_.step();
    commit_.reset();
  }
  if (rc != SQLITE_DONE) {
    rollback_.step();
    rollback_.reset();
    fail("cannot save recorded rows", rc);
  }
}

void SqliteProvenance::maybe_commit_locked() {
  if (in_txn_ && std::chrono::steady_clock::now() - txn_started_ >= kFlushInterval) commit_locked();
}

std::int64_t SqliteProvenance::append_locked(Table table) {
  rethrow_pending();
  if (!in_txn_) begin_locked();
  const TableSpec& spec = tables()[table];
  const std::int64_t id = next_id_[table];
  const std::int64_t seq = head_seq_ + 1;
  fields_[0] = id;
  fields_[1] = seq;
  std::string hash = chain_hash(head_hash_, spec.name, fields_, scratch_);
  Stmt& s = insert_[table];
  const int n = int(fields_.size());
  for (int i = 0; i < n; ++i) s.bind(i + 1, fields_[i]);
  s.bind(n + 1, std::string_view(head_hash_));
  s.bind(n + 2, std::string_view(hash));
  int rc = s.step();
  s.reset();
  if (rc != SQLITE_DONE) fail(std::string("cannot record a row in ") + spec.name, rc);
  if (sqlite3_changes(db_) == 0) return 0;  // an artifact that was already recorded
  head_seq_ = seq;
  head_hash_ = std::move(hash);
  ++next_id_[table];
  return id;
}

std::int64_t SqliteProvenance::begin_run(RunRecord r) {
  std::lock_guard lock(mutex_);
  if (r.started == 0) r.started = now_seconds();
  fields_.assign({Field{}, Field{}, r.workflow_file, r.workflow_text, r.workflow_hash, r.plan_hash,
                  r.params, r.user, r.host, r.versions, r.seed, std::int64_t(r.threads), r.rerun_of,
                  r.started});
  std::int64_t id = append_locked(kRuns);
  live_runs_.insert(id);
  maybe_commit_locked();
  return id;
}

std::int64_t SqliteProvenance::add_step_locked(const StepRecord& s) {
  fields_.assign({Field{}, Field{}, s.run_id, s.name, s.plugin, s.plugin_version, s.plugin_hash,
                  s.params, s.key, s.seed, s.started, s.ended, s.cpu_seconds, s.peak_rss_kb,
                  s.status, s.reason, s.error, std::int64_t(s.line)});
  return append_locked(kSteps);
}

std::int64_t SqliteProvenance::add_step(const StepRecord& s) {
  std::lock_guard lock(mutex_);
  std::int64_t id = add_step_locked(s);
  maybe_commit_locked();
  return id;
}

std::int64_t SqliteProvenance::add_step_with_spend(const StepRecord& s, PrivacySpendRecord p) {
  // One lock hold: the flusher cannot commit between the two rows, so a crash keeps both or
  // neither (the same discipline as every other row: buffered, chained, committed together).
  std::lock_guard lock(mutex_);
  p.step_id = add_step_locked(s);
  fields_.assign({Field{}, Field{}, p.run_id, p.step_id, p.step_name, std::int64_t(p.sequence),
                  p.mechanisms, p.step_epsilon, p.cumulative_epsilon, p.delta, p.budget_epsilon,
                  std::int64_t(p.cached), p.accountant});
  append_locked(kPrivacyLedger);
  maybe_commit_locked();
  return p.step_id;
}

void SqliteProvenance::add_artifact(const ArtifactRecord& a) {
  std::lock_guard lock(mutex_);
  // Pass-through steps record the same artifact again and again; skip the index probe.
  if (!recorded_artifacts_.insert(a.hash).second) return;
  Field content = a.content ? Field(std::string_view(*a.content)) : Field();
  fields_.assign({Field{}, Field{}, a.hash, a.type, a.size, content});
  append_locked(kArtifacts);
  maybe_commit_locked();
}

void SqliteProvenance::add_edge(const EdgeRecord& e) {
  std::lock_guard lock(mutex_);
  fields_.assign(
      {Field{}, Field{}, e.step_id, e.artifact_hash, e.direction, std::int64_t(e.port), e.role});
  append_locked(kEdges);
  maybe_commit_locked();
}

void SqliteProvenance::add_require(const RequireRecord& r) {
  std::lock_guard lock(mutex_);
  Field observed = r.observed ? Field(*r.observed) : Field();
  fields_.assign({Field{}, Field{}, r.run_id, r.text, r.metric, observed, std::int64_t(r.passed),
                  std::int64_t(r.line), r.message});
  append_locked(kRequires);
  maybe_commit_locked();
}

void SqliteProvenance::end_run(std::int64_t run_id, const std::string& status,
                               const std::string& summary) {
  std::lock_guard lock(mutex_);
  fields_.assign({Field{}, Field{}, run_id, now_seconds(), status, summary});
  append_locked(kRunEnds);
  live_runs_.erase(run_id);
  commit_locked();
  // Fold the WAL back while nothing else is being recorded; PASSIVE never waits for readers.
  sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

void SqliteProvenance::flush() {
  std::lock_guard lock(mutex_);
  rethrow_pending();
  commit_locked();
}

void SqliteProvenance::cache_put(const std::string& key, const std::vector<std::string>& outputs) {
  std::lock_guard lock(mutex_);
  rethrow_pending();
  if (!in_txn_) begin_locked();
  std::string encoded = encode_list(outputs);
  cache_put_.bind(1, std::string_view(key));
  cache_put_.bind(2, std::string_view(encoded));
  int rc = cache_put_.step();
  cache_put_.reset();
  if (rc != SQLITE_DONE) fail("cannot record a step cache entry", rc);
  maybe_commit_locked();
}

std::optional<std::vector<std::string>> SqliteProvenance::cache_get(const std::string& key) {
  std::lock_guard lock(mutex_);
  cache_get_.bind(1, std::string_view(key));
  int rc = cache_get_.step();
  std::optional<std::vector<std::string>> result;
  if (rc == SQLITE_ROW) result = decode_list(cache_get_.text(0));
  cache_get_.reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail("cannot read the step cache", rc);
  return result;
}

void SqliteProvenance::flusher_loop() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    if (!in_txn_) {
      wake_.wait(lock, [this] { return stop_ || in_txn_; });
      continue;
    }
    auto deadline = txn_started_ + kFlushInterval;
    if (wake_.wait_until(lock, deadline, [this] { return stop_ || !in_txn_; })) continue;
    if (std::chrono::steady_clock::now() - txn_started_ < kFlushInterval) continue;  // a new one
    try {
      commit_locked();
    } catch (...) {
      pending_error_ = std::current_exception();  // reported by the next call from the engine
    }
  }
}

}  // namespace clinflow::prov
