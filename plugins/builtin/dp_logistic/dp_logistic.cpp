// dp_logistic: logistic regression trained with DP-SGD, as a "model" artifact of kind
// dp_logistic whose training.privacy records the guarantee.
//
// Implementation notes. The step's privacy spend is a function of its parameters only
// (dp_plan.hpp), so the compiler can refuse an over-budget workflow before any data is read,
// and run() trains with exactly the mechanism the compiler accounted. The guarantee covers the
// gradient steps; the feature layout (the categories of string columns) and any preprocessing
// statistics are learnt from the training table without noise and are not covered by it.
#include <clinflow/plugin.hpp>
#include <cstdio>

#include "csv.hpp"
#include "design.hpp"
#include "dp_plan.hpp"
#include "dp_sgd.hpp"
#include "model.hpp"
#include "table.hpp"

namespace clinflow_dp_logistic {

using namespace clinflow;
using namespace clinflow::builtin;

inline constexpr const char* kStep = "dp_logistic";

class DpLogistic final : public StepType {
 public:
  DpLogistic() {
    manifest_.name = kStep;
    manifest_.version = "0.1.0";
    manifest_.summary = "Logistic regression trained with differentially private SGD";
    manifest_.doc =
        "dp_logistic(train, epsilon: 2.0, delta: 1e-5, epochs: 20, sampling_rate: 0.01,\n"
        "clip: 1.0, learning_rate: 0.1, l2: 0.0) trains on the design of `train`\n"
        "(design.hpp: numeric columns as they are, string columns one-hot; impute first) with\n"
        "DP-SGD: each of ceil(epochs / sampling_rate) steps Poisson-samples rows with\n"
        "probability sampling_rate, clips each example's gradient to L2 norm `clip`, adds\n"
        "Gaussian noise of sd noise_multiplier * clip and divides by the expected batch size.\n"
        "noise_multiplier is calibrated with the RDP accountant so that the run spends at most\n"
        "`epsilon` at `delta`, or given directly (`epsilon` is then unused). The compiler\n"
        "charges exactly that spend to [privacy].budget. The model's training.privacy holds\n"
        "the epsilon actually spent. Not covered by the guarantee: the one-hot categories and\n"
        "any preprocessing fitted on the same rows.";
    manifest_.params = dp::dp_sgd_params("L2 bound on each example's gradient.",
                                         "L2 penalty (l2 / 2) |w|^2 on the weights.");
    manifest_.inputs = {PortSpec{"train", types::kTable, "Training rows with a label role.", false},
                        preprocessing_port()};
    manifest_.outputs = {
        PortSpec{"model", types::kModel, "The model (clinflow.model/1, kind dp_logistic).", false}};
    manifest_.safety.fits_on = 0;
    manifest_.safety.differentially_private = true;
  }

  std::vector<DpMechanism> privacy_spend(const Params& params) const override {
    return {dp::plan_from_params(params, manifest_).mechanism()};
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const dp::DpPlan plan = dp::plan_from_params(params, manifest_);
    const Table train = input_table(inputs, 0, kStep);
    const Value exclude = param(params, manifest_, "exclude");
    Model model;
    model.kind = kStep;
    attach_preprocessing(model, inputs, 1, kStep);
    model.design = fit_design(
        train, exclude.is_none() ? std::vector<std::string>{} : symbol_list(exclude), kStep);
    const Eigen::MatrixXd x = matrix(model.design, train, kStep);
    const Eigen::VectorXd y = labels(train, kStep);
    const dp::LogisticFit fit =
        plan.train(ctx, [&](const dp::DpSgdConfig& config, const dp::KeepGoing& keep_going) {
          return dp::train_dp_logistic(x, y, config, keep_going);
        });
    model.parameters = to_json(LinearParameters{fit.intercept, fit.weights});
    model.training = training_record(inputs, 0, y, ctx.seed());
    model.training.privacy = plan.privacy_record();
    model.training.details = plan.details();
    char summary[160];
    std::snprintf(summary, sizeof summary,
                  "%s: %lld steps, noise multiplier %.6g, epsilon %.4g at delta %g, %zu features",
                  kStep, static_cast<long long>(plan.steps), plan.noise_multiplier, plan.epsilon,
                  plan.delta, model.design.size());
    ctx.log(summary);
    return {model_artifact(model)};
  }
};

}  // namespace clinflow_dp_logistic

CLINFLOW_PLUGIN_STEPS(clinflow_dp_logistic::DpLogistic)
