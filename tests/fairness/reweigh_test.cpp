// reweigh: hand-computed weights, label x group independence under the weights, empty cells,
// small-cell suppression in the report, determinism; logistic's sample_weight.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "design.hpp"
#include "fair_support.hpp"
#include "model.hpp"

using namespace clinflow::builtin;
using namespace fairness_test;
using clinflow::Symbol;
using Json = nlohmann::json;

namespace {

/// Group A: 2 positives, 4 negatives; group B: 3 positives, 1 negative (n = 10).
Table two_by_two() {
  Table t;
  t.columns = {string_column("g", {"A", "A", "A", "A", "A", "A", "B", "B", "B", "B"}),
               int_column("y", {1, 1, 0, 0, 0, 0, 1, 1, 1, 0})};
  t.roles = {{"label", "y"}};
  return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reweigh)

BOOST_AUTO_TEST_CASE(weights_match_a_hand_computed_two_by_two_table) {
  FairPlugins plugins;
  const auto out = plugins.run("reweigh", two_by_two(), {{"group", Symbol{"g"}}});
  const Table t = deserialize(out.at(0).bytes, "weighted");
  // w = n_g n_y / (n n_gy): A,1 = 6*5/(10*2); A,0 = 6*5/(10*4); B,1 = 4*5/(10*3); B,0 = 4*5/10.
  const std::vector<double> expected = {1.5,  1.5,     0.75,    0.75,    0.75,
                                        0.75, 2.0 / 3, 2.0 / 3, 2.0 / 3, 2.0};
  const Column& w = t.column("sample_weight");
  BOOST_TEST_REQUIRE(w.floats.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    BOOST_TEST(w.floats[i] == expected[i], boost::test_tools::tolerance(1e-15));
  BOOST_TEST(t.roles.at("group") == "g");  // recorded, as it was unset
  const Json report = Json::parse(out.at(1).bytes);
  BOOST_TEST(report["cells"] == 4);
  BOOST_TEST(report["empty_cells"] == 0);
  // Every count here is below 10: hidden, and the weights with them.
  BOOST_TEST(report["by_group"]["A"]["positives"]["rows"].is_null());
  BOOST_TEST(report["by_group"]["A"]["positives"]["weight"].is_null());
  BOOST_TEST(report["rows"] == 10);  // 10 is not a small count
}

BOOST_AUTO_TEST_CASE(weighted_label_and_group_are_independent) {
  FairPlugins plugins;
  const Table train = grouped(2000);
  const auto out = plugins.run("reweigh", train, {{"group", Symbol{"site"}}});
  const Table t = deserialize(out.at(0).bytes, "weighted");
  const Column& w = t.column("sample_weight");
  const Column& site = t.column("site");
  const Column& y = t.column("label");
  double total = 0, positive = 0;
  std::map<std::string, std::pair<double, double>> by_site;  // weight, positive weight
  for (std::size_t r = 0; r < t.rows(); ++r) {
    total += w.floats[r];
    positive += w.floats[r] * double(y.ints[r]);
    auto& [all, pos] = by_site[std::string(site.text(r))];
    all += w.floats[r];
    pos += w.floats[r] * double(y.ints[r]);
  }
  BOOST_TEST(total == 2000.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST_REQUIRE(by_site.size() == 3u);
  // P_w(y = 1 | site) = P_w(y = 1) for every site, and site sizes are unchanged.
  for (const auto& [name, sums] : by_site)
    BOOST_TEST(sums.second / sums.first == positive / total, boost::test_tools::tolerance(1e-12));
  // ...whereas the unweighted rates differ (the test would be empty otherwise).
  const Json report = Json::parse(out.at(1).bytes);
  BOOST_TEST(report["max_weight"].get<double>() > 1.2);
  BOOST_TEST(report["min_weight"].get<double>() < 0.8);
}

BOOST_AUTO_TEST_CASE(empty_cells_are_counted_and_small_counts_hidden) {
  FairPlugins plugins;
  Table t;
  std::vector<std::string> g;
  std::vector<std::int64_t> y;
  for (int i = 0; i < 40; ++i) g.push_back("big"), y.push_back(i < 15);
  for (int i = 0; i < 12; ++i) g.push_back("none"), y.push_back(0);     // no positive: empty cell
  for (int i = 0; i < 20; ++i) g.push_back("few"), y.push_back(i < 3);  // 3 positives: hidden
  t.columns = {string_column("g", g), int_column("y", y)};
  t.roles = {{"label", "y"}, {"group", "g"}};
  const auto out = plugins.run("reweigh", t, {{"name", Symbol{"w"}}});
  const Json r = Json::parse(out.at(1).bytes);
  BOOST_TEST(r["empty_cells"] == 1);
  BOOST_TEST(r["by_group"]["none"]["positives"]["rows"] == 0);
  BOOST_TEST(r["by_group"]["few"]["positives"]["rows"].is_null());
  // Complementary suppression: "few"'s other cell would give the 3 back from the group's rows.
  BOOST_TEST(r["by_group"]["few"]["negatives"]["rows"].is_null());
  // ...and along the positives column (label totals follow from the shown weights): "few"'s 3
  // hidden alone would come back as total - 15, so the 15 is hidden too.
  BOOST_TEST(r["by_group"]["big"]["positives"]["rows"].is_null());
  // Then "none"'s 12 (negatives column) and "big"'s 25 (its row total is shown) go as well.
  BOOST_TEST(r["by_group"]["big"]["negatives"]["rows"].is_null());
  BOOST_TEST(r["by_group"]["none"]["negatives"]["rows"].is_null());
  BOOST_TEST(r["suppressed_cells"] == 5);
  BOOST_TEST(r["by_group"]["big"]["rows"] == 40);
  const Table weighted = deserialize(out.at(0).bytes, "weighted");
  BOOST_TEST(weighted.find("w") != nullptr);
  // A second run gives the same bytes.
  const auto again = plugins.run("reweigh", t, {{"name", Symbol{"w"}}});
  BOOST_TEST(again.at(0).bytes == out.at(0).bytes);
  BOOST_TEST(again.at(1).bytes == out.at(1).bytes);
}

BOOST_AUTO_TEST_CASE(logistic_sample_weight_equals_duplicating_rows) {
  FairPlugins plugins;
  Table base = synthetic(200);
  // Weight 2 on the first 50 rows == those rows twice, weight 1.
  std::vector<double> w(200, 1.0);
  std::vector<std::uint32_t> rows;
  for (std::uint32_t i = 0; i < 200; ++i) rows.push_back(i);
  for (std::uint32_t i = 0; i < 50; ++i) w[i] = 2.0, rows.push_back(i);
  Table weighted = base;
  weighted.columns.push_back(float_column("w", w));
  const Table duplicated = base.take(rows);
  const Model a = model_from_json(
      plugins.run("logistic", weighted, {{"sample_weight", Symbol{"w"}}}).at(0).bytes, "a");
  const Model b = model_from_json(plugins.run("logistic", duplicated).at(0).bytes, "b");
  BOOST_TEST(a.design.features == b.design.features, boost::test_tools::per_element());
  const LinearParameters pa = linear_from_json(a.parameters, a.design.size(), "a");
  const LinearParameters pb = linear_from_json(b.parameters, b.design.size(), "b");
  BOOST_TEST(pa.intercept == pb.intercept, boost::test_tools::tolerance(1e-8));
  for (Eigen::Index j = 0; j < pa.weights.size(); ++j)
    BOOST_TEST(pa.weights(j) == pb.weights(j), boost::test_tools::tolerance(1e-8));
  BOOST_TEST(a.training.details["sample_weight"] == "w");
}

BOOST_AUTO_TEST_CASE(logistic_rejects_bad_sample_weights) {
  FairPlugins plugins;
  Table t = synthetic(50);
  std::vector<double> w(50, 1.0);
  w[7] = -1;
  t.columns.push_back(float_column("w", w));
  try {
    plugins.run("logistic", t, {{"sample_weight", Symbol{"w"}}});
    BOOST_FAIL("negative weight accepted");
  } catch (const clinflow::StepError& e) {
    BOOST_TEST(std::string(e.what()) ==
               "logistic: sample weight column 'w': 1 row(s) missing, not finite or negative "
               "(first at row 7)");
  }
  t.column("w").floats.assign(50, 0.0);
  BOOST_CHECK_THROW(plugins.run("logistic", t, {{"sample_weight", Symbol{"w"}}}),
                    clinflow::StepError);
}

BOOST_AUTO_TEST_SUITE_END()
