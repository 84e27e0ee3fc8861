// The "model" artifact: a trained model, its feature layout and how it was trained, as JSON.
//
// Format "clinflow.model/1" (keys sorted, as nlohmann::json writes objects; doubles in the
// shortest text that reads back exactly, so to_json(from_json(x)) == x byte for byte):
// @code
//   {"design": {...design.hpp to_json...},
//    "format": "clinflow.model/1",
//    "kind": "logistic" | "dp_logistic" | "dp_mlp" | "xgboost",
//    "parameters": {...kind-specific, below...},
//    "training": {"data_hash": "<sha256 hex of the training table artifact bytes>",
//                 "positives": 120, "rows": 812, "seed": 1234,
//                 "privacy": null | {"delta":1e-05,"epsilon":2,"noise_multiplier":1.1,
//                                    "sampling_rate":0.01,"steps":2000},
//                 "details": {...kind-specific, e.g. iterations, loss, hyper-parameters}},
//    "preprocessing": {...}}   (only when the trainer was given the fitted preprocessing
//                               its training table went through: preprocessing.hpp's JSON)
// @endcode
// Parameters by kind:
//  - logistic, dp_logistic: {"intercept": b, "weights": [w_1, ..., w_p]}, weights in design
//    feature order; risk = 1 / (1 + exp(-(b + x.w))).  (LinearParameters below.)
//  - dp_mlp: {"layers": [{"activation": "relu"|"tanh"|"identity"|"sigmoid", "bias": [..],
//    "weights": [[..], ..]}, ...]}, weights row-major (outputs x inputs, one inner array per
//    output unit); layer 1 reads the design features, each next layer the previous outputs; the
//    last layer has one output and activation "sigmoid".  (MlpParameters below.)
//  - xgboost: {"booster": "<base64 of XGBoosterSaveModelToBuffer bytes>", "booster_format":
//    "json"|"ubj"}.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "design.hpp"

namespace clinflow::builtin {

inline constexpr const char* kModelFormat = "clinflow.model/1";

/// The differential-privacy guarantee a model was trained under.
struct PrivacyRecord {
  double epsilon = 0;
  double delta = 0;
  double noise_multiplier = 0;
  double sampling_rate = 0;
  std::int64_t steps = 0;
};

/// How a model was trained (no patient data: counts, a hash, the seed).
struct TrainingRecord {
  std::uint64_t rows = 0;
  std::uint64_t positives = 0;
  std::uint64_t seed = 0;
  std::string data_hash;                 ///< sha256 hex of the training table artifact bytes
  std::optional<PrivacyRecord> privacy;  ///< null in JSON when absent
  nlohmann::json details = nlohmann::json::object();  ///< kind-specific (iterations, loss, ...)
};

struct Model {
  std::string kind;  ///< logistic | dp_logistic | dp_mlp | xgboost
  Design design;
  nlohmann::json parameters = nlohmann::json::object();
  TrainingRecord training;
  /// The fitted imputation and scaling the training table went through (preprocessing.hpp),
  /// when the trainer was given it: what new raw data needs before this model scores it.
  nlohmann::json preprocessing;  ///< null when absent
};

/// The artifact text (format above).
std::string to_json_text(const Model& model);
/// Parses model JSON; throws StepError (prefixed by `source`) when it is not a
/// "clinflow.model/1" document.
Model model_from_json(std::string_view text, const std::string& source);

/// Artifact{type "model", to_json_text(model)}.
Artifact model_artifact(const Model& model);
/// The model held by input `index` (which must be a "model" artifact); `step` names the step.
Model input_model(const Inputs& inputs, std::size_t index, const std::string& step);

/// The optional last input port of every trainer: the preprocessing its training table went
/// through, kept in the model (`logistic(train_x, prep)`).
PortSpec preprocessing_port();
/// Keeps input `index` (when given; it must be a "preprocessing" artifact) in the model.
void attach_preprocessing(Model& model, const Inputs& inputs, std::size_t index,
                          const std::string& step);
/// The table after the model's own preprocessing (apply_preprocessing with the statistics kept
/// in the model); a StepError when the model keeps none.
Table apply_model_preprocessing(const Model& model, Table table, const std::string& step);

/// The start of a TrainingRecord for a model fitted on input `index`: data_hash of that input's
/// artifact bytes, rows and positives from `y` (0/1 labels), seed.
TrainingRecord training_record(const Inputs& inputs, std::size_t index, const Eigen::VectorXd& y,
                               std::uint64_t seed);

/// Lowercase hex SHA-256 of `bytes` (OpenSSL).
std::string sha256_hex(std::string_view bytes);

/// Standard base64 (RFC 4648, with '=' padding), e.g. for xgboost booster bytes.
std::string base64_encode(std::string_view bytes);
/// Inverse of base64_encode; throws StepError (prefixed by `source`) on invalid text.
std::string base64_decode(std::string_view text, const std::string& source);

/// Parameters of a linear model (kinds logistic, dp_logistic).
struct LinearParameters {
  double intercept = 0;
  Eigen::VectorXd weights;  ///< one per design feature
};
nlohmann::json to_json(const LinearParameters& p);
/// Throws StepError (prefixed by `source`) when not an object with "intercept" and `features`
/// "weights".
LinearParameters linear_from_json(const nlohmann::json& json, std::size_t features,
                                  const std::string& source);

/// One layer of a multilayer perceptron: activation(weights * input + bias).
struct MlpLayer {
  std::string activation;   ///< relu | tanh | identity | sigmoid
  Eigen::MatrixXd weights;  ///< outputs x inputs
  Eigen::VectorXd bias;     ///< one per output
};

/// Parameters of a multilayer perceptron (kind dp_mlp), input layer first.
struct MlpParameters {
  std::vector<MlpLayer> layers;
};
nlohmann::json to_json(const MlpParameters& p);
/// Throws StepError (prefixed by `source`) unless the layers chain from `features` inputs to one
/// sigmoid output, with known activations and matching bias lengths.
MlpParameters mlp_from_json(const nlohmann::json& json, std::size_t features,
                            const std::string& source);

/// Numerically stable logistic function 1 / (1 + exp(-z)), elementwise.
Eigen::VectorXd sigmoid(const Eigen::VectorXd& z);

}  // namespace clinflow::builtin
