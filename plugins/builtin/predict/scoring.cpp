// Implementation notes: xgboost models are scored by libxgboost (common/xgboost_model.hpp).
#include "scoring.hpp"

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

Eigen::VectorXd score_mlp(const Model& model, const Eigen::MatrixXd& x, const std::string& step) {
  Eigen::MatrixXd a = x;  // rows = examples
  try {
    const auto& layers = model.parameters.at("layers");
    if (!layers.is_array() || layers.empty()) throw StepError(step + ": the model has no layers");
    for (const auto& layer : layers) {
      const auto w = layer.at("weights").get<std::vector<std::vector<double>>>();
      const auto b = layer.at("bias").get<std::vector<double>>();
      const auto activation = layer.at("activation").get<std::string>();
      const Eigen::Index outputs = Eigen::Index(w.size());
      if (outputs == 0 || b.size() != w.size())
        throw StepError(step + ": damaged model: layer shapes disagree");
      Eigen::MatrixXd weights(outputs, a.cols());
      for (Eigen::Index o = 0; o < outputs; ++o) {
        if (Eigen::Index(w[std::size_t(o)].size()) != a.cols())
          throw StepError(step + ": damaged model: layer shapes disagree");
        for (Eigen::Index i = 0; i < a.cols(); ++i)
          weights(o, i) = w[std::size_t(o)][std::size_t(i)];
      }
      Eigen::MatrixXd z = a * weights.transpose();
      z.rowwise() += Eigen::Map<const Eigen::RowVectorXd>(b.data(), outputs);
      if (activation == "relu")
        a = z.cwiseMax(0.0);
      else if (activation == "identity")
        a = z;
      else if (activation == "sigmoid")
        a = z.unaryExpr([](double v) { return sigmoid(Eigen::VectorXd::Constant(1, v))(0); });
      else
        throw StepError(step + ": damaged model: unknown activation '" + activation + "'");
    }
  } catch (const nlohmann::json::exception& e) {
    throw StepError(step + ": damaged dp_mlp parameters: " + e.what());
  }
  if (a.cols() != 1) throw StepError(step + ": damaged model: the last layer has not one output");
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
