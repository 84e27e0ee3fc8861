// Implementation notes: renderers for history / show / verify.
//
// Everything printed is metadata (names, hashes, times, counts, messages), never table content.
// Step counts per run come from one GROUP BY query when the database is ours (a run may have
// 100k steps; loading them all to count would make `history` slow), else from steps(). Times are
// printed in UTC so two people comparing a run see the same text; JSON keeps the unix seconds too.
#include <algorithm>
#include <clinflow/core/provenance_report.hpp>
#include <cstdio>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "provenance_impl.hpp"

namespace clinflow {
namespace {

using nlohmann::json;
using Counts = std::vector<std::pair<std::string, std::int64_t>>;

std::string utc(double unix_seconds, bool iso) {
  if (unix_seconds <= 0) return iso ? "" : "-";
  std::time_t t = std::time_t(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, iso ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string duration(double seconds) {
  if (seconds < 0) return "-";
  char buf[32];
  if (seconds < 60) {
    std::snprintf(buf, sizeof buf, seconds < 10 ? "%.2fs" : "%.1fs", seconds);
  } else if (seconds < 3600) {
    std::snprintf(buf, sizeof buf, "%dm%02ds", int(seconds) / 60, int(seconds) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%dh%02dm", int(seconds) / 3600, int(seconds) % 3600 / 60);
  }
  return buf;
}

double run_seconds(const RunRecord& r) {
  return r.ended > 0 ? r.ended - r.started : -1;
}

std::string memory(std::int64_t kb) {
  char buf[32];
  std::snprintf(buf, sizeof buf, kb >= 1024 ? "%.1f MB" : "%.0f KB",
                kb >= 1024 ? double(kb) / 1024 : double(kb));
  return buf;
}

std::string prefix(const std::string& hash) {
  return hash.substr(0, 12);
}

std::string file_of(Provenance& db) {
  auto* ours = dynamic_cast<prov::SqliteProvenance*>(&db);
  return ours ? ours->path() : "the provenance database";
}

/// The `name = "..."` of the [workflow] table, read from the recorded text without a TOML parser.
std::string workflow_name(const std::string& text) {
  bool in_workflow = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    line = line.substr(first);
    if (line[0] == '[') {
      in_workflow = line.rfind("[workflow]", 0) == 0;
    } else if (in_workflow && line.rfind("name", 0) == 0) {
      auto open = line.find('"'), close = line.find('"', open + 1);
      if (open != std::string::npos && close != std::string::npos)
        return line.substr(open + 1, close - open - 1);
    }
  }
  return "";
}

Counts step_counts(Provenance& db, std::int64_t run) {
  if (auto* ours = dynamic_cast<prov::SqliteProvenance*>(&db)) return ours->step_counts(run);
  std::map<std::string, std::int64_t> by_status;
  for (const auto& s : db.steps(run)) ++by_status[s.status];
  return Counts(by_status.begin(), by_status.end());
}

/// "12 ran, 3 cached, 1 failed": the usual statuses first, in pipeline order, then any others.
std::string counts_text(const Counts& counts) {
  static const char* kOrder[] = {"ran", "cached", "failed", "skipped", "cancelled"};
  std::string out;
  auto add = [&](const std::string& status, std::int64_t n) {
    out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + status;
  };
  for (const char* status : kOrder)
    for (const auto& [s, n] : counts)
      if (s == status) add(s, n);
  for (const auto& [s, n] : counts)
    if (std::find(std::begin(kOrder), std::end(kOrder), s) == std::end(kOrder)) add(s, n);
  return out.empty() ? "no steps" : out;
}

json run_json(const RunRecord& r, const Counts& counts) {
  json steps = json::object();
  for (const auto& [status, n] : counts) steps[status] = n;
  return {{"id", r.id},
          {"status", r.status},
          {"workflow", workflow_name(r.workflow_text)},
          {"workflow_file", r.workflow_file},
          {"workflow_hash", r.workflow_hash},
          {"plan_hash", r.plan_hash},
          {"params", r.params},
          {"user", r.user},
          {"host", r.host},
          {"versions", r.versions},
          {"seed", r.seed},
          {"threads", r.threads},
          {"rerun_of", r.rerun_of},
          {"started", utc(r.started, true)},
          {"started_unix", r.started},
          {"ended", r.ended > 0 ? json(utc(r.ended, true)) : json()},
          {"ended_unix", r.ended > 0 ? json(r.ended) : json()},
          {"duration_seconds", r.ended > 0 ? json(run_seconds(r)) : json()},
          {"summary", r.summary},
          {"steps", steps}};
}

void pad(std::ostream& out, const std::string& text, std::size_t width, bool right = false) {
  std::string spaces(text.size() < width ? width - text.size() : 0, ' ');
  out << (right ? spaces + text : text + spaces);
}

}  // namespace

void print_history(Provenance& db, std::ostream& out, bool json_output) {
  auto runs = db.runs();
  if (json_output) {
    json list = json::array();
    for (const auto& r : runs) list.push_back(run_json(r, step_counts(db, r.id)));
    out << json{{"database", file_of(db)}, {"runs", list}}.dump(2) << "\n";
    return;
  }
  if (runs.empty()) {
    out << "no runs recorded in " << file_of(db) << "\n";
    return;
  }
  out << "  RUN  STATUS       STARTED (UTC)        DURATION  STEPS                           "
         "WORKFLOW\n";
  for (const auto& r : runs) {
    std::string name = workflow_name(r.workflow_text);
    pad(out, std::to_string(r.id), 5, true);
    out << "  ";
    pad(out, r.status, 11);
    out << "  " << utc(r.started, false) << "  ";
    pad(out, duration(run_seconds(r)), 8, true);
    out << "  ";
    pad(out, counts_text(step_counts(db, r.id)), 30);
    out << "  " << (name.empty() ? r.workflow_file : name + " (" + r.workflow_file + ")") << "\n";
  }
}

void print_verify(const VerifyResult& result, std::ostream& out, bool json_output) {
  if (json_output) {
    out << json{{"ok", result.ok}, {"rows", result.rows}, {"problems", result.problems}}.dump(2)
        << "\n";
    return;
  }
  if (result.ok) {
    out << "provenance chain intact: " << result.rows << " rows verified\n";
    return;
  }
  out << "provenance chain BROKEN: " << result.problems.size() << " problem"
      << (result.problems.size() == 1 ? "" : "s") << " in " << result.rows << " rows\n";
  for (const auto& problem : result.problems) out << "  " << problem << "\n";
}

namespace {

struct ArtifactUse {
  std::string hash, how;  ///< how: "out <port role> of <step>" or "in data:<param> of <step>"
};

/// The artifacts a run wrote, and the data files it read, each once, in step order.
std::vector<ArtifactUse> artifacts_of(Provenance& db, const std::vector<StepRecord>& steps,
                                      std::map<std::int64_t, std::vector<EdgeRecord>>& edges) {
  std::vector<ArtifactUse> uses;
  std::set<std::string> seen;
  for (const auto& s : steps) {
    edges[s.id] = db.edges(s.id);
    for (const auto& e : edges[s.id]) {
      bool data = e.direction == "in" && e.role.rfind("data:", 0) == 0;
      if ((e.direction == "out" || data) && seen.insert(e.artifact_hash).second)
        uses.push_back(
            {e.artifact_hash, (data ? "read as " : "written as ") + e.role + " by " + s.name});
    }
  }
  return uses;
}

json step_json(const StepRecord& s, const std::vector<EdgeRecord>& edges) {
  json e = json::array();
  for (const auto& edge : edges)
    e.push_back({{"artifact", edge.artifact_hash},
                 {"direction", edge.direction},
                 {"port", edge.port},
                 {"role", edge.role}});
  return {{"id", s.id},
          {"name", s.name},
          {"plugin", s.plugin},
          {"plugin_version", s.plugin_version},
          {"plugin_hash", s.plugin_hash},
          {"params", s.params},
          {"key", s.key},
          {"seed", s.seed},
          {"status", s.status},
          {"reason", s.reason},
          {"error", s.error},
          {"line", s.line},
          {"started", utc(s.started, true)},
          {"started_unix", s.started},
          {"ended_unix", s.ended},
          {"seconds", s.ended - s.started},
          {"cpu_seconds", s.cpu_seconds},
          {"peak_rss_kb", s.peak_rss_kb},
          {"edges", e}};
}

json require_json(const RequireRecord& r) {
  return {{"text", r.text},
          {"metric", r.metric},
          {"observed", r.observed ? json(*r.observed) : json()},
          {"passed", r.passed},
          {"line", r.line},
          {"message", r.message}};
}

void print_run_header(const RunRecord& r, const Counts& counts, std::ostream& out) {
  std::string name = workflow_name(r.workflow_text);
  out << "run " << r.id << ": " << r.status << "\n";
  out << "  workflow   " << (name.empty() ? "" : name + " ") << "(" << r.workflow_file
      << "), sha256 " << prefix(r.workflow_hash) << ", plan " << prefix(r.plan_hash) << "\n";
  out << "  started    " << utc(r.started, false) << " UTC";
  if (r.ended > 0)
    out << ", ended " << utc(r.ended, false) << ", took " << duration(run_seconds(r));
  out << "\n  by         " << r.user << " on " << r.host << ", " << r.threads << " threads, seed "
      << r.seed << "\n";
  out << "  versions   " << r.versions << "\n";
  if (!r.params.empty()) out << "  overrides  " << r.params << "\n";
  if (r.rerun_of) out << "  rerun of   run " << r.rerun_of << "\n";
  out << "  steps      " << counts_text(counts) << (r.summary.empty() ? "" : " (" + r.summary + ")")
      << "\n";
}

void print_steps(const std::vector<StepRecord>& steps, std::ostream& out) {
  out << "\nsteps (" << steps.size() << "):\n";
  out << "  LINE  STEP                  STATUS     PLUGIN                  KEY           "
         "TIME      CPU       RSS  REASON\n";
  for (const auto& s : steps) {
    out << "  ";
    pad(out, std::to_string(s.line), 4, true);
    out << "  ";
    pad(out, s.name, 20);
    out << "  ";
    pad(out, s.status, 9);
    out << "  ";
    pad(out, s.plugin + " " + s.plugin_version, 22);
    out << "  " << prefix(s.key) << "  ";
    pad(out, s.ended > 0 ? duration(s.ended - s.started) : "-", 6, true);
    out << "  ";
    pad(out, duration(s.cpu_seconds), 6, true);
    out << "  ";
    pad(out, memory(s.peak_rss_kb), 8, true);
    out << "  " << s.reason << "\n";
    if (!s.error.empty()) out << "        error: " << s.error << "\n";
  }
}

/// "4.5", "1e-05": short numbers for the ledger lines.
std::string short_number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", x);
  return buf;
}

/// One mechanism field of every mechanism of a ledger row, joined with "+" (most steps have one).
std::string mechanism_field(const json& mechanisms, const char* field) {
  std::string out;
  if (!mechanisms.is_array()) return "?";
  for (const auto& m : mechanisms) {
    if (!out.empty()) out += "+";
    const json& v = m.contains(field) ? m[field] : json();
    out += v.is_number_integer() ? std::to_string(v.get<std::int64_t>())
           : v.is_number()       ? short_number(v.get<double>())
                                 : std::string("?");
  }
  return out.empty() ? "-" : out;
}

json ledger_json(const std::vector<PrivacySpendRecord>& ledger) {
  json rows = json::array();
  for (const auto& r : ledger)
    rows.push_back({{"sequence", r.sequence},
                    {"step", r.step_name},
                    {"step_id", r.step_id},
                    {"mechanisms", json::parse(r.mechanisms, nullptr, false)},
                    {"step_epsilon", r.step_epsilon},
                    {"cumulative_epsilon", r.cumulative_epsilon},
                    {"delta", r.delta},
                    {"budget_epsilon", r.budget_epsilon},
                    {"cached", r.cached},
                    {"accountant", r.accountant}});
  json out = {{"rows", rows}};
  if (!ledger.empty()) {
    out["total_epsilon"] = ledger.back().cumulative_epsilon;
    out["budget_epsilon"] = ledger.back().budget_epsilon;
    out["delta"] = ledger.back().delta;
    out["accountant"] = ledger.back().accountant;
  }
  return out;
}

/// Printed only for runs with differentially private steps: one line per charge, then the total.
void print_ledger(const std::vector<PrivacySpendRecord>& ledger, std::ostream& out) {
  if (ledger.empty()) return;
  out << "\nprivacy ledger (" << ledger.size() << (ledger.size() == 1 ? " step" : " steps") << ", "
      << ledger.back().accountant << "):\n";
  out << "  SEQ  STEP                  NOISE     RATE        STEPS    STEP EPS  TOTAL EPS\n";
  for (const auto& r : ledger) {
    json mechanisms = json::parse(r.mechanisms, nullptr, false);
    out << "  ";
    pad(out, std::to_string(r.sequence), 3, true);
    out << "  ";
    pad(out, r.step_name, 20);
    out << "  ";
    pad(out, mechanism_field(mechanisms, "noise_multiplier"), 8);
    out << "  ";
    pad(out, mechanism_field(mechanisms, "sampling_rate"), 10);
    out << "  ";
    pad(out, mechanism_field(mechanisms, "steps"), 6, true);
    out << "  ";
    pad(out, short_number(r.step_epsilon), 10, true);
    out << "  ";
    pad(out, short_number(r.cumulative_epsilon), 9, true);
    out << (r.cached ? "  (cached: spent when its artifact was trained)" : "") << "\n";
  }
  const auto& last = ledger.back();
  out << "  total eps " << short_number(last.cumulative_epsilon) << " of budget "
      << short_number(last.budget_epsilon) << " (delta " << short_number(last.delta) << ")\n";
}

}  // namespace

void print_run(Provenance& db, std::int64_t run_id, std::ostream& out, bool json_output) {
  auto run = db.run(run_id);
  if (!run) throw ProvenanceError("no run " + std::to_string(run_id) + " in " + file_of(db));
  auto counts = step_counts(db, run_id);
  auto steps = db.steps(run_id);
  std::map<std::int64_t, std::vector<EdgeRecord>> edges;
  auto uses = artifacts_of(db, steps, edges);
  auto gates = db.requires_of(run_id);
  auto ledger = db.privacy_ledger(run_id);

  if (json_output) {
    json j = run_json(*run, counts);
    j["workflow_text"] = run->workflow_text;
    json s = json::array(), a = json::array(), g = json::array();
    for (const auto& step : steps) s.push_back(step_json(step, edges[step.id]));
    for (const auto& use : uses) {
      auto record = db.artifact(use.hash);
      a.push_back({{"hash", use.hash},
                   {"type", record ? json(record->type) : json()},
                   {"size", record ? json(record->size) : json()},
                   {"use", use.how}});
      if (record && record->content)
        a.back()["content"] = json::parse(*record->content, nullptr, false);
    }
    for (const auto& r : gates) g.push_back(require_json(r));
    out << json{{"run", j},
                {"steps", s},
                {"artifacts", a},
                {"requires", g},
                {"privacy_ledger", ledger_json(ledger)}}
               .dump(2)
        << "\n";
    return;
  }
  print_run_header(*run, counts, out);
  print_steps(steps, out);
  out << "\nartifacts (" << uses.size() << "):\n";
  for (const auto& use : uses) {
    auto record = db.artifact(use.hash);
    out << "  " << prefix(use.hash) << "  ";
    pad(out, record ? record->type : "?", 8);
    out << "  ";
    pad(out, record ? std::to_string(record->size) + " B" : "?", 12, true);
    out << "  " << use.how << "\n";
  }
  bool any_metrics = false;
  for (const auto& use : uses) {
    auto record = db.artifact(use.hash);
    if (!record || !record->content) continue;
    if (!any_metrics) out << "\nmetrics (recorded content):\n";
    any_metrics = true;
    out << "  " << use.how << ":\n    " << *record->content << "\n";
  }
  out << "\nrequires (" << gates.size() << "):\n";
  for (const auto& r : gates) {
    out << "  " << (r.passed ? "pass" : "FAIL") << "  line ";
    pad(out, std::to_string(r.line), 4);
    out << "  " << r.text;
    if (r.observed) out << "  (observed " << *r.observed << ")";
    if (!r.message.empty()) out << "  " << r.message;
    out << "\n";
  }
  print_ledger(ledger, out);
}

}  // namespace clinflow
