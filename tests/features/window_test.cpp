// THE no-look-ahead test: events planted after the prediction time (and before the window) with
// extreme values must change nothing, whatever the items, top_k or window; plus the window's
// boundaries and the "window ends after the prediction time" error.
#include <random>

#include "support.hpp"

namespace {

using namespace features_test;
using clinflow::builtin::format_timestamp;
using clinflow::builtin::parse_timestamp;
namespace cf = clinflow::builtin::features;

constexpr std::int64_t kHour = 3600, kDay = 86400;

const std::string kCohort =
    "stay_id,subject_id,label,pred_time,age\n"
    "1,101,0,2100-01-02 00:00:00,60\n"
    "2,102,1,2100-01-05 12:00:00,70\n"
    "3,103,0,2100-01-03 06:00:00,55\n"
    "4,104,0,2100-01-04 00:00:00,40\n";  // no events at all

struct Event {
  std::int64_t stay, time, item;
  double value;
};

std::string events_csv(const std::vector<Event>& events) {
  std::string out = "stay_id,charttime,itemid,valuenum\n";
  for (const Event& e : events)
    out += std::to_string(e.stay) + "," + format_timestamp(e.time) + "," + std::to_string(e.item) +
           "," + std::to_string(e.value) + "\n";
  return out;
}

/// Ordinary events in [pt - 30h, pt] for stays 1-3, items 50912 and 50931.
std::vector<Event> ordinary_events(const Table& cohort) {
  std::mt19937_64 rng(20240417);
  std::vector<Event> out;
  const Column& pt = cohort.column("pred_time");
  for (std::size_t r = 0; r < 3; ++r)
    for (int i = 0; i < 12; ++i) {
      const std::int64_t offset = std::int64_t(rng() % std::uint64_t(30 * kHour));
      const double value = 1.0 + double(rng() % 1000) / 100.0;
      out.push_back({std::int64_t(r + 1), pt.ints[r] - offset, i % 2 ? 50912 : 50931, value});
    }
  return out;
}

/// Extreme events after each stay's prediction time (items 50912, 50931 and 777, an item seen
/// ONLY after the prediction time, and often) and before the window start.
std::vector<Event> planted_after(const Table& cohort) {
  std::vector<Event> out;
  const Column& pt = cohort.column("pred_time");
  for (std::size_t r = 0; r < 4; ++r) {
    const std::int64_t p = pt.ints[r], stay = std::int64_t(r + 1);
    for (std::int64_t dt : {std::int64_t(1), kHour, 100 * kDay}) {
      out.push_back({stay, p + dt, 50912, 1e9});
      out.push_back({stay, p + dt, 50931, -1e9});
    }
    for (int i = 0; i < 50; ++i) out.push_back({stay, p + 1 + i * kHour, 777, 5e8});
  }
  return out;
}

std::vector<Event> planted_before(const Table& cohort) {
  std::vector<Event> out;
  const Column& pt = cohort.column("pred_time");
  for (std::size_t r = 0; r < 4; ++r) {
    const std::int64_t p = pt.ints[r], stay = std::int64_t(r + 1);
    out.push_back({stay, p - 24 * kHour - 1, 50912, -1e9});
    out.push_back({stay, p - 40 * kDay, 50931, 1e9});
  }
  return out;
}

std::vector<Event> join(std::vector<Event> a, const std::vector<Event>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// Inserts the planted events at random places, keeping the ordinary events' relative order (so
/// sums add in the same order and the bytes can be compared).
std::vector<Event> interleave(const std::vector<Event>& ordinary,
                              const std::vector<Event>& planted) {
  std::mt19937_64 rng(7);
  std::vector<Event> out;
  std::size_t i = 0, j = 0;
  while (i < ordinary.size() || j < planted.size()) {
    const bool take_planted = j < planted.size() && (i == ordinary.size() || rng() % 2);
    out.push_back(take_planted ? planted[j++] : ordinary[i++]);
  }
  return out;
}

cf::FeatureSpec spec_all_aggregates() {
  cf::FeatureSpec s;
  s.on = "stay_id";
  s.aggregates = {cf::Agg::kMin,  cf::Agg::kMax,   cf::Agg::kMean,
                  cf::Agg::kLast, cf::Agg::kCount, cf::Agg::kTimeSinceLast};
  s.prefix = "lab";
  s.keep = {"age"};
  return s;
}

std::string features_bytes(const Table& cohort, const std::vector<Event>& events,
                           const cf::FeatureSpec& spec, cf::FeatureLog* log_out = nullptr) {
  cf::FeatureLog log;
  const Table out = cf::extract_features(cohort, csv(events_csv(events)), spec, log);
  if (log_out) *log_out = log;
  return clinflow::builtin::serialize(out);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(no_look_ahead)

BOOST_AUTO_TEST_CASE(events_after_prediction_or_before_window_change_nothing) {
  const Table cohort = cohort_of(kCohort);
  const auto clean = ordinary_events(cohort);
  const auto planted = interleave(clean, join(planted_after(cohort), planted_before(cohort)));
  cf::FeatureSpec spec = spec_all_aggregates();
  spec.items = std::vector<std::string>{"50912", "50931", "777"};
  cf::FeatureLog log;
  const std::string with = features_bytes(cohort, planted, spec, &log);
  const std::string without = features_bytes(cohort, clean, spec);
  BOOST_TEST((with == without));
  // Every planted event was seen and refused for the right reason.
  BOOST_TEST(log.after_prediction == 4u * (6 + 50));
  BOOST_TEST(log.outside_window >= 8u);

  // The future-only item has no value for anyone; the extremes reach no column.
  const Table t = clinflow::builtin::deserialize(with, "features");
  for (std::size_t r = 0; r < 4; ++r) {
    BOOST_TEST(t.column("lab_777_count").ints[r] == 0);
    BOOST_TEST(t.column("lab_777_missing").ints[r] == 1);
    BOOST_TEST(std::isnan(t.column("lab_777_last").floats[r]));
    BOOST_TEST(!(t.column("lab_50912_max").floats[r] > 1e8));
    BOOST_TEST(!(t.column("lab_50931_min").floats[r] < -1e8));
  }
}

BOOST_AUTO_TEST_CASE(top_k_never_picks_an_item_seen_only_after_prediction) {
  const Table cohort = cohort_of(kCohort);
  const auto clean = ordinary_events(cohort);
  const auto planted = interleave(clean, planted_after(cohort));  // 777: 200 events
  cf::FeatureSpec spec = spec_all_aggregates();
  spec.top_k = 2;
  const std::string with = features_bytes(cohort, planted, spec);
  BOOST_TEST((with == features_bytes(cohort, clean, spec)));
  const Table t = clinflow::builtin::deserialize(with, "features");
  BOOST_TEST(!t.find("lab_777_count"));
  BOOST_TEST(t.find("lab_50912_count"));
  BOOST_TEST(t.find("lab_50931_count"));
}

BOOST_AUTO_TEST_CASE(a_window_reaching_far_back_still_stops_at_prediction_time) {
  const Table cohort = cohort_of(kCohort);
  const auto before = join(ordinary_events(cohort), planted_before(cohort));
  const auto planted = interleave(before, planted_after(cohort));
  cf::FeatureSpec spec = spec_all_aggregates();
  spec.items = std::vector<std::string>{"50912", "50931"};
  spec.window_start = -1000 * kDay;
  spec.window_end = 0;
  BOOST_TEST((features_bytes(cohort, planted, spec) == features_bytes(cohort, before, spec)));
  // The early planted events are inside this window, so they are used (the window works).
  const Table t = clinflow::builtin::deserialize(features_bytes(cohort, planted, spec), "f");
  BOOST_TEST(t.column("lab_50931_max").floats[0] == 1e9);
}

BOOST_AUTO_TEST_CASE(window_bounds_are_inclusive_and_exact) {
  const Table cohort = cohort_of(kCohort);
  const std::int64_t p = cohort.column("pred_time").ints[0];
  const std::vector<Event> events = {
      {1, p, 1, 10},                   // exactly at the prediction time: used
      {1, p - 24 * kHour, 1, 20},      // exactly at the window start: used
      {1, p + 1, 1, 1000},             // one second late: never
      {1, p - 24 * kHour - 1, 1, -5},  // one second early: not in the window
      {1, p - 2 * kHour, 2, 7},        // window end -1h: item 2 at -2h used
      {1, p - 30 * 60, 2, 99},         // -30 min: after the window end of -1h
  };
  cf::FeatureSpec spec = spec_all_aggregates();
  spec.items = std::vector<std::string>{"1"};
  Table t = clinflow::builtin::deserialize(features_bytes(cohort, events, spec), "f");
  BOOST_TEST(t.column("lab_1_count").ints[0] == 2);
  BOOST_TEST(t.column("lab_1_min").floats[0] == 10);
  BOOST_TEST(t.column("lab_1_max").floats[0] == 20);
  BOOST_TEST(t.column("lab_1_last").floats[0] == 10);
  BOOST_TEST(t.column("lab_1_time_since_last").floats[0] == 0);

  spec.items = std::vector<std::string>{"2"};
  spec.window_end = -kHour;
  t = clinflow::builtin::deserialize(features_bytes(cohort, events, spec), "f");
  BOOST_TEST(t.column("lab_2_count").ints[0] == 1);
  BOOST_TEST(t.column("lab_2_last").floats[0] == 7);
  BOOST_TEST(t.column("lab_2_time_since_last").floats[0] == 2.0);
}

BOOST_AUTO_TEST_CASE(a_window_ending_after_the_prediction_time_is_refused) {
  Plugins plugins;
  const Table cohort = cohort_of(kCohort);
  const Table events = csv(events_csv(ordinary_events(cohort)));
  clinflow::Params params;
  params["window"] = clinflow::List{clinflow::Duration{-24 * kHour}, clinflow::Duration{kHour}};
  params["items"] = clinflow::List{std::int64_t{50912}};
  try {
    plugins.run("extract_features", {artifact(cohort), artifact(events)}, params);
    BOOST_FAIL("expected a StepError");
  } catch (const clinflow::StepError& e) {
    BOOST_TEST(std::string(e.what()).find("window ends after the prediction time") !=
               std::string::npos);
  }
  // The same with end = 0h runs, and the log counts refusals without values.
  params["window"] = clinflow::List{clinflow::Duration{-24 * kHour}, clinflow::Duration{0}};
  const auto out = plugins.run("extract_features", {artifact(cohort), artifact(events)}, params);
  BOOST_TEST(out.size() == 1u);
  BOOST_TEST(plugins.ctx.lines.front().find("after the prediction time") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
