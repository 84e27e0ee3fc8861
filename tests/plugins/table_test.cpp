// The SDK's typed tables (clinflow/table.hpp): canonical bytes, damaged bytes, gathering, time.
#include <boost/test/unit_test.hpp>
#include <clinflow/table.hpp>
#include <cmath>
#include <cstring>

namespace {

using namespace clinflow;

Table sample() {
  Table t;
  Column& id = t.add("id", ColumnType::kInt);
  Column& x = t.add("x", ColumnType::kFloat);
  Column& sex = t.add("sex", ColumnType::kString);
  Column& when = t.add("when", ColumnType::kTimestamp);
  for (int i = 0; i < 5; ++i) {
    t.columns[0].push_int(100 + i);
    t.columns[1].push_float(i == 2 ? missing_float() : 0.5 * i);
    if (i == 3)
      t.columns[2].push_missing();
    else
      t.columns[2].push_text(i % 2 ? "M" : "F");
    t.columns[3].push_int(*parse_timestamp("2150-02-28 23:00:00") + 3600 * i);
  }
  (void)id, (void)x, (void)sex, (void)when;
  t.roles[roles::kPatient] = "id";
  return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(table)

BOOST_AUTO_TEST_CASE(round_trip_keeps_types_values_roles) {
  const Table t = sample();
  const std::string bytes = serialize(t);
  const Table back = deserialize(bytes, "t");
  BOOST_TEST(serialize(back) == bytes);
  BOOST_TEST(back.rows() == 5u);
  BOOST_TEST(back.roles.at("patient") == "id");
  BOOST_TEST(back.column("x").missing(2));
  BOOST_TEST(back.column("sex").missing(3));
  BOOST_TEST(back.column("sex").text(1) == "M");
  BOOST_TEST(back.column("when").format(1) == "2150-03-01 00:00:00");  // 2150 is not a leap year
  BOOST_TEST(to_csv(back) ==
             "id,x,sex,when\n100,0,F,2150-02-28 23:00:00\n101,0.5,M,2150-03-01 00:00:00\n"
             "102,,F,2150-03-01 01:00:00\n103,1.5,,2150-03-01 02:00:00\n104,2,F,2150-03-01 "
             "03:00:00\n");
}

BOOST_AUTO_TEST_CASE(every_nan_serializes_to_the_same_bytes) {
  Table a = sample(), b = sample();
  b.columns[1].floats[2] = -std::nan("7");  // another NaN payload and sign
  BOOST_TEST(serialize(a) == serialize(b));
}

BOOST_AUTO_TEST_CASE(take_recodes_dictionaries_canonically) {
  const Table t = sample();
  const Table picked = t.take({1, 3, 4});
  BOOST_TEST(picked.rows() == 3u);
  BOOST_TEST(picked.column("sex").dict.size() == 2u);
  BOOST_TEST(picked.column("sex").dict[0] == "M");  // first seen in the new order
  // The same rows built directly give the same bytes.
  Table direct = sample().take({1, 3, 4});
  BOOST_TEST(serialize(direct) == serialize(picked));
}

BOOST_AUTO_TEST_CASE(damaged_bytes_are_an_error_not_a_crash) {
  const std::string bytes = serialize(sample());
  for (std::size_t cut : {std::size_t(0), std::size_t(5), std::size_t(20), bytes.size() - 1}) {
    BOOST_CHECK_THROW(deserialize(bytes.substr(0, cut), "t"), StepError);
  }
  std::string extra = bytes + "x";
  BOOST_CHECK_THROW(deserialize(extra, "t"), StepError);
  std::string bad_code = bytes;
  // A string code outside its dictionary: the "sex" dictionary is "F", "M", then its 5 codes.
  const std::size_t at = bad_code.find("M") + 1;
  std::int32_t huge = 99;
  std::memcpy(&bad_code[at], &huge, 4);
  BOOST_CHECK_THROW(deserialize(bad_code, "t"), StepError);
  try {
    deserialize("not a table", "step input 1");
    BOOST_FAIL("no error");
  } catch (const StepError& e) {
    BOOST_TEST(std::string(e.what()) == "step input 1: the input is not a table artifact");
  }
}

BOOST_AUTO_TEST_CASE(unknown_column_lists_the_columns) {
  const Table t = sample();
  try {
    (void)t.column("age", "select_cohort");
    BOOST_FAIL("no error");
  } catch (const StepError& e) {
    BOOST_TEST(std::string(e.what()) ==
               "select_cohort: no column 'age'; the table has: id, x, sex, when");
  }
}

BOOST_AUTO_TEST_CASE(timestamps_parse_and_format) {
  BOOST_TEST(*parse_timestamp("1970-01-01") == 0);
  BOOST_TEST(*parse_timestamp("1970-01-02 00:00:01") == 86401);
  BOOST_TEST(*parse_timestamp("1969-12-31 23:59:59") == -1);
  BOOST_TEST(*parse_timestamp("2000-02-29T12:30:00") == 951827400);  // date -ud @951827400
  BOOST_TEST(*parse_timestamp("2180-07-23 12:35:00.123") ==
             *parse_timestamp("2180-07-23 12:35:00"));
  BOOST_TEST(*parse_timestamp("2024-03-01 08:15") == *parse_timestamp("2024-03-01 08:15:00"));
  for (const char* bad :
       {"2100-02-29", "2023-13-01", "2023-00-10", "2023-04-31", "2023-1-01", "2023-01-01 24:00",
        "2023-01-01x", "12", "", "2023-01-01 10:00:00.", "2023-01-01 10:00:00Z"})
    BOOST_TEST(!parse_timestamp(bad).has_value(), bad);
  for (std::int64_t s : {std::int64_t(0), std::int64_t(-1), std::int64_t(951827400),
                         std::int64_t(7258118400), std::int64_t(-62135596800)})
    BOOST_TEST(*parse_timestamp(format_timestamp(s)) == s);
  BOOST_TEST(format_timestamp(-1) == "1969-12-31 23:59:59");
  BOOST_TEST(year_of(*parse_timestamp("2196-12-31 23:59:59")) == 2196);
  BOOST_TEST(year_of(-1) == 1969);
}

BOOST_AUTO_TEST_SUITE_END()
