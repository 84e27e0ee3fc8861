// Implementation notes: the JSON text is nlohmann::json's dump(): objects are std::map (keys
// sorted) and doubles are written in the shortest form that parses back to the same value, so
// equal models give equal bytes and a parse/dump round trip is exact. Non-finite numbers
// cannot be written as JSON; a model holding one is a bug of the training step, reported here.
#include "model.hpp"

#include <array>
#include <cmath>
#include <cstdio>

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
  const nlohmann::json j = {{"format", kModelFormat},
                            {"kind", model.kind},
                            {"design", to_json(model.design)},
                            {"parameters", model.parameters},
                            {"training", std::move(training)}};
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

TrainingRecord training_record(const Inputs& inputs, std::size_t index, const Eigen::VectorXd& y,
                               std::uint64_t seed) {
  TrainingRecord t;
  if (index < inputs.size() && inputs[index]) t.data_hash = sha256_hex(inputs[index]->bytes);
  t.rows = std::uint64_t(y.size());
  for (Eigen::Index i = 0; i < y.size(); ++i) t.positives += y(i) == 1;
  t.seed = seed;
  return t;
}

// ---- SHA-256 (FIPS 180-4) ------------------------------------------------------------------

std::string sha256_hex(std::string_view bytes) {
  static constexpr std::array<std::uint32_t, 64> k = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
      0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
      0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
      0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
      0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
      0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
      0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
      0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
      0xc67178f2};
  std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const auto rotr = [](std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
  const auto block = [&](const unsigned char* p) {
    std::uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = std::uint32_t(p[4 * i]) << 24 | std::uint32_t(p[4 * i + 1]) << 16 |
             std::uint32_t(p[4 * i + 2]) << 8 | std::uint32_t(p[4 * i + 3]);
    for (int i = 16; i < 64; ++i) {
      const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
      const std::uint32_t t1 =
          hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      const std::uint32_t t2 =
          (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
  };
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t full = bytes.size() / 64 * 64;
  for (std::size_t i = 0; i < full; i += 64) block(data + i);
  // Padding: 0x80, zeros, then the message length in bits, big-endian.
  unsigned char tail[128] = {};
  const std::size_t rest = bytes.size() - full;
  std::copy(data + full, data + bytes.size(), tail);
  tail[rest] = 0x80;
  const std::size_t tail_size = rest + 9 <= 64 ? 64 : 128;
  const std::uint64_t bits = std::uint64_t(bytes.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_size - 1 - i] = (unsigned char)(bits >> (8 * i));
  for (std::size_t i = 0; i < tail_size; i += 64) block(tail + i);
  std::string hex;
  char buf[9];
  for (auto v : h) {
    std::snprintf(buf, sizeof buf, "%08x", v);
    hex += buf;
  }
  return hex;
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
