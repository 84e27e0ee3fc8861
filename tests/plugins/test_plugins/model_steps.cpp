// Test steps for models: fit, apply, evaluate, a differentially private fit, a metrics emitter.
//
// Implementation notes: t_dp's privacy_spend uses the SDK's RDP accountant (clinflow/rdp.hpp) to
// calibrate noise when `epsilon` is given, exactly as a real DP plugin would, so the compiler's
// budget tests exercise the same arithmetic. Metrics payloads are fixed JSON texts.
#include "test_step.hpp"

#if __has_include(<clinflow/rdp.hpp>)
#include <clinflow/rdp.hpp>
#define CLINFLOW_TEST_HAVE_RDP 1
#endif

#include <cmath>

namespace clinflow_test {
namespace {

using namespace clinflow;

Manifest base(std::string name, std::string summary) {
  Manifest m;
  m.name = std::move(name);
  m.version = "1.0.0";
  m.summary = std::move(summary);
  m.doc = "A step of the clinflow test plugin library.";
  return m;
}

std::string number(double x) {
  return detail::format_double(x);
}

void add_fit_apply(Registrar& r) {
  Manifest fit = base("t_fit", "Fits a model on a training table");
  ParamSpec l2 = spec("l2", ParamType::kFloat, 0.0);
  l2.min = 0;
  ParamSpec features = spec("features", ParamType::kList);
  features.element = ParamType::kSymbol;
  fit.params = {l2, features};
  fit.inputs = {port("train", types::kTable)};
  fit.outputs = {port("model", types::kModel)};
  fit.safety.fits_on = 0;
  r.add(std::make_unique<TestStep>(fit, [fit](Context&, const Inputs& in, const Params& p) {
    return Outputs{{types::kModel, "model(l2=" + number(param(p, fit, "l2").number()) + " on " +
                                       input_bytes(in, 0) + ")"}};
  }));

  Manifest apply = base("t_apply", "Applies a model to a table");
  apply.inputs = {port("model", types::kModel), port("data", types::kTable)};
  apply.outputs = {port("out", types::kTable)};
  r.add(std::make_unique<TestStep>(apply, [](Context&, const Inputs& in, const Params&) {
    return Outputs{{types::kTable, "apply(" + input_bytes(in, 0) + "," + input_bytes(in, 1) + ")"}};
  }));
}

void add_eval(Registrar& r) {
  Manifest m = base("t_eval", "Evaluates a model on a table");
  ParamSpec bootstrap = spec("bootstrap", ParamType::kInt, 100);
  bootstrap.min = 0;
  m.params = {bootstrap};
  m.inputs = {port("model", types::kModel), port("data", types::kTable)};
  m.outputs = {port("metrics", types::kMetrics)};
  m.metrics = {"auroc", "auroc.lower", "auroc.upper", "brier", "groups.*"};
  m.safety.evaluates = Safety::Evaluation{0, 1};
  r.add(std::make_unique<TestStep>(m, [](Context&, const Inputs&, const Params&) {
    return Outputs{{types::kMetrics,
                    R"({"auroc":{"value":0.8,"lower":0.75,"upper":0.85},"brier":0.1,)"
                    R"("groups":{"female":{"auroc":0.79},"male":{"auroc":0.81}}})"}};
  }));
}

/// The mechanism t_dp runs with these parameters (calibrated when epsilon is given).
DpMechanism dp_mechanism(const Manifest& m, const Params& p) {
  DpMechanism mech;
  mech.sampling_rate = param(p, m, "sampling_rate").number();
  mech.steps = param(p, m, "steps").as<std::int64_t>();
  Value epsilon = param(p, m, "epsilon");
  Value noise = param(p, m, "noise_multiplier");
  if (epsilon.is_number()) {
#ifdef CLINFLOW_TEST_HAVE_RDP
    mech.noise_multiplier = rdp::calibrate_noise_multiplier(
        mech.sampling_rate, mech.steps, epsilon.number(), param(p, m, "delta").number());
#else
    throw StepError("t_dp: epsilon needs clinflow/rdp.hpp, which this build does not have");
#endif
  } else if (noise.is_number()) {
    mech.noise_multiplier = noise.number();
  }
  return mech;
}

void add_dp(Registrar& r) {
  Manifest m = base("t_dp", "Fits a model with differential privacy (DP-SGD stand-in)");
  ParamSpec noise = spec("noise_multiplier", ParamType::kFloat);
  noise.min = 0.1;
  ParamSpec rate = spec("sampling_rate", ParamType::kFloat, 0.01);
  rate.min = 0;
  rate.max = 1;
  ParamSpec steps = spec("steps", ParamType::kInt, 1000);
  steps.min = 1;
  m.params = {noise, rate, steps, spec("epsilon", ParamType::kFloat),
              spec("delta", ParamType::kFloat, 1e-5)};
  m.inputs = {port("train", types::kTable)};
  m.outputs = {port("model", types::kModel)};
  m.safety.fits_on = 0;
  m.safety.differentially_private = true;
  auto run = [m](Context&, const Inputs& in, const Params& p) {
    DpMechanism mech = dp_mechanism(m, p);
    return Outputs{{types::kModel, "dp_model(sigma=" + number(mech.noise_multiplier) +
                                       " q=" + number(mech.sampling_rate) +
                                       " steps=" + std::to_string(mech.steps) + " on " +
                                       input_bytes(in, 0) + ")"}};
  };
  auto spend = [m](const Params& p) { return std::vector<DpMechanism>{dp_mechanism(m, p)}; };
  r.add(std::make_unique<TestStep>(m, run, spend));
}

void add_metrics(Registrar& r) {
  Manifest m = base("t_metrics", "Emits a metrics object with a given value");
  m.params = {spec("value", ParamType::kFloat, 0.5)};
  m.inputs = {port("in", types::kAny)};
  m.outputs = {port("metrics", types::kMetrics)};
  m.metrics = {"value", "nested.x"};
  r.add(std::make_unique<TestStep>(m, [m](Context&, const Inputs&, const Params& p) {
    const std::string v = number(param(p, m, "value").number());
    return Outputs{{types::kMetrics, R"({"value": )" + v + R"(, "nested": {"x": )" + v + "}}"}};
  }));
}

}  // namespace

void register_model_steps(Registrar& r) {
  add_fit_apply(r);
  add_eval(r);
  add_dp(r);
  add_metrics(r);
}

}  // namespace clinflow_test
