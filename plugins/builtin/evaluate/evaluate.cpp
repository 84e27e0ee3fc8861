// evaluate: how well a model does on a data part, with 95% confidence intervals.
//
// Implementation notes: the model scores the table here (the same code as `predict`), so the
// compiler sees which model meets which data (Safety::evaluates) and refuses a model evaluated
// on rows it was trained on. The bootstrap resamples patients (the table's patient role) so a
// patient's stays stay together; without a patient role every row is its own unit and the
// output says so. The output holds aggregates only.
#include <clinflow/plugin.hpp>

#include "csv.hpp"
#include "design.hpp"
#include "evaluation.hpp"
#include "model.hpp"
#include "scoring.hpp"
#include "table.hpp"

namespace clinflow_evaluate {

using namespace clinflow;
using namespace clinflow::builtin;

class Evaluate final : public StepType {
 public:
  Evaluate() {
    manifest_.name = "evaluate";
    manifest_.version = "0.1.0";
    manifest_.summary = "Discrimination, calibration and net benefit of a model, with 95% CIs";
    manifest_.doc =
        "evaluate(model, table): scores the table with the model and measures, each with a 95%\n"
        "cluster-bootstrap interval (patients are resampled, not rows): AUROC (also with\n"
        "DeLong's interval), AUPRC (average precision), Brier score, log loss, calibration\n"
        "intercept and slope (logistic recalibration), expected calibration error with the\n"
        "reliability curve, and at each of `thresholds` (an alert is risk >= threshold)\n"
        "sensitivity, specificity, PPV, NPV, alert rate and net benefit; and the decision curve\n"
        "(net benefit of the model, treat-all and treat-none over `decision_curve: [from, to,\n"
        "step]`). Output: JSON, schema clinflow.evaluation/1; `require eval.auroc.lower >= 0.7`\n"
        "reads it. Undefined values (PPV without alerts) are null. Deterministic for the seed,\n"
        "whatever the thread count.";
    manifest_.params = {
        optional_param("bootstrap", ParamType::kInt, Value(std::int64_t(1000)),
                       "Bootstrap replicates (0: point estimates and DeLong's interval only)."),
        list_param("thresholds", ParamType::kFloat,
                   Value(List{Value(0.1), Value(0.2), Value(0.3), Value(0.5)}),
                   "Risk thresholds for the alert metrics, each in (0, 1)."),
        list_param("decision_curve", ParamType::kFloat,
                   Value(List{Value(0.01), Value(0.5), Value(0.01)}),
                   "Decision-curve thresholds: [from, to, step], 0 < from <= to < 1."),
        optional_param("bins", ParamType::kInt, Value(std::int64_t(10)),
                       "Equal-width bins of the reliability curve and the ECE."),
        optional_param("preprocess", ParamType::kBool, Value(false),
                       "Apply the model's own fitted preprocessing to the table first.")};
    manifest_.inputs = {
        PortSpec{"model", types::kModel, "A trained model.", false},
        PortSpec{"table", types::kTable, "Rows with the model's columns and a label role.", false}};
    PortSpec out{"metrics", types::kMetrics, "The evaluation (clinflow.evaluation/1).", false};
    out.aggregate_only = true;
    manifest_.outputs = {out};
    for (const char* m : {"auroc", "auprc", "brier", "log_loss", "calibration_intercept",
                          "calibration_slope", "ece", "auroc_delong", "bootstrap"}) {
      manifest_.metrics.push_back(m);
      manifest_.metrics.push_back(std::string(m) + ".*");
    }
    for (const char* m : {"rows", "patients", "positives", "prevalence"})
      manifest_.metrics.push_back(m);
    Safety::Evaluation evaluation;
    evaluation.model = 0;
    evaluation.data = 1;
    manifest_.safety.evaluates = evaluation;
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const std::string step = "evaluate";
    const Model model = input_model(inputs, 0, step);
    Table table = input_table(inputs, 1, step);
    if (param(params, manifest_, "preprocess").as<bool>())
      table = apply_model_preprocessing(model, std::move(table), step);
    const eval::EvaluationSettings settings = read_settings(params, ctx.seed(), step);
    const Eigen::VectorXd risk = score(model, matrix(model.design, table, step), step);
    const Eigen::VectorXd y = labels(table, step);
    std::vector<int> label(std::size_t(y.size()));
    for (Eigen::Index i = 0; i < y.size(); ++i) label[std::size_t(i)] = int(y(i));
    std::vector<std::int64_t> clusters;
    eval::EvaluationSettings used = settings;
    if (const Column* patient = table.role(roles::kPatient)) {
      clusters = patient_keys(*patient, step);
    } else {
      used.clustered = false;
      ctx.log(step + ": the table has no patient role: rows are resampled one by one");
    }
    eval::ScoredSet s;
    try {
      s = eval::prepare(std::vector<double>(risk.data(), risk.data() + risk.size()), label,
                        clusters);
    } catch (const std::invalid_argument& e) {
      throw StepError(step + ": " + e.what());
    }
    ctx.progress(0.1);
    nlohmann::ordered_json out = eval::evaluate(s, used);
    out["model"] = {{"kind", model.kind}, {"features", model.design.size()}};
    ctx.log(step + ": " + std::to_string(s.size()) + " rows, " + std::to_string(s.clusters) + " " +
            (used.clustered ? "patients" : "rows") + " resampled " +
            std::to_string(used.replicates) + " times");
    return {Artifact{types::kMetrics, out.dump()}};
  }

 private:
  eval::EvaluationSettings read_settings(const Params& params, std::uint64_t seed,
                                         const std::string& step) const;
  static std::vector<std::int64_t> patient_keys(const Column& patient, const std::string& step);
};

eval::EvaluationSettings Evaluate::read_settings(const Params& params, std::uint64_t seed,
                                                 const std::string& step) const {
  const Manifest& m = manifest_;
  eval::EvaluationSettings s;
  s.seed = seed;
  const std::int64_t replicates = param(params, m, "bootstrap").as<std::int64_t>();
  if (replicates < 0 || replicates > 100000)
    throw StepError(step + ": bootstrap must be between 0 and 100000");
  s.replicates = std::size_t(replicates);
  s.thresholds.clear();
  const Value thresholds = param(params, m, "thresholds");  // kept: as<List>() refers into it
  for (const Value& v : thresholds.as<List>()) {
    const double t = v.number();
    if (!(t > 0 && t < 1)) throw StepError(step + ": every threshold must be in (0, 1)");
    s.thresholds.push_back(t);
  }
  const Value curve_value = param(params, m, "decision_curve");
  const List& curve = curve_value.as<List>();
  if (curve.size() != 3)
    throw StepError(step + ": decision_curve is [from, to, step], e.g. [0.01, 0.5, 0.01]");
  s.curve_from = curve[0].number();
  s.curve_to = curve[1].number();
  s.curve_step = curve[2].number();
  if (!(s.curve_from > 0 && s.curve_from <= s.curve_to && s.curve_to < 1 && s.curve_step > 0) ||
      (s.curve_to - s.curve_from) / s.curve_step > 10000)
    throw StepError(
        step + ": decision_curve needs 0 < from <= to < 1 and at most 10000 steps of step > 0");
  const std::int64_t bins = param(params, m, "bins").as<std::int64_t>();
  if (bins < 1 || bins > 1000) throw StepError(step + ": bins must be between 1 and 1000");
  s.bins = int(bins);
  return s;
}

std::vector<std::int64_t> Evaluate::patient_keys(const Column& patient, const std::string& step) {
  if (patient.type == ColumnType::kFloat)
    throw StepError(step + ": the patient column '" + patient.name +
                    "' must hold integers or text, not floats");
  std::vector<std::int64_t> keys(patient.size());
  for (std::size_t r = 0; r < keys.size(); ++r) {
    if (patient.missing(r))
      throw StepError(step + ": the patient column '" + patient.name + "' is missing in row " +
                      std::to_string(r));
    keys[r] = patient.type == ColumnType::kString ? patient.codes[r] : patient.ints[r];
  }
  return keys;
}

}  // namespace clinflow_evaluate

CLINFLOW_PLUGIN_STEPS(clinflow_evaluate::Evaluate)
