// deidentify: identifiers dropped, pseudonyms, per-patient date shifts, age caps, k-anonymity,
// and the exact report.
#include <map>
#include <set>

#include "support.hpp"

using namespace deid_split_test;
using clinflow::Duration;
using clinflow::List;
using clinflow::Params;
using clinflow::Symbol;

namespace {

/// Parameters that switch k-anonymity off, so rows stay in input order.
Params no_k(Params p = {}) {
  p["quasi_identifiers"] = List{};
  p["k"] = 1;
  return p;
}

Table admissions() {
  Table t;
  t.columns = {
      ints("subject_id", {10, 11, 10, 12}), ints("hadm_id", {100, 101, 102, 103}),
      times("admittime", {"2150-01-01 08:00:00", "2150-03-05 10:30:00", "2151-07-09 00:00:00", ""}),
      times("dischtime", {"2150-01-04 12:00:00", "2150-03-06 10:30:00", "2151-07-19 00:00:00",
                          "2150-02-02 02:02:02"})};
  t.roles = {{"patient", "subject_id"}, {"stay", "hadm_id"}};
  return t;
}

Table labs() {
  Table t;
  t.columns = {
      ints("subject_id", {12, 10, 11}),
      times("charttime", {"2150-02-02 02:02:02", "2150-01-01 08:00:00", "2150-03-05 10:30:00"})};
  t.roles = {{"patient", "subject_id"}};
  return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(deidentify)

BOOST_AUTO_TEST_CASE(safe_harbor_and_explicit_columns_are_dropped) {
  Table t;
  t.columns = {ints("subject_id", {1, 2}),       texts("Name", {"a", "b"}),
               texts("ZIP", {"1", "2"}),         texts("phone_number", {"1", "2"}),
               texts("email", {"x", "y"}),       texts("comments", {"free", "text"}),
               texts("insurance", {"M", "O"}),   ints("heart_rate", {80, 90}),
               ints("admission_type_id", {1, 2})};
  auto out = run("deidentify", t, no_k({{"drop", List{Symbol{"insurance"}}}}));
  const Table d = table_of(out[0]);
  std::vector<std::string> names;
  for (const auto& c : d.columns) names.push_back(c.name);
  BOOST_TEST(names == (std::vector<std::string>{"subject_id", "heart_rate", "admission_type_id"}),
             boost::test_tools::per_element());
  const auto report = json_of(out[1]);
  BOOST_TEST(report["dropped_columns"] ==
             nlohmann::json({"Name", "ZIP", "phone_number", "email", "comments", "insurance"}));
  // admission_type_id is a category code, not a join key: kept as it was.
  BOOST_TEST(d.column("admission_type_id").ints == (std::vector<std::int64_t>{1, 2}));
}

BOOST_AUTO_TEST_CASE(dropping_an_unknown_column_is_an_error) {
  Table t;
  t.columns = {ints("subject_id", {1})};
  BOOST_TEST(error_of("deidentify", t, no_k({{"drop", List{Symbol{"nmae"}}}})) ==
             "deidentify: `drop` names column 'nmae', which the table does not have");
}

BOOST_AUTO_TEST_CASE(pseudonyms_are_consistent_within_and_across_tables) {
  const Params p = no_k({{"shift_seed", 42}});
  const Table a = table_of(run("deidentify", admissions(), p)[0]);
  const Table b = table_of(run("deidentify", labs(), p, /*seed=*/999)[0]);
  const auto& pa = a.column("subject_id").ints;
  const auto& pb = b.column("subject_id").ints;
  BOOST_TEST(a.column("subject_id").type == ColumnType::kInt);
  BOOST_TEST(pa[0] == pa[2]);  // patient 10 twice
  BOOST_TEST(pa[0] != pa[1]);
  BOOST_TEST(pa[1] != pa[3]);
  BOOST_TEST(pb[1] == pa[0]);  // patient 10 in the other table, same shift_seed
  BOOST_TEST(pb[2] == pa[1]);
  BOOST_TEST(pb[0] == pa[3]);
  for (std::int64_t x : pa) {
    BOOST_TEST(x >= 0);
    BOOST_TEST((x != 10 && x != 11 && x != 12));
  }
  std::set<std::int64_t> stays(a.column("hadm_id").ints.begin(), a.column("hadm_id").ints.end());
  BOOST_TEST(stays.size() == 4u);
  BOOST_TEST(stays.count(100) == 0u);
  BOOST_TEST(a.roles.at("patient") == "subject_id");
  BOOST_TEST(a.roles.at("stay") == "hadm_id");
  const auto report = json_of(run("deidentify", admissions(), p)[1]);
  BOOST_TEST(report["pseudonymised"] == nlohmann::json({"subject_id", "hadm_id"}));
  // Another key gives other pseudonyms; without shift_seed the step's seed is the key.
  const Table c = table_of(run("deidentify", admissions(), no_k({{"shift_seed", 43}}))[0]);
  BOOST_TEST(c.column("subject_id").ints[0] != pa[0]);
  const Table s1 = table_of(run("deidentify", admissions(), no_k(), 1)[0]);
  const Table s2 = table_of(run("deidentify", admissions(), no_k(), 2)[0]);
  BOOST_TEST(s1.column("subject_id").ints[0] != s2.column("subject_id").ints[0]);
}

BOOST_AUTO_TEST_CASE(text_ids_hash_like_integer_ids) {
  Table as_text;
  as_text.columns = {texts("subject_id", {"10", "11"})};
  Table as_int;
  as_int.columns = {ints("subject_id", {10, 11})};
  const Params p = no_k({{"shift_seed", 5}});
  BOOST_TEST(table_of(run("deidentify", as_text, p)[0]).column("subject_id").ints ==
             table_of(run("deidentify", as_int, p)[0]).column("subject_id").ints);
}

BOOST_AUTO_TEST_CASE(dates_shift_by_one_offset_per_patient_across_tables) {
  const Params p = no_k({{"shift_seed", 42}, {"max_shift", Duration{30 * 86400}}});
  const Table in_a = admissions(), in_b = labs();
  const Table a = table_of(run("deidentify", in_a, p)[0]);
  const Table b = table_of(run("deidentify", in_b, p)[0]);
  std::map<std::int64_t, std::int64_t> offset;  // original patient -> offset seen
  auto check = [&](const Table& in, const Table& out, const std::string& col) {
    for (std::size_t r = 0; r < in.rows(); ++r) {
      const std::int64_t before = in.column(col).ints[r], after = out.column(col).ints[r];
      if (before == clinflow::builtin::kMissingInt) {
        BOOST_TEST(after == clinflow::builtin::kMissingInt);
        continue;
      }
      const std::int64_t d = after - before;
      BOOST_TEST(d % 86400 == 0);
      BOOST_TEST(std::abs(d) <= 30 * 86400);
      auto [it, fresh] = offset.emplace(in.column("subject_id").ints[r], d);
      BOOST_TEST(it->second == d, "patient offset differs in " << col << " row " << r);
      (void)fresh;
    }
  };
  check(in_a, a, "admittime");
  check(in_a, a, "dischtime");
  check(in_b, b, "charttime");
  BOOST_TEST(offset.size() == 3u);
  // Intervals within a patient are preserved.
  for (std::size_t r = 0; r < 3; ++r)
    BOOST_TEST(a.column("dischtime").ints[r] - a.column("admittime").ints[r] ==
               in_a.column("dischtime").ints[r] - in_a.column("admittime").ints[r]);
  const auto report = json_of(run("deidentify", in_a, p)[1]);
  BOOST_TEST(report["dates_shifted"] ==
             nlohmann::json({{"columns", {"admittime", "dischtime"}}, {"max_days", 30}}));
}

BOOST_AUTO_TEST_CASE(different_patients_mostly_get_different_shifts) {
  Table t;
  std::vector<std::int64_t> ids;
  std::vector<std::string> when;
  for (int i = 0; i < 200; ++i) ids.push_back(1000 + i), when.push_back("2100-06-15 12:00:00");
  t.columns = {ints("subject_id", ids), times("charttime", when)};
  const Table out = table_of(run("deidentify", t, no_k())[0]);
  std::set<std::int64_t> shifts(out.column("charttime").ints.begin(),
                                out.column("charttime").ints.end());
  BOOST_TEST(shifts.size() >= 150u);  // 200 draws from 731 days
}

BOOST_AUTO_TEST_CASE(dates_read_as_text_are_shifted_too) {
  Table t;
  t.columns = {ints("subject_id", {1, 1}), texts("dod", {"2180-05-06", ""})};
  const Table out = table_of(run("deidentify", t, no_k({{"shift_seed", 3}}))[0]);
  BOOST_TEST(out.column("dod").type == ColumnType::kTimestamp);
  BOOST_TEST(out.column("dod").ints[0] != *clinflow::builtin::parse_timestamp("2180-05-06"));
  BOOST_TEST(out.column("dod").missing(1));
}

BOOST_AUTO_TEST_CASE(shifting_without_a_patient_column_is_an_error) {
  Table t;
  t.columns = {ints("row", {1}), times("charttime", {"2100-01-01 00:00:00"})};
  BOOST_TEST(contains(error_of("deidentify", t, no_k()),
                      "deidentify: shifting dates needs a patient column"));
  const Table kept = table_of(run("deidentify", t, no_k({{"shift_dates", false}}))[0]);
  BOOST_TEST(kept.column("charttime").ints == t.column("charttime").ints);
}

BOOST_AUTO_TEST_CASE(ages_above_the_cap_become_cap_plus_one) {
  Table t;
  t.columns = {ints("age", {30, 89, 90, 95, 101, clinflow::builtin::kMissingInt})};
  auto out = run("deidentify", t, no_k({{"shift_dates", false}}));
  BOOST_TEST(table_of(out[0]).column("age").ints ==
             (std::vector<std::int64_t>{30, 89, 90, 90, 90, clinflow::builtin::kMissingInt}));
  BOOST_TEST(json_of(out[1])["ages_capped"] == 3);
  // eICU writes "> 89" in a text column: read as a number and capped.
  Table e;
  e.columns = {texts("age", {"45", "> 89", "", "92"})};
  auto eo = run("deidentify", e, no_k({{"shift_dates", false}}));
  const Table eicu_like = table_of(eo[0]);
  const Column& age = eicu_like.column("age");
  BOOST_TEST(age.type == ColumnType::kInt);
  BOOST_TEST(age.ints[0] == 45);
  BOOST_TEST(age.ints[1] == 90);
  BOOST_TEST(age.missing(2));
  BOOST_TEST(age.ints[3] == 90);
  BOOST_TEST(json_of(eo[1])["ages_capped"] == 2);
  // Already banded text ages are left alone.
  Table b;
  b.columns = {texts("age", {"[70-80)", "[90-100)"})};
  auto bo = run("deidentify", b, no_k({{"shift_dates", false}}));
  BOOST_TEST(std::string(table_of(bo[0]).column("age").text(1)) == "[90-100)");
}

/// Every class of equal quasi-identifier cells has at least k rows.
std::size_t smallest_class(const Table& t, const std::vector<std::string>& qis) {
  std::map<std::vector<std::string>, std::size_t> classes;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    std::vector<std::string> key;
    for (const auto& q : qis) key.push_back(t.column(q).format(r));
    ++classes[key];
  }
  std::size_t m = t.rows();
  for (const auto& [key, n] : classes) m = std::min(m, n);
  return m;
}

Table population() {
  // 120 people: ages 20..79 (two each), F/M alternating, three common races and one rare (2 rows).
  std::vector<std::int64_t> age, id;
  std::vector<std::string> gender, race;
  const char* races[] = {"WHITE", "BLACK", "ASIAN"};
  for (int i = 0; i < 120; ++i) {
    id.push_back(i);
    age.push_back(20 + i / 2);
    gender.push_back(i % 2 ? "M" : "F");
    race.push_back(i == 7 || i == 50 ? "PACIFIC" : races[i % 3]);
  }
  Table t;
  t.columns = {ints("subject_id", id), ints("age", age), texts("gender", gender),
               texts("race", race)};
  t.roles = {{"patient", "subject_id"}};
  return t;
}

BOOST_AUTO_TEST_CASE(k_anonymity_generalises_then_suppresses) {
  const Table in = population();
  auto out = run("deidentify", in, {{"k", 5}});
  const Table d = table_of(out[0]);
  const auto report = json_of(out[1]);
  BOOST_TEST(smallest_class(d, {"age", "gender", "race"}) >= 5u);
  BOOST_TEST(report["smallest_class"] == smallest_class(d, {"age", "gender", "race"}));
  BOOST_TEST(report["rows_in"] == 120);
  BOOST_TEST(report["rows_out"] == d.rows());
  BOOST_TEST(report["suppressed_rows"] == 120 - d.rows());
  BOOST_TEST(report["quasi_identifiers"] == nlohmann::json({"age", "gender", "race"}));
  BOOST_TEST(report["generalisation"]["race"] == "rare categories -> other");
  BOOST_TEST(report["generalisation"]["gender"] == "exact");
  // 20 people per 10-year band split over 2 genders x 3 races: ~3 per class; 20-year bands
  // give ~6-7, so the ladder ends there.
  BOOST_TEST(report["generalisation"]["age"] == "20-year bands");
  BOOST_TEST(d.column("age").type == ColumnType::kString);
  std::set<std::string> bands;
  for (std::size_t r = 0; r < d.rows(); ++r) bands.insert(std::string(d.column("age").text(r)));
  BOOST_TEST(bands == (std::set<std::string>{"20-39", "40-59", "60-79"}),
             boost::test_tools::per_element());
  // The two "PACIFIC" rows became "other" (2 < k): suppressed, and counted.
  BOOST_TEST(d.column("race").code_of("PACIFIC") == clinflow::builtin::kMissingCode);
  BOOST_TEST(report["suppressed_rows"].get<int>() >= 2);
}

BOOST_AUTO_TEST_CASE(k_anonymity_stops_at_the_first_rung_that_suffices) {
  // 10 identical rows per class already: nothing to do.
  std::vector<std::int64_t> age, id;
  std::vector<std::string> gender;
  for (int i = 0; i < 40; ++i)
    id.push_back(i), age.push_back(i < 20 ? 30 : 60), gender.push_back(i % 2 ? "M" : "F");
  Table t;
  t.columns = {ints("subject_id", id), ints("age", age), texts("gender", gender)};
  auto out = run("deidentify", t, {{"k", 10}});
  const auto report = json_of(out[1]);
  BOOST_TEST(report["generalisation"] == nlohmann::json({{"age", "exact"}, {"gender", "exact"}}));
  BOOST_TEST(report["suppressed_rows"] == 0);
  BOOST_TEST(report["smallest_class"] == 10);
  BOOST_TEST(table_of(out[0]).column("age").type == ColumnType::kInt);
}

BOOST_AUTO_TEST_CASE(capped_ages_form_an_open_band) {
  std::vector<std::int64_t> age, id;
  for (int i = 0; i < 12; ++i) id.push_back(i), age.push_back(i < 6 ? 91 + i : 86 + i % 3);
  Table t;
  t.columns = {ints("subject_id", id), ints("age", age)};
  auto out = run("deidentify", t, {{"k", 6}, {"quasi_identifiers", List{Symbol{"age"}}}});
  const Table d = table_of(out[0]);
  std::set<std::string> bands;
  for (std::size_t r = 0; r < d.rows(); ++r) bands.insert(std::string(d.column("age").text(r)));
  BOOST_TEST(bands == (std::set<std::string>{"85-89", "90+"}), boost::test_tools::per_element());
  BOOST_TEST(json_of(out[1])["ages_capped"] == 6);
}

BOOST_AUTO_TEST_CASE(an_explicit_quasi_identifier_must_exist) {
  BOOST_TEST(contains(
      error_of("deidentify", population(), {{"quasi_identifiers", List{Symbol{"ethnicity"}}}}),
      "no column 'ethnicity'"));
  // The default list skips absent columns (population() has no "insurance", default has race).
  BOOST_TEST(error_of("deidentify", population(), {}) == "");
}

BOOST_AUTO_TEST_CASE(report_is_exact_and_holds_no_values) {
  Table t;
  t.columns = {
      ints("subject_id", {1, 2, 3, 4, 5, 6}),
      texts("name", {"Ann", "Bob", "Cy", "Di", "Ed", "Flo"}), ints("age", {40, 41, 42, 43, 44, 97}),
      texts("gender", {"F", "F", "F", "F", "F", "M"}),
      times("intime", {"2100-01-01 00:00:00", "2100-01-02 00:00:00", "2100-01-03 00:00:00",
                       "2100-01-04 00:00:00", "2100-01-05 00:00:00", "2100-01-06 00:00:00"})};
  t.roles = {{"patient", "subject_id"}};
  // The one man (97, capped to 90) is alone in every rung, so the ladder runs to its end
  // and his row is suppressed.
  std::vector<std::string> log;
  auto out = run("deidentify", t,
                 {{"k", 5}, {"quasi_identifiers", List{Symbol{"age"}, Symbol{"gender"}}}}, 7, &log);
  BOOST_TEST(out[1].bytes ==
             R"({"dropped_columns":["name"],"pseudonymised":["subject_id"],)"
             R"("dates_shifted":{"columns":["intime"],"max_days":365},"ages_capped":1,"k":5,)"
             R"("quasi_identifiers":["age","gender"],)"
             R"("generalisation":{"age":"20-year bands","gender":"rare categories -> other"},)"
             R"("suppressed_rows":1,"smallest_class":5,"rows_in":6,"rows_out":5})");
  for (const std::string& line : log)
    for (const char* value : {"Ann", "Flo", "97", "2100"}) BOOST_TEST(!contains(line, value));
}

BOOST_AUTO_TEST_CASE(max_suppression_stops_the_climb_for_a_few_outliers) {
  // Five women aged 40-44 and one man aged 97: by default the lone man drives age up to
  // 20-year bands; allowing 1 row in 6 to be suppressed stops at 5-year bands.
  Table t;
  t.columns = {ints("subject_id", {1, 2, 3, 4, 5, 6}), ints("age", {40, 41, 42, 43, 44, 97}),
               texts("gender", {"F", "F", "F", "F", "F", "M"})};
  const Params base = {{"k", 5}, {"quasi_identifiers", List{Symbol{"age"}, Symbol{"gender"}}}};
  BOOST_TEST(json_of(run("deidentify", t, base)[1])["generalisation"]["age"] == "20-year bands");
  Params lenient = base;
  lenient["max_suppression"] = 0.2;
  auto out = run("deidentify", t, lenient);
  const auto report = json_of(out[1]);
  BOOST_TEST(report["generalisation"]["age"] == "5-year bands");
  BOOST_TEST(report["suppressed_rows"] == 1);
  BOOST_TEST(report["smallest_class"] == 5);
  BOOST_TEST(std::string(table_of(out[0]).column("age").text(0)) == "40-44");
}

BOOST_AUTO_TEST_CASE(same_inputs_give_identical_bytes) {
  const auto a = run("deidentify", population(), {{"k", 5}}, 11);
  const auto b = run("deidentify", population(), {{"k", 5}}, 11);
  BOOST_TEST(a[0].bytes == b[0].bytes);
  BOOST_TEST(a[1].bytes == b[1].bytes);
}

BOOST_AUTO_TEST_SUITE_END()
