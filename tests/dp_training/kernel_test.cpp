// The DP-SGD kernel alone: per-example clipping, equality with a reference clipped SGD when the
// noise is off, determinism for a seed, and the noise actually being there.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <stdexcept>

#include "dp_sgd.hpp"
#include "support.hpp"

namespace dp = clinflow::dp;

namespace {

std::vector<Eigen::Index> all_rows(Eigen::Index n) {
  std::vector<Eigen::Index> rows;
  for (Eigen::Index i = 0; i < n; ++i) rows.push_back(i);
  return rows;
}

dp::DpSgdConfig config(double noise, std::uint64_t seed) {
  dp::DpSgdConfig c;
  c.sampling_rate = 0.05;
  c.steps = 300;
  c.clip = 0.5;
  c.noise_multiplier = noise;
  c.learning_rate = 0.2;
  c.l2 = 0.01;
  c.seed = seed;
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dp_sgd_kernel)

BOOST_AUTO_TEST_CASE(each_example_gradient_is_clipped_and_small_ones_are_unchanged) {
  const dp_test::Data data = dp_test::synthetic(200, 4, 3);
  const Eigen::VectorXd w = (Eigen::VectorXd(4) << 0.4, -0.3, 0.2, 0.1).finished();
  const double b = -0.2, clip = 0.8;
  const auto rows = all_rows(200);
  const Eigen::MatrixXd raw = dp::per_example_gradients(data.x, data.y, w, b, rows, 0.0);
  const Eigen::MatrixXd clipped = dp::per_example_gradients(data.x, data.y, w, b, rows, clip);
  int clipped_count = 0, unchanged_count = 0;
  for (Eigen::Index i = 0; i < raw.rows(); ++i) {
    // The raw gradient is (p - y) [x; 1], computed here independently.
    const double r = 1.0 / (1.0 + std::exp(-(data.x.row(i).dot(w) + b))) - data.y[i];
    BOOST_TEST(std::abs(raw(i, 4) - r) <= 1e-15);
    BOOST_TEST((raw.row(i).head(4) - r * data.x.row(i)).norm() <= 1e-14);
    BOOST_TEST(clipped.row(i).norm() <= clip * (1 + 1e-12));
    if (raw.row(i).norm() <= clip) {
      BOOST_TEST((clipped.row(i) - raw.row(i)).norm() == 0.0);
      ++unchanged_count;
    } else {
      // Same direction, norm exactly the bound.
      BOOST_TEST(std::abs(clipped.row(i).norm() - clip) <= 1e-12);
      BOOST_TEST((clipped.row(i) * raw.row(i).norm() / clip - raw.row(i)).norm() <= 1e-12);
      ++clipped_count;
    }
  }
  // The data must exercise both branches, or the test proves nothing.
  BOOST_TEST(clipped_count > 20);
  BOOST_TEST(unchanged_count > 20);
  // The sum the trainer uses equals the sum of the inspectable per-example gradients.
  const Eigen::VectorXd norms = data.x.rowwise().squaredNorm();
  const Eigen::VectorXd sum = dp::clipped_gradient_sum(data.x, data.y, norms, w, b, rows, clip);
  BOOST_TEST((sum - clipped.colwise().sum().transpose()).norm() <= 1e-12);
}

BOOST_AUTO_TEST_CASE(without_noise_it_is_the_reference_clipped_sgd) {
  const dp_test::Data data = dp_test::synthetic(400, 5, 17);
  const dp::DpSgdConfig c = config(0.0, 99);
  const dp::LogisticFit fit = dp::train_dp_logistic(data.x, data.y, c);
  const dp_test::Reference ref = dp_test::reference_clipped_sgd(
      data, c.sampling_rate, c.steps, c.clip, c.learning_rate, c.l2, c.seed);
  for (Eigen::Index j = 0; j < 5; ++j)
    BOOST_TEST(std::abs(fit.weights[j] - ref.w[static_cast<std::size_t>(j)]) <= 1e-12);
  BOOST_TEST(std::abs(fit.intercept - ref.b) <= 1e-12);
  // It learnt something: the first feature's weight has the generating sign.
  BOOST_TEST(fit.weights[0] > 0.1);
  BOOST_TEST(fit.steps == 300);
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_bits_and_another_seed_does_not) {
  const dp_test::Data data = dp_test::synthetic(300, 3, 5);
  const dp::LogisticFit a = dp::train_dp_logistic(data.x, data.y, config(1.1, 7));
  const dp::LogisticFit b = dp::train_dp_logistic(data.x, data.y, config(1.1, 7));
  const dp::LogisticFit c = dp::train_dp_logistic(data.x, data.y, config(1.1, 8));
  BOOST_TEST(a.weights == b.weights);
  BOOST_TEST(a.intercept == b.intercept);
  BOOST_TEST(a.sampled_rows == b.sampled_rows);
  BOOST_TEST((a.weights - c.weights).norm() > 1e-6);
}

BOOST_AUTO_TEST_CASE(noise_moves_the_weights_by_about_its_standard_deviation) {
  // One step with q = 1 on a single example whose clipped gradient is known: the update is
  // lr * (g + sigma * clip * z) / n, so the weights minus the noiseless ones are Gaussian.
  const dp_test::Data data = dp_test::synthetic(50, 20, 9);
  dp::DpSgdConfig c = config(2.0, 1);
  c.sampling_rate = 1.0;
  c.steps = 1;
  c.l2 = 0;
  c.learning_rate = 1.0;
  const dp::LogisticFit noisy = dp::train_dp_logistic(data.x, data.y, c);
  c.noise_multiplier = 0;
  const dp::LogisticFit clean = dp::train_dp_logistic(data.x, data.y, c);
  const Eigen::VectorXd z = (noisy.weights - clean.weights) * 50.0 / (2.0 * c.clip);
  const double sd = std::sqrt(z.squaredNorm() / 20.0);
  BOOST_TEST(sd > 0.5);
  BOOST_TEST(sd < 1.6);
}

BOOST_AUTO_TEST_CASE(box_muller_draws_have_mean_0_and_variance_1) {
  dp::GaussianStream g(123);
  double sum = 0, sum2 = 0;
  constexpr int kDraws = 200000;
  for (int i = 0; i < kDraws; ++i) {
    const double v = g.next();
    sum += v;
    sum2 += v * v;
  }
  BOOST_TEST(std::abs(sum / kDraws) < 0.01);
  BOOST_TEST(std::abs(sum2 / kDraws - 1.0) < 0.02);
}

BOOST_AUTO_TEST_CASE(poisson_sampling_keeps_about_q_of_the_rows) {
  dp::SplitMix64 rng(4);
  std::size_t kept = 0;
  for (int t = 0; t < 100; ++t) kept += dp::poisson_sample(rng, 10000, 0.01).size();
  BOOST_TEST(kept > 9500u);
  BOOST_TEST(kept < 10500u);
}

BOOST_AUTO_TEST_CASE(bad_shapes_labels_and_settings_are_refused) {
  const dp_test::Data data = dp_test::synthetic(20, 2, 1);
  Eigen::VectorXd y = data.y;
  y[3] = 2.0;
  BOOST_CHECK_THROW(dp::train_dp_logistic(data.x, y, config(1, 1)), std::invalid_argument);
  BOOST_CHECK_THROW(dp::train_dp_logistic(data.x, data.y.head(10), config(1, 1)),
                    std::invalid_argument);
  dp::DpSgdConfig c = config(1, 1);
  c.clip = 0;
  BOOST_CHECK_THROW(dp::train_dp_logistic(data.x, data.y, c), std::invalid_argument);
  c = config(1, 1);
  c.sampling_rate = 0;
  BOOST_CHECK_THROW(dp::train_dp_logistic(data.x, data.y, c), std::invalid_argument);
  Eigen::MatrixXd x = data.x;
  x(0, 0) = std::nan("");
  BOOST_CHECK_THROW(dp::train_dp_logistic(x, data.y, config(1, 1)), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(the_sample_is_poisson_by_geometric_gaps_and_ignores_the_thread_count) {
  // The first kept row is floor(log(u) / log(1 - q)) for the stream's first u in (0, 1].
  const double q = 0.013;
  dp::SplitMix64 rng(77), copy(77);
  const auto batch = dp::poisson_sample(rng, 70000, q);
  const double u = static_cast<double>((copy.next() >> 11) + 1) * 0x1.0p-53;
  BOOST_TEST_REQUIRE(!batch.empty());
  BOOST_TEST(batch.front() == Eigen::Index(std::floor(std::log(u) / std::log1p(-q))));
  // Over many steps: batch sizes average q n (sd of the mean ~ 2.1 here, so 10 is > 4 sd), the
  // rows are increasing and in range, both halves get their share, and the threads change nothing.
  const Eigen::Index n = 70000;  // two halves
  double total = 0, first_half = 0;
  const int steps = 200;
  for (std::int64_t step = 0; step < steps; ++step) {
    const auto one = dp::poisson_sample_step(5, step, n, q, 1);
    BOOST_TEST_REQUIRE(std::is_sorted(one.begin(), one.end()));
    BOOST_TEST_REQUIRE((std::adjacent_find(one.begin(), one.end()) == one.end()));
    BOOST_TEST_REQUIRE((one.empty() || (one.front() >= 0 && one.back() < n)));
    if (step < 3)
      for (int threads : {2, 3}) BOOST_TEST(dp::poisson_sample_step(5, step, n, q, threads) == one);
    total += double(one.size());
    for (Eigen::Index i : one) first_half += i < n / 2;
  }
  BOOST_TEST(std::abs(total / steps - q * double(n)) < 10.0);
  BOOST_TEST(std::abs(first_half / total - 0.5) < 0.01);
  // q = 1 keeps every row.
  BOOST_TEST(dp::poisson_sample_step(5, 0, 100, 1.0, 1).size() == 100u);
}

BOOST_AUTO_TEST_CASE(the_thread_count_does_not_change_a_bit) {
  // 70,000 rows: the next batch is drawn on a second thread when there is one.
  const dp_test::Data data = dp_test::synthetic(70000, 6, 21);
  dp::DpSgdConfig c = config(1.1, 5);
  c.steps = 40;
  c.threads = 1;
  const dp::LogisticFit one = dp::train_dp_logistic(data.x, data.y, c);
  c.threads = 2;
  const dp::LogisticFit two = dp::train_dp_logistic(data.x, data.y, c);
  BOOST_TEST(one.weights == two.weights);
  BOOST_TEST(one.intercept == two.intercept);
  BOOST_TEST(one.sampled_rows == two.sampled_rows);
}

BOOST_AUTO_TEST_SUITE_END()
