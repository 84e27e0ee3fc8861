// logistic: L2-regularised logistic regression, the reference model every other learner is
// compared with. Newton's method converges to the unique optimum, so the result depends on the
// data and parameters only (no seed, no iteration-order effects).
//
// Implementation notes: the design is fitted on the training table (design.hpp) and stored in
// the model, so predict() can check that new data has the same layout. When most cells are
// zero (one-hot categories, 0/1 missingness indicators) the sparse solver is used: its
// gradient and Hessian products cost O(non-zeros). The choice depends on the data only, so it
// is deterministic.
#include <clinflow/plugin.hpp>

#include "csv.hpp"
#include "design.hpp"
#include "logistic_fit.hpp"
#include "model.hpp"
#include "sample_weights.hpp"
#include "table.hpp"

namespace clinflow_logistic {

using namespace clinflow;
using namespace clinflow::builtin;

/// Use the sparse solver below this fraction of non-zero cells.
inline constexpr double kSparseDensity = 0.25;

std::string format_double(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

class Logistic final : public StepType {
 public:
  Logistic() {
    manifest_.name = "logistic";
    manifest_.version = "0.1.0";
    manifest_.summary = "L2-regularised logistic regression (Newton's method)";
    manifest_.doc =
        "logistic(train_x, l2: 1.0, class_weight: none, max_iter: 100, tol: 1e-10) minimises\n"
        "sum_i s_i [log(1 + exp(z_i)) - y_i z_i] + l2/2 |w|^2 with z_i = x_i.w + b (the\n"
        "intercept is not penalised; scikit-learn's LogisticRegression(C = 1/l2) solves the same\n"
        "problem). Features: design.hpp (numeric columns as they are, string columns one-hot,\n"
        "roles, identifiers and timestamps left out, `exclude` too); the label role is the\n"
        "outcome (0/1). Missing numeric cells are an error: impute first (fit_preprocessing).\n"
        "class_weight: balanced weighs each row n / (2 n_class). sample_weight: col reads s_i\n"
        "from a float column (finite, >= 0, not all zero; e.g. reweigh's), which is then not a\n"
        "feature; with class_weight: balanced too, the two multiply. Stops when the gradient\n"
        "norm is at most tol x its value at zero. Output: a model artifact (clinflow.model/1,\n"
        "kind logistic).";
    ParamSpec l2 = optional_param("l2", ParamType::kFloat, 1.0,
                                  "L2 penalty on the weights (not the intercept).");
    l2.min = 0;
    ParamSpec class_weight = optional_param("class_weight", ParamType::kSymbol, Symbol{"none"},
                                            "none: every row weighs 1; balanced: n / (2 n_class).");
    class_weight.choices = {"none", "balanced"};
    ParamSpec max_iter = optional_param("max_iter", ParamType::kInt, std::int64_t(100),
                                        "Newton iterations at most.");
    max_iter.min = 1;
    max_iter.max = 1000000;
    ParamSpec tol =
        optional_param("tol", ParamType::kFloat, 1e-10, "Relative gradient norm at which to stop.");
    tol.min = 0;
    ParamSpec exclude = list_param("exclude", ParamType::kSymbol, Value(),
                                   "Further columns that are not features.");
    ParamSpec sample_weight = optional_param(
        "sample_weight", ParamType::kSymbol, Value(),
        "Column of per-row weights (e.g. from reweigh); not a feature. Default: none.");
    manifest_.params = {l2, class_weight, max_iter, tol, exclude, sample_weight};
    manifest_.inputs = {PortSpec{"train", types::kTable, "Training data (imputed).", false},
                        preprocessing_port()};
    manifest_.outputs = {PortSpec{"model", types::kModel, "The fitted model (JSON).", false}};
    manifest_.safety.fits_on = 0;
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const std::string step = "logistic";
    const Table train = input_table(inputs, 0, step);
    const Value exclude_value = param(params, manifest_, "exclude");
    std::vector<std::string> exclude =
        exclude_value.is_none() ? std::vector<std::string>() : symbol_list(exclude_value);
    const Value weight_value = param(params, manifest_, "sample_weight");
    const std::string weight_column =
        weight_value.is_none() ? std::string() : symbol_list(weight_value).front();
    if (!weight_column.empty()) exclude.push_back(weight_column);
    if (const Column* role_weights = train.role(roles::kWeight);
        role_weights && role_weights->name != weight_column)
      ctx.log(step + ": the table's weight column '" + role_weights->name +
              "' is not used (sample_weight: " + role_weights->name + " would use it)");
    const std::string class_weight = symbol_list(param(params, manifest_, "class_weight")).front();
    logistic::Options options;
    options.l2 = param(params, manifest_, "l2").number();
    options.max_iter = int(param(params, manifest_, "max_iter").as<std::int64_t>());
    options.tol = param(params, manifest_, "tol").number();

    Model model;
    model.kind = "logistic";
    attach_preprocessing(model, inputs, 1, step);
    model.design = fit_design(train, exclude, step);
    const Eigen::VectorXd y = labels(train, step);
    if (y.size() == 0) throw StepError(step + ": the training table has no rows");
    Eigen::VectorXd s = class_weight == "balanced" ? logistic::balanced_weights(y)
                                                   : Eigen::VectorXd::Ones(y.size());
    if (!weight_column.empty()) s.array() *= sample_weights(train, weight_column, step).array();
    Eigen::SparseMatrix<double> sparse = sparse_matrix(model.design, train, step);
    const double density =
        double(sparse.nonZeros()) / std::max<double>(1, double(sparse.rows() * sparse.cols()));
    const bool use_sparse = density < kSparseDensity;
    const logistic::Fit fit = use_sparse ? logistic::fit(sparse, y, s, options)
                                         : logistic::fit(Eigen::MatrixXd(sparse), y, s, options);

    LinearParameters parameters;
    parameters.intercept = fit.intercept;
    parameters.weights = fit.weights;
    model.parameters = to_json(parameters);
    model.training = training_record(inputs, 0, y, ctx.seed());
    model.training.details = {{"l2", options.l2},
                              {"class_weight", class_weight},
                              {"max_iter", options.max_iter},
                              {"tol", options.tol},
                              {"iterations", fit.iterations},
                              {"converged", fit.converged},
                              {"gradient_norm", fit.gradient_norm},
                              {"loss", fit.loss},
                              {"solver", use_sparse ? "newton-sparse" : "newton-dense"}};
    if (!weight_column.empty()) model.training.details["sample_weight"] = weight_column;
    ctx.log(step + ": " + std::to_string(model.design.size()) + " features, " +
            std::to_string(y.size()) + " rows (" + std::to_string(model.training.positives) +
            " positive), " + (use_sparse ? "sparse" : "dense") + " solver");
    ctx.log(step + ": " + (fit.converged ? "converged" : "NOT converged") + " after " +
            std::to_string(fit.iterations) + " iterations, gradient norm " +
            format_double(fit.gradient_norm) + " (from " +
            format_double(fit.initial_gradient_norm) + "), loss " + format_double(fit.loss));
    return {model_artifact(model)};
  }
};

}  // namespace clinflow_logistic

CLINFLOW_PLUGIN_STEPS(clinflow_logistic::Logistic)
