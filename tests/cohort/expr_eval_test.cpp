// expr_eval: typed, vectorised expressions over tables (timestamps, durations, missing, errors).
#include "expr_eval.hpp"

#include <array>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <random>

#include "cohort_support.hpp"

using namespace cohort_test;

namespace {

const Table kStays = table_from_csv(
    "id,sex,age,lactate,intime,outtime\n"
    "1,F,34,1.5,2150-01-01 08:00:00,2150-01-02 09:00:00\n"
    "2,M,17,2.5,2150-01-03 00:00:00,2150-01-03 12:00:00\n"
    "3,F,70,,2150-01-04 00:00:00,\n"
    "4,M,,3.0,2150-01-05 00:00:00,2150-01-06 00:00:00\n");

std::vector<int> mask(const Value& e, const Table& t = kStays) {
  const auto m = evaluate_mask(e, t, "test");
  return std::vector<int>(m.begin(), m.end());
}

std::string error_of(const Value& e, const Table& t = kStays) {
  try {
    evaluate(e, t, "test");
  } catch (const StepError& err) {
    return err.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(expr_eval)

BOOST_AUTO_TEST_CASE(numbers_compare_and_missing_is_false) {
  BOOST_TEST(mask(cmp(">=", Symbol{"age"}, 18)) == (std::vector<int>{1, 0, 1, 0}));
  BOOST_TEST(mask(cmp("<", 18, Symbol{"age"})) == (std::vector<int>{1, 0, 1, 0}));
  BOOST_TEST(mask(cmp("!=", Symbol{"age"}, 17)) == (std::vector<int>{1, 0, 1, 0}));  // NULL
  BOOST_TEST(mask(cmp(">", Symbol{"lactate"}, 2)) == (std::vector<int>{0, 1, 0, 1}));
  BOOST_TEST(mask(cmp("==", Symbol{"lactate"}, 1.5)) == (std::vector<int>{1, 0, 0, 0}));
}

BOOST_AUTO_TEST_CASE(text_with_bare_words_and_strings) {
  BOOST_TEST(mask(cmp("==", Symbol{"sex"}, Symbol{"F"})) == (std::vector<int>{1, 0, 1, 0}));
  BOOST_TEST(mask(cmp("==", Symbol{"M"}, Symbol{"sex"})) == (std::vector<int>{0, 1, 0, 1}));
  BOOST_TEST(mask(cmp("!=", Symbol{"sex"}, "F")) == (std::vector<int>{0, 1, 0, 1}));
  BOOST_TEST(mask(cmp("<", Symbol{"sex"}, "G")) == (std::vector<int>{1, 0, 1, 0}));
}

BOOST_AUTO_TEST_CASE(timestamps_and_durations) {
  const Value los = Expr{"-", {Symbol{"outtime"}, Symbol{"intime"}}};
  const ExprValues d = evaluate(los, kStays, "test");
  BOOST_TEST(int(d.kind) == int(ExprKind::kDuration));
  BOOST_TEST(d.ints == (std::vector<std::int64_t>{25 * 3600, 12 * 3600, kMissingInt, 86400}));
  BOOST_TEST(mask(cmp(">=", los, Duration{86400})) == (std::vector<int>{1, 0, 0, 1}));

  const ExprValues pt = evaluate(Expr{"+", {Symbol{"intime"}, Duration{86400}}}, kStays, "t");
  BOOST_TEST(int(pt.kind) == int(ExprKind::kTimestamp));
  BOOST_TEST(format_timestamp(pt.ints[0]) == "2150-01-02 08:00:00");
  // timestamp - duration, and comparing timestamps: outtime <= intime + 24h
  BOOST_TEST(mask(cmp("<=", Symbol{"outtime"}, Expr{"+", {Symbol{"intime"}, Duration{86400}}})) ==
             (std::vector<int>{0, 1, 0, 1}));
  const ExprValues back = evaluate(Expr{"-", {Symbol{"outtime"}, Duration{3600}}}, kStays, "t");
  BOOST_TEST(format_timestamp(back.ints[1]) == "2150-01-03 11:00:00");
  BOOST_TEST(back.missing(2));
  // duration / duration is a ratio; duration * number a duration
  const ExprValues hours = evaluate(Expr{"/", {los, Duration{3600}}}, kStays, "t");
  BOOST_TEST(hours.floats[0] == 25.0);
  BOOST_TEST(std::isnan(hours.floats[2]));
  const ExprValues twice = evaluate(Expr{"*", {Duration{90}, 2}}, kStays, "t");
  BOOST_TEST(twice.ints[3] == 180);
}

BOOST_AUTO_TEST_CASE(arithmetic_folds_left_and_keeps_integers_exact) {
  const Table t = table_from_csv("a,b\n9007199254740993,1\n10,0\n,3\n");
  const ExprValues sum = evaluate(Expr{"+", {Symbol{"a"}, Symbol{"b"}, 1}}, t, "t");
  BOOST_TEST(int(sum.kind) == int(ExprKind::kInt));
  BOOST_TEST(sum.ints == (std::vector<std::int64_t>{9007199254740995, 11, kMissingInt}));
  const ExprValues ratio = evaluate(Expr{"/", {Symbol{"a"}, Symbol{"b"}}}, t, "t");
  BOOST_TEST(int(ratio.kind) == int(ExprKind::kFloat));
  BOOST_TEST(std::isnan(ratio.floats[1]));  // division by zero is missing, as in SQL
  BOOST_TEST(error_of(Expr{"*", {Symbol{"a"}, 4096}}, t) ==
             "test: integer overflow at row 0 in `a * 4096`");
}

BOOST_AUTO_TEST_CASE(matches_a_row_by_row_computation) {
  // A second, scalar method: random integers with missing cells, `a * 3 - b > c`.
  std::mt19937_64 rng(42);
  std::string csv = "a,b,c\n";
  std::vector<std::array<std::int64_t, 3>> rows;
  for (int r = 0; r < 500; ++r) {
    std::array<std::int64_t, 3> row{};
    for (int c = 0; c < 3; ++c) {
      row[c] = rng() % 10 == 0 ? kMissingInt : std::int64_t(rng() % 200) - 100;
      if (c) csv += ',';
      if (row[c] != kMissingInt) csv += std::to_string(row[c]);
    }
    csv += "\n";
    rows.push_back(row);
  }
  const Table t = table_from_csv(csv);
  const Value e = cmp(">", Expr{"-", {Expr{"*", {Symbol{"a"}, 3}}, Symbol{"b"}}}, Symbol{"c"});
  const auto m = evaluate_mask(e, t, "t");
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto& [a, b, c] = rows[r];
    const bool known = a != kMissingInt && b != kMissingInt && c != kMissingInt;
    BOOST_TEST(m[r] == (known && a * 3 - b > c), "row " << r);
  }
}

BOOST_AUTO_TEST_CASE(errors_name_the_expression_and_column) {
  BOOST_TEST(error_of(cmp(">", Symbol{"agee"}, 1)) ==
             "test: unknown column 'agee' in `agee > 1`; the table has: id, sex, age, lactate, "
             "intime, outtime");
  BOOST_TEST(error_of(cmp(">", Symbol{"sex"}, 1)) ==
             "test: cannot compare text (column 'sex') with integer in `sex > 1`");
  BOOST_TEST(error_of(Expr{"+", {Symbol{"intime"}, Symbol{"outtime"}}}) ==
             "test: cannot apply '+' to timestamp (column 'intime') and timestamp (column "
             "'outtime') in `intime + outtime`");
  BOOST_TEST(error_of(cmp(">=", Expr{"-", {Symbol{"outtime"}, Symbol{"intime"}}}, 24)) ==
             "test: cannot compare duration with integer in `outtime - intime >= 24`");
  // A bare word is text only against a text column.
  BOOST_TEST(error_of(cmp("==", Symbol{"age"}, Symbol{"F"})).find("unknown column 'F'") !=
             std::string::npos);
  try {
    evaluate_mask(Symbol{"age"}, kStays, "test");
    BOOST_FAIL("no error");
  } catch (const StepError& e) {
    BOOST_TEST(std::string(e.what()) ==
               "test: `age` is not a condition (it gives integer (column 'age')); write a "
               "comparison such as `age >= 18`");
  }
}

BOOST_AUTO_TEST_CASE(prints_expressions_as_written) {
  BOOST_TEST(expr_text(cmp(">=", Symbol{"age"}, 18)) == "age >= 18");
  BOOST_TEST(expr_text(cmp("==", Symbol{"readmitted"}, "<30")) == "readmitted == \"<30\"");
  BOOST_TEST(expr_text(Expr{"+", {Symbol{"intime"}, Duration{86400}}}) == "intime + 24h");
  BOOST_TEST(expr_text(Expr{"*", {Expr{"+", {Symbol{"a"}, Symbol{"b"}}}, 2.5}}) == "(a + b) * 2.5");
  BOOST_TEST(expr_text(cmp(">=", Expr{"-", {Symbol{"outtime"}, Symbol{"intime"}}}, Duration{30})) ==
             "outtime - intime >= 30s");
  BOOST_TEST(duration_text(2592000) == "30d");
  BOOST_TEST(duration_text(172800) == "2d");
  BOOST_TEST(duration_text(900) == "15m");
  BOOST_TEST(duration_text(0) == "0s");
}

BOOST_AUTO_TEST_CASE(results_become_columns) {
  Table t = kStays;
  const ExprValues pt = evaluate(Expr{"+", {Symbol{"intime"}, Duration{3600}}}, t, "t");
  Column c = to_column(pt, "pt");
  BOOST_TEST(int(c.type) == int(ColumnType::kTimestamp));
  BOOST_TEST(c.format(0) == "2150-01-01 09:00:00");
  const ExprValues constant = evaluate(Value("x"), t, "t");  // a literal is broadcast
  BOOST_TEST(to_column(constant, "k").size() == t.rows());
}

BOOST_AUTO_TEST_SUITE_END()
