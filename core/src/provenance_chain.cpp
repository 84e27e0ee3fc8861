// Implementation notes: the table descriptions, the canonical row text and the hash chain.
//
// The canonical text is built from typed fields, never from SQL text, so the writer (which has
// C++ values) and verify() (which reads them back from SQLite) produce the same bytes. Reals use
// the shortest round-trip form (std::to_chars), which SQLite's 8-byte REAL stores exactly. Text
// is length-prefixed so a value containing '|' cannot shift a field boundary.
#include <charconv>
#include <clinflow/core/hash.hpp>

#include "provenance_impl.hpp"

namespace clinflow::prov {

const std::array<TableSpec, kTableCount>& tables() {
  static const std::array<TableSpec, kTableCount> specs = {{
      {"runs",
       {{"id", Kind::kInt},
        {"seq", Kind::kInt},
        {"workflow_file", Kind::kText},
        {"workflow_text", Kind::kText},
        {"workflow_hash", Kind::kText},
        {"plan_hash", Kind::kText},
        {"params", Kind::kText},
        {"user", Kind::kText},
        {"host", Kind::kText},
        {"versions", Kind::kText},
        {"seed", Kind::kInt},
        {"threads", Kind::kInt},
        {"rerun_of", Kind::kInt},
        {"started", Kind::kReal}}},
      {"run_ends",
       {{"id", Kind::kInt},
        {"seq", Kind::kInt},
        {"run_id", Kind::kInt, "UNIQUE REFERENCES runs(id)"},
        {"ended", Kind::kReal},
        {"status", Kind::kText},
        {"summary", Kind::kText}}},
      {"steps",
       {{"id", Kind::kInt},
        {"seq", Kind::kInt},
        {"run_id", Kind::kInt, "REFERENCES runs(id)"},
        {"name", Kind::kText},
        {"plugin", Kind::kText},
        {"plugin_version", Kind::kText},
        {"plugin_hash", Kind::kText},
        {"params", Kind::kText},
        {"key", Kind::kText},
        {"seed", Kind::kInt},
        {"started", Kind::kReal},
        {"ended", Kind::kReal},
        {"cpu_seconds", Kind::kReal},
        {"peak_rss_kb", Kind::kInt},
        {"status", Kind::kText},
        {"reason", Kind::kText},
        {"error", Kind::kText},
        {"line", Kind::kInt}}},
      {"artifacts",
       {{"id", Kind::kInt},
        {"seq", Kind::kInt},
        {"hash", Kind::kText, "UNIQUE"},
        {"type", Kind::kText},
        {"size", Kind::kInt},
        {"content", Kind::kOptText}}},
      {"edges",
       {{"id", Kind::kInt},
        {"seq", Kind::kInt},
        {"step_id", Kind::kInt, "REFERENCES steps(id)"},
        {"artifact_hash", Kind::kText},
        {"direction", Kind::kText},
        {"port", Kind::kInt},
        {"role", Kind::kText}}},
      {"requires",
       {{"id", Kind::kInt},
        {"seq", Kind::kInt},
        {"run_id", Kind::kInt, "REFERENCES runs(id)"},
        {"text", Kind::kText},
        {"metric", Kind::kText},
        {"observed", Kind::kOptReal},
        {"passed", Kind::kInt},
        {"line", Kind::kInt},
        {"message", Kind::kText}}},
      {"privacy_ledger",
       {{"id", Kind::kInt},
        {"seq", Kind::kInt},
        {"run_id", Kind::kInt, "REFERENCES runs(id)"},
        {"step_id", Kind::kInt, "REFERENCES steps(id)"},
        {"step_name", Kind::kText},
        {"sequence", Kind::kInt},
        {"mechanisms", Kind::kText},
        {"step_epsilon", Kind::kReal},
        {"cumulative_epsilon", Kind::kReal},
        {"delta", Kind::kReal},
        {"budget_epsilon", Kind::kReal},
        {"cached", Kind::kInt},
        {"accountant", Kind::kText}}},
  }};
  return specs;
}

void append_canonical(std::string& out, const std::vector<Field>& fields) {
  char buf[32];
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += '|';
    const Field& f = fields[i];
    if (std::holds_alternative<std::monostate>(f)) {
      out += 'n';
    } else if (auto* n = std::get_if<std::int64_t>(&f)) {
      out += 'i';
      out.append(buf, std::to_chars(buf, buf + sizeof buf, *n).ptr);
    } else if (auto* d = std::get_if<double>(&f)) {
      out += 'r';
      out.append(buf, std::to_chars(buf, buf + sizeof buf, *d).ptr);
    } else {
      auto s = std::get<std::string_view>(f);
      out += 't';
      out.append(buf, std::to_chars(buf, buf + sizeof buf, s.size()).ptr);
      out += ':';
      out += s;
    }
  }
}

std::string chain_hash(std::string_view prev_hash, std::string_view table,
                       const std::vector<Field>& fields, std::string& scratch) {
  scratch.assign(prev_hash);
  scratch += '|';
  scratch += table;
  scratch += '|';
  append_canonical(scratch, fields);
  return sha256_hex(scratch);
}

Stmt::Stmt(sqlite3* db, const std::string& sql) {
  int rc =
      sqlite3_prepare_v3(db, sql.c_str(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &s_, nullptr);
  if (rc != SQLITE_OK) {
    throw ProvenanceError("cannot prepare provenance statement (" + describe(db, rc) +
                          "): " + sql.substr(0, 60));
  }
}

Stmt::~Stmt() {
  sqlite3_finalize(s_);
}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(s_);
    s_ = std::exchange(other.s_, nullptr);
  }
  return *this;
}

void Stmt::bind(int i, const Field& f) {
  if (auto* n = std::get_if<std::int64_t>(&f)) {
    bind(i, *n);
  } else if (auto* d = std::get_if<double>(&f)) {
    bind(i, *d);
  } else if (auto* s = std::get_if<std::string_view>(&f)) {
    bind(i, *s);
  } else {
    sqlite3_bind_null(s_, i);
  }
}

std::string Stmt::text(int col) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  return p ? std::string(p, std::size_t(sqlite3_column_bytes(s_, col))) : std::string();
}

Field Stmt::field(int col, Kind kind) const {
  if (is_null(col)) return std::monostate{};
  switch (kind) {
    case Kind::kInt:
      return integer(col);
    case Kind::kReal:
    case Kind::kOptReal:
      return real(col);
    case Kind::kText:
    case Kind::kOptText: {
      auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
      return std::string_view(p, std::size_t(sqlite3_column_bytes(s_, col)));
    }
  }
  return std::monostate{};
}

void exec(sqlite3* db, const std::string& path, const char* sql) {
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK)
    throw ProvenanceError("provenance database '" + path + "': " + describe(db, rc));
}

std::string describe(sqlite3* db, int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "database is locked by another clinflow process (it kept its write lock for more "
             "than 2 s)";
    case SQLITE_NOTADB:
      return "the file is not a database";
    case SQLITE_CORRUPT:
      return "the database file is damaged (corrupt)";
    case SQLITE_READONLY:
      return "the database cannot be written (read-only file or folder)";
    case SQLITE_CANTOPEN:
      return "the file cannot be opened";
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return "permission denied";
    case SQLITE_FULL:
      return "the disk is full";
    case SQLITE_IOERR:
      return "input/output error";
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return "it refers to a run or step that is not recorded";
      return std::string("a record breaks a database rule (") +
             (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) + ")";
    default:
      return db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  }
}

}  // namespace clinflow::prov
