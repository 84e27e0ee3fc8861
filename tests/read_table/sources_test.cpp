// Sources: gzip vs plain, chunk boundaries, determinism, SQLite, and the plugin loaded for real.
#include <sqlite3.h>

#include <clinflow/core/plugin_host.hpp>

#include "sqlite_source.hpp"
#include "support.hpp"

using namespace read_table_test;
using clinflow::builtin::serialize;

namespace {

/// A few MB of CSV whose quoted fields (with commas, quotes, newlines) cross chunk boundaries.
std::string big_csv(std::size_t rows) {
  std::string s = "id,value,note,when\n";
  for (std::size_t i = 0; i < rows; ++i) {
    s.append(std::to_string(i)).append(",").append(std::to_string(i % 97)).append(".");
    s.append(std::to_string(i % 10 + 1)).append(",");
    if (i % 3 == 0) {
      s.append("\"n, \"\"").append(std::to_string(i % 50)).append("\"\"\nend\"");
    } else {
      s.append("n").append(std::to_string(i % 50));
    }
    s.append(",2150-01-").append(std::to_string(10 + i % 18)).append(" 10:00:00\n");
  }
  return s;
}

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  BOOST_TEST_REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, &err) == SQLITE_OK);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sources)

BOOST_AUTO_TEST_CASE(gzip_and_plain_give_identical_bytes) {
  Files files;
  const std::string csv = big_csv(60000);
  const std::string plain = files.write("t.csv", csv);
  const std::string gz = files.write_gz("t.csv.gz", csv);
  const std::string members = files.write_gz("m.gz", csv, 3);  // concatenated gzip members
  CsvStats stats;
  const Table a = clinflow::builtin::read_csv_file(plain);
  const Table b = clinflow::builtin::read_csv_file(gz, {}, &stats);
  const Table c = clinflow::builtin::read_csv_file(members);
  BOOST_TEST(stats.gzip);
  BOOST_TEST(stats.input_bytes == csv.size());
  BOOST_TEST(a.rows() == 60000u);
  BOOST_TEST(serialize(a) == serialize(b));
  BOOST_TEST(serialize(a) == serialize(c));
  BOOST_TEST(a.column("note").text(3) == "n, \"3\"\nend");
  BOOST_TEST(a.column("value").type == ColumnType::kFloat);
  BOOST_TEST(a.column("when").type == ColumnType::kTimestamp);
}

BOOST_AUTO_TEST_CASE(a_field_longer_than_a_chunk) {
  const std::string huge(3u << 20, 'x');
  const Table t = read("a,b\n1,\"" + huge + "\"\n2," + huge + "\n");
  BOOST_TEST(t.rows() == 2u);
  BOOST_TEST(t.column("b").text(0).size() == huge.size());
  BOOST_TEST(t.column("b").code_of(huge) == 0);
}

BOOST_AUTO_TEST_CASE(two_reads_give_the_same_bytes) {
  const std::string csv = big_csv(20000) + "x,y,z,w\n";  // forces string re-reads at the end
  CsvStats stats;
  const std::string first = serialize(read(csv, {}, &stats));
  BOOST_TEST(first == serialize(read(csv)));
  // id ("0", "1"...) prints back as written and turns into text in place; value ("96.10")
  // and when (timestamps) do not, so they are read a second time.
  BOOST_TEST(stats.reread_as_string.size() == 2u);
}

BOOST_AUTO_TEST_CASE(sqlite_query_types_from_values) {
  Files files;
  const std::string path = (files.dir.path() / "t.sqlite").string();
  sqlite3* db = nullptr;
  BOOST_TEST_REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  exec(db,
       "CREATE TABLE t(i INTEGER, r REAL, mix, s TEXT, ts TEXT, code TEXT);"
       "INSERT INTO t VALUES (1, 1.5, 1, 'a', '2150-01-01 10:00:00', '007');"
       "INSERT INTO t VALUES (NULL, 2.0, 2.5, 'NA', '2150-01-02', '?');"
       "INSERT INTO t VALUES (3, NULL, NULL, NULL, NULL, '12');");
  sqlite3_close(db);
  CsvOptions o;
  o.missing = {"?"};
  CsvStats stats;
  const Table t =
      clinflow::builtin::read_sqlite_query(path, "SELECT * FROM t ORDER BY rowid", o, &stats);
  BOOST_TEST(t.rows() == 3u);
  BOOST_TEST(t.column("i").type == ColumnType::kInt);
  BOOST_TEST(cells(t, "i") == "1||3");
  BOOST_TEST(t.column("r").type == ColumnType::kFloat);
  BOOST_TEST(t.column("mix").type == ColumnType::kFloat);
  BOOST_TEST(t.column("mix").floats[1] == 2.5);
  BOOST_TEST(t.column("s").type == ColumnType::kString);
  BOOST_TEST(cells(t, "s") == "a|NA|");
  BOOST_TEST(t.column("ts").type == ColumnType::kTimestamp);
  BOOST_TEST(cells(t, "code") == "007||12");
  BOOST_TEST(stats.missing_cells == 6u);

  o.types = {{"code", CellKind::kInteger}};
  o.columns = {"code"};
  const Table u = clinflow::builtin::read_sqlite_query(path, "SELECT code FROM t", o);
  BOOST_TEST(cells(u, "code") == "7||12");

  try {
    clinflow::builtin::read_sqlite_query(path, "SELECT nope FROM t", {});
    BOOST_FAIL("expected a StepError");
  } catch (const clinflow::StepError& e) {
    BOOST_TEST(std::string(e.what()).find("no such column: nope") != std::string::npos);
  }
  try {  // read-only: writing fails
    clinflow::builtin::read_sqlite_query(path, "DELETE FROM t", {});
    BOOST_FAIL("expected a StepError");
  } catch (const clinflow::StepError& e) {
    BOOST_TEST(std::string(e.what()).find("readonly") != std::string::npos);
  }
  BOOST_TEST(clinflow::builtin::is_sqlite_file(path));
}

BOOST_AUTO_TEST_CASE(the_plugin_reads_csv_gz_and_sqlite) {
  clinflow::PluginRegistry registry;
  std::vector<std::string> load_errors;
  registry.load_directory(CLINFLOW_BUILTIN_PLUGIN_DIR, load_errors);
  const clinflow::LoadedPlugin* loaded = registry.find("read_table");
  BOOST_TEST_REQUIRE(loaded != nullptr);
  const clinflow::Plugin& plugin = *loaded->plugin;
  BOOST_TEST(plugin.manifest().safety.phi == clinflow::PhiEffect::kIntroduces);
  Files files;
  const std::string gz = files.write_gz("p.csv.gz", "id,age,off\n1,> 89,60\n2,45,?\n");
  clinflow_test::FakeContext ctx;
  clinflow::Params params{
      {"path", clinflow::Value(gz)},
      {"missing", clinflow::List{clinflow::Value("?")}},
      {"types", clinflow::List{clinflow::Value("age:string"), clinflow::Value("off:minutes")}}};
  const clinflow::Outputs out = plugin.run(ctx, {}, params);
  BOOST_TEST_REQUIRE(out.size() == 1u);
  BOOST_TEST(out[0].type == "table");
  const Table t = clinflow::builtin::deserialize(out[0].bytes, "out");
  BOOST_TEST(cells(t, "age") == "> 89|45");
  BOOST_TEST(t.column("off").ints[0] == 3600);
  BOOST_TEST(t.column("off").missing(1));
  BOOST_TEST_REQUIRE(!ctx.lines.empty());
  BOOST_TEST(ctx.lines[0].find("2 rows, 3 columns") != std::string::npos);
  BOOST_TEST(ctx.lines[0].find("89") == std::string::npos);

  params["types"] = clinflow::List{clinflow::Value("age")};
  try {
    plugin.run(ctx, {}, params);
    BOOST_FAIL("expected a StepError");
  } catch (const clinflow::StepError& e) {
    BOOST_TEST(std::string(e.what()).find("'age' is not 'column:type'") != std::string::npos);
  }
  params.erase("types");
  params["query"] = clinflow::Value("SELECT 1");
  BOOST_CHECK_THROW(plugin.run(ctx, {}, params), clinflow::StepError);  // not a database
}

BOOST_AUTO_TEST_SUITE_END()
