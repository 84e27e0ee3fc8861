// split and split3: patient-disjoint train / (validation /) test parts, with a report.
//
// Implementation notes: both step types share one implementation and differ only in their
// manifests (split3 adds validation_fraction and the validation output). A step assigns each
// row a part (assign.hpp), drops rows that would put a patient in two parts, gathers the parts
// in input row order, then checks on the finished tables that no patient id is in two parts
// before returning anything. The compiler treats the outputs as disjoint parts
// (Safety::split_parts), so fitting on the test part is refused before the run.
#include <clinflow/plugin.hpp>

#include "assign.hpp"
#include "csv.hpp"
#include "keys.hpp"
#include "split_report.hpp"
#include "table.hpp"

namespace clinflow_split {

using namespace clinflow;
using namespace clinflow::builtin;

namespace {

PortSpec part_port(const char* name, const char* doc) {
  return PortSpec{name, types::kTable, doc, false};
}

/// Per patient: has any row with a positive label.
std::vector<bool> positive_patients(const Column& label, const DenseKeys& patients) {
  if (label.type == ColumnType::kString)
    throw StepError("split: label column '" + label.name + "' must be numeric (0/1)");
  std::vector<bool> out(patients.count, false);
  for (std::size_t r = 0; r < label.size(); ++r)
    if (!label.missing(r) && label.number(r) != 0) out[patients.of_row[r]] = true;
  return out;
}

}  // namespace

class SplitBase : public StepType {
 protected:
  explicit SplitBase(bool with_validation) : with_validation_(with_validation) {
    manifest_.name = with_validation ? "split3" : "split";
    manifest_.version = "0.1.0";
    manifest_.summary = with_validation
                            ? "Split a table into patient-disjoint train, validation and test"
                            : "Split a table into patient-disjoint train and test parts";
    manifest_.doc =
        "by: patient - whole patients (patient role) go to one part; with stratify and a\n"
        "  label role, patients with any positive row and the others are shuffled and cut\n"
        "  separately, so the parts keep the prevalence.\n"
        "by: time - rows in admit_time (role) order: the earliest go to train, the latest to\n"
        "  test; every train admit time is <= every test admit time.\n"
        "by: group - whole groups (`group:` column, else the group role; eICU hospitals) go to\n"
        "  one part, about test_fraction of the rows to test.\n"
        "By time and by group, a patient's rows in a later part than its first (train, then\n"
        "validation, then test) are removed and counted. The shuffles are seeded (`seed`, else\n"
        "the step's seed): the same input and seed give the same parts. Before returning, the\n"
        "step checks that no patient id is in two parts; if one is, it fails.\n"
        "The report: {by, parts: {train: {rows, patients, positives, prevalence}, ...},\n"
        "patient_disjoint: 1, removed_for_disjointness, seed}; `require\n"
        "split_report.patient_disjoint == 1` reads it.";
    ParamSpec by =
        optional_param("by", ParamType::kSymbol, Symbol{"patient"}, "patient, time or group.");
    by.choices = {"patient", "time", "group"};
    ParamSpec test =
        optional_param("test_fraction", ParamType::kFloat, 0.25, "Share of test rows.");
    test.min = 0;
    test.max = 1;
    ParamSpec validation =
        optional_param("validation_fraction", ParamType::kFloat, 0.15, "Share of validation rows.");
    validation.min = 0;
    validation.max = 1;
    ParamSpec stratify = optional_param("stratify", ParamType::kBool, true,
                                        "by: patient: keep the label's prevalence.");
    ParamSpec group = optional_param("group", ParamType::kSymbol, Value{},
                                     "by: group: the group column; default: the group role.");
    ParamSpec seed =
        optional_param("seed", ParamType::kInt, Value{}, "Shuffle seed; default: the step's.");
    manifest_.params = {by, test, stratify, group, seed};
    if (with_validation) manifest_.params.push_back(validation);
    manifest_.inputs = {PortSpec{"in", types::kTable, "The table to split.", false}};
    PortSpec report{"report", types::kMetrics, "Part sizes and prevalence (JSON).", false};
    report.aggregate_only = true;
    manifest_.outputs = {part_port("train", "The training part.")};
    manifest_.safety.split_parts = {PartRole::kTrain};
    if (with_validation) {
      manifest_.outputs.push_back(part_port("validation", "The validation part."));
      manifest_.safety.split_parts.push_back(PartRole::kValidation);
    }
    manifest_.outputs.push_back(part_port("test", "The test part."));
    manifest_.outputs.push_back(report);
    manifest_.safety.split_parts.push_back(PartRole::kTest);
    manifest_.safety.split_parts.push_back(PartRole::kNone);
    manifest_.metrics = {"patient_disjoint", "removed_for_disjointness", "seed", "parts.*"};
  }

 public:
  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const std::string step = manifest_.name;
    const Table in = input_table(inputs, 0, step);
    in.check_shape(step);
    const std::string by = param(params, manifest_, "by").as<Symbol>().name;
    const Fractions fractions = fractions_of(params);
    const Value seed_param = param(params, manifest_, "seed");
    const std::uint64_t seed =
        seed_param.is_none() ? ctx.seed() : std::uint64_t(seed_param.as<std::int64_t>());
    const Column& patient = in.require_role(roles::kPatient, step);
    const DenseKeys patients = dense_keys(patient, "patient column");
    const Column* label = in.role(roles::kLabel);

    Assignment assignment;
    if (by == "patient") {
      const bool stratify = param(params, manifest_, "stratify").as<bool>() && label;
      const std::vector<bool> positive =
          stratify ? positive_patients(*label, patients) : std::vector<bool>();
      assignment = by_patient(patients, stratify ? &positive : nullptr, fractions, seed);
    } else if (by == "time") {
      assignment = by_time(in.require_role(roles::kAdmitTime, step), fractions);
    } else if (by == "group") {
      assignment = by_group(dense_keys(group_column(in, params), "group column"), fractions, seed);
    } else {
      throw StepError(step + ": `by` must be patient, time or group");
    }
    make_patient_disjoint(assignment, patients);

    std::vector<std::vector<std::uint32_t>> rows(3);
    for (std::size_t r = 0; r < assignment.part_of_row.size(); ++r)
      if (assignment.part_of_row[r] != kRemoved)
        rows[assignment.part_of_row[r]].push_back(std::uint32_t(r));
    std::vector<Table> tables;
    std::vector<NamedPart> parts;
    for (Part p : part_list()) tables.push_back(in.take(rows[p]));
    for (std::size_t i = 0; i < tables.size(); ++i)
      parts.push_back({part_name(part_list()[i]), &tables[i]});

    const std::vector<std::size_t> distinct = verify_patient_disjoint(parts, patient.name);
    const auto report = split_report(by, parts, distinct, label ? label->name : "",
                                     assignment.removed_for_disjointness, seed);
    std::string sizes;
    for (const NamedPart& part : parts)
      sizes += ", " + part.name + " " + std::to_string(part.table->rows());
    ctx.log(step + ": by " + by + sizes + " rows; " +
            std::to_string(assignment.removed_for_disjointness) +
            " removed to keep patients disjoint");

    Outputs out;
    for (const Table& t : tables) out.push_back(table_artifact(t));
    out.push_back(Artifact{types::kMetrics, report.dump()});
    return out;
  }

 private:
  std::vector<Part> part_list() const {
    return with_validation_ ? std::vector<Part>{kTrain, kValidation, kTest}
                            : std::vector<Part>{kTrain, kTest};
  }

  static std::string part_name(Part p) {
    return p == kTrain ? "train" : p == kValidation ? "validation" : "test";
  }

  Fractions fractions_of(const Params& params) const {
    Fractions f;
    f.test = param(params, manifest_, "test_fraction").number();
    if (with_validation_) f.validation = param(params, manifest_, "validation_fraction").number();
    if (!(f.test > 0) || !(f.validation >= 0) || !(f.test + f.validation < 1))
      throw StepError(manifest_.name +
                      ": test_fraction must be > 0 and test_fraction + validation_fraction < 1");
    return f;
  }

  const Column& group_column(const Table& in, const Params& params) const {
    const Value group = param(params, manifest_, "group");
    if (group.is<Symbol>()) return in.column(group.as<Symbol>().name, manifest_.name);
    return in.require_role(roles::kGroup, manifest_.name);
  }

  bool with_validation_;
};

class Split final : public SplitBase {
 public:
  Split() : SplitBase(false) {}
};

class Split3 final : public SplitBase {
 public:
  Split3() : SplitBase(true) {}
};

}  // namespace clinflow_split

CLINFLOW_PLUGIN_STEPS(clinflow_split::Split, clinflow_split::Split3)
