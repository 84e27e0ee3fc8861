// split / split3: patient-disjoint parts by patient, time and group; fractions, stratification,
// determinism, the report, and the run-time disjointness check.
#include <algorithm>
#include <map>
#include <set>

#include "support.hpp"

using namespace deid_split_test;
using clinflow::Params;
using clinflow::Symbol;

namespace {

/// `patients` patients with 1-3 stays each; every 5th patient has one positive stay; stays
/// spread over 12 hospitals and over time (admit_time increasing with the row).
Table cohort(int patients = 400) {
  std::vector<std::int64_t> id, stay, label, hospital, admit;
  for (int p = 0; p < patients; ++p)
    for (int s = 0; s <= p % 3; ++s) {
      id.push_back(5000 + 7 * p);
      stay.push_back(std::int64_t(id.size()));
      label.push_back(p % 5 == 0 && s == p % 3 ? 1 : 0);
      hospital.push_back((p * 5 + s) % 12);
      admit.push_back(4102444800 + 3600 * std::int64_t((p * 37 + s * 101) % 5000));
    }
  Table t;
  t.columns = {ints("subject_id", id), ints("stay_id", stay), ints("label", label),
               ints("hospitalid", hospital), ints("admittime", admit)};
  t.columns.back().type = ColumnType::kTimestamp;
  t.roles = {{"patient", "subject_id"},
             {"stay", "stay_id"},
             {"label", "label"},
             {"admit_time", "admittime"},
             {"group", "hospitalid"}};
  return t;
}

std::set<std::int64_t> values(const Table& t, const std::string& column) {
  const auto& v = t.column(column).ints;
  return {v.begin(), v.end()};
}

bool disjoint(const std::set<std::int64_t>& a, const std::set<std::int64_t>& b) {
  for (auto x : a)
    if (b.count(x)) return false;
  return true;
}

double prevalence(const Table& t) {
  std::size_t n = 0;
  for (auto x : t.column("label").ints) n += x == 1;
  return double(n) / double(t.rows());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(split)

BOOST_AUTO_TEST_CASE(by_patient_is_disjoint_sized_and_stratified) {
  const Table in = cohort();
  auto out = run("split", in, {{"seed", 1}});
  BOOST_TEST_REQUIRE(out.size() == 3u);
  const Table train = table_of(out[0]), test = table_of(out[1]);
  BOOST_TEST(train.rows() + test.rows() == in.rows());
  BOOST_TEST(disjoint(values(train, "subject_id"), values(test, "subject_id")));
  const double patients_in_test = double(values(test, "subject_id").size()) / 400;
  BOOST_TEST(std::abs(patients_in_test - 0.25) < 0.01);
  BOOST_TEST(std::abs(double(test.rows()) / double(in.rows()) - 0.25) < 0.05);
  BOOST_TEST(std::abs(prevalence(train) - prevalence(test)) < 0.02);
  // Positive patients: exactly round(80 * 0.25) of them in test.
  std::set<std::int64_t> positive_test;
  for (std::size_t r = 0; r < test.rows(); ++r)
    if (test.column("label").ints[r] == 1) positive_test.insert(test.column("subject_id").ints[r]);
  BOOST_TEST(positive_test.size() == 20u);
  BOOST_TEST(train.roles == in.roles);
}

BOOST_AUTO_TEST_CASE(same_seed_same_bytes_other_seed_other_parts) {
  const Table in = cohort();
  const auto a = run("split", in, {{"seed", 1}});
  const auto b = run("split", in, {{"seed", 1}});
  const auto c = run("split", in, {{"seed", 2}});
  for (std::size_t i = 0; i < 3; ++i) BOOST_TEST(a[i].bytes == b[i].bytes);
  BOOST_TEST(a[1].bytes != c[1].bytes);
  // Without `seed` the step's own seed decides.
  BOOST_TEST(run("split", in, {}, 5)[1].bytes == run("split", in, {}, 5)[1].bytes);
  BOOST_TEST(run("split", in, {}, 5)[1].bytes != run("split", in, {}, 6)[1].bytes);
}

BOOST_AUTO_TEST_CASE(row_order_does_not_change_who_is_tested) {
  const Table in = cohort();
  std::vector<std::uint32_t> reversed(in.rows());
  for (std::uint32_t i = 0; i < reversed.size(); ++i)
    reversed[i] = std::uint32_t(in.rows() - 1 - i);
  const Table test_a = table_of(run("split", in, {{"seed", 3}})[1]);
  const Table test_b = table_of(run("split", in.take(reversed), {{"seed", 3}})[1]);
  BOOST_TEST(values(test_a, "subject_id") == values(test_b, "subject_id"));
}

BOOST_AUTO_TEST_CASE(by_time_puts_the_latest_admissions_in_test) {
  const Table in = cohort();
  auto out = run("split", in, {{"by", Symbol{"time"}}, {"test_fraction", 0.3}});
  const Table train = table_of(out[0]), test = table_of(out[1]);
  const auto& tr = train.column("admittime").ints;
  const auto& te = test.column("admittime").ints;
  BOOST_TEST_REQUIRE(!te.empty());
  BOOST_TEST(*std::max_element(tr.begin(), tr.end()) <= *std::min_element(te.begin(), te.end()));
  BOOST_TEST(disjoint(values(train, "subject_id"), values(test, "subject_id")));
  const auto report = json_of(out[2]);
  const std::size_t removed = report["removed_for_disjointness"].get<std::size_t>();
  BOOST_TEST(removed > 0u);  // patients with stays on both sides of the cut lose the later ones
  BOOST_TEST(train.rows() + test.rows() + removed == in.rows());
  BOOST_TEST(report["by"] == "time");
}

BOOST_AUTO_TEST_CASE(by_group_keeps_groups_whole_and_removes_shared_patients) {
  Table in = cohort();
  // Plant one patient in every hospital.
  for (std::int64_t h = 0; h < 12; ++h) {
    Table extra;
    extra.columns = {ints("subject_id", {1}), ints("stay_id", {90000 + h}), ints("label", {0}),
                     ints("hospitalid", {h}), ints("admittime", {4102444800})};
    extra.columns.back().type = ColumnType::kTimestamp;
    for (std::size_t c = 0; c < in.columns.size(); ++c)
      in.columns[c].push_from(extra.columns[c], 0);
  }
  auto out = run("split", in, {{"by", Symbol{"group"}}, {"seed", 9}});
  const Table train = table_of(out[0]), test = table_of(out[1]);
  const auto hospitals_train = values(train, "hospitalid");
  const auto hospitals_test = values(test, "hospitalid");
  BOOST_TEST(disjoint(hospitals_train, hospitals_test));
  BOOST_TEST(!hospitals_test.empty());
  BOOST_TEST(disjoint(values(train, "subject_id"), values(test, "subject_id")));
  BOOST_TEST(values(test, "subject_id").count(1) == 0u);
  BOOST_TEST(values(train, "subject_id").count(1) == 1u);
  // The planted patient's row in each test hospital was removed; the cohort's own patients can
  // also straddle hospitals, so the count is at least that.
  const auto report = json_of(out[2]);
  const std::size_t removed = report["removed_for_disjointness"].get<std::size_t>();
  BOOST_TEST(removed >= hospitals_test.size());
  BOOST_TEST(train.rows() + test.rows() + removed == in.rows());
  BOOST_TEST(std::abs(double(test.rows() + removed) / double(in.rows()) - 0.25) < 0.1);
}

BOOST_AUTO_TEST_CASE(by_group_reads_the_group_parameter) {
  Table in = cohort();
  in.roles.erase("group");
  BOOST_TEST(contains(error_of("split", in, {{"by", Symbol{"group"}}}), "group"));
  auto out = run("split", in, {{"by", Symbol{"group"}}, {"group", Symbol{"hospitalid"}}});
  BOOST_TEST(
      disjoint(values(table_of(out[0]), "hospitalid"), values(table_of(out[1]), "hospitalid")));
}

BOOST_AUTO_TEST_CASE(split3_gives_three_disjoint_parts) {
  const Table in = cohort();
  auto out = run("split3", in, {{"seed", 4}, {"validation_fraction", 0.2}});
  BOOST_TEST_REQUIRE(out.size() == 4u);
  const Table train = table_of(out[0]), valid = table_of(out[1]), test = table_of(out[2]);
  const auto a = values(train, "subject_id"), b = values(valid, "subject_id"),
             c = values(test, "subject_id");
  BOOST_TEST(disjoint(a, b));
  BOOST_TEST(disjoint(a, c));
  BOOST_TEST(disjoint(b, c));
  BOOST_TEST(std::abs(double(b.size()) / 400 - 0.2) < 0.01);
  BOOST_TEST(std::abs(double(c.size()) / 400 - 0.25) < 0.01);
  const auto report = json_of(out[3]);
  BOOST_TEST(report["parts"]["validation"]["patients"] == b.size());
}

BOOST_AUTO_TEST_CASE(report_has_the_documented_shape) {
  const Table in = cohort(40);
  auto out = run("split", in, {{"seed", 12}});
  const Table train = table_of(out[0]), test = table_of(out[1]);
  const auto r = json_of(out[2]);
  BOOST_TEST(r["by"] == "patient");
  BOOST_TEST(r["patient_disjoint"] == 1);
  BOOST_TEST(r["removed_for_disjointness"] == 0);
  BOOST_TEST(r["seed"] == 12);
  BOOST_TEST(r["parts"]["train"]["rows"] == train.rows());
  BOOST_TEST(r["parts"]["test"]["rows"] == test.rows());
  BOOST_TEST(r["parts"]["test"]["patients"] == 10);
  BOOST_TEST(r["parts"]["test"]["positives"] == prevalence(test) * double(test.rows()));
  BOOST_TEST(r["parts"]["test"]["prevalence"].get<double>() == prevalence(test));
  BOOST_TEST(r.size() == 5u);
  BOOST_TEST(r["parts"].size() == 2u);
  BOOST_TEST(r["parts"]["train"].size() == 4u);
}

BOOST_AUTO_TEST_CASE(bad_input_is_a_clear_error) {
  Table in = cohort(10);
  BOOST_TEST(contains(error_of("split", in, {{"test_fraction", 1.0}}),
                      "split: test_fraction must be > 0"));
  BOOST_TEST(
      contains(error_of("split3", in, {{"test_fraction", 0.5}, {"validation_fraction", 0.5}}),
               "split3: test_fraction must be > 0"));
  in.columns[0].ints[3] = clinflow::builtin::kMissingInt;
  BOOST_TEST(error_of("split", in, {}) == "split: patient column 'subject_id' is missing at row 4");
  in.roles.erase("patient");
  BOOST_TEST(contains(error_of("split", in, {}), "patient"));
}

BOOST_AUTO_TEST_CASE(without_a_label_there_is_no_prevalence) {
  Table in = cohort(20);
  in.roles.erase("label");
  const auto r = json_of(run("split", in, {})[2]);
  BOOST_TEST(r["parts"]["train"]["positives"].is_null());
  BOOST_TEST(r["parts"]["train"]["prevalence"].is_null());
}

BOOST_AUTO_TEST_SUITE_END()

#include "split_report.hpp"

BOOST_AUTO_TEST_SUITE(disjointness_check)

BOOST_AUTO_TEST_CASE(a_patient_in_two_parts_is_an_error_naming_counts_only) {
  Table a, b;
  a.columns = {texts("uniquepid", {"p1", "p2"})};
  b.columns = {texts("uniquepid", {"p3", "p2", "p2"})};
  const std::vector<clinflow_split::NamedPart> parts = {{"train", &a}, {"test", &b}};
  std::string message;
  try {
    clinflow_split::verify_patient_disjoint(parts, "uniquepid");
  } catch (const clinflow::StepError& e) {
    message = e.what();
  }
  BOOST_TEST(message ==
             "split: 1 patients occur in both the train and the test part; refusing a leaking "
             "split");
  b.columns = {texts("uniquepid", {"p3", "p4", "p4"})};
  BOOST_TEST(clinflow_split::verify_patient_disjoint(parts, "uniquepid") ==
                 (std::vector<std::size_t>{2, 2}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
