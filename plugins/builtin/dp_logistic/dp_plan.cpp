// The privacy plan of dp_logistic: see dp_plan.hpp.
//
// Implementation notes. Calibration is a bisection in clinflow/rdp.hpp; it depends only on
// (q, steps, epsilon, delta), so calling it once in the compiler and again in run() gives the
// same noise multiplier bit for bit. The accountant's std::invalid_argument messages already
// start with "clinflow: error: "; they are re-thrown as StepError without that prefix.
#include "dp_plan.hpp"

#include <clinflow/rdp.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

#include "csv.hpp"

namespace clinflow::dp {

namespace {

double number(const Params& params, const Manifest& manifest, const char* name) {
  return builtin::param(params, manifest, name).number();
}

[[noreturn]] void fail(const std::string& step, const std::string& what) {
  throw StepError(step + ": " + what);
}

std::string without_prefix(std::string message) {
  const std::string prefix = "clinflow: error: ";
  if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
  return message;
}

}  // namespace

std::int64_t steps_for(double epochs, double sampling_rate, const std::string& step) {
  const double quotient = epochs / sampling_rate;
  const double nearest = std::round(quotient);
  const double steps = std::fabs(quotient - nearest) <= 1e-9 * std::max(1.0, nearest)
                           ? nearest
                           : std::ceil(quotient);
  if (!(steps <= 1e8)) fail(step, "epochs / sampling_rate gives more than 1e8 steps");
  return static_cast<std::int64_t>(steps);
}

DpPlan plan_from_params(const Params& params, const Manifest& manifest, const std::string& step) {
  const auto require = [&step](bool ok, const std::string& what) {
    if (!ok) fail(step, what);
  };
  DpPlan p;
  p.target_epsilon = number(params, manifest, "epsilon");
  p.delta = number(params, manifest, "delta");
  p.epochs = number(params, manifest, "epochs");
  p.sampling_rate = number(params, manifest, "sampling_rate");
  p.clip = number(params, manifest, "clip");
  p.learning_rate = number(params, manifest, "learning_rate");
  p.l2 = number(params, manifest, "l2");
  require(p.target_epsilon > 0 && std::isfinite(p.target_epsilon), "epsilon must be > 0");
  require(p.delta > 0 && p.delta < 1, "delta must be in (0, 1)");
  require(p.epochs > 0 && std::isfinite(p.epochs), "epochs must be > 0");
  require(p.sampling_rate > 0 && p.sampling_rate <= 1, "sampling_rate must be in (0, 1]");
  require(p.clip > 0 && std::isfinite(p.clip), "clip must be > 0");
  require(p.learning_rate > 0 && std::isfinite(p.learning_rate), "learning_rate must be > 0");
  require(p.l2 >= 0 && std::isfinite(p.l2), "l2 must be >= 0");
  p.steps = steps_for(p.epochs, p.sampling_rate, step);
  const Value given = builtin::param(params, manifest, "noise_multiplier");
  try {
    if (given.is_none()) {
      p.noise_multiplier =
          rdp::calibrate_noise_multiplier(p.sampling_rate, p.steps, p.target_epsilon, p.delta);
      p.calibrated = true;
    } else {
      p.noise_multiplier = given.number();
      require(p.noise_multiplier > 0 && std::isfinite(p.noise_multiplier),
              "noise_multiplier must be > 0 (no noise is no privacy)");
    }
    p.epsilon = rdp::epsilon({p.mechanism()}, p.delta);
  } catch (const std::invalid_argument& e) {
    fail(step, without_prefix(e.what()));
  }
  return p;
}

DpSgdConfig DpPlan::config(std::uint64_t seed) const {
  DpSgdConfig c;
  c.sampling_rate = sampling_rate;
  c.steps = steps;
  c.clip = clip;
  c.noise_multiplier = noise_multiplier;
  c.learning_rate = learning_rate;
  c.l2 = l2;
  c.seed = seed;
  return c;
}

builtin::PrivacyRecord DpPlan::privacy_record() const {
  return builtin::PrivacyRecord{epsilon, delta, noise_multiplier, sampling_rate, steps};
}

nlohmann::json DpPlan::details() const {
  return {{"epochs", epochs},
          {"clip", clip},
          {"learning_rate", learning_rate},
          {"l2", l2},
          {"target_epsilon", target_epsilon},
          {"noise_calibrated", calibrated}};
}

namespace {
ParamSpec number_param(const char* name, double value, double min, const char* doc) {
  ParamSpec p = optional_param(name, ParamType::kFloat, value, doc);
  p.min = min;
  return p;
}
}  // namespace

std::vector<ParamSpec> dp_sgd_params(const char* clip_doc, const char* l2_doc) {
  ParamSpec noise = optional_param("noise_multiplier", ParamType::kFloat, Value(),
                                   "Noise sd / clip; default: calibrated to epsilon.");
  noise.min = 0.0;
  ParamSpec delta = number_param("delta", 1e-5, 0.0, "Target delta, in (0, 1).");
  delta.max = 1.0;
  ParamSpec rate = number_param("sampling_rate", 0.01, 0.0, "Poisson sampling rate q.");
  rate.max = 1.0;
  return {number_param("epsilon", 2.0, 0.0, "Target epsilon (calibrates the noise)."),
          delta,
          number_param("epochs", 20.0, 0.0, "Passes over the data; steps = ceil(epochs / q)."),
          rate,
          number_param("clip", 1.0, 0.0, clip_doc),
          number_param("learning_rate", 0.1, 0.0, "SGD step size."),
          number_param("l2", 0.0, 0.0, l2_doc),
          noise,
          list_param("exclude", ParamType::kSymbol, Value(), "Columns that are not features.")};
}

}  // namespace clinflow::dp
