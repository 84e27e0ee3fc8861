// label: adds the outcome (`label`, 0/1) and the time a model predicts it (`prediction_time`)
// to a cohort, dropping the stays whose outcome is unknown or already known at prediction time.
//
// Implementation notes. The prediction time is an expression over the cohort (`intime + 24h`,
// evaluated by expr_eval) or a duration after the admit time. Outcomes (outcomes.cpp) give each
// stay a label and the time it became known; a stay whose outcome was known at or before its
// prediction time is dropped, because a model must not predict what has already happened. The
// metrics output holds counts and the prevalence only (aggregate_only).
#include <clinflow/plugin.hpp>
#include <nlohmann/json.hpp>
#include <optional>

#include "csv.hpp"
#include "expr_eval.hpp"
#include "outcomes.hpp"
#include "table.hpp"

namespace clinflow_label {

using namespace clinflow;
using namespace clinflow::builtin;

namespace {

/// The admit time a duration prediction_time counts from: the admit_time role when it is a
/// timestamp, else `intime` (eICU's layout sets it to 0), else nullptr.
const Column* admit_timestamps(const Table& t) {
  const Column* admit = t.role(roles::kAdmitTime);
  if (admit && admit->type == ColumnType::kTimestamp) return admit;
  const Column* intime = t.find("intime");
  return intime && intime->type == ColumnType::kTimestamp ? intime : nullptr;
}

std::vector<std::int64_t> prediction_times(const Table& t, const Value& spec) {
  if (spec.is_none() || spec.is<Duration>()) {
    const std::int64_t offset = spec.is_none() ? 0 : spec.as<Duration>().seconds;
    const Column* admit = admit_timestamps(t);
    if (!admit) {
      if (spec.is_none()) return std::vector<std::int64_t>(t.rows(), kMissingInt);
      throw StepError("label: prediction_time " + expr_text(spec) +
                      " counts from the admit time, but the cohort has no timestamp admit time "
                      "(the admit_time role or an `intime` column); write an expression instead");
    }
    std::vector<std::int64_t> out;
    out.reserve(t.rows());
    for (std::int64_t a : admit->ints) out.push_back(a == kMissingInt ? a : a + offset);
    return out;
  }
  ExprValues v = evaluate(spec, t, "label");
  if (v.kind != ExprKind::kTimestamp)
    throw StepError("label: prediction_time `" + expr_text(spec) + "` gives " + to_string(v.kind) +
                    ", not a timestamp (e.g. `intime + 24h`)");
  return std::move(v.ints);
}

}  // namespace

class Label final : public StepType {
 public:
  Label() {
    manifest_.name = "label";
    manifest_.version = "0.1.0";
    manifest_.summary = "Add the outcome label and the prediction time to a cohort";
    manifest_.doc =
        "Adds `label` (integer 0/1) and `prediction_time` (timestamp) to the cohort and sets\n"
        "their roles. Outcomes:\n"
        "  in_hospital_death: hospital_expire_flag == 1 (MIMIC-IV) or hospitaldischargestatus\n"
        "    == \"Expired\" (eICU; stays with a blank status are dropped and counted).\n"
        "  death_within: death (deathtime, else dod; eICU: the discharge of an expired stay)\n"
        "    after prediction_time and at most `horizon` later.\n"
        "  readmission_within: the patient's next admittime (second input: all admissions of\n"
        "    the patients) after this stay's dischtime and at most `horizon` later.\n"
        "  los_over: los_hours * 3600 > horizon (seconds).\n"
        "  expression: 1 where the `where` condition holds (`readmitted == \"<30\"`), else 0.\n"
        "prediction_time is an expression over the cohort (`intime + 24h`) or a duration after\n"
        "the admit time (eICU: `24h` is timestamp 86400); by default the admit time. Stays whose\n"
        "outcome was known at or before their prediction time (death, hospital discharge, an\n"
        "earlier readmission, the end of the stay for los_over) are dropped and counted: a model\n"
        "must not predict what has already happened. Output 2: {\"rows\", \"positives\",\n"
        "\"prevalence\", \"dropped_before_prediction\", \"dropped_unknown_outcome\"}.";
    ParamSpec outcome = required_param("outcome", ParamType::kSymbol, "The outcome to label.");
    outcome.choices = kOutcomes;
    manifest_.params = {
        outcome,
        optional_param("prediction_time", ParamType::kExpr, Value(),
                       "When the model predicts: `intime + 24h`, or a duration after admission."),
        optional_param("horizon", ParamType::kDuration, Value(),
                       "Time window of death_within, readmission_within and los_over."),
        optional_param("where", ParamType::kExpr, Value(),
                       "The condition of outcome `expression`.")};
    PortSpec cohort;
    cohort.name = "cohort";
    cohort.type = types::kTable;
    cohort.doc = "The cohort (from select_cohort).";
    PortSpec admissions;
    admissions.name = "admissions";
    admissions.type = types::kTable;
    admissions.doc = "All admissions of the patients (readmission_within only).";
    admissions.variadic = true;
    admissions.optional = true;
    PortSpec labeled;
    labeled.name = "labeled";
    labeled.type = types::kTable;
    labeled.doc = "The cohort with `label` and `prediction_time`.";
    PortSpec metrics;
    metrics.name = "outcome";
    metrics.type = types::kMetrics;
    metrics.doc = "Row, positive and dropped counts and the prevalence.";
    metrics.aggregate_only = true;
    manifest_.inputs = {cohort, admissions};
    manifest_.outputs = {labeled, metrics};
    manifest_.metrics = {"rows", "positives", "prevalence", "dropped_before_prediction",
                         "dropped_unknown_outcome"};
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const Table cohort = input_table(inputs, 0, "label");
    std::optional<Table> admissions;
    if (inputs.size() > 2)
      throw StepError("label: takes a cohort and at most one admissions table");
    if (inputs.size() == 2) admissions = input_table(inputs, 1, "label");
    const std::vector<std::int64_t> pt =
        prediction_times(cohort, param(params, manifest_, "prediction_time"));

    OutcomeRequest request;
    const Value outcome_name = param(params, manifest_, "outcome");
    request.outcome =
        outcome_name.is<Symbol>() ? outcome_name.as<Symbol>().name : outcome_name.as<std::string>();
    const Value horizon = param(params, manifest_, "horizon");
    if (horizon.is_none() && request.outcome != "in_hospital_death" &&
        request.outcome != "expression")
      throw StepError("label: outcome " + request.outcome + " needs `horizon:`, e.g. 30d");
    if (!horizon.is_none()) request.horizon = horizon.as<Duration>().seconds;
    if (admissions) request.admissions = &*admissions;
    const Value where = param(params, manifest_, "where");
    request.where = &where;
    const OutcomeValues outcome = compute_outcome(cohort, pt, request);

    std::vector<std::uint32_t> rows;
    std::size_t unknown = 0, known_before = 0, positives = 0;
    for (std::size_t r = 0; r < cohort.rows(); ++r) {
      if (outcome.label[r] == kMissingInt) {
        ++unknown;
      } else if (outcome.known_at[r] != kMissingInt && pt[r] != kMissingInt &&
                 outcome.known_at[r] <= pt[r]) {
        ++known_before;
      } else {
        rows.push_back(std::uint32_t(r));
        positives += outcome.label[r] == 1;
      }
    }
    Table out = cohort.take(rows);
    Column& label = out.add("label", ColumnType::kInt);
    for (auto r : rows) label.push_int(outcome.label[r]);
    Column& time = out.add("prediction_time", ColumnType::kTimestamp);
    for (auto r : rows) time.push_int(pt[r]);
    out.roles[roles::kLabel] = "label";
    out.roles[roles::kPredictionTime] = "prediction_time";
    ctx.log("label: " + std::to_string(rows.size()) + " stays, " + std::to_string(positives) +
            " positive; dropped " + std::to_string(known_before) +
            " known before prediction time and " + std::to_string(unknown) + " unknown");

    const nlohmann::ordered_json metrics = {
        {"rows", rows.size()},
        {"positives", positives},
        {"prevalence", rows.empty() ? 0.0 : double(positives) / double(rows.size())},
        {"dropped_before_prediction", known_before},
        {"dropped_unknown_outcome", unknown}};
    return {table_artifact(out), Artifact{types::kMetrics, metrics.dump()}};
  }
};

}  // namespace clinflow_label

CLINFLOW_PLUGIN_STEPS(clinflow_label::Label)
