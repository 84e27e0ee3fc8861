// predict: the risk a model gives each row of a table.
//
// Implementation notes: the table must hold every column the model was trained on, with the
// same type (check_layout names the first that differs); extra columns are kept and ignored.
// The output is the input table plus a float column `risk`, roles unchanged, so evaluation steps
// find the label, group and patient columns beside the score.
#include <clinflow/plugin.hpp>

#include "csv.hpp"
#include "design.hpp"
#include "model.hpp"
#include "scoring.hpp"
#include "table.hpp"

namespace clinflow_predict {

using namespace clinflow;
using namespace clinflow::builtin;

inline constexpr const char* kRiskColumn = "risk";

class Predict final : public StepType {
 public:
  Predict() {
    manifest_.name = "predict";
    manifest_.version = "0.1.0";
    manifest_.summary = "Score a table with a trained model: adds a `risk` column";
    manifest_.doc =
        "predict(model, table): the table (all its columns and roles) plus a float column\n"
        "`risk`, the model's probability that the label is 1. The table must have every column\n"
        "the model was trained on with the same type (the error names the first that differs);\n"
        "numeric feature cells must not be missing (apply the same preprocessing first).\n"
        "Models: logistic, dp_logistic, dp_mlp, xgboost. preprocess: true first applies the\n"
        "imputation and scaling the model keeps (a model trained as logistic(train_x, prep)),\n"
        "so raw rows can be scored; the output is then the preprocessed table.";
    manifest_.params = {
        optional_param("preprocess", ParamType::kBool, Value(false),
                       "Apply the model's own fitted preprocessing to the table before scoring.")};
    manifest_.inputs = {PortSpec{"model", types::kModel, "A trained model.", false},
                        PortSpec{"table", types::kTable, "The rows to score.", false}};
    manifest_.outputs = {
        PortSpec{"scored", types::kTable, "The table with a `risk` column.", false}};
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const std::string step = "predict";
    const Model model = input_model(inputs, 0, step);
    Table table = input_table(inputs, 1, step);
    if (param(params, manifest_, "preprocess").as<bool>())
      table = apply_model_preprocessing(model, std::move(table), step);
    if (table.find(kRiskColumn))
      throw StepError(step + ": the table already has a column '" + std::string(kRiskColumn) +
                      "' (rename it, or score the unscored table)");
    const Eigen::MatrixXd x = matrix(model.design, table, step);
    const Eigen::VectorXd risk = score(model, x, step);
    if (risk.size() != Eigen::Index(table.rows()))
      throw StepError(step + ": internal error: " + std::to_string(risk.size()) + " scores for " +
                      std::to_string(table.rows()) + " rows");
    Column& out = table.add(kRiskColumn, ColumnType::kFloat);
    out.floats.assign(risk.data(), risk.data() + risk.size());
    ctx.log(step + ": " + std::to_string(table.rows()) + " rows scored by the " + model.kind +
            " model with " + std::to_string(model.design.size()) + " features");
    return {table_artifact(table)};
  }
};

}  // namespace clinflow_predict

CLINFLOW_PLUGIN_STEPS(clinflow_predict::Predict)
