// The staged real datasets (../shared/data); each case skips when the data is absent.
#include <filesystem>
#include <iostream>

#include "support.hpp"

using namespace read_table_test;

namespace {

/// The staged file's path, or "" (and a SKIP line) when it is absent.
std::string staged(const std::string& relative) {
  const std::string path = std::string(CLINFLOW_SHARED_DATA) + "/" + relative;
  if (std::filesystem::exists(path)) return path;
  std::cout << "SKIP: ../shared/data absent (" << relative << ")\n";
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(real_data)

BOOST_AUTO_TEST_CASE(diabetes_130_us) {
  const std::string path = staged("diabetes-130-us-hospitals/diabetic_data.csv.gz");
  if (path.empty()) return;
  CsvOptions o;
  o.missing = {"?"};
  const Table t = clinflow::builtin::read_csv_file(path, o);
  BOOST_TEST(t.rows() == 101766u);
  BOOST_TEST(t.columns.size() == 50u);
  BOOST_TEST(t.column("encounter_id").type == ColumnType::kInt);
  BOOST_TEST(t.column("race").type == ColumnType::kString);
  std::size_t unknown_race = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) unknown_race += t.column("race").missing(r);
  BOOST_TEST(unknown_race == 2273u);  // '?' in SOURCES.md
  BOOST_TEST(t.column("readmitted").dict.size() == 3u);
}

BOOST_AUTO_TEST_CASE(mimic_iv_labevents) {
  const std::string path = staged("mimic-iv-demo-2.2/hosp/labevents.csv.gz");
  if (path.empty()) return;
  const Table t = clinflow::builtin::read_csv_file(path);
  BOOST_TEST(t.rows() == 107727u);
  BOOST_TEST(t.column("charttime").type == ColumnType::kTimestamp);
  BOOST_TEST(t.column("subject_id").type == ColumnType::kInt);
  CsvOptions o;
  o.columns = {"subject_id", "itemid", "valuenum"};
  const Table narrow = clinflow::builtin::read_csv_file(path, o);
  BOOST_TEST(narrow.columns.size() == 3u);
  BOOST_TEST(narrow.rows() == 107727u);
}

BOOST_AUTO_TEST_CASE(eicu_patient_age_as_string) {
  const std::string path = staged("eicu-crd-demo-2.0.1/patient.csv.gz");
  if (path.empty()) return;
  CsvOptions o;
  o.types = {{"age", CellKind::kString}, {"hospitaladmitoffset", CellKind::kMinutes}};
  const Table t = clinflow::builtin::read_csv_file(path, o);
  BOOST_TEST(t.rows() == 2520u);
  BOOST_TEST(t.column("age").type == ColumnType::kString);
  BOOST_TEST(t.column("age").code_of("> 89") >= 0);
  BOOST_TEST(t.column("hospitaladmitoffset").type == ColumnType::kTimestamp);
}

BOOST_AUTO_TEST_SUITE_END()
