// Implementation notes: the readers.
//
// Reads go through the writer's own connection under the same mutex, so they also see rows of the
// transaction that is still open (a running engine asking about its own run). They are not hot,
// so statements are prepared per call. A run's status comes from its run_ends row; a run without
// one is "running" while this object is the one recording it, and "interrupted" otherwise.
#include "provenance_impl.hpp"

namespace clinflow::prov {
namespace {

constexpr const char* kRunSelect =
    "SELECT r.id, r.workflow_file, r.workflow_text, r.workflow_hash, r.plan_hash, r.params, "
    "r.user, r.host, r.versions, r.seed, r.threads, r.rerun_of, r.started, e.ended, e.status, "
    "e.summary FROM runs r LEFT JOIN run_ends e ON e.run_id = r.id ";

RunRecord read_run(const Stmt& s) {
  RunRecord r;
  r.id = s.integer(0);
  r.workflow_file = s.text(1);
  r.workflow_text = s.text(2);
  r.workflow_hash = s.text(3);
  r.plan_hash = s.text(4);
  r.params = s.text(5);
  r.user = s.text(6);
  r.host = s.text(7);
  r.versions = s.text(8);
  r.seed = s.integer(9);
  r.threads = int(s.integer(10));
  r.rerun_of = s.integer(11);
  r.started = s.real(12);
  r.ended = s.is_null(13) ? 0 : s.real(13);
  r.status = s.text(14);
  r.summary = s.text(15);
  return r;
}

StepRecord read_step(const Stmt& s) {
  StepRecord r;
  r.id = s.integer(0);
  r.run_id = s.integer(1);
  r.name = s.text(2);
  r.plugin = s.text(3);
  r.plugin_version = s.text(4);
  r.plugin_hash = s.text(5);
  r.params = s.text(6);
  r.key = s.text(7);
  r.seed = s.integer(8);
  r.started = s.real(9);
  r.ended = s.real(10);
  r.cpu_seconds = s.real(11);
  r.peak_rss_kb = s.integer(12);
  r.status = s.text(13);
  r.reason = s.text(14);
  r.error = s.text(15);
  r.line = int(s.integer(16));
  return r;
}

}  // namespace

std::vector<RunRecord> SqliteProvenance::query_runs(const char* where, std::int64_t id) {
  Stmt s(db_, std::string(kRunSelect) + where);
  if (sqlite3_bind_parameter_count(s.get()) > 0) s.bind(1, id);
  return read_all(s, "cannot read runs", [this](Stmt& row) {
    RunRecord run = read_run(row);
    if (run.status.empty()) run.status = live_runs_.count(run.id) ? "running" : "interrupted";
    return run;
  });
}

std::vector<RunRecord> SqliteProvenance::runs() {
  std::lock_guard lock(mutex_);
  return query_runs("ORDER BY r.id DESC", 0);
}

std::optional<RunRecord> SqliteProvenance::run(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto found = query_runs("WHERE r.id = ?", id);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<StepRecord> SqliteProvenance::steps(std::int64_t run_id) {
  std::lock_guard lock(mutex_);
  Stmt s(db_,
         "SELECT id, run_id, name, plugin, plugin_version, plugin_hash, params, key, seed, "
         "started, ended, cpu_seconds, peak_rss_kb, status, reason, error, line FROM steps "
         "WHERE run_id = ? ORDER BY id");
  s.bind(1, run_id);
  return read_all(s, "cannot read steps", read_step);
}

std::vector<EdgeRecord> SqliteProvenance::edges(std::int64_t step_id) {
  std::lock_guard lock(mutex_);
  Stmt s(db_,
         "SELECT step_id, artifact_hash, direction, port, role FROM edges WHERE step_id = ? "
         "ORDER BY id");
  s.bind(1, step_id);
  return read_all(s, "cannot read edges", [](Stmt& row) {
    return EdgeRecord{row.integer(0), row.text(1), row.text(2), int(row.integer(3)), row.text(4)};
  });
}

std::optional<ArtifactRecord> SqliteProvenance::artifact(const std::string& hash) {
  std::lock_guard lock(mutex_);
  Stmt s(db_, "SELECT hash, type, size, content FROM artifacts WHERE hash = ?");
  s.bind(1, std::string_view(hash));
  int rc = s.step();
  if (rc == SQLITE_ROW) {
    ArtifactRecord r{s.text(0), s.text(1), s.integer(2), std::nullopt};
    if (!s.is_null(3)) r.content = s.text(3);
    return r;
  }
  if (rc != SQLITE_DONE) fail("cannot read artifacts", rc);
  return std::nullopt;
}

std::vector<RequireRecord> SqliteProvenance::requires_of(std::int64_t run_id) {
  std::lock_guard lock(mutex_);
  Stmt s(db_,
         "SELECT run_id, text, metric, observed, passed, line, message FROM \"requires\" "
         "WHERE run_id = ? ORDER BY id");
  s.bind(1, run_id);
  return read_all(s, "cannot read require results", [](Stmt& row) {
    RequireRecord r;
    r.run_id = row.integer(0);
    r.text = row.text(1);
    r.metric = row.text(2);
    if (!row.is_null(3)) r.observed = row.real(3);
    r.passed = row.integer(4) != 0;
    r.line = int(row.integer(5));
    r.message = row.text(6);
    return r;
  });
}

std::vector<PrivacySpendRecord> SqliteProvenance::privacy_ledger(std::int64_t run_id) {
  std::lock_guard lock(mutex_);
  Stmt s(db_,
         "SELECT run_id, step_id, step_name, sequence, mechanisms, step_epsilon, "
         "cumulative_epsilon, delta, budget_epsilon, cached, accountant FROM privacy_ledger "
         "WHERE run_id = ? ORDER BY sequence, id");
  s.bind(1, run_id);
  return read_all(s, "cannot read the privacy ledger", [](Stmt& row) {
    PrivacySpendRecord r;
    r.run_id = row.integer(0);
    r.step_id = row.integer(1);
    r.step_name = row.text(2);
    r.sequence = int(row.integer(3));
    r.mechanisms = row.text(4);
    r.step_epsilon = row.real(5);
    r.cumulative_epsilon = row.real(6);
    r.delta = row.real(7);
    r.budget_epsilon = row.real(8);
    r.cached = row.integer(9) != 0;
    r.accountant = row.text(10);
    return r;
  });
}

std::vector<std::pair<std::string, std::int64_t>> SqliteProvenance::step_counts(
    std::int64_t run_id) {
  std::lock_guard lock(mutex_);
  Stmt s(db_,
         "SELECT status, count(*) FROM steps WHERE run_id = ? GROUP BY status ORDER BY status");
  s.bind(1, run_id);
  return read_all(s, "cannot count steps",
                  [](Stmt& row) { return std::make_pair(row.text(0), row.integer(1)); });
}

}  // namespace clinflow::prov
