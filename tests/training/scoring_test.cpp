// predict's scoring of each model kind, called directly (this test is built without
// libxgboost, so an xgboost model must be refused clearly rather than mis-scored).
#include "scoring.hpp"

#include <boost/test/unit_test.hpp>
#include <cmath>

#include "support.hpp"

using namespace clinflow::builtin;

namespace {

Model with_features(const std::string& kind, std::size_t p) {
  Model m;
  m.kind = kind;
  for (std::size_t j = 0; j < p; ++j) {
    DesignColumn c;
    c.name = std::string("f").append(std::to_string(j));
    m.design.columns.push_back(c);
    m.design.features.push_back(c.name);
  }
  return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(scoring)

BOOST_AUTO_TEST_CASE(mlp_layers_are_applied_in_order) {
  Model m = with_features("dp_mlp", 2);
  m.parameters = {
      {"layers",
       {{{"weights", {{1.0, -1.0}, {0.5, 0.5}}}, {"bias", {0.0, -1.0}}, {"activation", "relu"}},
        {{"weights", {{2.0, -3.0}}}, {"bias", {0.25}}, {"activation", "sigmoid"}}}}};
  Eigen::MatrixXd x(2, 2);
  x << 3, 1,  //
      0, 4;
  const Eigen::VectorXd risk = score(m, x, "predict");
  // Row 0: hidden relu(2, 1) = (2, 1); z = 4 - 3 + 0.25. Row 1: relu(-4, 1) = (0, 1); z = -2.75.
  BOOST_TEST(risk(0) == 1 / (1 + std::exp(-1.25)), boost::test_tools::tolerance(1e-15));
  BOOST_TEST(risk(1) == 1 / (1 + std::exp(2.75)), boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(linear_kinds_share_one_format) {
  Model m = with_features("dp_logistic", 2);
  LinearParameters p;
  p.intercept = -1;
  p.weights = Eigen::Vector2d(2, 0.5);
  m.parameters = to_json(p);
  const Eigen::VectorXd risk = score(m, Eigen::MatrixXd::Ones(1, 2), "predict");
  BOOST_TEST(risk(0) == 1 / (1 + std::exp(-1.5)), boost::test_tools::tolerance(1e-15));
  m.parameters["weights"] = {1.0};
  BOOST_CHECK_THROW(score(m, Eigen::MatrixXd::Ones(1, 2), "predict"), clinflow::StepError);
}

BOOST_AUTO_TEST_CASE(unknown_kinds_are_refused) {
  BOOST_CHECK_EXCEPTION(score(with_features("svm", 1), Eigen::MatrixXd::Ones(1, 1), "predict"),
                        clinflow::StepError, [](const clinflow::StepError& e) {
                          return std::string(e.what()) == "predict: unknown model kind 'svm'";
                        });
  BOOST_CHECK_THROW(score(with_features("xgboost", 1), Eigen::MatrixXd::Ones(1, 1), "predict"),
                    clinflow::StepError);
}

BOOST_AUTO_TEST_SUITE_END()
