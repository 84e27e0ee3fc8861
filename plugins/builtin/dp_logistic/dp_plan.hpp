// The privacy plan of a DP-SGD step (dp_logistic, dp_mlp), from its parameters alone: the number of
// steps, the noise multiplier (given, or calibrated with the accountant for the target epsilon) and
// the resulting mechanism. The compiler (Plugin::privacy_spend) and run() both call
// plan_from_params, so the budget check and the trained model state the same spend.
#pragma once

#include <clinflow/plugin.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dp_sgd.hpp"
#include "model.hpp"

namespace clinflow::dp {

/// Everything the parameters fix about training and its privacy.
struct DpPlan {
  double target_epsilon = 0;  ///< the `epsilon` parameter
  double delta = 0;
  double epochs = 0;
  double sampling_rate = 0;
  std::int64_t steps = 0;       ///< ceil(epochs / sampling_rate)
  double noise_multiplier = 0;  ///< given, or the smallest that meets target_epsilon
  bool calibrated = false;      ///< true when noise_multiplier was calibrated
  double epsilon = 0;  ///< what the mechanism actually spends at delta (<= target when calibrated)
  double clip = 0;
  double learning_rate = 0;
  double l2 = 0;

  DpMechanism mechanism() const { return DpMechanism{noise_multiplier, sampling_rate, steps}; }
  /// The trainer's configuration for this plan and the step's seed.
  DpSgdConfig config(std::uint64_t seed) const;
  /// What the model's training record says about privacy and the DP-SGD settings.
  builtin::PrivacyRecord privacy_record() const;
  nlohmann::json details() const;
  /// Runs train(config(ctx.seed()), keep_going) with the step's progress and cancellation, and
  /// turns the trainer's errors (bad data, cancellation) into StepErrors.
  template <class Train>
  auto train(Context& ctx, Train train) const {
    const KeepGoing keep_going = [&ctx](double done) {
      ctx.progress(done);
      return !ctx.cancelled();
    };
    try {
      return train(config(ctx.seed()), keep_going);
    } catch (const std::exception& e) {
      throw StepError(e.what());
    }
  }
};

/// The parameters every DP-SGD step takes, in order: epsilon, delta, epochs, sampling_rate,
/// clip, learning_rate, l2, noise_multiplier, exclude. The docs of clip and l2 differ by model.
std::vector<ParamSpec> dp_sgd_params(const char* clip_doc, const char* l2_doc);

/// ceil(epochs / q), where a quotient within 1e-9 of an integer counts as that integer
/// (20 / 0.01 is 2000, not 2001 from rounding). Throws StepError (prefixed by `step`) beyond
/// 1e8 steps.
std::int64_t steps_for(double epochs, double sampling_rate,
                       const std::string& step = "dp_logistic");

/// The plan for these parameters (defaults from `manifest`). Deterministic: the same parameters
/// always give the same plan. Throws StepError, prefixed by `step` (the DP-SGD step type whose
/// parameters these are: dp_logistic, dp_mlp), for values out of range or a target epsilon the
/// accountant cannot reach.
DpPlan plan_from_params(const Params& params, const Manifest& manifest,
                        const std::string& step = "dp_logistic");

}  // namespace clinflow::dp
