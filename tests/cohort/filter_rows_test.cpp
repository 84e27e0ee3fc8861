// filter_rows on the typed table: conditions through expr_eval, rows gathered in order.
#include <boost/test/unit_test.hpp>

#include "cohort_support.hpp"

using namespace cohort_test;

namespace {

const Table kVitals = table_from_csv(
    "id,sex,age,lactate,admit,discharge\n"
    "1,F,34,1.5,2150-01-01 00:00:00,2150-01-03 00:00:00\n"
    "2,M,17,2.5,2150-01-01 00:00:00,2150-01-01 06:00:00\n"
    "3,F,70,,2150-01-01 00:00:00,\n"
    "4,M,45,3.0,2150-01-01 00:00:00,2150-01-02 00:00:00\n");

}  // namespace

BOOST_FIXTURE_TEST_SUITE(filter_rows, Steps)

BOOST_AUTO_TEST_CASE(keeps_rows_where_the_condition_holds) {
  auto kept = [&](const Value& where) {
    return cells(deserialize(run("filter_rows", {kVitals}, {{"where", where}})[0].bytes, "out"),
                 "id");
  };
  BOOST_TEST(kept(cmp(">=", Symbol{"age"}, 18)) == (std::vector<std::string>{"1", "3", "4"}));
  BOOST_TEST(kept(cmp("==", Symbol{"sex"}, Symbol{"M"})) == (std::vector<std::string>{"2", "4"}));
  BOOST_TEST(kept(cmp("<", 2, Symbol{"lactate"})) == (std::vector<std::string>{"2", "4"}));
  BOOST_TEST(kept(cmp(">=", Expr{"-", {Symbol{"discharge"}, Symbol{"admit"}}}, Duration{86400})) ==
             (std::vector<std::string>{"1", "4"}));
  BOOST_TEST(kept(cmp(">", Symbol{"discharge"}, Symbol{"admit"})) ==
             (std::vector<std::string>{"1", "2", "4"}));
  BOOST_TEST(ctx.lines.back() == "filter_rows: kept 3 of 4 rows");
}

BOOST_AUTO_TEST_CASE(output_dictionaries_hold_only_kept_values) {
  const Table t = deserialize(
      run("filter_rows", {kVitals}, {{"where", cmp("==", Symbol{"sex"}, "M")}})[0].bytes, "out");
  BOOST_TEST(t.column("sex").dict == (std::vector<std::string>{"M"}));
  BOOST_TEST(t.column("lactate").floats == (std::vector<double>{2.5, 3.0}));
}

BOOST_AUTO_TEST_CASE(errors_name_columns) {
  BOOST_TEST(error_of("filter_rows", {kVitals}, {{"where", cmp(">", Symbol{"agee"}, 1)}}) ==
             "filter_rows: unknown column 'agee' in `agee > 1`; the table has: id, sex, age, "
             "lactate, admit, discharge");
  BOOST_TEST(error_of("filter_rows", {kVitals}, {{"where", cmp(">", Symbol{"sex"}, 1)}}) ==
             "filter_rows: cannot compare text (column 'sex') with integer in `sex > 1`");
}

BOOST_AUTO_TEST_SUITE_END()
