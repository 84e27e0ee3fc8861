// The DP-SGD trainer: with the noise off, no clipping and the full batch it is plain gradient
// descent (checked against a reference written in the test); it fits XOR, which logistic
// regression cannot; and it is a function of the data and the seed.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "dp_sgd.hpp"
#include "mlp_dp_sgd.hpp"
#include "support.hpp"

namespace dp = clinflow::dp;

namespace {

dp::DpSgdConfig plain_gradient_descent(std::int64_t steps, double lr, double l2) {
  dp::DpSgdConfig c;
  c.sampling_rate = 1.0;  // every row in every batch
  c.steps = steps;
  c.clip = dp::kNoClip;
  c.noise_multiplier = 0.0;
  c.learning_rate = lr;
  c.l2 = l2;
  c.seed = 11;
  return c;
}

void check_equals_reference(dp::MlpShape shape) {
  const mlp_test::Data d = mlp_test::noisy_data(25, shape.inputs, 6);
  const dp::MlpLayout layout(shape);
  const dp::DpSgdConfig c = plain_gradient_descent(40, 0.3, 0.01);
  const dp::MlpFit fit = dp::train_dp_mlp(d.x, d.y, layout, c);
  const Eigen::VectorXd start = dp::initial_parameters(layout, c.seed);
  const std::vector<double> expected = mlp_test::reference_gradient_descent(
      layout, std::vector<double>(start.data(), start.data() + start.size()), d, 40, 0.3, 0.01);
  const Eigen::Map<const Eigen::VectorXd> want(expected.data(), Eigen::Index(expected.size()));
  BOOST_TEST(fit.steps == 40);
  BOOST_TEST(fit.sampled_rows == 40 * 25);
  BOOST_TEST((fit.theta - want).norm() <= 1e-10 * want.norm());
  BOOST_TEST((fit.theta - start).norm() > 0.05);  // it did move
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mlp_training)

BOOST_AUTO_TEST_CASE(noise_off_no_clip_full_batch_is_gradient_descent_relu) {
  check_equals_reference({3, {6}, dp::Activation::kRelu});
}

BOOST_AUTO_TEST_CASE(noise_off_no_clip_full_batch_is_gradient_descent_tanh_two_layers) {
  check_equals_reference({4, {5, 3}, dp::Activation::kTanh});
}

BOOST_AUTO_TEST_CASE(an_mlp_fits_xor_where_logistic_regression_cannot) {
  const mlp_test::Data d = mlp_test::xor_data(400, 31);
  dp::DpSgdConfig c;
  c.sampling_rate = 0.1;
  c.steps = 3000;
  c.clip = 1e6;  // dp_logistic wants a finite bound; none of these gradients reaches it
  c.noise_multiplier = 0.0;
  c.learning_rate = 0.5;
  c.seed = 3;
  const dp::LogisticFit linear = dp::train_dp_logistic(d.x, d.y, c);
  Eigen::VectorXd z = d.x * linear.weights;
  z.array() += linear.intercept;
  const double linear_accuracy =
      mlp_test::accuracy(z.unaryExpr([](double v) { return dp::sigmoid(v); }), d.y);

  const dp::MlpLayout layout({2, {16}, dp::Activation::kTanh});
  const dp::MlpFit mlp = dp::train_dp_mlp(d.x, d.y, layout, c);
  const double mlp_accuracy = mlp_test::accuracy(dp::predict_risk(layout, mlp.theta, d.x), d.y);
  BOOST_TEST_MESSAGE("XOR accuracy: logistic " << linear_accuracy << ", mlp " << mlp_accuracy);
  BOOST_TEST(linear_accuracy < 0.7);
  BOOST_TEST(mlp_accuracy > 0.95);
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_bits_and_noise_changes_them) {
  const mlp_test::Data d = mlp_test::noisy_data(200, 3, 12);
  const dp::MlpLayout layout({3, {8, 4}, dp::Activation::kRelu});
  dp::DpSgdConfig c;
  c.sampling_rate = 0.05;
  c.steps = 100;
  c.noise_multiplier = 1.2;
  c.seed = 77;
  const dp::MlpFit a = dp::train_dp_mlp(d.x, d.y, layout, c);
  const dp::MlpFit b = dp::train_dp_mlp(d.x, d.y, layout, c);
  BOOST_TEST((a.theta.array() == b.theta.array()).all());
  c.seed = 78;
  BOOST_TEST((a.theta.array() != dp::train_dp_mlp(d.x, d.y, layout, c).theta.array()).any());
  // Same seed, noise off: the same batches (sampled_rows) but other weights.
  c.seed = 77;
  c.noise_multiplier = 0.0;
  const dp::MlpFit quiet = dp::train_dp_mlp(d.x, d.y, layout, c);
  BOOST_TEST(quiet.sampled_rows == a.sampled_rows);
  BOOST_TEST((quiet.theta - a.theta).norm() > 1e-3);
}

BOOST_AUTO_TEST_CASE(bad_data_and_configuration_are_refused) {
  const mlp_test::Data d = mlp_test::noisy_data(10, 2, 1);
  const dp::MlpLayout layout({2, {3}, dp::Activation::kRelu});
  dp::DpSgdConfig c;
  c.steps = 1;
  BOOST_CHECK_THROW(dp::train_dp_mlp(d.x.leftCols(1), d.y, layout, c), std::invalid_argument);
  Eigen::VectorXd bad = d.y;
  bad[3] = 2.0;
  BOOST_CHECK_THROW(dp::train_dp_mlp(d.x, bad, layout, c), std::invalid_argument);
  c.clip = 0.0;
  BOOST_CHECK_THROW(dp::train_dp_mlp(d.x, d.y, layout, c), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
