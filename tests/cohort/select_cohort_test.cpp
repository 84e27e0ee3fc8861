// select_cohort on hand-made tables: joins, layouts, criteria, first stay, the attrition JSON.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "cohort_support.hpp"

using namespace cohort_test;

namespace {

// Stays of three patients; patient 3 has no row in kPatients.
const Table kStays = table_from_csv(
    "subject_id,hadm_id,stay_id,intime,outtime\n"
    "1,10,100,2150-03-01 00:00:00,2150-03-03 00:00:00\n"
    "2,20,200,2160-06-01 00:00:00,2160-06-01 12:00:00\n"
    "1,11,101,2150-01-01 00:00:00,2150-01-04 00:00:00\n"
    "3,30,300,2170-01-01 00:00:00,2170-01-05 00:00:00\n"
    "2,21,201,2161-01-01 00:00:00,2161-01-03 00:00:00\n");
const Table kPatients = table_from_csv(
    "subject_id,gender,anchor_age,anchor_year\n1,F,40,2148\n2,M,17,2160\n4,F,50,2100\n");
const Table kAdmissions = table_from_csv(
    "subject_id,hadm_id,hospital_expire_flag\n1,10,0\n1,11,1\n2,20,0\n2,21,0\n3,30,\n");

Params mimic(List include = {}, bool first_stay = false) {
  return {{"layout", Symbol{"mimic_iv"}},
          {"include", std::move(include)},
          {"first_stay_per_patient", first_stay}};
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(select_cohort, Steps)

BOOST_AUTO_TEST_CASE(left_joins_keep_base_order_and_derive_mimic_columns) {
  const Outputs out = run("select_cohort", {kStays, kPatients, kAdmissions}, mimic());
  const Table t = deserialize(out[0].bytes, "cohort");
  BOOST_TEST(cells(t, "stay_id") == (std::vector<std::string>{"100", "200", "101", "300", "201"}));
  BOOST_TEST(cells(t, "gender") == (std::vector<std::string>{"F", "M", "F", "", "M"}));
  BOOST_TEST(cells(t, "hospital_expire_flag") ==
             (std::vector<std::string>{"0", "0", "1", "", "0"}));
  // age = anchor_age + year(intime) - anchor_year: 40 + 2150 - 2148, 17 + 2160 - 2160, ...
  BOOST_TEST(cells(t, "age") == (std::vector<std::string>{"42", "17", "42", "", "18"}));
  BOOST_TEST(cells(t, "los_hours") == (std::vector<std::string>{"48", "12", "72", "96", "48"}));
  BOOST_TEST(t.roles.at("patient") == "subject_id");
  BOOST_TEST(t.roles.at("stay") == "stay_id");
  BOOST_TEST(t.roles.at("admit_time") == "intime");
}

BOOST_AUTO_TEST_CASE(a_duplicate_key_in_a_joined_table_is_an_error) {
  const Table twice = table_from_csv("subject_id,gender\n1,F\n2,M\n1,F\n");
  BOOST_TEST(error_of("select_cohort", {kStays, twice}, mimic()) ==
             "select_cohort: input 2 has two rows (data rows 1 and 3) with the same key "
             "(subject_id); a joined table must hold at most one row per key");
  const Table text_key = table_from_csv("subject_id,gender\nA,F\n");
  BOOST_TEST(error_of("select_cohort", {kStays, text_key}, mimic()) ==
             "select_cohort: input 2: key column 'subject_id' is string but integer in the "
             "inputs before it");
  const Table unrelated = table_from_csv("x,y\n1,2\n");
  BOOST_TEST(error_of("select_cohort", {kStays, unrelated}, mimic()) ==
             "select_cohort: input 2 shares none of the join keys [subject_id, hadm_id] with the "
             "inputs before it; set `keys:` to the columns that link them");
}

BOOST_AUTO_TEST_CASE(criteria_apply_in_order_and_attrition_is_exact) {
  Params p = mimic({cmp(">=", Symbol{"age"}, 18), cmp(">=", Symbol{"los_hours"}, 24)}, true);
  p["exclude"] = List{cmp("==", Symbol{"hospital_expire_flag"}, 1)};
  const Outputs out = run("select_cohort", {kStays, kPatients, kAdmissions}, p);
  const Table t = deserialize(out[0].bytes, "cohort");
  // age >= 18 drops 200 (17) and 300 (missing); los >= 24 keeps all; the exclusion drops 101;
  // first stay: patient 1 keeps 100, patient 2 keeps 201.
  BOOST_TEST(cells(t, "stay_id") == (std::vector<std::string>{"100", "201"}));
  BOOST_TEST(out[1].type == "metrics");
  BOOST_TEST(
      out[1].bytes ==
      R"({"initial":{"rows":5,"patients":3},"criteria":[)"
      R"({"criterion":"age >= 18","kind":"include","rows":3,"patients":2,"excluded":2},)"
      R"({"criterion":"los_hours >= 24","kind":"include","rows":3,"patients":2,"excluded":0},)"
      R"({"criterion":"hospital_expire_flag == 1","kind":"exclude","rows":2,"patients":2,"excluded":1},)"
      R"({"criterion":"first_stay_per_patient","kind":"first_stay_per_patient","rows":2,"patients":2,"excluded":0}],)"
      R"("final":{"rows":2,"patients":2}})");
}

BOOST_AUTO_TEST_CASE(first_stay_ties_go_to_the_smallest_stay_id) {
  const Table stays = table_from_csv(
      "pid,sid,t\n"
      "a,9,2000-01-02 00:00:00\n"
      "a,7,2000-01-02 00:00:00\n"
      "a,5,2000-01-03 00:00:00\n"
      "b,4,\n"
      "b,8,2000-05-01 00:00:00\n"
      ",1,1999-01-01 00:00:00\n");
  const Params p = {{"patient", Symbol{"pid"}},
                    {"stay", Symbol{"sid"}},
                    {"admit_time", Symbol{"t"}},
                    {"first_stay_per_patient", true}};
  const Table t = deserialize(run("select_cohort", {stays}, p)[0].bytes, "cohort");
  // a: 9 and 7 tie on time, 7 wins; b: a missing admit time sorts last; no patient: dropped.
  BOOST_TEST(cells(t, "sid") == (std::vector<std::string>{"7", "8"}));
  const auto j = nlohmann::json::parse(run("select_cohort", {stays}, p)[1].bytes);
  BOOST_TEST(j["initial"]["patients"].get<int>() == 2);
  BOOST_TEST(j["criteria"][0]["excluded"].get<int>() == 4);
}

BOOST_AUTO_TEST_CASE(eicu_and_diabetes_layouts_derive_numeric_age) {
  const Table eicu = table_from_csv(
      "patientunitstayid,uniquepid,hospitalid,age,unitdischargeoffset,hospitaldischargeyear\n"
      "1,p1,7,> 89,90,2014\n2,p2,7,,600,2015\n3,p3,8,45,1440,2014\n");
  const Table e =
      deserialize(run("select_cohort", {eicu}, {{"layout", Symbol{"eicu"}}})[0].bytes, "cohort");
  BOOST_TEST(cells(e, "age") == (std::vector<std::string>{"90", "", "45"}));
  BOOST_TEST(cells(e, "los_hours") == (std::vector<std::string>{"1.5", "10", "24"}));
  BOOST_TEST(cells(e, "intime")[0] == "1970-01-01 00:00:00");
  BOOST_TEST(e.roles.at("group") == "hospitalid");

  const Table diabetes = table_from_csv(
      "encounter_id,patient_nbr,age,time_in_hospital,readmitted\n"
      "12,1,[70-80),3,NO\n10,1,[0-10),1,<30\n11,2,?,2,>30\n");
  const Params p = {{"layout", Symbol{"diabetes_130"}},
                    {"include", List{cmp(">=", Symbol{"age"}, 18)}},
                    {"first_stay_per_patient", true}};
  const Table d = deserialize(run("select_cohort", {diabetes}, p)[0].bytes, "cohort");
  BOOST_TEST(cells(d, "encounter_id") == (std::vector<std::string>{"12"}));
  BOOST_TEST(cells(d, "los_hours") == (std::vector<std::string>{"72"}));
  const Table bad = table_from_csv("encounter_id,patient_nbr,age,time_in_hospital\n1,1,old,2\n");
  BOOST_TEST(error_of("select_cohort", {bad}, {{"layout", Symbol{"diabetes_130"}}}) ==
             "select_cohort: layout diabetes_130: column 'age' data row 1 is not an age the "
             "layout understands");
}

BOOST_AUTO_TEST_CASE(missing_roles_and_bad_criteria_are_clear_errors) {
  BOOST_TEST(error_of("select_cohort", {kStays}, {}) ==
             "select_cohort: the input table has no patient column (set by select_cohort's "
             "layout or its `patient:` parameter, or by label)");
  BOOST_TEST(
      error_of("select_cohort", {kStays, kPatients}, mimic({cmp("==", Symbol{"gender"}, 1)})) ==
      "select_cohort: cannot compare text (column 'gender') with integer in "
      "`gender == 1`");
  BOOST_TEST(error_of("select_cohort", {kStays}, mimic()).find("no column 'anchor_age'") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(output_bytes_are_deterministic) {
  const Params p = mimic({cmp(">=", Symbol{"age"}, 18)}, true);
  const Outputs a = run("select_cohort", {kStays, kPatients, kAdmissions}, p);
  const Outputs b = run("select_cohort", {kStays, kPatients, kAdmissions}, p);
  BOOST_TEST(a[0].bytes == b[0].bytes);
  BOOST_TEST(a[1].bytes == b[1].bytes);
}

BOOST_AUTO_TEST_SUITE_END()
