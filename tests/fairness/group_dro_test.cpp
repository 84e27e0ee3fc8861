// group DRO: the minimax optimality condition, the worst group against the plain model, the
// artifact predict reads, determinism.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "design.hpp"
#include "dro_groups.hpp"
#include "dro_solver.hpp"
#include "fair_support.hpp"
#include "model.hpp"
#include "row_groups.hpp"

using namespace clinflow::builtin;
using namespace fairness_test;
using clinflow::Symbol;

namespace {

struct Problem {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  RowGroups groups;
};

Problem problem(std::size_t n) {
  const Table t = grouped(n);
  const Design d = fit_design(t, {"site"}, "test");
  return {matrix(d, t, "test"), labels(t, "test"), row_groups(t, {"site"}, "test")};
}

double objective(const Eigen::VectorXd& losses, const logistic::Fit& f, double n, double l2) {
  return n * losses.maxCoeff() + 0.5 * l2 * f.weights.squaredNorm();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(group_dro_solver)

BOOST_AUTO_TEST_CASE(active_groups_have_equal_loss_and_the_worst_group_improves) {
  const Problem p = problem(1500);
  const int g = int(p.groups.names.size());
  group_dro::Options options;
  options.inner.l2 = 0.1;
  options.tol = 1e-7;  // the default
  options.max_iter = 500;
  const group_dro::Result r = group_dro::fit(p.x, p.y, p.groups.of_row, g, options);
  BOOST_TEST_REQUIRE(r.converged);
  BOOST_TEST(r.gap <= 1e-7);
  BOOST_TEST(r.q.sum() == 1.0, boost::test_tools::tolerance(1e-12));
  // Optimality of the minimax: every group with weight has the worst loss.
  int active = 0;
  for (int k = 0; k < g; ++k) {
    if (r.q(k) < 1e-3) continue;
    ++active;
    BOOST_TEST(r.group_loss(k) == r.group_loss.maxCoeff(), boost::test_tools::tolerance(1e-5));
    BOOST_TEST_MESSAGE("group " << k << " q " << r.q(k) << " loss " << r.group_loss(k));
  }
  BOOST_TEST(active >= 2);  // the sites disagree: no single site decides
  // The plain model (q = n_g / n) has a worse worst group, and a worse DRO objective.
  const logistic::Fit plain =
      logistic::fit(p.x, p.y, Eigen::VectorXd::Ones(p.y.size()), options.inner);
  Eigen::VectorXd z = p.x * plain.weights;
  z.array() += plain.intercept;
  const Eigen::VectorXd plain_losses = group_dro::group_losses(z, p.y, p.groups.of_row, g);
  BOOST_TEST(r.group_loss.maxCoeff() < plain_losses.maxCoeff() - 1e-3);
  const double n = double(p.y.size());
  BOOST_TEST(objective(r.group_loss, r.fit, n, 0.1) <= objective(plain_losses, plain, n, 0.1));
}

BOOST_AUTO_TEST_CASE(sparse_and_dense_agree) {
  const Problem p = problem(600);
  const int g = int(p.groups.names.size());
  group_dro::Options options;
  const group_dro::Result dense = group_dro::fit(p.x, p.y, p.groups.of_row, g, options);
  const group_dro::Result sparse = group_dro::fit(Eigen::SparseMatrix<double>(p.x.sparseView()),
                                                  p.y, p.groups.of_row, g, options);
  BOOST_TEST(dense.converged);
  BOOST_TEST(sparse.converged);
  BOOST_TEST((dense.q - sparse.q).cwiseAbs().maxCoeff() < 1e-5);
}

BOOST_AUTO_TEST_CASE(small_groups_are_pooled) {
  RowGroups g;
  g.names = {"a", "b", "c"};
  g.sizes = {50, 3, 4};
  g.of_row = {0, 1, 2, 0};
  const RowGroups pooled = group_dro::pool_small_groups(g, 10);
  BOOST_TEST(pooled.names == (std::vector<std::string>{"a", "(small groups)"}),
             boost::test_tools::per_element());
  BOOST_TEST(pooled.sizes == (std::vector<std::size_t>{50, 7}), boost::test_tools::per_element());
  BOOST_TEST(pooled.of_row == (std::vector<int>{0, 1, 1, 0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(plugin_writes_a_logistic_model_predict_scores_deterministically) {
  FairPlugins plugins;
  const Table train = grouped(800);
  const clinflow::Params params = {{"group", Symbol{"site"}},
                                   {"exclude", clinflow::List{Symbol{"site"}}}};
  const auto out = plugins.run("group_dro_logistic", train, params);
  const Model m = model_from_json(out.at(0).bytes, "m");
  BOOST_TEST(m.kind == "logistic");
  BOOST_TEST(m.training.details["objective"] == "group_dro");
  BOOST_TEST(m.training.details["converged"] == true);
  double total = 0;
  for (const auto& [name, entry] : m.training.details["groups"].items())
    total += entry["weight"].get<double>();
  BOOST_TEST(total == 1.0, boost::test_tools::tolerance(1e-12));
  const auto scored = plugins.run("predict", {std::make_shared<const clinflow::Artifact>(out.at(0)),
                                              artifact(table_artifact(train))});
  BOOST_TEST(deserialize(scored.at(0).bytes, "s").find("risk") != nullptr);
  const auto again = plugins.run("group_dro_logistic", train, params);
  BOOST_TEST(again.at(0).bytes == out.at(0).bytes);
  BOOST_TEST(again.at(1).bytes == out.at(1).bytes);
}

BOOST_AUTO_TEST_SUITE_END()
