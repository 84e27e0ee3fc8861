// Noise calibration (the inverse of epsilon) and rejection of invalid input.
#include <boost/test/unit_test.hpp>
#include <clinflow/rdp.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

namespace {

using clinflow::DpMechanism;
using clinflow::rdp::ConversionMethod;
namespace rdp = clinflow::rdp;

/// The exception must be std::invalid_argument in house style and mention `what`.
auto message_has(const std::string& what) {
  return [what](const std::invalid_argument& e) {
    const std::string message = e.what();
    return message.rfind("clinflow: error: ", 0) == 0 && message.find(what) != std::string::npos;
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(calibration)

// sigma = calibrate(target) meets the target, and 2e-4 less noise (twice the promised
// precision) no longer does: sigma is the smallest one to within 1e-4 relative.
BOOST_AUTO_TEST_CASE(round_trip) {
  struct Case {
    double q;
    std::int64_t steps;
    double target, delta;
    ConversionMethod method;
  };
  const Case cases[] = {{0.004, 14063, 3.0, 1e-5, ConversionMethod::kImproved},
                        {0.004, 14063, 3.0, 1e-5, ConversionMethod::kClassic},
                        {0.01, 1000, 0.5, 1e-6, ConversionMethod::kImproved},
                        {1.0, 1, 1.0, 1e-5, ConversionMethod::kImproved},
                        {0.001, 1'000'000, 8.0, 1e-7, ConversionMethod::kImproved},
                        {0.3, 50, 50.0, 1e-5, ConversionMethod::kImproved}};
  for (const Case& c : cases) {
    const double sigma = rdp::calibrate_noise_multiplier(c.q, c.steps, c.target, c.delta, c.method);
    auto eps = [&](double s) {
      return rdp::epsilon({DpMechanism{s, c.q, c.steps}}, c.delta, c.method);
    };
    BOOST_TEST_CONTEXT("q " << c.q << " steps " << c.steps << " target " << c.target) {
      BOOST_CHECK_LE(eps(sigma), c.target);
      BOOST_CHECK_GT(eps(sigma * (1 - 2e-4)), c.target);
    }
  }
}

BOOST_AUTO_TEST_CASE(more_budget_needs_less_noise) {
  const double tight = rdp::calibrate_noise_multiplier(0.01, 5000, 1.0, 1e-5);
  const double loose = rdp::calibrate_noise_multiplier(0.01, 5000, 4.0, 1e-5);
  BOOST_CHECK_GT(tight, loose);
  BOOST_CHECK_GT(loose, 0.0);
}

BOOST_AUTO_TEST_CASE(nothing_spent_needs_no_noise) {
  BOOST_CHECK_EQUAL(rdp::calibrate_noise_multiplier(0.0, 100, 1.0, 1e-5), 0.0);
  BOOST_CHECK_EQUAL(rdp::calibrate_noise_multiplier(0.5, 0, 1.0, 1e-5), 0.0);
}

// With finite orders epsilon has a floor (about 0.02 at delta 1e-5 with orders up to 256) until
// the RDP drops below delta^2; for 1e7 full-batch steps that takes far more noise than 1e7.
BOOST_AUTO_TEST_CASE(unreachable_target_is_refused) {
  BOOST_CHECK_EXCEPTION(rdp::calibrate_noise_multiplier(1.0, 10'000'000, 0.001, 1e-5),
                        std::invalid_argument, message_has("cannot be reached"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(validation)

BOOST_AUTO_TEST_CASE(bad_mechanisms) {
  const auto orders = rdp::default_orders();
  BOOST_CHECK_EXCEPTION(rdp::mechanism_rdp({-1.0, 0.1, 10}, orders), std::invalid_argument,
                        message_has("noise multiplier"));
  BOOST_CHECK_EXCEPTION(rdp::mechanism_rdp({NAN, 0.1, 10}, orders), std::invalid_argument,
                        message_has("noise multiplier"));
  BOOST_CHECK_EXCEPTION(rdp::mechanism_rdp({1.0, -0.1, 10}, orders), std::invalid_argument,
                        message_has("sampling rate"));
  BOOST_CHECK_EXCEPTION(rdp::mechanism_rdp({1.0, 1.5, 10}, orders), std::invalid_argument,
                        message_has("sampling rate"));
  BOOST_CHECK_EXCEPTION(rdp::mechanism_rdp({1.0, 0.1, -1}, orders), std::invalid_argument,
                        message_has("steps"));
  BOOST_CHECK_EXCEPTION(rdp::mechanism_rdp({1.0, 0.1, 10}, {2.0, 1.0}), std::invalid_argument,
                        message_has("order"));
  BOOST_CHECK_EXCEPTION(rdp::epsilon({{1.0, 2.0, 10}}, 1e-5), std::invalid_argument,
                        message_has("sampling rate"));
}

BOOST_AUTO_TEST_CASE(bad_delta) {
  for (double delta : {0.0, 1.0, -1e-5, 2.0, static_cast<double>(NAN)}) {
    BOOST_TEST_CONTEXT("delta " << delta) {
      BOOST_CHECK_EXCEPTION(rdp::epsilon({{1.0, 0.1, 10}}, delta), std::invalid_argument,
                            message_has("delta"));
      BOOST_CHECK_EXCEPTION(rdp::epsilon_from_rdp({2.0}, {0.1}, delta), std::invalid_argument,
                            message_has("delta"));
      BOOST_CHECK_EXCEPTION(rdp::calibrate_noise_multiplier(0.1, 10, 1.0, delta),
                            std::invalid_argument, message_has("delta"));
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_conversion_input) {
  BOOST_CHECK_EXCEPTION(rdp::epsilon_from_rdp({2.0, 3.0}, {0.1}, 1e-5), std::invalid_argument,
                        message_has("one value per order"));
  BOOST_CHECK_EXCEPTION(rdp::epsilon_from_rdp({}, {}, 1e-5), std::invalid_argument,
                        message_has("one value per order"));
  BOOST_CHECK_EXCEPTION(rdp::epsilon_from_rdp({2.0}, {-0.1}, 1e-5), std::invalid_argument,
                        message_has("RDP values"));
  BOOST_CHECK_EXCEPTION(rdp::epsilon_from_rdp({0.5}, {0.1}, 1e-5), std::invalid_argument,
                        message_has("order"));
}

BOOST_AUTO_TEST_CASE(bad_calibration_input) {
  BOOST_CHECK_EXCEPTION(rdp::calibrate_noise_multiplier(0.1, 10, 0.0, 1e-5), std::invalid_argument,
                        message_has("target epsilon"));
  BOOST_CHECK_EXCEPTION(rdp::calibrate_noise_multiplier(0.1, 10, INFINITY, 1e-5),
                        std::invalid_argument, message_has("target epsilon"));
  BOOST_CHECK_EXCEPTION(rdp::calibrate_noise_multiplier(-0.1, 10, 1.0, 1e-5), std::invalid_argument,
                        message_has("sampling rate"));
  BOOST_CHECK_EXCEPTION(rdp::calibrate_noise_multiplier(0.1, -10, 1.0, 1e-5), std::invalid_argument,
                        message_has("steps"));
}

BOOST_AUTO_TEST_SUITE_END()
