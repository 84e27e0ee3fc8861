// label on hand-made cohorts: every outcome, prediction times, drops and the metrics output.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "cohort_support.hpp"

using namespace cohort_test;

namespace {

const Value kDay1 = Expr{"+", {Symbol{"intime"}, Duration{86400}}};  // intime + 24h

Table with_patient_role(Table t, const std::string& column) {
  t.roles["patient"] = column;
  return t;
}

struct Labeled {
  Table table;
  nlohmann::json metrics;
  std::string metrics_text;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(label_step, Steps)

Labeled labeled(Steps& s, const std::vector<Table>& in, const Params& p) {
  const Outputs out = s.run("label", in, p);
  return {deserialize(out[0].bytes, "labeled"), nlohmann::json::parse(out[1].bytes), out[1].bytes};
}

BOOST_AUTO_TEST_CASE(in_hospital_death_mimic_drops_what_is_known_at_prediction_time) {
  const Table cohort = table_from_csv(
      "stay_id,intime,dischtime,deathtime,hospital_expire_flag\n"
      "1,2150-01-01 00:00:00,2150-01-03 00:00:00,,0\n"                     // kept, 0
      "2,2150-01-01 00:00:00,2150-01-04 00:00:00,2150-01-04 00:00:00,1\n"  // kept, 1
      "3,2150-01-01 00:00:00,2150-01-01 10:00:00,2150-01-01 10:00:00,1\n"  // died before
      "4,2150-01-01 00:00:00,2150-01-01 20:00:00,,0\n"                     // discharged before
      "5,2150-01-01 00:00:00,2150-01-05 00:00:00,,\n");                    // unknown
  const Labeled l = labeled(*this, {cohort},
                            {{"outcome", Symbol{"in_hospital_death"}}, {"prediction_time", kDay1}});
  BOOST_TEST(cells(l.table, "stay_id") == (std::vector<std::string>{"1", "2"}));
  BOOST_TEST(cells(l.table, "label") == (std::vector<std::string>{"0", "1"}));
  BOOST_TEST(cells(l.table, "prediction_time")[0] == "2150-01-02 00:00:00");
  BOOST_TEST(l.table.roles.at("label") == "label");
  BOOST_TEST(l.table.roles.at("prediction_time") == "prediction_time");
  BOOST_TEST(l.metrics_text ==
             R"({"rows":2,"positives":1,"prevalence":0.5,"dropped_before_prediction":2,)"
             R"("dropped_unknown_outcome":1})");
}

BOOST_AUTO_TEST_CASE(in_hospital_death_eicu_counts_from_unit_admission) {
  const Table cohort = table_from_csv(
      "patientunitstayid,intime,hospitaldischargestatus,hospitaldischargeoffset\n"
      "1,1970-01-01 00:00:00,Expired,2000\n"  // 33 h: after 24 h, positive
      "2,1970-01-01 00:00:00,Alive,100\n"     // discharged after 100 min: dropped
      "3,1970-01-01 00:00:00,,3000\n"         // unknown status: dropped and counted
      "4,1970-01-01 00:00:00,Alive,5000\n");
  const Labeled l =
      labeled(*this, {cohort},
              {{"outcome", Symbol{"in_hospital_death"}}, {"prediction_time", Duration{86400}}});
  BOOST_TEST(cells(l.table, "patientunitstayid") == (std::vector<std::string>{"1", "4"}));
  BOOST_TEST(cells(l.table, "label") == (std::vector<std::string>{"1", "0"}));
  BOOST_TEST(l.table.column("prediction_time").ints[0] == 86400);
  BOOST_TEST(l.metrics["dropped_before_prediction"].get<int>() == 1);
  BOOST_TEST(l.metrics["dropped_unknown_outcome"].get<int>() == 1);
}

BOOST_AUTO_TEST_CASE(death_within_uses_deathtime_then_dod) {
  const Table cohort = table_from_csv(
      "stay_id,intime,deathtime,dod\n"
      "1,2150-01-01 00:00:00,2150-01-12 00:00:00,2150-01-12\n"  // 10 days after pt: 1
      "2,2150-01-01 00:00:00,,2150-02-11\n"                     // 40 days after pt: 0
      "3,2150-01-01 00:00:00,,\n"                               // alive: 0
      "4,2150-01-01 00:00:00,2150-01-01 06:00:00,2150-01-01\n"  // died before pt: dropped
      "5,2150-01-01 00:00:00,,2150-01-31\n");                   // 29 days after pt: 1
  const Labeled l = labeled(*this, {cohort},
                            {{"outcome", Symbol{"death_within"}},
                             {"prediction_time", kDay1},
                             {"horizon", Duration{30 * 86400}}});
  BOOST_TEST(cells(l.table, "stay_id") == (std::vector<std::string>{"1", "2", "3", "5"}));
  BOOST_TEST(cells(l.table, "label") == (std::vector<std::string>{"1", "0", "0", "1"}));
  BOOST_TEST(l.metrics["positives"].get<int>() == 2);
}

BOOST_AUTO_TEST_CASE(readmission_within_finds_the_next_admission) {
  const Table cohort =
      with_patient_role(table_from_csv("subject_id,hadm_id,intime,dischtime\n"
                                       "1,10,2150-01-01 00:00:00,2150-01-10 00:00:00\n"
                                       "2,20,2150-01-01 00:00:00,2150-01-10 00:00:00\n"
                                       "3,30,2150-01-01 00:00:00,2150-01-10 00:00:00\n"
                                       "4,40,2150-01-01 00:00:00,\n"),
                        "subject_id");
  const Table admissions = table_from_csv(
      "subject_id,hadm_id,admittime\n"
      "1,9,2149-12-01 00:00:00\n"  // an earlier admission does not count
      "1,10,2150-01-01 00:00:00\n"
      "1,12,2150-03-01 00:00:00\n"
      "1,11,2150-01-25 00:00:00\n"  // 15 days after discharge: readmitted
      "2,20,2150-01-01 00:00:00\n"
      "2,21,2150-02-10 00:00:00\n"  // 31 days: not within 30d
      "3,30,2150-01-01 00:00:00\n");
  const Params p = {{"outcome", Symbol{"readmission_within"}},
                    {"prediction_time", kDay1},
                    {"horizon", Duration{30 * 86400}}};
  const Labeled l = labeled(*this, {cohort, admissions}, p);
  BOOST_TEST(cells(l.table, "subject_id") == (std::vector<std::string>{"1", "2", "3"}));
  BOOST_TEST(cells(l.table, "label") == (std::vector<std::string>{"1", "0", "0"}));
  BOOST_TEST(l.metrics["dropped_unknown_outcome"].get<int>() == 1);  // no discharge time
  BOOST_TEST(error_of("label", {cohort}, p).find("needs a second input") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(los_over_compares_hours_with_the_horizon) {
  const Table cohort = table_from_csv(
      "stay_id,intime,los_hours\n"
      "1,2150-01-01 00:00:00,30\n"
      "2,2150-01-01 00:00:00,72.5\n"
      "3,2150-01-01 00:00:00,\n"
      "4,2150-01-01 00:00:00,10\n");  // the stay ended before 24 h: dropped
  const Labeled l = labeled(*this, {cohort},
                            {{"outcome", Symbol{"los_over"}},
                             {"prediction_time", kDay1},
                             {"horizon", Duration{48 * 3600}}});
  BOOST_TEST(cells(l.table, "stay_id") == (std::vector<std::string>{"1", "2"}));
  BOOST_TEST(cells(l.table, "label") == (std::vector<std::string>{"0", "1"}));
  BOOST_TEST(l.metrics["dropped_before_prediction"].get<int>() == 1);
  BOOST_TEST(l.metrics["dropped_unknown_outcome"].get<int>() == 1);
}

BOOST_AUTO_TEST_CASE(expression_outcome_labels_a_condition) {
  const Table cohort = table_from_csv("encounter_id,readmitted\n1,<30\n2,NO\n3,>30\n4,<30\n");
  const Labeled l = labeled(
      *this, {cohort},
      {{"outcome", Symbol{"expression"}}, {"where", cmp("==", Symbol{"readmitted"}, "<30")}});
  BOOST_TEST(cells(l.table, "label") == (std::vector<std::string>{"1", "0", "0", "1"}));
  BOOST_TEST(cells(l.table, "prediction_time") == (std::vector<std::string>{"", "", "", ""}));
  BOOST_TEST(l.metrics["prevalence"].get<double>() == 0.5);
}

BOOST_AUTO_TEST_CASE(parameter_errors_are_clear) {
  const Table cohort = table_from_csv("stay_id,intime,los_hours\n1,2150-01-01 00:00:00,30\n");
  BOOST_TEST(error_of("label", {cohort}, {{"outcome", Symbol{"los_over"}}}) ==
             "label: outcome los_over needs `horizon:`, e.g. 30d");
  BOOST_TEST(error_of("label", {cohort},
                      {{"outcome", Symbol{"in_hospital_death"}},
                       {"prediction_time", Symbol{"los_hours"}}}) ==
             "label: prediction_time `los_hours` gives integer, not a timestamp (e.g. `intime + "
             "24h`)");
  const Table no_time = table_from_csv("encounter_id,readmitted\n1,NO\n");
  BOOST_TEST(error_of("label", {no_time},
                      {{"outcome", Symbol{"expression"}},
                       {"where", cmp("==", Symbol{"readmitted"}, "<30")},
                       {"prediction_time", Duration{3600}}})
                 .find("no timestamp admit time") != std::string::npos);
  BOOST_TEST(error_of("label", {cohort}, {{"outcome", Symbol{"in_hospital_death"}}})
                 .find("needs column 'hospital_expire_flag'") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
