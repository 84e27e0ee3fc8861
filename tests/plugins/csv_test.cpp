// The built-in plugins' CSV reader and writer (plugins/builtin/common), tested directly.
#include "csv.hpp"

#include <boost/test/unit_test.hpp>

using clinflow::builtin::parse_csv;
using clinflow::builtin::CsvRows;
using clinflow::builtin::write_csv;

namespace {

/// The message of the StepError that parsing `text` throws ("" when it parses).
std::string parse_error(const std::string& text) {
  try {
    parse_csv(text, "data.csv");
  } catch (const clinflow::StepError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(csv)

BOOST_AUTO_TEST_CASE(quoting_round_trip) {
  const std::string text =
      "id,note,score\r\n"
      "1,\"a, b\",2.5\r\n"
      "2,\"she said \"\"hi\"\"\",\r\n"
      "3,\"two\nlines\",-1\r\n";
  const CsvRows t = parse_csv(text, "data.csv");
  BOOST_TEST_REQUIRE(t.rows.size() == 3u);
  BOOST_TEST(t.header[2] == "score");
  BOOST_TEST(t.rows[0][1] == "a, b");
  BOOST_TEST(t.rows[1][1] == "she said \"hi\"");
  BOOST_TEST(t.rows[1][2] == "");
  BOOST_TEST(t.rows[2][1] == "two\nlines");
  const std::string canonical = write_csv(t);
  BOOST_TEST(canonical ==
             "id,note,score\n1,\"a, b\",2.5\n2,\"she said \"\"hi\"\"\",\n3,\"two\nlines\",-1\n");
  const CsvRows again = parse_csv(canonical, "again.csv");
  BOOST_TEST(again.header == t.header, boost::test_tools::per_element());
  BOOST_TEST((again.rows == t.rows));
}

BOOST_AUTO_TEST_CASE(one_column_empty_cells_survive) {
  CsvRows t;
  t.header = {"x"};
  t.rows = {{"1"}, {""}, {"3"}};
  const CsvRows again = parse_csv(write_csv(t), "x.csv");
  BOOST_TEST((again.rows == t.rows));
}

BOOST_AUTO_TEST_CASE(ragged_rows_name_line_and_column) {
  BOOST_TEST(parse_error("a,b\n1,2\n3,4,5\n") ==
             "data.csv:3:5: row has 3 fields, but the header has 2");
  BOOST_TEST(parse_error("a,b,c\n1,2\n") == "data.csv:2:4: row has 2 fields, but the header has 3");
  // The line count includes newlines inside quoted fields.
  BOOST_TEST(parse_error("a,b\n\"x\ny\",2\n1\n") ==
             "data.csv:4:2: row has 1 fields, but the header has 2");
}

BOOST_AUTO_TEST_CASE(bad_quotes) {
  BOOST_TEST(parse_error("a,b\n1,\"open\n") == "data.csv:2:3: unterminated quoted field");
  BOOST_TEST(parse_error("a,b\n1,\"x\"y\n") ==
             "data.csv:2:6: unexpected text after a closing quote");
  BOOST_TEST(parse_error("a,b\n1,2\n\n3,4\n").empty());  // blank lines are skipped
}

BOOST_AUTO_TEST_CASE(numbers) {
  using clinflow::builtin::format_number;
  using clinflow::builtin::parse_number;
  BOOST_TEST(parse_number(" 2.5 ").value() == 2.5);
  BOOST_TEST(parse_number("+3").value() == 3.0);
  BOOST_TEST(!parse_number("").has_value());
  BOOST_TEST(!parse_number("12abc").has_value());
  BOOST_TEST(!parse_number("nan").has_value());
  BOOST_TEST(format_number(0.1) == "0.1");
  BOOST_TEST(format_number(42.0) == "42");
}

BOOST_AUTO_TEST_SUITE_END()
