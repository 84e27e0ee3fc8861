// The design matrix: which columns become features, one-hot encoding, unseen categories,
// missing values, labels, layout checks, JSON.
#include "design.hpp"

#include <boost/test/unit_test.hpp>

#include "support.hpp"

using namespace clinflow::builtin;
using namespace training_test;

namespace {

Table small() {
  Table t;
  t.columns = {int_column("subject_id", {1, 2, 3, 4}),
               float_column("age", {70, 45, 88, 30}),
               string_column("race", {"WHITE", "BLACK", "", "WHITE"}),
               int_column("hadm_id", {10, 11, 12, 13}),
               int_column("patient_nbr", {5, 6, 7, 8}),
               int_column("lab_missing", {0, 1, 0, 0}),
               int_column("death", {1, 0, 0, 1})};
  Column ts("intime", ColumnType::kTimestamp);
  ts.ints = {0, 1, 2, 3};
  t.columns.push_back(ts);
  t.roles = {{"patient", "subject_id"}, {"label", "death"}};
  return t;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const clinflow::StepError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(design)

BOOST_AUTO_TEST_CASE(features_skip_roles_ids_and_timestamps_and_one_hot_strings) {
  const Design d = fit_design(small(), {}, "t");
  const std::vector<std::string> expected = {"age", "race=BLACK", "race=WHITE", "lab_missing"};
  BOOST_TEST(d.features == expected, boost::test_tools::per_element());
  const Eigen::MatrixXd x = matrix(d, small(), "t");
  Eigen::MatrixXd want(4, 4);
  want << 70, 0, 1, 0,  //
      45, 1, 0, 1,      //
      88, 0, 0, 0,      // missing race: all zeros
      30, 0, 1, 0;
  BOOST_TEST((x == want));
  BOOST_TEST((Eigen::MatrixXd(sparse_matrix(d, small(), "t")) == want));
}

BOOST_AUTO_TEST_CASE(exclude_removes_columns_and_unknown_names_are_errors) {
  const Design d = fit_design(small(), {"lab_missing"}, "t");
  BOOST_TEST(d.size() == 3u);
  BOOST_TEST(message_of([] { fit_design(small(), {"nope"}, "t"); }).find("no column 'nope'") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(unseen_category_at_predict_time_is_all_zeros) {
  const Design d = fit_design(small(), {}, "t");
  Table other = small();
  // Different dictionary order and an unseen value: codes must map by text, not by code.
  other.column("race") = string_column("race", {"ASIAN", "WHITE", "BLACK", ""});
  const Eigen::MatrixXd x = matrix(d, other, "t");
  BOOST_TEST(x.row(0).segment(1, 2).isZero());
  BOOST_TEST(x(1, 2) == 1.0);
  BOOST_TEST(x(1, 1) == 0.0);
  BOOST_TEST(x(2, 1) == 1.0);
  BOOST_TEST(x.row(3).segment(1, 2).isZero());
}

BOOST_AUTO_TEST_CASE(categories_are_sorted_not_first_seen) {
  Table t = small();
  t.column("race") = string_column("race", {"b", "c", "a", "b"});
  const Design d = fit_design(t, {}, "t");
  BOOST_TEST(d.features[1] == "race=a");
  BOOST_TEST(d.features[3] == "race=c");
}

BOOST_AUTO_TEST_CASE(missing_numeric_cell_names_column_and_count) {
  const Design d = fit_design(small(), {}, "predict");
  Table t = small();
  t.column("age").floats[1] = std::nan("");
  t.column("age").floats[3] = std::nan("");
  BOOST_TEST(message_of([&] { matrix(d, t, "predict"); }) ==
             "predict: column 'age' has 2 missing values; impute first (fit_preprocessing / "
             "apply_preprocessing)");
}

BOOST_AUTO_TEST_CASE(layout_mismatch_names_the_first_differing_column) {
  const Design d = fit_design(small(), {}, "predict");
  Table t = small();
  t.columns.erase(t.columns.begin() + 5);  // lab_missing
  t.column("race") = int_column("race", {1, 2, 3, 4});
  BOOST_TEST(message_of([&] { check_layout(d, t, "predict"); }) ==
             "predict: column 'race' is integer in the table but string in the model's training "
             "data");
  t.column("race") = string_column("race", {"a", "b", "c", "d"});
  BOOST_TEST(message_of([&] { matrix(d, t, "predict"); }) ==
             "predict: the table has no column 'lab_missing', which the model was trained on");
}

BOOST_AUTO_TEST_CASE(labels_must_be_zero_or_one) {
  BOOST_TEST((labels(small(), "t") == Eigen::Vector4d(1, 0, 0, 1)));
  Table t = small();
  t.column("death").ints[2] = 2;
  t.column("death").ints[3] = clinflow::builtin::kMissingInt;
  BOOST_TEST(message_of([&] { labels(t, "t"); }) ==
             "t: label column 'death' has 2 values that are not 0 or 1 (missing included), first "
             "at row 2");
  t.roles.erase("label");
  BOOST_TEST(message_of([&] { labels(t, "t"); }).find("no label column") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_feature_left_is_an_error) {
  Table t;
  t.columns = {int_column("subject_id", {1, 2}), int_column("label", {0, 1})};
  t.roles = {{"patient", "subject_id"}, {"label", "label"}};
  BOOST_TEST(message_of([&] { fit_design(t, {}, "t"); }).find("no feature column") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_round_trip_and_damage) {
  const Design d = fit_design(small(), {}, "t");
  const nlohmann::json j = to_json(d);
  const Design back = design_from_json(j, "m");
  BOOST_TEST(back.features == d.features, boost::test_tools::per_element());
  BOOST_TEST(to_json(back) == j);
  nlohmann::json broken = j;
  broken["features"][0] = "weight";
  BOOST_TEST(message_of([&] { design_from_json(broken, "m"); }) ==
             "m: not a valid design: \"features\" disagree with \"columns\"");
}

BOOST_AUTO_TEST_SUITE_END()
