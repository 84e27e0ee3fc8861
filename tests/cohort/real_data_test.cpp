// THE check on real data: the MIMIC-IV demo cohort (adults, ICU stay >= 24 h, first stay per
// patient) and its in-hospital mortality, from select_cohort + label, against the same counts
// computed independently in SQL by the sqlite3 command (its own CSV import, its own date
// arithmetic). The eICU demo and Diabetes 130-US layouts get the same treatment. No number is
// typed in: both sides are computed. Skips without ../shared/data or without sqlite3.
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cohort_support.hpp"

using namespace cohort_test;
namespace fs = std::filesystem;

namespace {

const fs::path kData = fs::path(CLINFLOW_SHARED_DATA_DIR);
const fs::path kMimic = kData / "mimic-iv-demo-2.2";
const fs::path kEicuPatient = kData / "eicu-crd-demo-2.0.1" / "patient.csv.gz";
const fs::path kDiabetes = kData / "diabetes-130-us-hospitals" / "diabetic_data.csv.gz";

fs::path table_path(const std::string& name) {
  return kMimic / (name == "icustays" ? "icu" : "hosp") / (name + ".csv.gz");
}

struct HasData {
  fs::path file;
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
    boost::test_tools::assertion_result ok(true);
    if (!fs::exists(file)) {
      ok = false;
      ok.message() << "SKIP: ../shared/data absent (" << file.string() << ")";
    } else if (std::system("sqlite3 -version > /dev/null 2>&1") != 0) {
      ok = false;
      ok.message() << "SKIP: the sqlite3 command is not installed";
    }
    return ok;
  }
};

/// Runs SQL in sqlite3 after importing gzipped CSV files (table name -> file); returns the
/// counts of each output line keyed by its first field.
std::map<std::string, std::vector<long>> run_sql(const std::map<std::string, fs::path>& files,
                                                 const std::string& sql) {
  std::ostringstream script;
  for (const auto& [table, file] : files)
    script << ".import --csv '|zcat " << file.string() << "' " << table << "\n";
  script << ".mode csv\n" << sql;
  const fs::path file = fs::temp_directory_path() / ("cohort_test_" + std::to_string(getpid()));
  std::ofstream(file) << script.str();
  FILE* pipe = popen(("sqlite3 -batch :memory: < '" + file.string() + "' 2>&1").c_str(), "r");
  BOOST_TEST_REQUIRE(pipe != nullptr);
  std::string out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = pclose(pipe);
  fs::remove(file);
  BOOST_TEST_REQUIRE(WIFEXITED(status));
  BOOST_TEST_REQUIRE(WEXITSTATUS(status) == 0, out);
  std::map<std::string, std::vector<long>> counts;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string key, field;
    std::getline(fields, key, ',');
    while (std::getline(fields, field, ',')) counts[key].push_back(std::stol(field));
  }
  return counts;
}

/// The MIMIC-IV side in SQL: counts after each criterion and the labelled mortality.
std::map<std::string, std::vector<long>> mimic_sql() {
  return run_sql({{"icustays", table_path("icustays")},
                  {"patients", table_path("patients")},
                  {"admissions", table_path("admissions")}},
                 R"SQL(
CREATE TABLE j AS SELECT s.subject_id, s.stay_id, s.intime, a.dischtime,
  NULLIF(a.deathtime, '') AS deathtime, NULLIF(a.hospital_expire_flag, '') AS expire_flag,
  CAST(p.anchor_age AS INTEGER) + CAST(strftime('%Y', s.intime) AS INTEGER)
    - CAST(p.anchor_year AS INTEGER) AS age,
  round((julianday(s.outtime) - julianday(s.intime)) * 86400) / 3600.0 AS los_hours
FROM icustays s
LEFT JOIN patients p ON p.subject_id = s.subject_id
LEFT JOIN admissions a ON a.subject_id = s.subject_id AND a.hadm_id = s.hadm_id;
CREATE TABLE adults AS SELECT * FROM j WHERE age >= 18;
CREATE TABLE long_stays AS SELECT * FROM adults WHERE los_hours >= 24;
CREATE TABLE first_stays AS SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY subject_id
  ORDER BY intime, CAST(stay_id AS INTEGER)) AS n FROM long_stays) WHERE n = 1;
SELECT 'initial', count(*), count(DISTINCT subject_id) FROM j;
SELECT 'age', count(*), count(DISTINCT subject_id) FROM adults;
SELECT 'los', count(*), count(DISTINCT subject_id) FROM long_stays;
SELECT 'first', count(*), count(DISTINCT subject_id) FROM first_stays;
SELECT 'mortality', count(*), sum(CAST(expire_flag AS INTEGER)) FROM first_stays
WHERE expire_flag IS NOT NULL
  AND (CASE WHEN deathtime IS NOT NULL AND deathtime < dischtime THEN deathtime ELSE dischtime END)
      > datetime(intime, '+24 hours');
)SQL");
}

Table load(const fs::path& file) {
  return read_csv_file(file.string());
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(real_data, Steps)

BOOST_AUTO_TEST_CASE(mimic_iv_cohort_and_mortality_match_sql,
                     *boost::unit_test::precondition(HasData{table_path("icustays")})) {
  const auto sql = mimic_sql();
  for (const char* key : {"initial", "age", "los", "first", "mortality"})
    BOOST_TEST_REQUIRE(sql.count(key) == 1u, "sqlite3 gave no '" << key << "' line");

  const Params p = {
      {"layout", Symbol{"mimic_iv"}},
      {"include", List{cmp(">=", Symbol{"age"}, 18), cmp(">=", Symbol{"los_hours"}, 24)}},
      {"first_stay_per_patient", true}};
  const Outputs cohort = run(
      "select_cohort",
      {load(table_path("icustays")), load(table_path("patients")), load(table_path("admissions"))},
      p);
  const auto attrition = nlohmann::json::parse(cohort[1].bytes);
  BOOST_TEST(attrition["initial"]["rows"].get<long>() == sql.at("initial")[0]);
  BOOST_TEST(attrition["initial"]["patients"].get<long>() == sql.at("initial")[1]);
  const char* steps[] = {"age", "los", "first"};
  for (int i = 0; i < 3; ++i) {
    const auto& step = attrition["criteria"][i];
    BOOST_TEST(step["rows"].get<long>() == sql.at(steps[i])[0], steps[i]);
    BOOST_TEST(step["patients"].get<long>() == sql.at(steps[i])[1], steps[i]);
  }
  BOOST_TEST(attrition["criteria"][0]["criterion"].get<std::string>() == "age >= 18");
  BOOST_TEST(attrition["final"]["rows"].get<long>() == sql.at("first")[0]);
  BOOST_TEST(attrition["final"]["patients"].get<long>() == sql.at("first")[1]);
  // The filters must do something on this data, or the comparison proves little.
  BOOST_TEST(sql.at("first")[0] < sql.at("initial")[0]);

  const Table selected = deserialize(cohort[0].bytes, "cohort");
  const Outputs labeled =
      run("label", {selected},
          {{"outcome", Symbol{"in_hospital_death"}},
           {"prediction_time", Expr{"+", {Symbol{"intime"}, Duration{86400}}}}});
  const auto outcome = nlohmann::json::parse(labeled[1].bytes);
  const long rows = sql.at("mortality")[0], positives = sql.at("mortality")[1];
  BOOST_TEST(outcome["rows"].get<long>() == rows);
  BOOST_TEST(outcome["positives"].get<long>() == positives);
  BOOST_TEST(outcome["prevalence"].get<double>() == double(positives) / double(rows));
  BOOST_TEST(outcome["rows"].get<long>() + outcome["dropped_before_prediction"].get<long>() +
                 outcome["dropped_unknown_outcome"].get<long>() ==
             sql.at("first")[0]);
}

BOOST_AUTO_TEST_CASE(eicu_cohort_and_mortality_match_sql,
                     *boost::unit_test::precondition(HasData{kEicuPatient})) {
  const auto sql = run_sql({{"patient", kEicuPatient}}, R"SQL(
CREATE TABLE j AS SELECT CAST(patientunitstayid AS INTEGER) AS stay, uniquepid AS pid,
  CAST(NULLIF(hospitaldischargeyear, '') AS INTEGER) AS yr,
  CASE WHEN age = '> 89' THEN 90 WHEN age = '' THEN NULL ELSE CAST(age AS INTEGER) END AS age,
  NULLIF(hospitaldischargestatus, '') AS status,
  CAST(NULLIF(hospitaldischargeoffset, '') AS INTEGER) AS disch_min FROM patient;
CREATE TABLE adults AS SELECT * FROM j WHERE age >= 18;
CREATE TABLE first_stays AS SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY pid
  ORDER BY yr IS NULL, yr, stay) AS n FROM adults) WHERE n = 1;
SELECT 'initial', count(*), count(DISTINCT pid) FROM j;
SELECT 'age', count(*), count(DISTINCT pid) FROM adults;
SELECT 'first', count(*), count(DISTINCT pid) FROM first_stays;
SELECT 'mortality', count(*), sum(status = 'Expired') FROM first_stays
WHERE status IS NOT NULL AND (disch_min IS NULL OR disch_min * 60 > 86400);
)SQL");
  const Params p = {{"layout", Symbol{"eicu"}},
                    {"include", List{cmp(">=", Symbol{"age"}, 18)}},
                    {"first_stay_per_patient", true}};
  const Outputs cohort = run("select_cohort", {load(kEicuPatient)}, p);
  const auto attrition = nlohmann::json::parse(cohort[1].bytes);
  BOOST_TEST(attrition["initial"]["rows"].get<long>() == sql.at("initial")[0]);
  BOOST_TEST(attrition["initial"]["patients"].get<long>() == sql.at("initial")[1]);
  BOOST_TEST(attrition["criteria"][0]["rows"].get<long>() == sql.at("age")[0]);
  BOOST_TEST(attrition["criteria"][1]["rows"].get<long>() == sql.at("first")[0]);
  BOOST_TEST(attrition["final"]["patients"].get<long>() == sql.at("first")[1]);
  BOOST_TEST(sql.at("age")[0] < sql.at("initial")[0]);

  const Outputs labeled =
      run("label", {deserialize(cohort[0].bytes, "cohort")},
          {{"outcome", Symbol{"in_hospital_death"}}, {"prediction_time", Duration{86400}}});
  const auto outcome = nlohmann::json::parse(labeled[1].bytes);
  BOOST_TEST(outcome["rows"].get<long>() == sql.at("mortality")[0]);
  BOOST_TEST(outcome["positives"].get<long>() == sql.at("mortality")[1]);
}

BOOST_AUTO_TEST_CASE(diabetes_cohort_and_readmission_match_sql,
                     *boost::unit_test::precondition(HasData{kDiabetes})) {
  const auto sql = run_sql({{"diabetic_data", kDiabetes}}, R"SQL(
CREATE TABLE d AS SELECT CAST(encounter_id AS INTEGER) AS enc, patient_nbr AS pid, readmitted,
  CASE WHEN age IN ('', '?') THEN NULL
       ELSE CAST(substr(age, 2, instr(age, '-') - 2) AS INTEGER) END AS age FROM diabetic_data;
CREATE TABLE adults AS SELECT * FROM d WHERE age >= 18;
CREATE TABLE first_stays AS SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY pid
  ORDER BY enc) AS n FROM adults) WHERE n = 1;
SELECT 'initial', count(*), count(DISTINCT pid) FROM d;
SELECT 'age', count(*), count(DISTINCT pid) FROM adults;
SELECT 'first', count(*), count(DISTINCT pid) FROM first_stays;
SELECT 'readmitted', count(*), sum(readmitted = '<30') FROM first_stays;
)SQL");
  const Params p = {{"layout", Symbol{"diabetes_130"}},
                    {"include", List{cmp(">=", Symbol{"age"}, 18)}},
                    {"first_stay_per_patient", true}};
  const Outputs cohort = run("select_cohort", {load(kDiabetes)}, p);
  const auto attrition = nlohmann::json::parse(cohort[1].bytes);
  BOOST_TEST(attrition["initial"]["rows"].get<long>() == sql.at("initial")[0]);
  BOOST_TEST(attrition["initial"]["patients"].get<long>() == sql.at("initial")[1]);
  BOOST_TEST(attrition["criteria"][0]["rows"].get<long>() == sql.at("age")[0]);
  BOOST_TEST(attrition["criteria"][1]["rows"].get<long>() == sql.at("first")[0]);
  BOOST_TEST(sql.at("first")[0] < sql.at("age")[0]);

  const Outputs labeled =
      run("label", {deserialize(cohort[0].bytes, "cohort")},
          {{"outcome", Symbol{"expression"}}, {"where", cmp("==", Symbol{"readmitted"}, "<30")}});
  const auto outcome = nlohmann::json::parse(labeled[1].bytes);
  BOOST_TEST(outcome["rows"].get<long>() == sql.at("readmitted")[0]);
  BOOST_TEST(outcome["positives"].get<long>() == sql.at("readmitted")[1]);
}

BOOST_AUTO_TEST_SUITE_END()
