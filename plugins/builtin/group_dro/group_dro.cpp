// group_dro_logistic: logistic regression that minimises the worst group's mean log loss (group
// DRO) instead of the average, e.g. across race groups or hospitals.
//
// Implementation notes: the solver (dro_solver.hpp) repeats q-weighted logistic fits with the
// same Newton kernel as `logistic`, so the model is an ordinary `clinflow.model/1` of kind
// logistic that predict scores unchanged; the training record names the objective and keeps the
// final group weights and losses (aggregates only: group row counts from 1 to 9 are hidden).
// Sparse or dense solver by the same density rule as logistic.
#include <clinflow/plugin.hpp>

#include "csv.hpp"
#include "design.hpp"
#include "dro_groups.hpp"
#include "dro_solver.hpp"
#include "model.hpp"
#include "row_groups.hpp"
#include "table.hpp"

namespace clinflow_group_dro {

using namespace clinflow;
using namespace clinflow::builtin;
using Json = nlohmann::json;

inline constexpr double kSparseDensity = 0.25;  ///< as logistic
inline constexpr std::size_t kMinShownCount = 10;

class GroupDroLogistic final : public StepType {
 public:
  GroupDroLogistic() {
    manifest_.name = "group_dro_logistic";
    manifest_.version = "0.1.0";
    manifest_.summary = "Logistic regression minimising the worst group's log loss (group DRO)";
    manifest_.doc =
        "group_dro_logistic(train_x, group: race, l2: 1.0) minimises n max_g L_g + l2/2 |w|^2,\n"
        "L_g the mean log loss of group g's rows (Sagawa et al. 2020), by exponentiated-gradient\n"
        "ascent on the group weights q, each step an exact q-weighted logistic fit (rows weigh\n"
        "n q_g / n_g; at q_g = n_g / n this is logistic(l2:)). Stops when the duality gap\n"
        "max_g L_g - sum_g q_g L_g <= tol: then every group with weight has the worst loss.\n"
        "groups: [a, b] uses their intersection; without either, the group role. A missing group\n"
        "cell is its own group; groups of fewer than min_group_rows rows are pooled into\n"
        "\"(small groups)\". Features as logistic (design.hpp; the group column is a feature\n"
        "unless it is a role or excluded). Output: a clinflow.model/1 of kind logistic (details:\n"
        "objective group_dro, final group weights and losses) and aggregate-only metrics.";
    ParamSpec group = optional_param("group", ParamType::kSymbol, Value(), "The group column.");
    ParamSpec groups = list_param("groups", ParamType::kSymbol, Value(),
                                  "Several group columns: their intersection is the group.");
    ParamSpec l2 = optional_param("l2", ParamType::kFloat, 1.0, "L2 penalty, as logistic.");
    l2.min = 0;
    ParamSpec eta =
        optional_param("eta", ParamType::kFloat, 1.0, "First step of the group-weight update.");
    eta.min = 1e-9;
    ParamSpec max_iter = optional_param("max_iter", ParamType::kInt, std::int64_t(200),
                                        "Weighted logistic fits at most.");
    max_iter.min = 1;
    max_iter.max = 100000;
    ParamSpec tol = optional_param("tol", ParamType::kFloat, 1e-7,
                                   "Duality gap (in mean log loss) at which to stop.");
    tol.min = 0;
    ParamSpec min_rows = optional_param("min_group_rows", ParamType::kInt, std::int64_t(30),
                                        "Groups with fewer rows are pooled into one.");
    min_rows.min = 1;
    ParamSpec exclude = list_param("exclude", ParamType::kSymbol, Value(),
                                   "Further columns that are not features.");
    manifest_.params = {group, groups, l2, eta, max_iter, tol, min_rows, exclude};
    manifest_.inputs = {PortSpec{"train", types::kTable, "Training data (imputed).", false},
                        preprocessing_port()};
    PortSpec report{"report", types::kMetrics, "Group weights and losses (JSON).", false};
    report.aggregate_only = true;
    manifest_.outputs = {PortSpec{"model", types::kModel, "The fitted model (JSON).", false},
                         report};
    manifest_.metrics = {"converged", "gap", "worst_group_loss", "fits", "groups.*"};
    manifest_.safety.fits_on = 0;
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const std::string step = "group_dro_logistic";
    const Table train = input_table(inputs, 0, step);
    const std::vector<std::string> group_param = symbol_list(param(params, manifest_, "group"));
    const std::vector<std::string> columns =
        group_columns(train, group_param.empty() ? std::string() : group_param.front(),
                      symbol_list(param(params, manifest_, "groups")), step);
    const std::size_t min_rows =
        std::size_t(param(params, manifest_, "min_group_rows").as<std::int64_t>());
    group_dro::Options options;
    options.inner.l2 = param(params, manifest_, "l2").number();
    options.eta = param(params, manifest_, "eta").number();
    options.max_iter = int(param(params, manifest_, "max_iter").as<std::int64_t>());
    options.tol = param(params, manifest_, "tol").number();

    Model model;
    model.kind = "logistic";
    attach_preprocessing(model, inputs, 1, step);
    model.design = fit_design(train, symbol_list(param(params, manifest_, "exclude")), step);
    const Eigen::VectorXd y = labels(train, step);
    if (y.size() == 0) throw StepError(step + ": the training table has no rows");
    const RowGroups groups =
        group_dro::pool_small_groups(row_groups(train, columns, step), min_rows);
    const int group_count = int(groups.names.size());
    const Eigen::SparseMatrix<double> sparse = sparse_matrix(model.design, train, step);
    const double density =
        double(sparse.nonZeros()) / std::max<double>(1, double(sparse.rows() * sparse.cols()));
    const bool use_sparse = density < kSparseDensity;
    const group_dro::Result r =
        use_sparse
            ? group_dro::fit(sparse, y, groups.of_row, group_count, options)
            : group_dro::fit(Eigen::MatrixXd(sparse), y, groups.of_row, group_count, options);

    LinearParameters parameters;
    parameters.intercept = r.fit.intercept;
    parameters.weights = r.fit.weights;
    model.parameters = to_json(parameters);
    model.training = training_record(inputs, 0, y, ctx.seed());
    Json by_group = Json::object();
    for (int g = 0; g < group_count; ++g) {
      const std::size_t n = groups.sizes[std::size_t(g)];
      by_group[groups.names[std::size_t(g)]] = {
          {"weight", r.q(g)},
          {"loss", r.group_loss(g)},
          {"rows", n >= kMinShownCount ? Json(n) : Json(nullptr)}};
    }
    model.training.details = {{"objective", "group_dro"},
                              {"group_columns", columns},
                              {"min_group_rows", min_rows},
                              {"l2", options.inner.l2},
                              {"eta", options.eta},
                              {"max_iter", options.max_iter},
                              {"tol", options.tol},
                              {"fits", r.fits},
                              {"accepted_steps", r.accepted},
                              {"converged", r.converged},
                              {"gap", r.gap},
                              {"worst_group_loss", r.group_loss.maxCoeff()},
                              {"groups", by_group},
                              {"solver", use_sparse ? "newton-sparse" : "newton-dense"}};
    const Json report = {{"converged", r.converged},
                         {"gap", r.gap},
                         {"worst_group_loss", r.group_loss.maxCoeff()},
                         {"fits", r.fits},
                         {"groups", by_group}};
    ctx.log(step + ": " + std::to_string(group_count) + " groups, " +
            std::to_string(model.design.size()) + " features, " + std::to_string(y.size()) +
            " rows, " + (use_sparse ? "sparse" : "dense") + " solver");
    ctx.log(step + ": " + (r.converged ? "converged" : "NOT converged") + " after " +
            std::to_string(r.fits) + " weighted fits, duality gap " + format_number(r.gap) +
            ", worst group loss " + format_number(r.group_loss.maxCoeff()));
    return {model_artifact(model), Artifact{types::kMetrics, report.dump()}};
  }
};

}  // namespace clinflow_group_dro

CLINFLOW_PLUGIN_STEPS(clinflow_group_dro::GroupDroLogistic)
