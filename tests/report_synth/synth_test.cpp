// `clinflow synth`: reproducible bytes, the MIMIC-IV demo layout, realistic shapes, the planted
// mortality signal and a README that says the data is synthetic.
#include "synth.hpp"

#include <zlib.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "synth_text.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace clinflow::cli::synth;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string gunzip(const fs::path& path) {
  gzFile f = gzopen(path.string().c_str(), "rb");
  BOOST_REQUIRE(f != nullptr);
  std::string out;
  char buf[1 << 15];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, std::size_t(n));
  gzclose(f);
  return out;
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

/// Rows of simple CSV text (the synthetic tables hold no quoted fields), header skipped.
std::vector<std::vector<std::string>> rows_of(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
      fields.push_back(line.substr(start, comma - start));
    fields.push_back(line.substr(start));
    rows.push_back(std::move(fields));
  }
  return rows;
}

std::int64_t seconds(const std::string& ts) {  // "YYYY-MM-DD HH:MM:SS"
  return days_from_civil(std::stoll(ts.substr(0, 4)), unsigned(std::stoi(ts.substr(5, 2))),
                         unsigned(std::stoi(ts.substr(8, 2)))) *
             86400 +
         std::stoll(ts.substr(11, 2)) * 3600 + std::stoll(ts.substr(14, 2)) * 60 +
         std::stoll(ts.substr(17, 2));
}

// The demo's header lines, written out here so a change in synth_files() cannot pass unseen.
const std::map<std::string, std::string> kExpectedHeaders = {
    {"hosp/patients.csv.gz", "subject_id,gender,anchor_age,anchor_year,anchor_year_group,dod"},
    {"hosp/admissions.csv.gz",
     "subject_id,hadm_id,admittime,dischtime,deathtime,admission_type,admit_provider_id,"
     "admission_location,discharge_location,insurance,language,marital_status,race,edregtime,"
     "edouttime,hospital_expire_flag"},
    {"icu/icustays.csv.gz",
     "subject_id,hadm_id,stay_id,first_careunit,last_careunit,intime,outtime,los"},
    {"hosp/labevents.csv.gz",
     "labevent_id,subject_id,hadm_id,specimen_id,itemid,order_provider_id,charttime,storetime,"
     "value,valuenum,valueuom,ref_range_lower,ref_range_upper,flag,priority,comments"},
    {"hosp/d_labitems.csv.gz", "itemid,label,fluid,category"},
};

const std::vector<std::string> kAllFiles = {"hosp/patients.csv.gz",   "hosp/admissions.csv.gz",
                                            "icu/icustays.csv.gz",    "hosp/labevents.csv.gz",
                                            "hosp/d_labitems.csv.gz", "README.txt"};

SynthOptions options(std::int64_t patients, std::uint64_t seed) {
  SynthOptions o;
  o.patients = patients;
  o.seed = seed;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(synth)

BOOST_AUTO_TEST_CASE(same_options_give_identical_bytes_other_seed_differs) {
  clinflow_test::TempDir a, b, c;
  write_synthetic_mimic(a.path().string(), options(300, 5));
  write_synthetic_mimic(b.path().string(), options(300, 5));
  write_synthetic_mimic(c.path().string(), options(300, 6));
  for (const auto& file : kAllFiles) {
    BOOST_TEST_INFO("file " << file);
    BOOST_TEST(fs::exists(a.path() / file));
    BOOST_TEST((slurp(a.path() / file) == slurp(b.path() / file)));
  }
  BOOST_TEST(
      (slurp(a.path() / "hosp/labevents.csv.gz") != slurp(c.path() / "hosp/labevents.csv.gz")));
  for (const auto& entry : fs::recursive_directory_iterator(a.path()))  // no temporaries left
    BOOST_TEST(entry.path().extension() != ".tmp", entry.path());
}

BOOST_AUTO_TEST_CASE(gzip_is_reproducible_and_round_trips) {
  const std::string text = "a,b\n1,2\n";
  const std::string gz = gzip_deterministic(text);
  BOOST_REQUIRE(gz.size() > 10);
  BOOST_TEST(std::uint8_t(gz[0]) == 0x1f);
  BOOST_TEST(std::uint8_t(gz[1]) == 0x8b);
  BOOST_TEST((gz.substr(4, 4) == std::string(4, '\0')));  // mtime 0
  clinflow_test::TempDir dir;
  std::ofstream(dir.path() / "x.gz", std::ios::binary) << gz;
  BOOST_TEST(gunzip(dir.path() / "x.gz") == text);
}

BOOST_AUTO_TEST_CASE(headers_match_the_demo_layout) {
  clinflow_test::TempDir dir;
  write_synthetic_mimic(dir.path().string(), options(20, 1));
  for (const auto& [file, header] : kExpectedHeaders) {
    BOOST_TEST_INFO("file " << file);
    BOOST_TEST(first_line(gunzip(dir.path() / file)) == header);
  }
  const fs::path demo = fs::path(CLINFLOW_SHARED_DATA_DIR) / "mimic-iv-demo-2.2";
  if (!fs::exists(demo)) {
    std::cout << "SKIP: ../shared/data absent: synth headers not compared with the real demo\n";
    return;
  }
  for (const auto& [file, header] : kExpectedHeaders) {
    BOOST_TEST_INFO("file " << file);
    BOOST_TEST(first_line(gunzip(demo / file)) == first_line(gunzip(dir.path() / file)));
  }
}

BOOST_AUTO_TEST_CASE(readme_says_synthetic) {
  clinflow_test::TempDir dir;
  write_synthetic_mimic(dir.path().string(), options(10, 1));
  const std::string readme = slurp(dir.path() / "README.txt");
  BOOST_TEST(readme.rfind("*** SYNTHETIC DATA - NOT REAL PATIENTS ***\n", 0) == 0u);
  BOOST_TEST(readme.find("clinflow synth") != std::string::npos);
  BOOST_TEST(readme.find("PLANTED SIGNAL") != std::string::npos);
  BOOST_TEST(readme.find("hospital_expire_flag") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(shapes_are_realistic) {
  const SynthTables t = generate_synthetic_mimic(options(1000, 1));
  const auto patients = rows_of(t.patients), admissions = rows_of(t.admissions),
             stays = rows_of(t.icustays);
  BOOST_TEST(patients.size() == 1000u);
  BOOST_TEST(t.summary.admissions == std::int64_t(admissions.size()));
  const double per_patient = double(admissions.size()) / double(patients.size());
  BOOST_TEST((per_patient > 1.15 && per_patient < 1.45), per_patient);
  std::map<std::string, int> stays_per_admission;
  for (const auto& s : stays) ++stays_per_admission[s[1]];
  const double per_icu_admission = double(stays.size()) / double(stays_per_admission.size());
  BOOST_TEST((per_icu_admission > 1.25 && per_icu_admission < 1.55), per_icu_admission);
  BOOST_TEST(stays_per_admission.size() < admissions.size());  // a subset only
  for (const auto& p : patients) {
    const int age = std::stoi(p[2]), year = std::stoi(p[3]);
    BOOST_TEST((age >= 18 && age <= 91));
    BOOST_TEST((year >= 2110 && year <= 2210));
  }
  for (const auto& a : admissions) {
    const double los_days = double(seconds(a[3]) - seconds(a[2])) / 86400.0;
    BOOST_TEST((los_days >= 0.5 && los_days <= 20.0), los_days);
    BOOST_TEST((a[15] == "1") == !a[4].empty());  // deathtime exactly when expired
  }
  BOOST_TEST(t.summary.labevents > 20 * t.summary.admissions);
}

BOOST_AUTO_TEST_CASE(labs_include_mixed_units_missingness_and_late_events) {
  const SynthTables t = generate_synthetic_mimic(options(300, 2));
  std::map<std::string, std::int64_t> admit;
  for (const auto& a : rows_of(t.admissions)) admit[a[1]] = seconds(a[2]);
  std::map<std::string, std::map<std::string, int>> units;       // itemid -> unit -> rows
  std::map<std::string, std::set<std::string>> admissions_with;  // itemid -> hadm ids
  std::size_t late = 0;
  for (const auto& r : rows_of(t.labevents)) {
    ++units[r[4]][r[10]];
    admissions_with[r[4]].insert(r[2]);
    late += seconds(r[6]) >= admit.at(r[2]) + 86400;
  }
  BOOST_TEST(units.size() == 10u);
  BOOST_TEST(units["50931"].size() == 2u);  // glucose in mg/dL and mmol/L
  BOOST_TEST(units["50931"]["mmol/L"] > 0);
  BOOST_TEST(units["50912"].size() == 1u);
  BOOST_TEST(admissions_with["50813"].size() < admit.size());  // lactate often absent
  BOOST_TEST(late > 0u);
}

BOOST_AUTO_TEST_CASE(mortality_rises_with_first_day_lactate) {
  const SynthTables t = generate_synthetic_mimic(options(1000, 1));
  std::map<std::string, std::pair<std::int64_t, int>> admissions;  // hadm -> (admit, died)
  int deaths = 0;
  for (const auto& a : rows_of(t.admissions)) {
    admissions[a[1]] = {seconds(a[2]), a[15] == "1"};
    deaths += a[15] == "1";
  }
  const double prevalence = double(deaths) / double(admissions.size());
  BOOST_TEST((prevalence > 0.08 && prevalence < 0.18), prevalence);
  std::map<std::string, std::pair<double, int>> lactate;  // hadm -> (sum, n) in the first 24 h
  for (const auto& r : rows_of(t.labevents)) {
    if (r[4] != "50813" || seconds(r[6]) >= admissions.at(r[2]).first + 86400) continue;
    lactate[r[2]].first += std::stod(r[9]);
    ++lactate[r[2]].second;
  }
  std::vector<std::pair<double, int>> by_lactate;
  for (const auto& [hadm, s] : lactate)
    by_lactate.emplace_back(s.first / s.second, admissions.at(hadm).second);
  std::sort(by_lactate.begin(), by_lactate.end());
  const std::size_t q = by_lactate.size() / 4;
  BOOST_REQUIRE(q >= 50u);
  double bottom = 0, top = 0;
  for (std::size_t i = 0; i < q; ++i) {
    bottom += by_lactate[i].second;
    top += by_lactate[by_lactate.size() - 1 - i].second;
  }
  BOOST_TEST(top / double(q) > bottom / double(q) + 0.10, "top " << top << " bottom " << bottom);
}

BOOST_AUTO_TEST_SUITE_END()
