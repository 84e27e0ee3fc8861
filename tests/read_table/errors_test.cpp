// Errors name file:line:col and never quote a cell.
#include "support.hpp"

using namespace read_table_test;

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(row_with_more_fields) {
  BOOST_TEST(error_of("a,b\n1,2\n1,2,3\n") == "x.csv:3:5: row has 3 fields, the header has 2");
  BOOST_TEST(error_of("a,b\n1,\"x\",\"y\"\n") == "x.csv:2:7: row has 3 fields, the header has 2");
}

BOOST_AUTO_TEST_CASE(row_with_fewer_fields) {
  BOOST_TEST(error_of("a,b,c\n1,2,3\n1,2\n") == "x.csv:3:4: row has 2 fields, the header has 3");
  BOOST_TEST(error_of("a,b,c\r\n1,2\r\n") == "x.csv:2:4: row has 2 fields, the header has 3");
}

BOOST_AUTO_TEST_CASE(ragged_row_after_a_multiline_record) {
  BOOST_TEST(error_of("a,b\n1,\"x\ny\"\n1,2,3\n") ==
             "x.csv:4:5: row has 3 fields, the header has 2");
}

BOOST_AUTO_TEST_CASE(unterminated_quote) {
  BOOST_TEST(error_of("a,b\n1,2\n3,\"open\n") == "x.csv:3:3: unterminated quoted field");
}

BOOST_AUTO_TEST_CASE(text_after_a_closing_quote) {
  BOOST_TEST(error_of("a,b\n1,\"x\"y\n") == "x.csv:2:6: unexpected text after a closing quote");
}

BOOST_AUTO_TEST_CASE(bad_override_cell_names_position_and_column_not_the_cell) {
  CsvOptions o;
  o.types = {{"age", CellKind::kInteger}};
  const std::string e = error_of("id,age\n1,34\n2,SECRET-99\n", o);
  BOOST_TEST(e == "x.csv:3:3: cell in column 'age' is not a valid integer");
  BOOST_TEST(e.find("SECRET") == std::string::npos);
  o.types = {{"t", CellKind::kTimestamp}};
  BOOST_TEST(error_of("t\n2150-13-01\n", o) ==
             "x.csv:2:1: cell in column 't' is not a valid timestamp");
  o.types = {{"m", CellKind::kMinutes}};
  BOOST_TEST(error_of("m\n\"12a\"\n", o) == "x.csv:2:1: cell in column 'm' is not a valid minutes");
}

BOOST_AUTO_TEST_CASE(unknown_columns_list_the_file_columns) {
  CsvOptions o;
  o.columns = {"agee"};
  BOOST_TEST(error_of("id,age\n1,2\n", o) ==
             "x.csv: columns: unknown column 'agee' (did you mean 'age'?); the file's columns: "
             "id, age");
  o.columns = {};
  o.types = {{"zzz", CellKind::kString}};
  BOOST_TEST(error_of("id,age\n1,2\n", o) ==
             "x.csv: types: unknown column 'zzz'; the file's columns: id, age");
}

BOOST_AUTO_TEST_CASE(empty_file_and_duplicate_header) {
  BOOST_TEST(error_of("") == "x.csv:1:1: the file is empty (a header row is required)");
  BOOST_TEST(error_of("a,b,a\n") == "x.csv:1:5: duplicate column name 'a'");
}

BOOST_AUTO_TEST_CASE(missing_file_and_bad_gzip) {
  Files files;
  BOOST_CHECK_THROW(clinflow::builtin::read_csv_file((files.dir.path() / "no.csv").string()),
                    clinflow::StepError);
  const std::string bad = files.write("bad.csv.gz", std::string("\x1f\x8b\x08\x00garbage", 11));
  BOOST_CHECK_THROW(clinflow::builtin::read_csv_file(bad), clinflow::StepError);
}

BOOST_AUTO_TEST_SUITE_END()
