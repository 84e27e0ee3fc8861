// RFC 4180 dialect: quoting, line ends, BOM, blank lines, missing markers, column selection.
#include "support.hpp"

using namespace read_table_test;

BOOST_AUTO_TEST_SUITE(rfc4180)

BOOST_AUTO_TEST_CASE(quoted_fields_hold_commas_newlines_and_quotes) {
  const Table t = read("id,note\n1,\"a,b\"\n2,\"two\nlines\"\n3,\"say \"\"hi\"\"\"\n4,plain\n");
  BOOST_TEST(t.rows() == 4u);
  BOOST_TEST(cells(t, "note") == "a,b|two\nlines|say \"hi\"|plain");
  BOOST_TEST(cells(t, "id") == "1|2|3|4");
}

BOOST_AUTO_TEST_CASE(crlf_and_lf_give_the_same_table) {
  const Table lf = read("a,b\n1,x\n2,\"y\"\n");
  const Table crlf = read("a,b\r\n1,x\r\n2,\"y\"\r\n");
  BOOST_TEST(clinflow::builtin::serialize(lf) == clinflow::builtin::serialize(crlf));
  BOOST_TEST(cells(crlf, "b") == "x|y");
}

BOOST_AUTO_TEST_CASE(crlf_inside_quotes_is_kept) {
  const Table t = read("a,b\r\n1,\"x\r\ny\"\r\n");
  BOOST_TEST(cells(t, "b") == "x\r\ny");
}

BOOST_AUTO_TEST_CASE(utf8_bom_is_skipped) {
  const Table t = read("\xEF\xBB\xBFid,name\n1,\xC3\xA9t\xC3\xA9\n");
  BOOST_TEST(t.columns[0].name == "id");
  BOOST_TEST(t.column("id").type == ColumnType::kInt);
  BOOST_TEST(cells(t, "name") == "\xC3\xA9t\xC3\xA9");
}

BOOST_AUTO_TEST_CASE(last_line_without_newline_and_blank_lines) {
  const Table t = read("a,b\n\n1,2\r\n\n3,4");
  BOOST_TEST(cells(t, "a") == "1|3");
  BOOST_TEST(cells(t, "b") == "2|4");
}

BOOST_AUTO_TEST_CASE(one_column_file_blank_line_is_a_missing_cell) {
  const Table t = read("a\n1\n\n3\n");
  BOOST_TEST(t.rows() == 3u);
  BOOST_TEST(cells(t, "a") == "1||3");
}

BOOST_AUTO_TEST_CASE(header_only_gives_zero_rows) {
  const Table t = read("a,b\n");
  BOOST_TEST(t.columns.size() == 2u);
  BOOST_TEST(t.rows() == 0u);
}

BOOST_AUTO_TEST_CASE(empty_cells_are_missing_by_default_and_NA_is_text) {
  const Table t = read("n,s\n1,NA\n,x\n3,\n");
  BOOST_TEST(t.column("n").type == ColumnType::kInt);
  BOOST_TEST(t.column("n").missing(1));
  BOOST_TEST(t.column("s").type == ColumnType::kString);
  BOOST_TEST(t.column("s").text(0) == "NA");
  BOOST_TEST(t.column("s").missing(2));
}

BOOST_AUTO_TEST_CASE(missing_markers_are_listed) {
  CsvOptions o;
  o.missing = {"", "?", "NA"};
  CsvStats stats;
  const Table t = read("n,s\n1,NA\n?,x\n3,?\n,\"\"\n", o, &stats);
  BOOST_TEST(t.column("n").type == ColumnType::kInt);
  BOOST_TEST(cells(t, "n") == "1||3|");
  BOOST_TEST(cells(t, "s") == "|x||");
  BOOST_TEST(stats.missing_cells == 5u);
}

BOOST_AUTO_TEST_CASE(without_the_empty_marker_an_empty_cell_is_text) {
  CsvOptions o;
  o.missing = {"?"};
  const Table t = read("n,s\n1,a\n?,\n", o);
  BOOST_TEST(t.column("n").type == ColumnType::kInt);
  BOOST_TEST(t.column("s").type == ColumnType::kString);
  BOOST_TEST(!t.column("s").missing(1));
  BOOST_TEST(t.column("s").text(1) == "");
}

BOOST_AUTO_TEST_CASE(columns_selects_in_file_order) {
  CsvOptions o;
  o.columns = {"c", "a"};
  const Table t = read("a,b,c\n1,\"x,y\",3\n4,5,6\n", o);
  BOOST_TEST_REQUIRE(t.columns.size() == 2u);
  BOOST_TEST(t.columns[0].name == "a");
  BOOST_TEST(t.columns[1].name == "c");
  BOOST_TEST(cells(t, "c") == "3|6");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(chunk_boundaries)

// Tiny chunks put every quote, separator and CRLF on a chunk boundary somewhere: the table
// must not depend on where the text was cut.
BOOST_AUTO_TEST_CASE(any_chunk_size_gives_the_same_table) {
  const std::string csv =
      "\xEF\xBB\xBFid,note,x\r\n1,\"a,b\",1.5\r\n\r\n2,\"two\r\nlines \"\"q\"\"\",\r\n3,,007\r\n"
      "4,\"\",x\r\n5,plain,\"\"";
  const std::string expected = clinflow::builtin::serialize(read(csv));
  for (std::size_t chunk = 1; chunk <= 24; ++chunk) {
    CsvOptions o;
    o.chunk_bytes = chunk;
    BOOST_TEST(
        clinflow::builtin::serialize(clinflow::builtin::read_csv_text(csv, "x.csv", o)) == expected,
        "chunk_bytes " << chunk);
  }
  const Table t = read(csv);
  BOOST_TEST(cells(t, "note") == "a,b|two\r\nlines \"q\"|||plain");
  BOOST_TEST(cells(t, "x") == "1.5||007|x|");
}

BOOST_AUTO_TEST_CASE(errors_point_at_the_same_place_for_any_chunk_size) {
  for (std::size_t chunk = 1; chunk <= 12; ++chunk) {
    CsvOptions o;
    o.chunk_bytes = chunk;
    BOOST_TEST(error_of("a,b\n\"x\ny\",2\n1,2,3\n", o) ==
               "x.csv:4:5: row has 3 fields, the header has 2");
    BOOST_TEST(error_of("a,b\n1,\"open\n", o) == "x.csv:2:3: unterminated quoted field");
  }
}

BOOST_AUTO_TEST_SUITE_END()
