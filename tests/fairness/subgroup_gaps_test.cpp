// subgroup_gaps: AUROC against a brute-force pair count, flagging and hiding small groups,
// the gaps, determinism.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "fair_support.hpp"
#include "group_metrics.hpp"

using namespace clinflow::builtin;
using namespace fairness_test;
using clinflow::Symbol;
using Json = nlohmann::json;

namespace {

double brute_force_auroc(const std::vector<double>& s, const std::vector<int>& y) {
  double pairs = 0, wins = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    for (std::size_t j = 0; j < s.size(); ++j)
      if (y[i] == 1 && y[j] == 0) {
        pairs += 1;
        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
      }
  return wins / pairs;
}

/// Scored table: `sizes[g]` rows of group g, `events[g]` of them positive, risk on a coarse
/// grid (ties) that leans towards the positives.
Table scored(const std::vector<std::string>& names, const std::vector<int>& sizes,
             const std::vector<int>& events) {
  Stream s(3);
  std::vector<std::string> g;
  std::vector<std::int64_t> y;
  std::vector<double> risk;
  for (std::size_t k = 0; k < names.size(); ++k)
    for (int i = 0; i < sizes[k]; ++i) {
      g.push_back(names[k]);
      y.push_back(i < events[k]);
      risk.push_back(std::round(10 * std::min(1.0, s.next() * 0.8 + 0.2 * double(y.back()))) / 10);
    }
  Table t;
  t.columns = {string_column("race", g), int_column("y", y), float_column("risk", risk)};
  t.roles = {{"label", "y"}};
  return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(subgroup_gaps)

BOOST_AUTO_TEST_CASE(auroc_equals_the_pair_count_with_ties) {
  Stream s(9);
  std::vector<double> score;
  std::vector<int> label;
  for (int i = 0; i < 300; ++i) {
    label.push_back(s.next() < 0.3);
    score.push_back(std::round(20 * (0.7 * s.next() + 0.3 * label.back())) / 20);  // many ties
  }
  const double expected = brute_force_auroc(score, label);
  BOOST_TEST(expected > 0.55);  // not a coin flip: the test can tell a wrong sign
  BOOST_TEST(clinflow_subgroup_gaps::auroc(score, label) == expected,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(std::isnan(clinflow_subgroup_gaps::auroc({0.1, 0.2}, {0, 0})));
}

BOOST_AUTO_TEST_CASE(rates_at_the_threshold) {
  const auto m =
      clinflow_subgroup_gaps::group_metrics({0.9, 0.6, 0.2, 0.7, 0.1}, {1, 1, 1, 0, 0}, 0.5);
  BOOST_TEST(m.tpr == 2.0 / 3, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(m.fpr == 0.5);
  BOOST_TEST(m.mean_predicted == 0.5, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(m.observed_rate == 0.6, boost::test_tools::tolerance(1e-15));
  const double loss =
      -(std::log(0.9) + std::log(0.6) + std::log(0.2) + std::log(0.3) + std::log(0.9)) / 5;
  BOOST_TEST(m.log_loss == loss, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(small_groups_are_flagged_and_small_counts_hidden) {
  FairPlugins plugins;
  const Table t = scored({"big", "other", "tiny", "eventless", "few"}, {200, 120, 6, 30, 40},
                         {50, 20, 2, 0, 4});
  const auto out = plugins.run("subgroup_gaps", t, {{"group", Symbol{"race"}}});
  const Json r = Json::parse(out.at(0).bytes);
  BOOST_TEST(r["groups_evaluated"] == 3);
  BOOST_TEST(r["groups_flagged"] == 2);
  const Json& g = r["groups"];
  BOOST_TEST(g["tiny"]["flag"] == "fewer than 10 rows");
  BOOST_TEST(g["tiny"]["rows"].is_null());
  BOOST_TEST(g["tiny"]["positives"].is_null());
  BOOST_TEST(!g["tiny"].contains("auroc"));
  BOOST_TEST(g["eventless"]["flag"] == "no events");
  BOOST_TEST(g["eventless"]["rows"] == 30);
  BOOST_TEST(g["few"]["flag"].is_null());  // evaluated, but its 4 events are never shown
  BOOST_TEST(g["few"]["positives"].is_null());
  BOOST_TEST(g["few"]["rows"].is_null());
  BOOST_TEST(g["few"]["observed_rate"] == 0.1);
  BOOST_TEST(g["big"]["rows"] == 200);
  BOOST_TEST(g["big"]["positives"] == 50);
  // Gaps are max - min over the evaluated groups.
  double lo = 1, hi = 0;
  for (const char* name : {"big", "other", "few"}) {
    lo = std::min(lo, g[name]["auroc"].get<double>());
    hi = std::max(hi, g[name]["auroc"].get<double>());
  }
  BOOST_TEST(r["gaps"]["auroc"].get<double>() == hi - lo, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(plugins.run("subgroup_gaps", t, {{"group", Symbol{"race"}}}).at(0).bytes ==
             out.at(0).bytes);
}

BOOST_AUTO_TEST_CASE(scores_outside_zero_one_are_an_error) {
  FairPlugins plugins;
  Table t = scored({"a"}, {20}, {5});
  t.column("risk").floats[4] = NAN;
  BOOST_CHECK_THROW(plugins.run("subgroup_gaps", t, {{"group", Symbol{"race"}}}),
                    clinflow::StepError);
}

BOOST_AUTO_TEST_SUITE_END()
