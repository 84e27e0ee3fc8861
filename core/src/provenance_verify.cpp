// Implementation notes: verify() re-walks the chain.
//
// The chained tables are read in seq order at once (a k-way merge of one cursor per table,
// inside one read transaction so the snapshot is consistent). For each row the hash is recomputed
// from its stored prev_hash and content; it is compared against the stored row_hash (a changed
// row) and its prev_hash against the previous row's stored row_hash (an inserted or reordered
// row). Comparing with the stored hashes, not the recomputed ones, keeps one edit to one problem
// instead of a cascade down the rest of the chain. A seq gap means deleted rows; ids are given out
// consecutively per table, so an id gap names the table they were deleted from. chain_head, written
// with every commit, catches rows deleted from the end.
#include <algorithm>
#include <memory>

#include "provenance_impl.hpp"

namespace clinflow::prov {
namespace {

std::string label(Table t, std::int64_t id, std::int64_t seq) {
  return std::string(tables()[t].name) + " row " + std::to_string(id) + " (seq " +
         std::to_string(seq) + ")";
}

std::string range(std::int64_t from, std::int64_t to) {
  return from == to ? std::to_string(from) : std::to_string(from) + ".." + std::to_string(to);
}

struct Cursor {
  Cursor(Table t, Stmt s) : table(t), stmt(std::move(s)) {}
  Table table;
  Stmt stmt;
  bool has_row = false;
  std::int64_t seq = 0;
  std::vector<std::int64_t> ids;
};

}  // namespace

VerifyResult SqliteProvenance::verify() {
  std::lock_guard lock(mutex_);
  rethrow_pending();
  commit_locked();  // the chain head on disk must cover every row we wrote
  exec(db_, path_, "BEGIN");
  struct Rollback {
    sqlite3* db;
    ~Rollback() { sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr); }
  } end_read{db_};

  std::vector<std::unique_ptr<Cursor>> cursors;
  for (int t = 0; t < kTableCount; ++t) {
    std::string sql = "SELECT ";
    for (const auto& c : tables()[t].columns) sql += std::string("\"") + c.name + "\", ";
    sql += std::string("prev_hash, row_hash FROM \"") + tables()[t].name + "\" ORDER BY seq";
    auto c = std::make_unique<Cursor>(Table(t), Stmt(db_, sql));
    cursors.push_back(std::move(c));
  }
  auto advance = [&](Cursor& c) {
    int rc = c.stmt.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail("cannot read the chain", rc);
    c.has_row = rc == SQLITE_ROW;
    if (c.has_row) c.seq = c.stmt.integer(1);
  };
  for (auto& c : cursors) advance(*c);

  VerifyResult result;
  auto problem = [&](std::string text) { result.problems.push_back(std::move(text)); };
  std::int64_t last_seq = 0;
  std::string last_hash, last_label = "the start of the chain";
  std::vector<Field> fields;
  std::string scratch;
  for (;;) {
    Cursor* next = nullptr;
    for (auto& c : cursors)
      if (c->has_row && (!next || c->seq < next->seq)) next = c.get();
    if (!next) break;
    const auto& columns = tables()[next->table].columns;
    const int n = int(columns.size());
    fields.clear();
    for (int i = 0; i < n; ++i) fields.push_back(next->stmt.field(i, columns[i].kind));
    const std::int64_t id = next->stmt.integer(0), seq = next->seq;
    const std::string prev_stored = next->stmt.text(n), row_stored = next->stmt.text(n + 1);
    const std::string where = label(next->table, id, seq);
    ++result.rows;

    bool gap = false;
    if (seq <= last_seq) {
      problem(where + ": inserted (its seq repeats that of " + last_label + ")");
    } else if (seq > last_seq + 1) {
      gap = true;
      problem("seq " + range(last_seq + 1, seq - 1) + ": missing, deleted between " + last_label +
              " and " + where);
    }
    if (chain_hash(prev_stored, tables()[next->table].name, fields, scratch) != row_stored)
      problem(where + ": content changed");
    else if (!gap && seq > last_seq && prev_stored != last_hash)
      problem(where + ": does not follow " + last_label + " (inserted or reordered)");
    next->ids.push_back(id);
    if (seq > last_seq) {
      last_seq = seq;
      last_hash = row_stored;
      last_label = where;
    }
    advance(*next);
  }

  for (auto& c : cursors) {
    std::sort(c->ids.begin(), c->ids.end());
    std::int64_t expected = 1;
    for (std::int64_t id : c->ids) {
      if (id > expected)
        problem(std::string(tables()[c->table].name) + " row " + range(expected, id - 1) +
                ": missing (deleted)");
      expected = std::max(expected, id + 1);
    }
  }
  Stmt head(db_, "SELECT seq, row_hash FROM chain_head WHERE one = 1");
  if (head.step() != SQLITE_ROW) {
    problem("chain_head: missing");
  } else if (head.integer(0) > last_seq) {
    problem("seq " + range(last_seq + 1, head.integer(0)) +
            ": missing at the end of the chain (deleted after " + last_label + ")");
  } else if (head.integer(0) < last_seq) {
    problem("rows after seq " + std::to_string(head.integer(0)) +
            " were added outside clinflow (up to " + last_label + ")");
  } else if (head.text(1) != last_hash) {
    problem(last_label + ": does not match the recorded end of the chain");
  }
  result.ok = result.problems.empty();
  return result;
}

}  // namespace clinflow::prov
