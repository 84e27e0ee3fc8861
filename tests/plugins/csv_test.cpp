// Number text and CSV output of the built-in plugins (plugins/builtin/common), tested directly:
// to_csv's text reads back through read_table's reader as the same table.
#include <boost/test/unit_test.hpp>

#include "csv.hpp"
#include "csv_reader.hpp"
#include "table.hpp"

BOOST_AUTO_TEST_SUITE(csv)

BOOST_AUTO_TEST_CASE(quoting_round_trip) {
  const std::string text =
      "name,note,n\n\"Smith, J\",\"said \"\"hi\"\"\",1\nplain,\"two\nlines\",\n,\"\r\",3\n";
  const clinflow::Table t = clinflow::builtin::read_csv_text(text, "data.csv");
  BOOST_TEST(t.column("note").text(1) == "two\nlines");
  const std::string written = clinflow::to_csv(t);
  BOOST_TEST(written == text);
  const clinflow::Table again = clinflow::builtin::read_csv_text(written, "again.csv");
  BOOST_TEST(clinflow::serialize(again) == clinflow::serialize(t));
}

BOOST_AUTO_TEST_CASE(one_column_missing_cells_survive) {
  const std::string text = "a\nx\n\ny\n";
  const clinflow::Table t = clinflow::builtin::read_csv_text(text, "one.csv");
  BOOST_TEST(t.rows() == 3u);
  BOOST_TEST(t.column("a").missing(1));
  BOOST_TEST(clinflow::to_csv(t) == text);
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
