// On the real eICU demo (../shared/data; skipped when absent): the patient table split by
// hospital has no hospital and no patient in two parts, and deidentify caps its "> 89" ages
// and reaches k-anonymity.
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "csv.hpp"
#include "csv_reader.hpp"
#include "support.hpp"

using namespace deid_split_test;
using clinflow::List;
using clinflow::Symbol;

namespace {

/// The data folder: $CLINFLOW_TEST_DATA_DIR when set (to test the skip), else ../shared/data.
std::string data_dir() {
  const char* env = std::getenv("CLINFLOW_TEST_DATA_DIR");
  return env ? env : CLINFLOW_SHARED_DATA_DIR;
}

const std::string kPatients = data_dir() + "/eicu-crd-demo-2.0.1/patient.csv.gz";

bool have_data() {
  if (std::filesystem::exists(kPatients)) return true;
  BOOST_TEST_MESSAGE("SKIP: ../shared/data absent (" << kPatients << ")");
  return false;
}

/// patient.csv.gz (read as read_table reads it) with the label "Expired" -> 1.
Table eicu_patients() {
  Table t = clinflow::builtin::read_csv_file(kPatients);
  Column& label = t.add("died", ColumnType::kInt);
  const Column& status = t.column("hospitaldischargestatus");
  for (std::size_t r = 0; r < status.size(); ++r) label.push_int(status.text(r) == "Expired");
  t.roles = {{"patient", "uniquepid"},
             {"stay", "patientunitstayid"},
             {"group", "hospitalid"},
             {"label", "died"}};
  return t;
}

std::set<std::string> texts_of(const Table& t, const std::string& column) {
  std::set<std::string> out;
  for (std::size_t r = 0; r < t.rows(); ++r) out.insert(t.column(column).format(r));
  return out;
}

bool disjoint(const std::set<std::string>& a, const std::set<std::string>& b) {
  for (const auto& x : a)
    if (b.count(x)) return false;
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(eicu, *boost::unit_test::label("data"))

BOOST_AUTO_TEST_CASE(split_by_hospital_shares_no_hospital_and_no_patient) {
  if (!have_data()) return;
  const Table in = eicu_patients();
  BOOST_TEST(in.rows() == 2520u);
  auto out = run("split", in, {{"by", Symbol{"group"}}, {"seed", 20240417}});
  const Table train = table_of(out[0]), test = table_of(out[1]);
  BOOST_TEST(disjoint(texts_of(train, "hospitalid"), texts_of(test, "hospitalid")));
  BOOST_TEST(disjoint(texts_of(train, "uniquepid"), texts_of(test, "uniquepid")));
  const auto report = json_of(out[2]);
  BOOST_TEST(train.rows() + test.rows() + report["removed_for_disjointness"].get<std::size_t>() ==
             in.rows());
  BOOST_TEST(double(test.rows()) / double(in.rows()) > 0.15);
  BOOST_TEST(double(test.rows()) / double(in.rows()) < 0.35);
}

BOOST_AUTO_TEST_CASE(deidentify_caps_ages_and_reaches_k) {
  if (!have_data()) return;
  const Table in = eicu_patients();
  auto out = run("deidentify", in,
                 {{"quasi_identifiers", List{Symbol{"age"}, Symbol{"gender"}, Symbol{"ethnicity"}}},
                  {"k", 5}});
  const Table d = table_of(out[0]);
  const auto report = json_of(out[1]);
  BOOST_TEST(report["ages_capped"] == 98);  // the "> 89" stays (SOURCES.md)
  std::map<std::vector<std::string>, std::size_t> classes;
  for (std::size_t r = 0; r < d.rows(); ++r)
    ++classes[{d.column("age").format(r), d.column("gender").format(r),
               d.column("ethnicity").format(r)}];
  for (const auto& [key, n] : classes) BOOST_TEST(n >= 5u);
  BOOST_TEST(report["rows_out"] == d.rows());
  BOOST_TEST(report["pseudonymised"] ==
             nlohmann::json({"patientunitstayid", "patienthealthsystemstayid", "uniquepid"}));
  BOOST_TEST(d.column("uniquepid").type == ColumnType::kInt);
  BOOST_TEST(texts_of(d, "uniquepid").size() > 1000u);  // 1,841 patients, minus suppressed
}

BOOST_AUTO_TEST_SUITE_END()
