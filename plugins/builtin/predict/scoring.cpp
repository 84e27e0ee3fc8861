// Implementation notes: xgboost models are scored by libxgboost (common/xgboost_model.hpp); an
// MLP scores all rows at once, one matrix product per layer.
#include "scoring.hpp"

#include <cmath>

#include "xgboost_model.hpp"

namespace clinflow::builtin {
namespace {

Eigen::VectorXd score_linear(const Model& model, const Eigen::MatrixXd& x,
                             const std::string& step) {
  const LinearParameters p = linear_from_json(model.parameters, model.design.size(), step);
  Eigen::VectorXd z = x * p.weights;
  z.array() += p.intercept;
  return sigmoid(z);
}

/// The activation applied elementwise to a layer's pre-activations.
Eigen::MatrixXd activate(const std::string& activation, Eigen::MatrixXd z) {
  if (activation == "relu") return z.cwiseMax(0.0);
  if (activation == "tanh") return z.unaryExpr([](double v) { return std::tanh(v); });
  if (activation == "sigmoid") {
    for (Eigen::Index c = 0; c < z.cols(); ++c) z.col(c) = sigmoid(z.col(c));
    return z;
  }
  return z;  // identity (mlp_from_json admits no other name)
}

Eigen::VectorXd score_mlp(const Model& model, const Eigen::MatrixXd& x, const std::string& step) {
  const MlpParameters p = mlp_from_json(model.parameters, model.design.size(), step);
  Eigen::MatrixXd a = x;  // rows = examples, columns = the layer's inputs
  for (const MlpLayer& layer : p.layers) {
    Eigen::MatrixXd z = a * layer.weights.transpose();
    z.rowwise() += layer.bias.transpose();
    a = activate(layer.activation, std::move(z));
  }
  return a.col(0);
}

}  // namespace

Eigen::VectorXd score(const Model& model, const Eigen::MatrixXd& x, const std::string& step) {
  if (model.kind == "logistic" || model.kind == "dp_logistic") return score_linear(model, x, step);
  if (model.kind == "dp_mlp") return score_mlp(model, x, step);
  if (model.kind == "xgboost") {
    std::string booster;
    try {
      booster = base64_decode(model.parameters.at("booster").get<std::string>(), step);
    } catch (const nlohmann::json::exception& e) {
      throw StepError(step + ": damaged xgboost parameters: " + e.what());
    }
    const std::vector<double> risk = xgboost_predict(booster, x);  // one thread: deterministic
    return Eigen::Map<const Eigen::VectorXd>(risk.data(), Eigen::Index(risk.size()));
  }
  throw StepError(step + ": unknown model kind '" + model.kind + "'");
}

}  // namespace clinflow::builtin
