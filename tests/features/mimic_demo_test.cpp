// The MIMIC-IV demo (../shared/data): lab features for the ICU cohort, prediction time 24 h after
// ICU admission. Skips when the data folder is absent.
#include <filesystem>
#include <iostream>

#include "support.hpp"

namespace {

using namespace features_test;
using clinflow::builtin::kMissingInt;
namespace cf = clinflow::builtin::features;

const std::string kDemo = std::string(CLINFLOW_SHARED_DATA) + "/mimic-iv-demo-2.2";

bool have_demo() {
  if (std::filesystem::exists(kDemo + "/hosp/labevents.csv.gz")) return true;
  std::cout << "SKIP: ../shared/data absent (" << kDemo << ")\n";
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mimic_demo)

BOOST_AUTO_TEST_CASE(lab_features_for_the_icu_cohort) {
  if (!have_demo()) return;
  clinflow::builtin::CsvOptions stay_opts;
  stay_opts.columns = {"subject_id", "hadm_id", "stay_id", "intime"};
  Table cohort = clinflow::builtin::read_csv_file(kDemo + "/icu/icustays.csv.gz", stay_opts);
  BOOST_TEST_REQUIRE(cohort.rows() == 140u);
  Column& pt = cohort.add("pred_time", clinflow::builtin::ColumnType::kTimestamp);
  for (std::int64_t t : cohort.column("intime").ints) pt.ints.push_back(t + 24 * 3600);
  cohort.roles = {{"stay", "stay_id"}, {"patient", "subject_id"}, {"prediction_time", "pred_time"}};

  clinflow::builtin::CsvOptions lab_opts;
  lab_opts.columns = {"hadm_id", "itemid", "charttime", "valuenum", "valueuom"};
  const Table labs = clinflow::builtin::read_csv_file(kDemo + "/hosp/labevents.csv.gz", lab_opts);
  BOOST_TEST_REQUIRE(labs.rows() == 107727u);

  cf::FeatureSpec spec;
  spec.on = "hadm_id";
  spec.unit = "valueuom";
  spec.aggregates = {cf::Agg::kMin,  cf::Agg::kMax,   cf::Agg::kMean,
                     cf::Agg::kLast, cf::Agg::kCount, cf::Agg::kTimeSinceLast};
  spec.top_k = 20;
  spec.prefix = "lab";
  cf::FeatureLog log;
  const Table out = cf::extract_features(cohort, labs, spec, log);
  BOOST_TEST(out.rows() == 140u);
  std::size_t count_columns = 0;
  std::string first_item;
  for (const Column& c : out.columns) {
    if (first_item.empty() && c.name.rfind("lab_", 0) == 0)
      first_item = c.name.substr(4, c.name.find('_', 4) - 4);
    if (c.name.size() < 6 || c.name.compare(c.name.size() - 6, 6, "_count") != 0) continue;
    ++count_columns;
    for (std::int64_t v : c.ints) BOOST_TEST(v != kMissingInt);  // never missing
  }
  BOOST_TEST(count_columns == 20u);
  BOOST_TEST(log.used > 1000u);
  BOOST_TEST(log.after_prediction > 1000u);  // labs later in the admission exist, and are refused

  // A direct recount of the first selected item over the raw rows agrees, row by row (without
  // unit harmonisation, which may drop rows in units it cannot convert).
  spec.unit.clear();
  spec.items = std::vector<std::string>{first_item};
  const Table raw = cf::extract_features(cohort, labs, spec, log);
  const std::int64_t item = std::stoll(first_item);
  const Column& hadm = labs.column("hadm_id");
  const Column& chart = labs.column("charttime");
  const Column& value = labs.column("valuenum");
  const Column& items = labs.column("itemid");
  std::size_t rows_with_values = 0;
  for (std::size_t r = 0; r < cohort.rows(); ++r) {
    std::int64_t n = 0;
    const std::int64_t p = pt.ints[r], h = cohort.column("hadm_id").ints[r];
    for (std::size_t i = 0; i < labs.rows(); ++i)
      n += hadm.ints[i] == h && items.ints[i] == item && chart.ints[i] != kMissingInt &&
           chart.ints[i] <= p && chart.ints[i] >= p - 24 * 3600 && !std::isnan(value.floats[i]);
    BOOST_TEST(raw.column("lab_" + first_item + "_count").ints[r] == n);
    rows_with_values += n > 0;
  }
  BOOST_TEST(rows_with_values > 50u);
}

BOOST_AUTO_TEST_SUITE_END()
