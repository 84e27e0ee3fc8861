// xgboost: gradient-boosted trees (libxgboost 1.7, binary:logistic, tree_method hist) on the
// features of design.hpp, saved as a clinflow.model/1 artifact of kind "xgboost".
//
// Implementation notes: the design is fitted on the training table and stored in the model, as
// for logistic, so predict() checks new data against it; the booster itself is the bytes of
// XGBoosterSaveModelToBuffer (UBJSON), base64 inside the model JSON. The result depends on the
// data, the parameters, ctx.seed() (row sampling) and `threads` (histogram sums are added in a
// per-thread order), so `threads` is a parameter of the step and never the machine's core count.
// Zero cells are missing to xgboost (xgboost_model.hpp), which lets training read the sparse
// design; predict() gives the same scores from the dense one.
#include <clinflow/plugin.hpp>
#include <cmath>

#include "csv.hpp"
#include "design.hpp"
#include "model.hpp"
#include "table.hpp"
#include "xgboost_model.hpp"

namespace clinflow_xgboost {

using namespace clinflow;
using namespace clinflow::builtin;

ParamSpec int_param(const char* name, std::int64_t value, double min, double max, const char* doc) {
  ParamSpec p = optional_param(name, ParamType::kInt, value, doc);
  p.min = min;
  p.max = max;
  return p;
}

ParamSpec float_param(const char* name, double value, double min, double max, const char* doc) {
  ParamSpec p = optional_param(name, ParamType::kFloat, value, doc);
  p.min = min;
  p.max = max;
  return p;
}

/// Mean log loss of `risk` against 0/1 labels, with risks clipped away from 0 and 1.
double log_loss(const std::vector<double>& risk, const Eigen::VectorXd& y) {
  double sum = 0;
  for (std::size_t i = 0; i < risk.size(); ++i) {
    const double p = std::min(std::max(risk[i], 1e-15), 1 - 1e-15);
    sum -= y(Eigen::Index(i)) == 1 ? std::log(p) : std::log(1 - p);
  }
  return risk.empty() ? 0 : sum / double(risk.size());
}

class Xgboost final : public StepType {
 public:
  Xgboost() {
    manifest_.name = "xgboost";
    manifest_.version = "0.1.0";
    manifest_.summary = "Gradient-boosted trees (libxgboost, binary:logistic)";
    manifest_.doc =
        "xgboost(train_x, rounds: 200, max_depth: 4, eta: 0.1, subsample: 1.0, threads: 2)\n"
        "grows `rounds` trees of depth at most `max_depth` with learning rate `eta`, each on a\n"
        "`subsample` fraction of the rows (tree_method hist, objective binary:logistic).\n"
        "Features: design.hpp (numeric columns as they are, string columns one-hot, roles,\n"
        "identifiers and timestamps left out, `exclude` too); the label role is the outcome\n"
        "(0/1, both classes needed). Missing numeric cells are an error: impute first\n"
        "(fit_preprocessing). Zero cells are xgboost's \"missing\" (the design is passed\n"
        "sparse): each split learns which side they take, so a one-hot 0 is simply \"not 1\".\n"
        "The model is the same for the same data, parameters, seed and\n"
        "`threads`. Output: a model artifact (clinflow.model/1, kind xgboost, booster as base64\n"
        "UBJSON).";
    manifest_.params = {
        int_param("rounds", 200, 1, 100000, "Boosting rounds (number of trees)."),
        int_param("max_depth", 4, 1, 32, "Maximum tree depth."),
        float_param("eta", 0.1, 0, 1, "Learning rate (shrinkage), in (0, 1]."),
        float_param("subsample", 1.0, 0, 1, "Fraction of rows each tree sees, in (0, 1]."),
        int_param("threads", 2, 1, 256, "Threads; part of the result's identity."),
        list_param("exclude", ParamType::kSymbol, Value(),
                   "Further columns that are not features.")};
    manifest_.inputs = {PortSpec{"train", types::kTable, "Training data (imputed).", false},
                        preprocessing_port()};
    manifest_.outputs = {PortSpec{"model", types::kModel, "The fitted model (JSON).", false}};
    manifest_.safety.fits_on = 0;
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const std::string step = "xgboost";
    const Table train = input_table(inputs, 0, step);
    const Value exclude_value = param(params, manifest_, "exclude");
    const std::vector<std::string> exclude =
        exclude_value.is_none() ? std::vector<std::string>() : symbol_list(exclude_value);
    XgboostOptions o = options(params);
    o.seed = ctx.seed();
    o.on_round = [&ctx, &o, step](int done) {
      ctx.progress(double(done) / double(o.rounds));
      if (ctx.cancelled()) throw StepError(step + ": cancelled");
    };

    Model model;
    model.kind = "xgboost";
    attach_preprocessing(model, inputs, 1, step);
    model.design = fit_design(train, exclude, step);
    const Eigen::VectorXd y = labels(train, step);
    model.training = training_record(inputs, 0, y, ctx.seed());
    if (model.training.positives == 0 || model.training.positives == model.training.rows)
      throw StepError(step + ": the label has a single class in " + std::to_string(y.size()) +
                      " rows; both 0 and 1 are needed");
    // Sparse: one-hot designs are mostly zeros, and zeros are missing to xgboost either way.
    const XgboostFit fit = xgboost_train(sparse_matrix(model.design, train, step), y, o, step);

    model.parameters = {{"booster", base64_encode(fit.booster)}, {"booster_format", o.format}};
    const double loss = log_loss(fit.train_risk, y);
    model.training.details = {{"rounds", o.rounds},
                              {"max_depth", o.max_depth},
                              {"eta", o.eta},
                              {"subsample", o.subsample},
                              {"threads", o.threads},
                              {"objective", "binary:logistic"},
                              {"tree_method", "hist"},
                              {"train_log_loss", loss},
                              {"xgboost_version", xgboost_version()}};
    ctx.log(step + ": " + std::to_string(model.design.size()) + " features, " +
            std::to_string(y.size()) + " rows (" + std::to_string(model.training.positives) +
            " positive), " + std::to_string(o.rounds) + " trees, training log loss " +
            std::to_string(loss));
    return {model_artifact(model)};
  }

 private:
  /// The options in `params`, checked here too: run() may be called without the compiler.
  XgboostOptions options(const Params& params) const {
    XgboostOptions o;
    o.rounds = int(param(params, manifest_, "rounds").as<std::int64_t>());
    o.max_depth = int(param(params, manifest_, "max_depth").as<std::int64_t>());
    o.eta = param(params, manifest_, "eta").number();
    o.subsample = param(params, manifest_, "subsample").number();
    o.threads = int(param(params, manifest_, "threads").as<std::int64_t>());
    if (o.threads > 256) throw StepError("xgboost: threads must be at most 256");
    if (o.rounds > 100000) throw StepError("xgboost: rounds must be at most 100000");
    return o;  // the remaining ranges are checked by xgboost_train
  }
};

}  // namespace clinflow_xgboost

CLINFLOW_PLUGIN_STEPS(clinflow_xgboost::Xgboost)
