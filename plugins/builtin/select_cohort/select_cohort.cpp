// select_cohort: joins stays with patient and admission tables, derives age and length of stay,
// applies inclusion and exclusion criteria and reports the attrition after each one.
//
// Implementation notes. The inputs are left-joined onto the first (one row per stay) so the
// cohort keeps the base order. Criteria do not shrink the table one after another: each is
// evaluated once over the whole joined table (expr_eval) and folded into one `alive` flag per
// row, so counts after every criterion cost one pass each and the output is gathered once.
// The attrition output holds only counts (aggregate_only): it may leave the project even though
// the cohort carries PHI.
#include <clinflow/plugin.hpp>

#include "attrition.hpp"
#include "csv.hpp"
#include "expr_eval.hpp"
#include "join.hpp"
#include "layout.hpp"
#include "table.hpp"

namespace clinflow_select_cohort {

using namespace clinflow;
using namespace clinflow::builtin;

namespace {

const char* kStep = "select_cohort";

std::string name_of(const Value& v) {
  return v.is<Symbol>() ? v.as<Symbol>().name : v.as<std::string>();
}

const std::vector<std::string> kRoleParams = {roles::kPatient, roles::kStay, roles::kAdmitTime,
                                              roles::kGroup};

}  // namespace

class SelectCohort final : public StepType {
 public:
  SelectCohort() {
    manifest_.name = kStep;
    manifest_.version = "0.1.0";
    manifest_.summary = "Join stays with patients and admissions, apply criteria, report attrition";
    manifest_.doc =
        "Left-joins every further input onto the first (one row per stay or encounter) on the\n"
        "`keys` it shares with the columns so far; a joined table must hold at most one row per\n"
        "key. Then derives columns by `layout`, keeps the rows where every `include` criterion\n"
        "holds, drops those where an `exclude` criterion holds (in the written order; a missing\n"
        "value makes a criterion false), and with `first_stay_per_patient` keeps each patient's\n"
        "earliest stay by admit time (ties: the smallest stay id; rows without a patient are\n"
        "dropped). Layouts:\n"
        "  generic: nothing derived; set roles with patient:, stay:, admit_time:, group:.\n"
        "  mimic_iv (icustays, patients, admissions): keys [subject_id, hadm_id]; roles\n"
        "    patient=subject_id, stay=stay_id, admit_time=intime; age = anchor_age +\n"
        "    year(intime) - anchor_year; los_hours = (outtime - intime) in hours.\n"
        "  eicu (patient [, hospital]): keys [patientunitstayid]; roles patient=uniquepid,\n"
        "    stay=patientunitstayid, group=hospitalid, admit_time=hospitaldischargeyear;\n"
        "    age numeric (\"> 89\" is 90, blank missing); los_hours = unitdischargeoffset / 60;\n"
        "    intime = timestamp 0 (eICU times are minutes from unit admission).\n"
        "  diabetes_130: keys [encounter_id]; roles patient=patient_nbr, stay=encounter_id,\n"
        "    admit_time=encounter_id; age = lower bound of the \"[70-80)\" bin;\n"
        "    los_hours = time_in_hospital * 24.\n"
        "The role parameters override any layout. Output 2 is the attrition table: {\"initial\":\n"
        "{\"rows\", \"patients\"}, \"criteria\": [{\"criterion\", \"kind\", \"rows\", "
        "\"patients\",\n"
        "\"excluded\"}], \"final\": {\"rows\", \"patients\"}}.";
    ParamSpec layout = optional_param("layout", ParamType::kSymbol, Symbol{"generic"},
                                      "Source dataset: fills keys, roles and derived columns.");
    layout.choices = kLayouts;
    ParamSpec keys = list_param("keys", ParamType::kSymbol, Value(),
                                "Join key columns (default: the layout's).");
    manifest_.params = {
        layout, keys,
        list_param("include", ParamType::kExpr, List{},
                   "Criteria a stay must meet, e.g. [age >= 18, los_hours >= 24]."),
        list_param("exclude", ParamType::kExpr, List{}, "Criteria that remove a stay."),
        optional_param("first_stay_per_patient", ParamType::kBool, false,
                       "Keep only each patient's earliest remaining stay.")};
    for (const auto& role : kRoleParams)
      manifest_.params.push_back(optional_param(role, ParamType::kSymbol, Value(),
                                                "The " + role + " column (overrides the layout)."));
    PortSpec tables;
    tables.name = "tables";
    tables.type = types::kTable;
    tables.doc = "Stays first, then tables to join onto them (patients, admissions).";
    tables.variadic = true;
    PortSpec cohort;
    cohort.name = "cohort";
    cohort.type = types::kTable;
    cohort.doc = "The selected stays with all joined and derived columns; roles set.";
    PortSpec attrition;
    attrition.name = "attrition";
    attrition.type = types::kMetrics;
    attrition.doc = "Rows and patients left after each criterion (counts only).";
    attrition.aggregate_only = true;
    manifest_.inputs = {tables};
    manifest_.outputs = {cohort, attrition};
    manifest_.metrics = {"initial.rows", "initial.patients", "final.rows", "final.patients"};
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const std::string layout = name_of(param(params, manifest_, "layout"));
    Table table = joined_table(inputs, params, layout);
    add_derived_columns(layout, table);
    set_roles(table, params, layout);
    const Column& patient = table.require_role(roles::kPatient, kStep);

    Alive alive(table.rows(), 1);
    Attrition attrition;
    attrition.initial_rows = table.rows();
    attrition.initial_patients = count_patients(patient, alive);
    for (const char* kind : {"include", "exclude"}) {
      const Value criteria = param(params, manifest_, kind);  // kept alive for the loop
      for (const Value& criterion : criteria.as<List>()) {
        const std::vector<std::uint8_t> holds = evaluate_mask(criterion, table, kStep);
        const bool keep_if = std::string(kind) == "include";
        for (std::size_t r = 0; r < alive.size(); ++r) alive[r] &= (holds[r] != 0) == keep_if;
        record(attrition, expr_text(criterion), kind, patient, alive);
      }
    }
    if (param(params, manifest_, "first_stay_per_patient").as<bool>()) {
      keep_first_stay(patient, table.require_role(roles::kAdmitTime, kStep),
                      table.require_role(roles::kStay, kStep), alive);
      record(attrition, "first_stay_per_patient", "first_stay_per_patient", patient, alive);
    }
    attrition.final_rows = count_rows(alive);
    attrition.final_patients = count_patients(patient, alive);

    std::vector<std::uint32_t> rows;
    for (std::size_t r = 0; r < alive.size(); ++r)
      if (alive[r]) rows.push_back(std::uint32_t(r));
    ctx.log("select_cohort: kept " + std::to_string(rows.size()) + " of " +
            std::to_string(table.rows()) + " rows (" + std::to_string(attrition.final_patients) +
            " patients)");
    return {table_artifact(table.take(rows)), Artifact{types::kMetrics, attrition_json(attrition)}};
  }

 private:
  Table joined_table(const Inputs& inputs, const Params& params, const std::string& layout) const {
    if (inputs.empty()) throw StepError("select_cohort: needs at least one input table");
    Table table = input_table(inputs, 0, kStep);
    const Value keys_param = param(params, manifest_, "keys");
    const std::vector<std::string> keys =
        keys_param.is_none() ? layout_defaults(layout).keys : symbol_list(keys_param);
    for (std::size_t i = 1; i < inputs.size(); ++i) {
      if (keys.empty())
        throw StepError("select_cohort: joining input " + std::to_string(i + 1) +
                        " needs `keys:` (layout " + layout + " has no default keys)");
      left_join(table, input_table(inputs, i, kStep), keys, i + 1);
    }
    return table;
  }

  void set_roles(Table& table, const Params& params, const std::string& layout) const {
    for (const auto& [role, column] : layout_defaults(layout).roles) table.roles[role] = column;
    for (const auto& role : kRoleParams) {
      const Value v = param(params, manifest_, role);
      if (!v.is_none()) table.roles[role] = name_of(v);
    }
    for (const auto& [role, column] : table.roles)
      if (!table.find(column))
        table.column(column, "select_cohort: the " + role + " column (layout " + layout + ")");
  }

  static void record(Attrition& a, std::string criterion, const std::string& kind,
                     const Column& patient, const Alive& alive) {
    AttritionStep s;
    s.criterion = std::move(criterion);
    s.kind = kind;
    s.rows = count_rows(alive);
    s.patients = count_patients(patient, alive);
    const std::size_t before = a.steps.empty() ? a.initial_rows : a.steps.back().rows;
    s.excluded = before - s.rows;
    a.steps.push_back(std::move(s));
  }
};

}  // namespace clinflow_select_cohort

CLINFLOW_PLUGIN_STEPS(clinflow_select_cohort::SelectCohort)
