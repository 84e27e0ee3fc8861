// dp_mlp: a multilayer perceptron (one or two hidden layers) trained with DP-SGD, as a "model"
// artifact of kind dp_mlp whose training.privacy records the guarantee.
//
// Implementation notes. The privacy plan is dp_logistic's (dp_plan.hpp: the same parameters, the
// same calibration against clinflow/rdp.hpp), so privacy_spend, which the compiler's budget
// check and the run-time ledger read, is exactly the mechanism run() trains with. The
// architecture (hidden, activation) does not change the spend: clipping bounds each example's
// whole gradient whatever its shape. As for dp_logistic, the feature layout and any
// preprocessing fitted on the same rows are not covered by the guarantee.
#include <clinflow/plugin.hpp>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "csv.hpp"
#include "design.hpp"
#include "dp_plan.hpp"
#include "mlp_dp_sgd.hpp"
#include "model.hpp"
#include "table.hpp"

namespace clinflow_dp_mlp {

using namespace clinflow;
using namespace clinflow::builtin;

inline constexpr const char* kStep = "dp_mlp";
inline constexpr double kMaxWidth = 4096;  ///< a guard against a typo allocating gigabytes

/// The architecture from `hidden` and `activation`; StepError when out of range.
dp::MlpShape shape_from(const Params& params, const Manifest& manifest, Eigen::Index inputs) {
  dp::MlpShape shape;
  shape.inputs = inputs;
  const Value hidden = param(params, manifest, "hidden");
  if (!hidden.is<List>() || hidden.as<List>().empty() || hidden.as<List>().size() > 2)
    throw StepError(std::string(kStep) + ": hidden must list 1 or 2 layer widths, e.g. [32, 16]");
  for (const Value& width : hidden.as<List>()) {
    if (!width.is_number() || !(width.number() >= 1 && width.number() <= kMaxWidth) ||
        width.number() != std::floor(width.number()))
      throw StepError(std::string(kStep) + ": hidden layer widths must be integers in 1..4096");
    shape.hidden.push_back(static_cast<Eigen::Index>(width.number()));
  }
  const Value activation = param(params, manifest, "activation");
  try {
    shape.activation = dp::activation_from_name(
        activation.is<Symbol>()
            ? activation.as<Symbol>().name
            : (activation.is<std::string>() ? activation.as<std::string>() : ""));
  } catch (const std::invalid_argument& e) {
    throw StepError(e.what());
  }
  return shape;
}

class DpMlp final : public StepType {
 public:
  DpMlp() {
    manifest_.name = kStep;
    manifest_.version = "0.1.0";
    manifest_.summary = "Multilayer perceptron (1 or 2 hidden layers) trained with DP-SGD";
    manifest_.doc =
        "dp_mlp(train, hidden: [32], activation: relu, epsilon: 2.0, delta: 1e-5, epochs: 20,\n"
        "sampling_rate: 0.01, clip: 1.0, learning_rate: 0.1, l2: 0.0) trains a network with\n"
        "one or two hidden layers of the given widths (relu or tanh) and a sigmoid output on\n"
        "the design of `train` (design.hpp; impute and scale first), with DP-SGD exactly as\n"
        "dp_logistic: ceil(epochs / sampling_rate) steps, Poisson sampling, each example's\n"
        "gradient of ALL the network's parameters clipped to L2 norm `clip`, Gaussian noise of\n"
        "sd noise_multiplier * clip, division by the expected batch size. noise_multiplier is\n"
        "calibrated with the RDP accountant to spend at most `epsilon` at `delta`, or given\n"
        "directly. The compiler charges exactly that spend to [privacy].budget; the model's\n"
        "training.privacy holds it. Initial weights are drawn from the step's seed. Not\n"
        "covered by the guarantee: the one-hot categories and preprocessing fitted on the\n"
        "same rows.";
    ParamSpec activation = optional_param("activation", ParamType::kSymbol, Symbol{"relu"},
                                          "Hidden-layer nonlinearity: relu or tanh.");
    activation.choices = {"relu", "tanh"};
    manifest_.params = {list_param("hidden", ParamType::kInt, Value(List{Value(32)}),
                                   "Hidden layer widths, input side first: 1 or 2 of them."),
                        activation};
    for (ParamSpec& p : dp::dp_sgd_params("L2 bound on each example's whole gradient.",
                                          "L2 penalty (l2 / 2) |W|^2 on the weights (not biases)."))
      manifest_.params.push_back(std::move(p));
    manifest_.inputs = {PortSpec{"train", types::kTable, "Training rows with a label role.", false},
                        preprocessing_port()};
    manifest_.outputs = {
        PortSpec{"model", types::kModel, "The model (clinflow.model/1, kind dp_mlp).", false}};
    manifest_.safety.fits_on = 0;
    manifest_.safety.differentially_private = true;
  }

  std::vector<DpMechanism> privacy_spend(const Params& params) const override {
    return {dp::plan_from_params(params, manifest_, kStep).mechanism()};
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const dp::DpPlan plan = dp::plan_from_params(params, manifest_, kStep);
    const Table train = input_table(inputs, 0, kStep);
    const Value exclude = param(params, manifest_, "exclude");
    Model model;
    model.kind = kStep;
    attach_preprocessing(model, inputs, 1, kStep);
    model.design = fit_design(
        train, exclude.is_none() ? std::vector<std::string>{} : symbol_list(exclude), kStep);
    const Eigen::MatrixXd x = matrix(model.design, train, kStep);
    const Eigen::VectorXd y = labels(train, kStep);
    const dp::MlpLayout layout(shape_from(params, manifest_, x.cols()));
    const dp::MlpFit fit =
        plan.train(ctx, [&](const dp::DpSgdConfig& config, const dp::KeepGoing& keep_going) {
          return dp::train_dp_mlp(x, y, layout, config, keep_going);
        });
    model.parameters = to_json(dp::to_model_parameters(layout, fit.theta));
    model.training = training_record(inputs, 0, y, ctx.seed());
    model.training.privacy = plan.privacy_record();
    model.training.details = plan.details();
    model.training.details["hidden"] = layout.shape().hidden;
    model.training.details["activation"] = dp::activation_name(layout.shape().activation);
    char summary[200];
    std::snprintf(summary, sizeof summary,
                  "%s: %lld steps, noise multiplier %.6g, epsilon %.4g at delta %g, %zu features, "
                  "%lld parameters",
                  kStep, static_cast<long long>(plan.steps), plan.noise_multiplier, plan.epsilon,
                  plan.delta, model.design.size(), static_cast<long long>(layout.size()));
    ctx.log(summary);
    return {model_artifact(model)};
  }
};

}  // namespace clinflow_dp_mlp

CLINFLOW_PLUGIN_STEPS(clinflow_dp_mlp::DpMlp)
