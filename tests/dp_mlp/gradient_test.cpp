// Per-example gradients of the network: equal to finite differences of each example's own loss,
// clipped example by example to the bound, and summed without materialising them.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <numeric>

#include "mlp_network.hpp"
#include "support.hpp"

namespace dp = clinflow::dp;

namespace {

std::vector<Eigen::Index> all_rows(Eigen::Index n) {
  std::vector<Eigen::Index> rows(static_cast<std::size_t>(n));
  std::iota(rows.begin(), rows.end(), Eigen::Index{0});
  return rows;
}

/// Central differences of example `row`'s loss with respect to every parameter.
Eigen::VectorXd finite_difference_gradient(const dp::MlpLayout& layout,
                                           const Eigen::VectorXd& theta, const mlp_test::Data& d,
                                           Eigen::Index row) {
  const Eigen::MatrixXd x = d.x.row(row);
  const Eigen::VectorXd y = Eigen::VectorXd::Constant(1, d.y[row]);
  Eigen::VectorXd g(theta.size());
  for (Eigen::Index k = 0; k < theta.size(); ++k) {
    const double h = 1e-6;
    Eigen::VectorXd up = theta, down = theta;
    up[k] += h;
    down[k] -= h;
    g[k] = (dp::mean_log_loss(layout, up, x, y) - dp::mean_log_loss(layout, down, x, y)) / (2 * h);
  }
  return g;
}

void check_against_finite_differences(dp::MlpShape shape) {
  const mlp_test::Data d = mlp_test::noisy_data(12, shape.inputs, 3);
  const dp::MlpLayout layout(shape);
  const Eigen::VectorXd theta = dp::initial_parameters(layout, 17);
  const Eigen::MatrixXd g =
      dp::per_example_gradients(layout, theta, d.x, d.y, all_rows(12), dp::kNoClip);
  BOOST_TEST_REQUIRE(g.rows() == 12);
  BOOST_TEST_REQUIRE(g.cols() == layout.size());
  for (Eigen::Index i = 0; i < 12; ++i) {
    const Eigen::VectorXd fd = finite_difference_gradient(layout, theta, d, i);
    BOOST_TEST_INFO("example " << i);
    BOOST_TEST((g.row(i).transpose() - fd).norm() <= 1e-6 * std::max(1.0, fd.norm()));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mlp_gradients)

BOOST_AUTO_TEST_CASE(layout_counts_every_weight_and_bias) {
  const dp::MlpLayout one({5, {4}, dp::Activation::kRelu});
  BOOST_TEST(one.size() == 5 * 4 + 4 + 4 * 1 + 1);
  const dp::MlpLayout two({5, {4, 3}, dp::Activation::kTanh});
  BOOST_TEST(two.size() == 5 * 4 + 4 + 4 * 3 + 3 + 3 + 1);
  BOOST_TEST(two.bias_offset(1) == 5 * 4 + 4 + 4 * 3);
  BOOST_CHECK_THROW(dp::MlpLayout({5, {}, dp::Activation::kRelu}), std::invalid_argument);
  BOOST_CHECK_THROW(dp::MlpLayout({5, {4, 3, 2}, dp::Activation::kRelu}), std::invalid_argument);
  BOOST_CHECK_THROW(dp::MlpLayout({5, {0}, dp::Activation::kRelu}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(initial_weights_depend_on_the_seed_only_and_biases_start_at_zero) {
  const dp::MlpLayout layout({6, {8, 4}, dp::Activation::kRelu});
  const Eigen::VectorXd a = dp::initial_parameters(layout, 9),
                        b = dp::initial_parameters(layout, 9);
  BOOST_TEST((a.array() == b.array()).all());
  BOOST_TEST((a.array() != dp::initial_parameters(layout, 10).array()).any());
  for (std::size_t l = 0; l < layout.layers(); ++l) {
    BOOST_TEST(layout.bias(a, l).isZero(0.0));
    const double bound = std::sqrt(
        6.0 / (l < 2 ? double(layout.inputs(l)) : double(layout.inputs(l) + layout.outputs(l))));
    BOOST_TEST(layout.weights(a, l).cwiseAbs().maxCoeff() <= bound);
    BOOST_TEST(layout.weights(a, l).cwiseAbs().maxCoeff() > 0.5 * bound);
  }
}

BOOST_AUTO_TEST_CASE(per_example_gradients_match_finite_differences_tanh_two_layers) {
  check_against_finite_differences({3, {5, 4}, dp::Activation::kTanh});
}

BOOST_AUTO_TEST_CASE(per_example_gradients_match_finite_differences_relu_one_layer) {
  check_against_finite_differences({4, {6}, dp::Activation::kRelu});
}

BOOST_AUTO_TEST_CASE(each_example_is_clipped_to_the_bound_in_its_own_direction) {
  const mlp_test::Data d = mlp_test::noisy_data(40, 3, 5);
  const dp::MlpLayout layout({3, {6, 4}, dp::Activation::kRelu});
  const Eigen::VectorXd theta = dp::initial_parameters(layout, 2);
  const std::vector<Eigen::Index> rows = all_rows(40);
  const Eigen::MatrixXd raw = dp::per_example_gradients(layout, theta, d.x, d.y, rows, dp::kNoClip);
  // Between the middle norms as the bound: about half the examples are clipped, half kept.
  std::vector<double> norms(static_cast<std::size_t>(raw.rows()));
  for (Eigen::Index i = 0; i < raw.rows(); ++i) norms[std::size_t(i)] = raw.row(i).norm();
  std::sort(norms.begin(), norms.end());
  const double clip = 0.5 * (norms[19] + norms[20]);  // no example sits on the bound
  const Eigen::MatrixXd clipped = dp::per_example_gradients(layout, theta, d.x, d.y, rows, clip);
  int clipped_count = 0, kept_count = 0;
  for (Eigen::Index i = 0; i < raw.rows(); ++i) {
    const double norm = raw.row(i).norm();
    BOOST_TEST_INFO("example " << i);
    BOOST_TEST(clipped.row(i).norm() <= clip * (1 + 1e-12));
    if (norm > clip) {
      ++clipped_count;
      BOOST_TEST(clipped.row(i).norm() == clip, boost::test_tools::tolerance(1e-12));
      BOOST_TEST((clipped.row(i) - (clip / norm) * raw.row(i)).norm() <= 1e-15 * norm);
    } else {
      ++kept_count;
      BOOST_TEST((clipped.row(i).array() == raw.row(i).array()).all());
    }
  }
  // Both branches were exercised.
  BOOST_TEST(clipped_count >= 15);
  BOOST_TEST(kept_count >= 15);
}

BOOST_AUTO_TEST_CASE(the_clipped_sum_is_the_sum_of_the_clipped_examples) {
  const mlp_test::Data d = mlp_test::noisy_data(30, 4, 8);
  const dp::MlpLayout layout({4, {5}, dp::Activation::kTanh});
  const Eigen::VectorXd theta = dp::initial_parameters(layout, 4);
  const std::vector<Eigen::Index> rows{0, 3, 4, 10, 17, 29};
  for (double clip : {0.3, 2.0, dp::kNoClip}) {
    const Eigen::VectorXd sum = dp::clipped_gradient_sum(layout, theta, d.x, d.y, rows, clip);
    const Eigen::VectorXd expected =
        dp::per_example_gradients(layout, theta, d.x, d.y, rows, clip).colwise().sum();
    BOOST_TEST((sum - expected).norm() <= 1e-12 * std::max(1.0, expected.norm()));
  }
  BOOST_TEST(dp::clipped_gradient_sum(layout, theta, d.x, d.y, {}, 1.0).isZero(0.0));
}

BOOST_AUTO_TEST_SUITE_END()
