// Helpers shared by the provenance tests: a scratch folder, sample records, and an outside
// SQLite connection that plays the part of someone editing the database by hand.
#pragma once

#include <sqlite3.h>
#include <stdlib.h>

#include <clinflow/core/provenance.hpp>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace clinflow::test {

/// A fresh folder under the system temp folder, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "clinflow-prov-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A second connection to the database, outside clinflow.
class Outside {
 public:
  explicit Outside(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("open failed");
  }
  ~Outside() { sqlite3_close(db_); }
  Outside(const Outside&) = delete;
  Outside& operator=(const Outside&) = delete;
  /// Runs SQL; throws with SQLite's message when it fails.
  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error(message + " in: " + sql);
    }
  }
  /// The first column of the first row as an integer.
  long long scalar(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    long long value = -1;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
      value = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

inline RunRecord sample_run(const std::string& file = "workflows/icu.toml") {
  RunRecord r;
  r.workflow_file = file;
  r.workflow_text = "[workflow]\nname = \"icu-mortality\"\n[flow]\nsteps = '''a = f()'''\n";
  r.workflow_hash = std::string(64, 'a');
  r.plan_hash = std::string(64, 'b');
  r.params = "data.root: \"/x|y\"";  // a '|' inside a value must not confuse the chain text
  r.user = "tester";
  r.host = "vm";
  r.versions = "clinflow 0.1.0; sqlite 3.40.1";
  r.seed = 20240417;
  r.threads = 2;
  r.started = 1764027217.25;
  return r;
}

inline StepRecord sample_step(std::int64_t run_id, int i = 0) {
  StepRecord s;
  s.run_id = run_id;
  s.name = "step" + std::to_string(i);
  s.plugin = "select_cohort";
  s.plugin_version = "1.2.0";
  s.plugin_hash = std::string(64, 'c');
  s.params = "first_stay_per_patient: true, include: [(age >= 18)]";
  s.key = "key-" + std::to_string(i);
  s.seed = 1000 + i;
  s.started = 1764027218.5 + i;
  s.ended = 1764027219.125 + i;
  s.cpu_seconds = 0.1 * i + 0.03;
  s.peak_rss_kb = 40960 + i;
  s.status = "ran";
  s.reason = "no cached output for this key";
  s.error = "";
  s.line = 10 + i;
  return s;
}

inline std::string hash_of(int i) {
  std::string h = std::to_string(i);
  return std::string(64 - h.size(), 'f') + h;
}

}  // namespace clinflow::test
