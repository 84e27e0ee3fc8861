// verify(): an untouched database passes; rows changed, deleted or inserted by an outside
// connection (what `sqlite3 prov.db "UPDATE ..."` does) are reported with their table and row.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdlib>

#include "test_util.hpp"

using namespace clinflow;
using clinflow::test::hash_of;
using clinflow::test::Outside;
using clinflow::test::sample_run;
using clinflow::test::sample_step;
using clinflow::test::TempDir;

namespace {

/// A closed database with one finished run of three steps: 9 chained rows (seq 1..9).
///   seq 1 runs 1, 2 steps 1, 3 artifacts 1, 4 edges 1, 5 steps 2, 6 artifacts 2, 7 edges 2,
///   8 steps 3, 9 run_ends 1 -- plus one require (seq 10).
void build(const std::string& db) {
  auto p = Provenance::open(db);
  auto run = p->begin_run(sample_run());
  for (int i = 1; i <= 3; ++i) {
    auto step = p->add_step(sample_step(run, i));
    if (i < 3) {
      p->add_artifact({hash_of(i), "table", i, std::nullopt});
      p->add_edge({step, hash_of(i), "out", 0, "out"});
    }
  }
  p->end_run(run, "succeeded", "3 ran");
  p->add_require({run, "require m.x >= 1", "x", 2.0, true, 5, ""});
}

bool mentions(const VerifyResult& r, const std::string& a, const std::string& b) {
  return std::any_of(r.problems.begin(), r.problems.end(), [&](const std::string& p) {
    return p.find(a) != std::string::npos && p.find(b) != std::string::npos;
  });
}

std::string joined(const VerifyResult& r) {
  std::string out;
  for (const auto& p : r.problems) out += p + "\n";
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(provenance_verify)

BOOST_AUTO_TEST_CASE(untouched_database_verifies) {
  TempDir dir;
  build(dir.file("prov.db"));
  auto result = Provenance::open(dir.file("prov.db"))->verify();
  BOOST_TEST(result.ok, joined(result));
  BOOST_TEST(result.rows == 10);
  BOOST_TEST(result.problems.empty());
}

BOOST_AUTO_TEST_CASE(update_by_the_sqlite3_tool_is_detected) {
  TempDir dir;
  const std::string db = dir.file("prov.db");
  build(db);
  // Prefer the real command-line tool, as a user would; fall back to a second C API connection.
  const std::string sql = "UPDATE steps SET status='cached' WHERE id=2";
  if (std::system("command -v sqlite3 >/dev/null 2>&1") == 0) {
    BOOST_REQUIRE(std::system(("sqlite3 '" + db + "' \"" + sql + "\"").c_str()) == 0);
  } else {
    Outside(db).exec(sql);
  }
  BOOST_TEST(Outside(db).scalar("SELECT count(*) FROM steps WHERE status='cached'") == 1);
  auto result = Provenance::open(db)->verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(mentions(result, "steps row 2 (seq 5)", "content changed"), joined(result));
  BOOST_TEST(result.problems.size() == 1u, joined(result));
}

BOOST_AUTO_TEST_CASE(delete_in_the_middle_is_detected) {
  TempDir dir;
  const std::string db = dir.file("prov.db");
  build(db);
  Outside(db).exec("DELETE FROM edges WHERE id=1");
  auto result = Provenance::open(db)->verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(mentions(result, "seq 4", "missing"), joined(result));
  BOOST_TEST(mentions(result, "edges row 1", "missing (deleted)"), joined(result));
}

BOOST_AUTO_TEST_CASE(delete_at_the_end_is_detected) {
  TempDir dir;
  const std::string db = dir.file("prov.db");
  build(db);
  Outside(db).exec("DELETE FROM \"requires\"");
  auto result = Provenance::open(db)->verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(mentions(result, "seq 10", "end of the chain"), joined(result));
}

BOOST_AUTO_TEST_CASE(inserted_row_is_detected) {
  TempDir dir;
  const std::string db = dir.file("prov.db");
  build(db);
  // A forged row squeezed into the chain with a seq of its own and a made-up hash.
  Outside(db).exec(
      "INSERT INTO artifacts(id, seq, hash, type, size, prev_hash, row_hash) "
      "VALUES(3, 5, 'forged', 'table', 1, '', '')");
  auto result = Provenance::open(db)->verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(mentions(result, "artifacts row 3", "inserted"), joined(result));
}

BOOST_AUTO_TEST_CASE(chain_continues_across_sessions) {
  TempDir dir;
  const std::string db = dir.file("prov.db");
  build(db);
  {
    auto p = Provenance::open(db);
    auto run = p->begin_run(sample_run());
    p->add_step(sample_step(run, 9));
    p->add_artifact({hash_of(1), "table", 1, std::nullopt});  // already present: no new link
    p->end_run(run, "succeeded", "1 ran");
  }
  auto result = Provenance::open(db)->verify();
  BOOST_TEST(result.ok, joined(result));
  BOOST_TEST(result.rows == 13);
}

BOOST_AUTO_TEST_SUITE_END()
