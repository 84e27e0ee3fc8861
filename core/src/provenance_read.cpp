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
  std::vector<RunRecord> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    out.push_back(read_run(s));
    if (out.back().status.empty())
      out.back().status = live_runs_.count(out.back().id) ? "running" : "interrupted";
  }
  if (rc != SQLITE_DONE) fail("cannot read runs", rc);
  return out;
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
  std::vector<StepRecord> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_step(s));
  if (rc != SQLITE_DONE) fail("cannot read steps", rc);
  return out;
}

std::vector<EdgeRecord> SqliteProvenance::edges(std::int64_t step_id) {
  std::lock_guard lock(mutex_);
  Stmt s(db_,
         "SELECT step_id, artifact_hash, direction, port, role FROM edges WHERE step_id = ? "
         "ORDER BY id");
  s.bind(1, step_id);
  std::vector<EdgeRecord> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW)
    out.push_back({s.integer(0), s.text(1), s.text(2), int(s.integer(3)), s.text(4)});
  if (rc != SQLITE_DONE) fail("cannot read edges", rc);
  return out;
}

std::optional<ArtifactRecord> SqliteProvenance::artifact(const std::string& hash) {
  std::lock_guard lock(mutex_);
  Stmt s(db_, "SELECT hash, type, size FROM artifacts WHERE hash = ?");
  s.bind(1, std::string_view(hash));
  int rc = s.step();
  if (rc == SQLITE_ROW) return ArtifactRecord{s.text(0), s.text(1), s.integer(2)};
  if (rc != SQLITE_DONE) fail("cannot read artifacts", rc);
  return std::nullopt;
}

std::vector<RequireRecord> SqliteProvenance::requires_of(std::int64_t run_id) {
  std::lock_guard lock(mutex_);
  Stmt s(db_,
         "SELECT run_id, text, metric, observed, passed, line, message FROM \"requires\" "
         "WHERE run_id = ? ORDER BY id");
  s.bind(1, run_id);
  std::vector<RequireRecord> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    RequireRecord r;
    r.run_id = s.integer(0);
    r.text = s.text(1);
    r.metric = s.text(2);
    if (!s.is_null(3)) r.observed = s.real(3);
    r.passed = s.integer(4) != 0;
    r.line = int(s.integer(5));
    r.message = s.text(6);
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) fail("cannot read require results", rc);
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> SqliteProvenance::step_counts(
    std::int64_t run_id) {
  std::lock_guard lock(mutex_);
  Stmt s(db_,
         "SELECT status, count(*) FROM steps WHERE run_id = ? GROUP BY status ORDER BY status");
  s.bind(1, run_id);
  std::vector<std::pair<std::string, std::int64_t>> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.emplace_back(s.text(0), s.integer(1));
  if (rc != SQLITE_DONE) fail("cannot count steps", rc);
  return out;
}

}  // namespace clinflow::prov
