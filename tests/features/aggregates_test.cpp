// Every aggregate against a direct computation; top_k ties; missing indicators; wide tables;
// joining on a patient column (several rows per key); text keys and items.
#include <random>

#include "support.hpp"

namespace {

using namespace features_test;
using clinflow::builtin::format_timestamp;
using clinflow::builtin::kMissingInt;
namespace cf = clinflow::builtin::features;

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kT0 = 4102444800;  // 2100-01-01

struct Ev {
  std::int64_t stay, time, item;
  double value;  // NaN: missing
};

/// 40 stays, 6 items, times in [pt - 48h, pt + 24h] on a 30-minute grid (so equal times
/// happen), 5% missing values, 3% missing times.
struct Random {
  Table cohort;
  std::vector<Ev> events;
  std::string events_text;

  Random() {
    std::mt19937_64 rng(99);
    std::string c = "stay_id,subject_id,label,pred_time\n";
    std::vector<std::int64_t> pt;
    for (int s = 0; s < 40; ++s) {
      pt.push_back(kT0 + std::int64_t(rng() % 1000) * kHour);
      c += std::to_string(1000 + s) + "," + std::to_string(s) + ",0," +
           format_timestamp(pt.back()) + "\n";
    }
    cohort = cohort_of(c);
    events_text = "stay_id,charttime,itemid,valuenum\n";
    for (int i = 0; i < 3000; ++i) {
      const int s = int(rng() % 41);  // 40: a stay not in the cohort
      const std::int64_t base = s < 40 ? pt[std::size_t(s)] : kT0;
      Ev e{1000 + s, base - 48 * kHour + std::int64_t(rng() % 145) * 1800, std::int64_t(rng() % 6),
           double(std::int64_t(rng() % 20001) - 10000) / 100.0};
      if (rng() % 100 < 5) e.value = std::nan("");
      if (rng() % 100 < 3) e.time = kMissingInt;
      events.push_back(e);
      events_text += std::to_string(e.stay) + "," +
                     (e.time == kMissingInt ? std::string() : format_timestamp(e.time)) + "," +
                     std::to_string(e.item) + "," +
                     (std::isnan(e.value) ? std::string() : std::to_string(e.value)) + "\n";
    }
  }
};

struct Expected {
  double min = NAN, max = NAN, mean = NAN, last = NAN, tsl = NAN;
  std::int64_t count = 0;
};

/// The direct computation: filter, then aggregate, in events order.
Expected direct(const Random& data, std::size_t row, std::int64_t item, std::int64_t start,
                std::int64_t end, const Table& parsed_events) {
  const std::int64_t stay = data.cohort.column("stay_id").ints[row];
  const std::int64_t p = data.cohort.column("pred_time").ints[row];
  const Column& values = parsed_events.column("valuenum");
  Expected x;
  double sum = 0;
  std::int64_t last_t = 0;
  for (std::size_t i = 0; i < data.events.size(); ++i) {
    const Ev& e = data.events[i];
    const double v = values.floats[i];  // as parsed, so the sums match bit for bit
    if (e.stay != stay || e.item != item || e.time == kMissingInt || std::isnan(v)) continue;
    if (e.time > p || e.time < p + start || e.time > p + end) continue;
    if (x.count == 0 || v < x.min) x.min = v;
    if (x.count == 0 || v > x.max) x.max = v;
    if (x.count == 0 || e.time >= last_t) {
      last_t = e.time;
      x.last = v;
    }
    sum += v;
    ++x.count;
  }
  if (x.count) {
    x.mean = sum / double(x.count);
    x.tsl = double(p - last_t) / 3600.0;
  }
  return x;
}

cf::FeatureSpec all_aggregates() {
  cf::FeatureSpec s;
  s.on = "stay_id";
  s.aggregates = {cf::Agg::kMin,  cf::Agg::kMax,   cf::Agg::kMean,
                  cf::Agg::kLast, cf::Agg::kCount, cf::Agg::kTimeSinceLast};
  s.items = std::vector<std::string>{"0", "1", "2", "3", "4", "5"};
  return s;
}

void check_against_direct(const Random& data, const Table& events, const Table& out,
                          std::int64_t start, std::int64_t end) {
  for (std::size_t r = 0; r < data.cohort.rows(); ++r)
    for (std::int64_t item = 0; item < 6; ++item) {
      const Expected x = direct(data, r, item, start, end, events);
      const std::string stem = "f_" + std::to_string(item) + "_";
      BOOST_TEST_CONTEXT("row " << r << " item " << item) {
        BOOST_TEST(out.column(stem + "count").ints[r] == x.count);
        BOOST_TEST(out.column(stem + "missing").ints[r] == (x.count == 0));
        BOOST_TEST(same(out.column(stem + "min").floats[r], x.min));
        BOOST_TEST(same(out.column(stem + "max").floats[r], x.max));
        BOOST_TEST(same(out.column(stem + "mean").floats[r], x.mean, 0));
        BOOST_TEST(same(out.column(stem + "last").floats[r], x.last));
        BOOST_TEST(same(out.column(stem + "time_since_last").floats[r], x.tsl));
      }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(aggregates)

BOOST_AUTO_TEST_CASE(every_aggregate_matches_a_direct_computation) {
  const Random data;
  const Table events = csv(data.events_text);
  for (auto [start, end] : {std::pair<std::int64_t, std::int64_t>{-24 * kHour, 0},
                            {-6 * kHour, -kHour},
                            {-72 * kHour, 0}}) {
    cf::FeatureSpec spec = all_aggregates();
    spec.window_start = start;
    spec.window_end = end;
    cf::FeatureLog log;
    const Table out = cf::extract_features(data.cohort, events, spec, log);
    BOOST_TEST(out.rows() == data.cohort.rows());
    check_against_direct(data, events, out, start, end);
    BOOST_TEST(log.events == data.events.size());
    BOOST_TEST(log.not_in_cohort > 0u);
    BOOST_TEST(log.missing_time > 0u);
    BOOST_TEST(log.missing_value > 0u);
  }
}

BOOST_AUTO_TEST_CASE(output_keeps_roles_order_and_is_deterministic) {
  const Random data;
  const Table events = csv(data.events_text);
  cf::FeatureSpec spec = all_aggregates();
  spec.aggregates = {cf::Agg::kMean, cf::Agg::kCount};
  spec.items = std::vector<std::string>{"3", "1"};
  cf::FeatureLog log;
  const Table out = cf::extract_features(data.cohort, events, spec, log);
  std::vector<std::string> names;
  for (const Column& c : out.columns) names.push_back(c.name);
  const std::vector<std::string> want = {"stay_id",   "subject_id", "label",       "pred_time",
                                         "f_3_mean",  "f_3_count",  "f_3_missing", "f_1_mean",
                                         "f_1_count", "f_1_missing"};
  BOOST_TEST(names == want, boost::test_tools::per_element());
  BOOST_TEST((out.roles == data.cohort.roles));
  BOOST_TEST(out.column("stay_id").ints == data.cohort.column("stay_id").ints,
             boost::test_tools::per_element());
  const Table again = cf::extract_features(data.cohort, events, spec, log);
  BOOST_TEST((clinflow::builtin::serialize(out) == clinflow::builtin::serialize(again)));
}

BOOST_AUTO_TEST_CASE(top_k_ranks_by_count_and_breaks_ties_by_item) {
  const Table cohort = cohort_of("stay_id,subject_id,label,pred_time\n1,1,0,2100-01-02 00:00:00\n");
  std::string ev = "stay_id,charttime,itemid,valuenum\n";
  auto add = [&](int item, int n) {
    for (int i = 0; i < n; ++i) ev += "1,2100-01-01 12:00:00," + std::to_string(item) + ",1\n";
  };
  add(9, 5);
  add(5, 3);
  add(3, 3);
  add(1, 2);
  add(7, 9);
  ev += "1,2100-01-03 00:00:00,8,1\n1,2100-01-03 00:00:00,8,1\n";   // after: never counted
  for (int i = 0; i < 20; ++i) ev += "1,2100-01-01 12:00:00,6,\n";  // no value: not counted
  const Table events = csv(ev);
  auto items_of = [&](std::int64_t k) {
    cf::FeatureSpec spec;
    spec.on = "stay_id";
    spec.aggregates = {cf::Agg::kCount};
    spec.missing_indicators = false;
    spec.top_k = k;
    cf::FeatureLog log;
    std::vector<std::string> names;
    for (const Column& c : cf::extract_features(cohort, events, spec, log).columns)
      if (c.name.rfind("f_", 0) == 0) names.push_back(c.name);
    return names;
  };
  BOOST_TEST(items_of(2) == (std::vector<std::string>{"f_7_count", "f_9_count"}),
             boost::test_tools::per_element());
  BOOST_TEST(
      items_of(4) == (std::vector<std::string>{"f_7_count", "f_9_count", "f_3_count", "f_5_count"}),
      boost::test_tools::per_element());
  BOOST_TEST(items_of(100).size() == 5u);  // 8 (after) and 6 (no value) never qualify

  // Text items: ties sort by text.
  const Table text_events =
      csv("stay_id,charttime,itemid,valuenum\n1,2100-01-01 12:00:00,zinc,1\n"
          "1,2100-01-01 12:00:00,alpha,2\n1,2100-01-01 12:00:00,beta,2\n1,2100-01-01 "
          "13:00:00,beta,3\n");
  cf::FeatureSpec spec;
  spec.on = "stay_id";
  spec.aggregates = {cf::Agg::kLast};
  spec.missing_indicators = false;
  spec.top_k = 2;
  cf::FeatureLog log;
  const Table out = cf::extract_features(cohort, text_events, spec, log);
  BOOST_TEST(out.columns[4].name == "f_beta_last");
  BOOST_TEST(out.columns[5].name == "f_alpha_last");
  BOOST_TEST(out.column("f_beta_last").floats[0] == 3);
}

BOOST_AUTO_TEST_CASE(wide_values_columns_are_items) {
  const Table cohort = cohort_of(
      "stay_id,subject_id,label,pred_time\n1,1,0,2100-01-02 00:00:00\n2,2,1,2100-01-02 00:00:00\n");
  const Table vitals =
      csv("stay_id,charttime,noninvasivesystolic,noninvasivemean\n"
          "1,2100-01-01 10:00:00,120,80.5\n1,2100-01-01 20:00:00,,90\n1,2100-01-01 22:00:00,140,\n"
          "1,2100-01-02 01:00:00,300,300\n2,2100-01-01 23:00:00,100,70\n");
  cf::FeatureSpec spec;
  spec.on = "stay_id";
  spec.values = {"noninvasivesystolic", "noninvasivemean"};
  spec.aggregates = {cf::Agg::kMin, cf::Agg::kMax, cf::Agg::kMean, cf::Agg::kLast, cf::Agg::kCount};
  spec.prefix = "vital";
  cf::FeatureLog log;
  const Table out = cf::extract_features(cohort, vitals, spec, log);
  BOOST_TEST(out.column("vital_noninvasivesystolic_count").ints[0] == 2);
  BOOST_TEST(out.column("vital_noninvasivesystolic_max").floats[0] == 140);
  BOOST_TEST(out.column("vital_noninvasivesystolic_last").floats[0] == 140);
  BOOST_TEST(out.column("vital_noninvasivemean_mean").floats[0] == (80.5 + 90) / 2);
  BOOST_TEST(out.column("vital_noninvasivemean_last").floats[0] == 90);
  BOOST_TEST(out.column("vital_noninvasivemean_min").floats[1] == 70);
  BOOST_TEST(out.column("vital_noninvasivemean_missing").ints[1] == 0);
}

BOOST_AUTO_TEST_CASE(missing_indicators_and_counts_for_rows_without_events) {
  const Table cohort = cohort_of(
      "stay_id,subject_id,label,pred_time\n1,1,0,2100-01-02 00:00:00\n2,2,1,2100-01-02 00:00:00\n"
      "3,3,0,\n");
  const Table events =
      csv("stay_id,charttime,itemid,valuenum\n1,2100-01-01 12:00:00,5,1.5\n3,2100-01-01 "
          "12:00:00,5,2\n");
  cf::FeatureSpec spec;
  spec.on = "stay_id";
  spec.items = std::vector<std::string>{"5"};
  cf::FeatureLog log;
  const Table out = cf::extract_features(cohort, events, spec, log);
  BOOST_TEST(out.column("f_5_missing").ints == (std::vector<std::int64_t>{0, 1, 1}),
             boost::test_tools::per_element());
  BOOST_TEST(out.column("f_5_count").ints == (std::vector<std::int64_t>{1, 0, 0}),
             boost::test_tools::per_element());
  BOOST_TEST(std::isnan(out.column("f_5_mean").floats[1]));
  BOOST_TEST(log.rows_without_prediction_time == 1u);
}

BOOST_AUTO_TEST_CASE(joining_on_a_patient_uses_each_rows_own_window) {
  // Patient 7 has two stays with different prediction times; the events join on subject_id.
  Table cohort = csv(
      "stay_id,subject_id,label,pred_time\n1,7,0,2100-01-02 00:00:00\n2,7,1,2100-01-10 00:00:00\n"
      "3,8,0,2100-01-02 00:00:00\n");
  cohort.roles = {{"stay", "stay_id"}, {"patient", "subject_id"}, {"prediction_time", "pred_time"}};
  const Table events = csv(
      "subject_id,charttime,itemid,valuenum\n7,2100-01-01 12:00:00,5,1\n7,2100-01-09 12:00:00,5,2\n"
      "7,2100-01-09 13:00:00,5,4\n8,2100-01-01 12:00:00,5,10\n");
  cf::FeatureSpec spec;
  spec.on = "subject_id";
  spec.items = std::vector<std::string>{"5"};
  cf::FeatureLog log;
  const Table out = cf::extract_features(cohort, events, spec, log);
  BOOST_TEST(out.column("f_5_mean").floats == (std::vector<double>{1, 3, 10}),
             boost::test_tools::per_element());
  BOOST_TEST(log.after_prediction == 2u);  // stay 1 sees the two Jan-9 events as future
}

BOOST_AUTO_TEST_CASE(text_join_keys_and_bad_columns) {
  Table cohort = csv("stay_id,subject_id,label,pred_time\nA1,1,0,2100-01-02 00:00:00\n");
  cohort.roles = {{"stay", "stay_id"}, {"prediction_time", "pred_time"}};
  const Table events =
      csv("stay_id,charttime,itemid,valuenum,note\nA1,2100-01-01 12:00:00,5,1,x\n"
          "B2,2100-01-01 12:00:00,5,1,y\n");
  cf::FeatureSpec spec;
  spec.on = "stay_id";
  spec.items = std::vector<std::string>{"5"};
  cf::FeatureLog log;
  BOOST_TEST(cf::extract_features(cohort, events, spec, log).column("f_5_count").ints[0] == 1);
  BOOST_TEST(log.not_in_cohort == 1u);

  spec.value = "note";
  BOOST_CHECK_EXCEPTION(cf::extract_features(cohort, events, spec, log), clinflow::StepError,
                        [](const clinflow::StepError& e) {
                          return std::string(e.what()).find("'note' must hold numbers") !=
                                 std::string::npos;
                        });
  spec.value = "valuenum";
  spec.items = std::vector<std::string>{"5", "5"};
  BOOST_CHECK_THROW(cf::extract_features(cohort, events, spec, log), clinflow::StepError);
  spec.items = std::vector<std::string>{"glucose"};
  BOOST_CHECK_THROW(cf::extract_features(cohort, events, spec, log), clinflow::StepError);
}

BOOST_AUTO_TEST_SUITE_END()
