// Unit harmonisation: the conversion table, and conversion inside extract_features.
#include "units.hpp"

#include "support.hpp"

namespace {

using namespace features_test;
namespace cf = clinflow::builtin::features;

double factor(const char* from, const char* to, std::optional<cf::Analyte> a) {
  auto c = cf::conversion(cf::normalise_unit(from), cf::normalise_unit(to), a);
  BOOST_TEST_REQUIRE(c.has_value());
  BOOST_TEST(c->offset == 0.0);
  return c->scale;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(units)

BOOST_AUTO_TEST_CASE(spellings_normalise) {
  BOOST_TEST(cf::normalise_unit("mg/dL") == "mg/dl");
  BOOST_TEST(cf::normalise_unit(" MG / DL ") == "mg/dl");
  BOOST_TEST(cf::normalise_unit("\xC2\xB5mol/L") == "umol/l");
  BOOST_TEST(cf::normalise_unit("\xC2\xB0"
                                "F") == "degf");
  BOOST_TEST(cf::normalise_unit("C") == "degc");
}

BOOST_AUTO_TEST_CASE(the_built_in_factors) {
  const auto glucose = cf::analyte_of_name("Glucose");
  BOOST_TEST(same(factor("mg/dL", "mmol/L", glucose), 1 / 18.016, 1e-3));
  BOOST_TEST(same(factor("mmol/L", "mg/dL", cf::analyte_of_mimic_itemid(50931)), 18.016, 1e-3));
  BOOST_TEST(same(factor("mg/dL", "umol/L", cf::analyte_of_mimic_itemid(50912)), 88.42, 1e-3));
  BOOST_TEST(same(factor("mg/dL", "mmol/L", cf::analyte_of_name("BUN")), 1 / 2.8014, 1e-3));
  BOOST_TEST(factor("mEq/L", "mmol/L", cf::analyte_of_name("sodium")) == 1.0);
  BOOST_TEST(factor("mEq/L", "mmol/L", cf::analyte_of_name("Calcium, Total")) == 0.5);
  BOOST_TEST(same(factor("g/dL", "g/L", std::nullopt), 10));
  BOOST_TEST(same(factor("lb", "kg", std::nullopt), 0.45359237));
  const auto f_to_c = cf::conversion("degf", "degc", std::nullopt);
  BOOST_TEST_REQUIRE(f_to_c.has_value());
  BOOST_TEST(same(f_to_c->apply(98.6), 37.0, 1e-12));
  BOOST_TEST(same(f_to_c->apply(32), 0.0, 1e-12));
  // Never guessed: mass <-> molar needs a known analyte; unknown units never convert.
  BOOST_TEST(!cf::conversion("mg/dl", "mmol/l", std::nullopt));
  BOOST_TEST(!cf::conversion("mg/dl", "mmol/l", cf::analyte_of_name("albumin")));
  BOOST_TEST(!cf::conversion("bananas", "mg/dl", glucose));
  BOOST_TEST(!cf::analyte_of_name("alkaline phosphatase"));
  BOOST_TEST(std::string(cf::analyte_of_name("Urea Nitrogen")->name) == "urea nitrogen");
}

BOOST_AUTO_TEST_CASE(extract_features_harmonises_to_the_most_frequent_unit) {
  const Table cohort = cohort_of("stay_id,subject_id,label,pred_time\n1,1,0,2100-01-02 00:00:00\n");
  const Table events = csv(
      "stay_id,charttime,itemid,valuenum,valueuom\n"
      "1,2100-01-01 10:00:00,50931,100,mg/dL\n"
      "1,2100-01-01 11:00:00,50931,120,mg/dl\n"
      "1,2100-01-01 12:00:00,50931,140,MG/DL\n"
      "1,2100-01-01 13:00:00,50931,5,mmol/L\n"
      "1,2100-01-01 14:00:00,50931,7,bananas\n"
      "1,2100-01-01 15:00:00,50931,130,\n"
      "1,2100-01-01 10:00:00,50912,1.0,mg/dL\n"
      "1,2100-01-01 11:00:00,50912,1.2,mg/dL\n"
      "1,2100-01-01 12:00:00,50912,88.42,umol/L\n"
      "1,2100-01-01 12:00:00,51001,10,mg/dL\n"  // unknown analyte: mg/dL vs mmol/L cannot convert
      "1,2100-01-01 13:00:00,51001,20,mg/dL\n"
      "1,2100-01-01 14:00:00,51001,3,mmol/L\n");
  Plugins plugins;
  clinflow::Params params;
  params["items"] = clinflow::List{std::int64_t{50931}, std::int64_t{50912}, std::int64_t{51001}};
  params["unit"] = clinflow::Symbol{"valueuom"};
  params["aggregates"] = clinflow::List{clinflow::Symbol{"mean"}, clinflow::Symbol{"count"}};
  params["prefix"] = "lab";
  const auto out = plugins.run("extract_features", {artifact(cohort), artifact(events)}, params);
  const Table t = clinflow::builtin::deserialize(out[0].bytes, "features");
  const double glucose_5_mmol = 5 * 180.16 / 10;         // mmol/L -> mg/dL with M = 180.16
  BOOST_TEST(t.column("lab_50931_count").ints[0] == 5);  // bananas dropped, blank unit kept
  BOOST_TEST(same(t.column("lab_50931_mean").floats[0],
                  (100 + 120 + 140 + glucose_5_mmol + 130) / 5, 1e-12));
  BOOST_TEST(t.column("lab_50912_count").ints[0] == 3);
  BOOST_TEST(same(t.column("lab_50912_mean").floats[0], (1.0 + 1.2 + 88.42 / 88.4166) / 3, 1e-4));
  BOOST_TEST(t.column("lab_51001_count").ints[0] == 2);
  std::string log;
  for (const auto& line : plugins.ctx.lines) log += line + "\n";
  BOOST_TEST(log.find("item 50931: 1 rows dropped (unit not convertible)") != std::string::npos);
  BOOST_TEST(log.find("item 51001: 1 rows dropped (unit not convertible)") != std::string::npos);
  BOOST_TEST(log.find("1 rows without a unit") != std::string::npos);

  // unit_harmonise: false keeps every row as it is.
  params["unit_harmonise"] = false;
  const Table raw = clinflow::builtin::deserialize(
      plugins.run("extract_features", {artifact(cohort), artifact(events)}, params)[0].bytes, "f");
  BOOST_TEST(raw.column("lab_50931_count").ints[0] == 6);
}

BOOST_AUTO_TEST_CASE(text_items_find_their_analyte_by_name) {
  const Table cohort = cohort_of("stay_id,subject_id,label,pred_time\n1,1,0,2100-01-02 00:00:00\n");
  const Table events =
      csv("stay_id,charttime,labname,labresult,labmeasurenamesystem\n"
          "1,2100-01-01 10:00:00,temperature,37.5,C\n"
          "1,2100-01-01 11:00:00,temperature,36.5,\xC2\xB0"
          "C\n"
          "1,2100-01-01 12:00:00,temperature,98.6,\xC2\xB0"
          "F\n"
          "1,2100-01-01 10:00:00,bedside glucose,5.5,mmol/L\n"
          "1,2100-01-01 11:00:00,bedside glucose,6.5,mmol/L\n"
          "1,2100-01-01 12:00:00,bedside glucose,180.16,mg/dL\n");
  namespace cf = clinflow::builtin::features;
  cf::FeatureSpec spec;
  spec.on = "stay_id";
  spec.item = "labname";
  spec.value = "labresult";
  spec.unit = "labmeasurenamesystem";
  spec.aggregates = {cf::Agg::kMean};
  spec.missing_indicators = false;
  spec.items = std::vector<std::string>{"temperature", "bedside glucose"};
  cf::FeatureLog log;
  const Table t = cf::extract_features(cohort, events, spec, log);
  BOOST_TEST(same(t.column("f_temperature_mean").floats[0], 37.0, 1e-12));
  BOOST_TEST(same(t.column("f_bedside_glucose_mean").floats[0], 22.0 / 3, 1e-9));
}

BOOST_AUTO_TEST_SUITE_END()
