// The C API wrapper called directly: it learns, it is deterministic, saved bytes score exactly
// as the booster that made them, and bad input is a StepError.
#include "xgboost_model.hpp"

#include <boost/test/unit_test.hpp>
#include <clinflow/plugin.hpp>
#include <limits>

#include "support.hpp"

using clinflow::StepError;
using clinflow::builtin::xgboost_predict;
using clinflow::builtin::xgboost_train;
using clinflow::builtin::XgboostOptions;
using namespace xgboost_test;

namespace {

XgboostOptions small_options() {
  XgboostOptions o;
  o.rounds = 30;
  o.max_depth = 3;
  o.threads = 2;
  o.seed = 1234;
  return o;
}

bool message_has(const StepError& e, const std::string& text) {
  return std::string(e.what()).find(text) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(xgboost_model)

BOOST_AUTO_TEST_CASE(learns_a_signal) {
  const Problem p = synthetic(400);
  int rounds_seen = 0;
  XgboostOptions o = small_options();
  o.on_round = [&](int done) { rounds_seen = done; };
  const auto fit = xgboost_train(p.X, p.y, o, "xgboost");
  BOOST_TEST(rounds_seen == 30);
  BOOST_TEST_REQUIRE(fit.train_risk.size() == 400u);
  for (double r : fit.train_risk) BOOST_TEST((r > 0 && r < 1));
  BOOST_TEST(auc(fit.train_risk, p.y) > 0.8);
  // On fresh rows of the same problem too: the trees found the signal, not the rows.
  const Problem fresh = synthetic(400, 99);
  BOOST_TEST(auc(xgboost_predict(fit.booster, fresh.X), fresh.y) > 0.75);
}

BOOST_AUTO_TEST_CASE(same_inputs_give_same_bytes) {
  const Problem p = synthetic(300);
  XgboostOptions o = small_options();
  o.subsample = 0.7;  // exercises the seeded row sampling
  const auto a = xgboost_train(p.X, p.y, o, "xgboost");
  const auto b = xgboost_train(p.X, p.y, o, "xgboost");
  BOOST_TEST(a.booster == b.booster);
  BOOST_TEST(a.train_risk == b.train_risk);
  o.seed = 99;  // another seed samples other rows: the seed reaches xgboost
  BOOST_TEST(xgboost_train(p.X, p.y, o, "xgboost").booster != a.booster);
}

BOOST_AUTO_TEST_CASE(saved_bytes_predict_as_the_trained_booster) {
  const Problem p = synthetic(300);
  for (const char* format : {"ubj", "json"}) {
    XgboostOptions o = small_options();
    o.format = format;
    const auto fit = xgboost_train(p.X, p.y, o, "xgboost");
    BOOST_TEST(xgboost_predict(fit.booster, p.X) == fit.train_risk);
    BOOST_TEST(xgboost_predict(fit.booster, p.X, 2) == fit.train_risk);
  }
  XgboostOptions o = small_options();
  o.format = "json";
  BOOST_TEST(xgboost_train(p.X, p.y, o, "xgboost").booster.front() == '{');
}

BOOST_AUTO_TEST_CASE(sparse_and_dense_forms_train_the_same_booster) {
  // Half the cells zero, as in a one-hot design: zero is missing in both forms.
  Problem p = synthetic(300);
  for (Eigen::Index i = 0; i < p.X.rows(); ++i)
    for (Eigen::Index j = 0; j < p.X.cols(); ++j)
      if ((i + j) % 2) p.X(i, j) = 0;
  const Eigen::SparseMatrix<double> sparse = p.X.sparseView();
  BOOST_TEST_REQUIRE(sparse.nonZeros() < p.X.size());
  const auto dense_fit = xgboost_train(p.X, p.y, small_options(), "xgboost");
  const auto sparse_fit = xgboost_train(sparse, p.y, small_options(), "xgboost");
  BOOST_TEST(sparse_fit.booster == dense_fit.booster);
  BOOST_TEST(sparse_fit.train_risk == dense_fit.train_risk);
  BOOST_TEST(xgboost_predict(sparse_fit.booster, sparse) == dense_fit.train_risk);
  BOOST_TEST(xgboost_predict(sparse_fit.booster, p.X) == dense_fit.train_risk);
}

BOOST_AUTO_TEST_CASE(bad_options_are_step_errors) {
  const Problem p = synthetic(50);
  auto fails_with = [&](XgboostOptions o, const std::string& text) {
    try {
      xgboost_train(p.X, p.y, o, "xgboost");
      BOOST_ERROR("no error for " + text);
    } catch (const StepError& e) {
      BOOST_TEST(message_has(e, "xgboost: " + text), e.what());
    }
  };
  XgboostOptions o = small_options();
  o.eta = 0;
  fails_with(o, "eta must be in (0, 1]");
  o = small_options();
  o.subsample = 1.5;
  fails_with(o, "subsample must be in (0, 1]");
  o = small_options();
  o.rounds = 0;
  fails_with(o, "rounds must be at least 1");
  o = small_options();
  o.max_depth = 0;
  fails_with(o, "max_depth must be in [1, 32]");
  o = small_options();
  o.format = "xml";
  fails_with(o, "booster format must be ubj or json");
}

BOOST_AUTO_TEST_CASE(bad_data_and_bytes_are_step_errors) {
  Problem p = synthetic(50);
  const auto fit = xgboost_train(p.X, p.y, small_options(), "xgboost");
  BOOST_CHECK_EXCEPTION(xgboost_predict("not a booster", p.X), StepError, [](const StepError& e) {
    return message_has(e, "XGBoosterLoadModelFromBuffer failed");
  });
  BOOST_CHECK_EXCEPTION(xgboost_predict(fit.booster, p.X.leftCols(2)), StepError,
                        [](const StepError& e) {
                          return message_has(e, "trained on 3 features but the matrix has 2");
                        });
  BOOST_CHECK_EXCEPTION(xgboost_predict("", p.X), StepError,
                        [](const StepError& e) { return message_has(e, "no booster bytes"); });
  p.X(7, 1) = std::numeric_limits<double>::infinity();
  BOOST_CHECK_EXCEPTION(xgboost_train(p.X, p.y, small_options(), "xgboost"), StepError,
                        [](const StepError& e) { return message_has(e, "feature column 1"); });
  BOOST_CHECK_EXCEPTION(
      xgboost_train(p.X.topRows(10), p.y, small_options(), "xgboost"), StepError,
      [](const StepError& e) { return message_has(e, "labels (50) and rows (10)"); });
}

BOOST_AUTO_TEST_SUITE_END()
