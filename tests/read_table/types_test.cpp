// Type inference over the whole file, promotion without losing text, and every override.
#include <charconv>

#include "support.hpp"

using namespace read_table_test;

BOOST_AUTO_TEST_SUITE(types)

BOOST_AUTO_TEST_CASE(each_type_is_inferred) {
  const Table t = read(
      "i,f,ts,s,none\n"
      "1,1.5,2150-01-02,a,\n"
      "-2,3,2150-01-02 03:04:05,1,\n"
      ",,,,\n"
      "4,1e3,2150-01-02T03:04,b,\n");
  BOOST_TEST(t.column("i").type == ColumnType::kInt);
  BOOST_TEST(t.column("f").type == ColumnType::kFloat);
  BOOST_TEST(t.column("ts").type == ColumnType::kTimestamp);
  BOOST_TEST(t.column("s").type == ColumnType::kString);
  BOOST_TEST(t.column("none").type == ColumnType::kString);
  BOOST_TEST(cells(t, "i") == "1|-2||4");
  BOOST_TEST(t.column("f").floats[1] == 3.0);
  BOOST_TEST(t.column("f").floats[3] == 1000.0);
  BOOST_TEST(cells(t, "ts") == "2150-01-02 00:00:00|2150-01-02 03:04:05||2150-01-02 03:04:00");
  BOOST_TEST(cells(t, "s") == "a|1||b");
  BOOST_TEST(cells(t, "none") == "|||");
}

BOOST_AUTO_TEST_CASE(leading_missing_cells_then_a_type) {
  const Table t = read("a,b\n,\n,\n7,2150-01-01\n");
  BOOST_TEST(t.column("a").type == ColumnType::kInt);
  BOOST_TEST(cells(t, "a") == "||7");
  BOOST_TEST(t.column("b").type == ColumnType::kTimestamp);
}

BOOST_AUTO_TEST_CASE(int_then_float_becomes_float) {
  const Table t = read("x\n1\n\n2.5\n-3\n");
  BOOST_TEST(t.column("x").type == ColumnType::kFloat);
  const auto& f = t.column("x").floats;
  BOOST_TEST(f[0] == 1.0);
  BOOST_TEST(std::isnan(f[1]));
  BOOST_TEST(f[2] == 2.5);
  BOOST_TEST(f[3] == -3.0);
}

BOOST_AUTO_TEST_CASE(nan_and_inf_are_text_not_numbers) {
  const Table t = read("x,y\n1,inf\nnan,2\n");
  BOOST_TEST(t.column("x").type == ColumnType::kString);
  BOOST_TEST(t.column("y").type == ColumnType::kString);
  BOOST_TEST(cells(t, "x") == "1|nan");
}

BOOST_AUTO_TEST_CASE(promotion_to_string_keeps_the_original_text) {
  CsvStats stats;
  const Table t =
      read("code,amount,when\n007,1.50,2150-01-01\n12,2,2150-01-02 10:00\nabc,x,y\n", {}, &stats);
  BOOST_TEST(cells(t, "code") == "007|12|abc");
  BOOST_TEST(cells(t, "amount") == "1.50|2|x");
  BOOST_TEST(cells(t, "when") == "2150-01-01|2150-01-02 10:00|y");
  BOOST_TEST(stats.reread_as_string.size() == 3u);  // their text was not kept: a second pass
}

BOOST_AUTO_TEST_CASE(canonical_numbers_turn_into_text_without_a_second_pass) {
  CsvStats stats;
  const Table t = read("diag\n250.83\n276\n\n-0.5\nV57\n", {}, &stats);
  BOOST_TEST(cells(t, "diag") == "250.83|276||-0.5|V57");
  BOOST_TEST(stats.reread_as_string.empty());
}

BOOST_AUTO_TEST_CASE(huge_integers_do_not_become_inexact_floats) {
  // 2^53 + 1 has no exact double: with a float in the column, the column is text instead.
  const Table t = read("x\n9007199254740993\n1.5\n");
  BOOST_TEST(t.column("x").type == ColumnType::kString);
  BOOST_TEST(cells(t, "x") == "9007199254740993|1.5");
  const Table u = read("x\n1.5\n9007199254740993\n");
  BOOST_TEST(cells(u, "x") == "1.5|9007199254740993");
  const Table v = read("x\n9007199254740993\n-4\n");
  BOOST_TEST(v.column("x").type == ColumnType::kInt);
  BOOST_TEST(v.column("x").ints[0] == 9007199254740993);
}

BOOST_AUTO_TEST_CASE(every_override) {
  CsvOptions o;
  o.types = {{"i", CellKind::kInteger},   {"f", CellKind::kFloat},   {"s", CellKind::kString},
             {"t", CellKind::kTimestamp}, {"m", CellKind::kMinutes}, {"h", CellKind::kHours},
             {"d", CellKind::kDays}};
  const Table t = read("i,f,s,t,m,h,d\n007,2,007,2150-01-01,90,2,1\n,,,,-30,,0.5\n", o);
  BOOST_TEST(t.column("i").type == ColumnType::kInt);
  BOOST_TEST(cells(t, "i") == "7|");
  BOOST_TEST(t.column("f").type == ColumnType::kFloat);
  BOOST_TEST(t.column("f").floats[0] == 2.0);
  BOOST_TEST(t.column("s").type == ColumnType::kString);
  BOOST_TEST(cells(t, "s") == "007|");
  BOOST_TEST(t.column("t").type == ColumnType::kTimestamp);
  BOOST_TEST(t.column("m").type == ColumnType::kTimestamp);
  BOOST_TEST(t.column("m").ints[0] == 5400);
  BOOST_TEST(t.column("m").ints[1] == -1800);
  BOOST_TEST(t.column("h").ints[0] == 7200);
  BOOST_TEST(t.column("d").ints[0] == 86400);
  BOOST_TEST(t.column("d").ints[1] == 43200);
}

BOOST_AUTO_TEST_CASE(kind_names) {
  for (const char* name : {"integer", "float", "string", "timestamp", "minutes", "hours", "days"})
    BOOST_TEST(clinflow::builtin::to_string(*clinflow::builtin::cell_kind_named(name)) ==
               std::string(name));
  BOOST_TEST(!clinflow::builtin::cell_kind_named("int"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(float_parsing)

// Floats take a fast path for short decimals and from_chars for the rest: both must give the
// same bits, and "prints back as written" must agree with the slow check.
BOOST_AUTO_TEST_CASE(short_decimals_equal_from_chars) {
  std::string csv = "x\n";
  std::vector<std::string> texts;
  std::uint64_t state = 12345;
  for (int i = 0; i < 5000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const std::uint64_t r = state >> 11;
    std::string t = r & 1 ? "-" : "";
    t.append(std::to_string(r % 100000000)).append(".");
    t.append(std::to_string((r >> 30) % 10000000));
    if (i % 7 == 0) t = std::to_string(r % 1000).append(".0").append(std::to_string(r % 9 + 1));
    if (i % 11 == 0) t = std::string("0.000").append(std::to_string(r % 1000 + 1));
    texts.push_back(t);
    csv.append(t).append("\n");
  }
  csv += "123456789012.3456\n1e5\n.5\n";  // more than 15 digits, exponent, no integer part
  texts.insert(texts.end(), {"123456789012.3456", "1e5", ".5"});
  const Table t = read(csv);
  BOOST_TEST_REQUIRE(t.column("x").type == ColumnType::kFloat);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    double expected = 0;
    std::from_chars(texts[i].data(), texts[i].data() + texts[i].size(), expected);
    BOOST_TEST(t.column("x").floats[i] == expected, texts[i]);
  }
  // Text after them: canonical numbers would turn into text in place; these have trailing
  // zeros ("0.0010") only sometimes, so compare with the original text either way.
  const Table u = read(csv + "text\n");
  BOOST_TEST_REQUIRE(u.column("x").type == ColumnType::kString);
  for (std::size_t i = 0; i < texts.size(); ++i) BOOST_TEST(u.column("x").text(i) == texts[i]);
}

BOOST_AUTO_TEST_SUITE_END()
