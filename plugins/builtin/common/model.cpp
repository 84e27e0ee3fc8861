// Implementation notes: the JSON text is nlohmann::json's dump(): objects are std::map (keys
// sorted) and doubles are written in the shortest form that parses back to the same value, so
// equal models give equal bytes and a parse/dump round trip is exact. Non-finite numbers
// cannot be written as JSON; a model holding one is a bug of the training step, reported here.
#include "model.hpp"

#include <openssl/evp.h>

#include <array>
#include <cmath>
#include <cstdio>

#include "preprocessing.hpp"

namespace clinflow::builtin {
namespace {

void check_finite(const nlohmann::json& j, const std::string& where) {
  if (j.is_number_float() && !std::isfinite(j.get<double>()))
    throw StepError(where + ": the model holds a non-finite number (training diverged)");
  if (j.is_structured())
    for (const auto& e : j) check_finite(e, where);
}

nlohmann::json to_json(const PrivacyRecord& p) {
  return {{"epsilon", p.epsilon},
          {"delta", p.delta},
          {"noise_multiplier", p.noise_multiplier},
          {"sampling_rate", p.sampling_rate},
          {"steps", p.steps}};
}

}  // namespace

std::string to_json_text(const Model& model) {
  nlohmann::json training = {{"rows", model.training.rows}, {"positives", model.training.positives},
                             {"seed", model.training.seed}, {"data_hash", model.training.data_hash},
                             {"privacy", nullptr},          {"details", model.training.details}};
  if (model.training.privacy) training["privacy"] = to_json(*model.training.privacy);
  nlohmann::json j = {{"format", kModelFormat},
                      {"kind", model.kind},
                      {"design", to_json(model.design)},
                      {"parameters", model.parameters},
                      {"training", std::move(training)}};
  if (!model.preprocessing.is_null()) j["preprocessing"] = model.preprocessing;
  check_finite(j, model.kind);
  return j.dump();
}

Model model_from_json(std::string_view text, const std::string& source) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("format") || j["format"] != kModelFormat)
    throw StepError(source + ": not a model artifact (expected JSON with \"format\": \"" +
                    std::string(kModelFormat) + "\")");
  Model m;
  try {
    m.kind = j.at("kind").get<std::string>();
    m.design = design_from_json(j.at("design"), source);
    m.parameters = j.at("parameters");
    const auto& t = j.at("training");
    m.training.rows = t.at("rows").get<std::uint64_t>();
    m.training.positives = t.at("positives").get<std::uint64_t>();
    m.training.seed = t.at("seed").get<std::uint64_t>();
    m.training.data_hash = t.at("data_hash").get<std::string>();
    if (t.contains("details")) m.training.details = t["details"];
    if (j.contains("preprocessing")) m.preprocessing = j["preprocessing"];
    if (t.contains("privacy") && !t["privacy"].is_null()) {
      const auto& p = t["privacy"];
      PrivacyRecord r;
      r.epsilon = p.at("epsilon").get<double>();
      r.delta = p.at("delta").get<double>();
      r.noise_multiplier = p.at("noise_multiplier").get<double>();
      r.sampling_rate = p.at("sampling_rate").get<double>();
      r.steps = p.at("steps").get<std::int64_t>();
      m.training.privacy = r;
    }
  } catch (const nlohmann::json::exception& e) {
    throw StepError(source + ": damaged model artifact: " + e.what());
  }
  return m;
}

Artifact model_artifact(const Model& model) {
  return Artifact{types::kModel, to_json_text(model)};
}

Model input_model(const Inputs& inputs, std::size_t index, const std::string& step) {
  if (index >= inputs.size() || !inputs[index])
    throw StepError(step + ": missing input model " + std::to_string(index + 1));
  if (inputs[index]->type != types::kModel)
    throw StepError(step + ": input " + std::to_string(index + 1) + " is a " + inputs[index]->type +
                    ", not a model");
  return model_from_json(inputs[index]->bytes, step + " input " + std::to_string(index + 1));
}

PortSpec preprocessing_port() {
  PortSpec p{"prep", preprocess::kArtifactType,
             "Optional: the fitted preprocessing the training table went through (kept in the "
             "model, so new raw data can be scored).",
             true};
  p.optional = true;
  return p;
}

void attach_preprocessing(Model& model, const Inputs& inputs, std::size_t index,
                          const std::string& step) {
  if (inputs.size() <= index) return;
  if (inputs.size() > index + 1)
    throw StepError(step + ": takes at most one preprocessing after the training table");
  if (!inputs[index] || inputs[index]->type != preprocess::kArtifactType)
    throw StepError(step + ": input " + std::to_string(index + 1) +
                    " must be a preprocessing artifact (from fit_preprocessing)");
  // Parsed once to check it, kept as JSON.
  preprocess::from_json(inputs[index]->bytes, step + " input " + std::to_string(index + 1));
  model.preprocessing = nlohmann::json::parse(inputs[index]->bytes);
}

Table apply_model_preprocessing(const Model& model, Table table, const std::string& step) {
  if (model.preprocessing.is_null())
    throw StepError(step +
                    ": preprocess: true, but the model keeps no preprocessing (train it "
                    "with the fitted preprocessing: logistic(train_x, prep))");
  return preprocess::apply(preprocess::from_json(model.preprocessing.dump(), step + ": model"),
                           std::move(table));
}

TrainingRecord training_record(const Inputs& inputs, std::size_t index, const Eigen::VectorXd& y,
                               std::uint64_t seed) {
  TrainingRecord t;
  if (index < inputs.size() && inputs[index]) t.data_hash = sha256_hex(inputs[index]->bytes);
  t.rows = std::uint64_t(y.size());
  for (Eigen::Index i = 0; i < y.size(); ++i) t.positives += y(i) == 1;
  t.seed = seed;
  return t;
}

// ---- SHA-256 ------------------------------------------------------------------------------

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw StepError("SHA-256 failed (OpenSSL)");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

// ---- base64 ----------------------------------------------------------------------------------

namespace {
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t v = std::uint32_t((unsigned char)bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= std::uint32_t((unsigned char)bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) v |= std::uint32_t((unsigned char)bytes[i + 2]);
    out += kBase64[v >> 18 & 63];
    out += kBase64[v >> 12 & 63];
    out += i + 1 < bytes.size() ? kBase64[v >> 6 & 63] : '=';
    out += i + 2 < bytes.size() ? kBase64[v & 63] : '=';
  }
  return out;
}

std::string base64_decode(std::string_view text, const std::string& source) {
  const auto fail = [&]() -> StepError { return StepError(source + ": invalid base64 text"); };
  if (text.size() % 4) throw fail();
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t v = 0;
    int pad = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char ch = text[i + j];
      int d;
      if (ch == '=' && i + 4 == text.size() && j >= 2) {
        ++pad;
        d = 0;
      } else {
        if (pad) throw fail();  // data after padding
        const char* at = std::char_traits<char>::find(kBase64, 64, ch);
        if (!at) throw fail();
        d = int(at - kBase64);
      }
      v = v << 6 | std::uint32_t(d);
    }
    out += char(v >> 16 & 255);
    if (pad < 2) out += char(v >> 8 & 255);
    if (pad < 1) out += char(v & 255);
  }
  return out;
}

// ---- Linear models -----------------------------------------------------------------------------

nlohmann::json to_json(const LinearParameters& p) {
  return {{"intercept", p.intercept},
          {"weights", std::vector<double>(p.weights.data(), p.weights.data() + p.weights.size())}};
}

LinearParameters linear_from_json(const nlohmann::json& json, std::size_t features,
                                  const std::string& source) {
  LinearParameters p;
  try {
    p.intercept = json.at("intercept").get<double>();
    const auto w = json.at("weights").get<std::vector<double>>();
    if (w.size() != features)
      throw StepError(source + ": the model has " + std::to_string(w.size()) + " weights for " +
                      std::to_string(features) + " features");
    p.weights = Eigen::Map<const Eigen::VectorXd>(w.data(), Eigen::Index(w.size()));
  } catch (const nlohmann::json::exception& e) {
    throw StepError(source + ": damaged linear model parameters: " + e.what());
  }
  return p;
}

// ---- Multilayer perceptrons -----------------------------------------------------------------

nlohmann::json to_json(const MlpParameters& p) {
  nlohmann::json layers = nlohmann::json::array();
  for (const MlpLayer& layer : p.layers) {
    nlohmann::json rows = nlohmann::json::array();
    for (Eigen::Index o = 0; o < layer.weights.rows(); ++o) {
      std::vector<double> row(std::size_t(layer.weights.cols()));
      for (Eigen::Index i = 0; i < layer.weights.cols(); ++i)
        row[std::size_t(i)] = layer.weights(o, i);
      rows.push_back(std::move(row));
    }
    layers.push_back(
        {{"activation", layer.activation},
         {"bias", std::vector<double>(layer.bias.data(), layer.bias.data() + layer.bias.size())},
         {"weights", std::move(rows)}});
  }
  return {{"layers", std::move(layers)}};
}

MlpParameters mlp_from_json(const nlohmann::json& json, std::size_t features,
                            const std::string& source) {
  const auto damaged = [&](const std::string& what) {
    return StepError(source + ": damaged dp_mlp parameters: " + what);
  };
  MlpParameters p;
  try {
    const auto& layers = json.at("layers");
    if (!layers.is_array() || layers.empty()) throw damaged("no layers");
    Eigen::Index inputs = Eigen::Index(features);
    for (const auto& layer : layers) {
      MlpLayer l;
      l.activation = layer.at("activation").get<std::string>();
      if (l.activation != "relu" && l.activation != "tanh" && l.activation != "identity" &&
          l.activation != "sigmoid")
        throw damaged("unknown activation '" + l.activation + "'");
      const auto w = layer.at("weights").get<std::vector<std::vector<double>>>();
      const auto b = layer.at("bias").get<std::vector<double>>();
      const std::string where = "layer " + std::to_string(p.layers.size() + 1);
      if (w.empty() || b.size() != w.size())
        throw damaged(where + " has " + std::to_string(w.size()) + " weight rows and " +
                      std::to_string(b.size()) + " biases");
      l.weights.resize(Eigen::Index(w.size()), inputs);
      for (std::size_t o = 0; o < w.size(); ++o) {
        if (Eigen::Index(w[o].size()) != inputs)
          throw damaged(where + " has a row of " + std::to_string(w[o].size()) + " weights for " +
                        std::to_string(inputs) + " inputs");
        for (Eigen::Index i = 0; i < inputs; ++i)
          l.weights(Eigen::Index(o), i) = w[o][std::size_t(i)];
      }
      l.bias = Eigen::Map<const Eigen::VectorXd>(b.data(), Eigen::Index(b.size()));
      inputs = l.weights.rows();
      p.layers.push_back(std::move(l));
    }
  } catch (const nlohmann::json::exception& e) {
    throw damaged(e.what());
  }
  if (p.layers.back().weights.rows() != 1 || p.layers.back().activation != "sigmoid")
    throw damaged("the last layer must have one output and activation 'sigmoid'");
  return p;
}

Eigen::VectorXd sigmoid(const Eigen::VectorXd& z) {
  Eigen::VectorXd p(z.size());
  for (Eigen::Index i = 0; i < z.size(); ++i) {
    // exp of a non-positive number only: no overflow for large |z|.
    if (z(i) >= 0) {
      p(i) = 1 / (1 + std::exp(-z(i)));
    } else {
      const double e = std::exp(z(i));
      p(i) = e / (1 + e);
    }
  }
  return p;
}

}  // namespace clinflow::builtin
