// reweigh: per-row weights that balance label x group (Kamiran & Calders 2012), for a learner's
// sample_weight (logistic(..., sample_weight: sample_weight)).
//
// Implementation notes: the weights are learnt from the labels of the table they are added to,
// so the step declares Safety::fits_on = 0: the compiler refuses it on a test part. Weights on a
// test table would not mean anything useful: they use the test labels, and a weighted test
// metric estimates performance on a population where label and group are independent, not on the
// one the model will meet; evaluate on the unweighted test part (subgroup_gaps). The group role
// is set (when unset and one group column is given) so later steps find the group; note that
// role columns are not features (design.hpp), so a model trained on the output does not see the
// group column itself.
#include <clinflow/plugin.hpp>

#include "balance_weights.hpp"
#include "cell_report.hpp"
#include "csv.hpp"
#include "design.hpp"
#include "row_groups.hpp"
#include "table.hpp"

namespace clinflow_reweigh {

using namespace clinflow;
using namespace clinflow::builtin;

class Reweigh final : public StepType {
 public:
  Reweigh() {
    manifest_.name = "reweigh";
    manifest_.version = "0.1.0";
    manifest_.summary = "Weights that make label and group independent (Kamiran & Calders)";
    manifest_.doc =
        "reweigh(train, group: race) or reweigh(train, groups: [race, gender]) adds a float\n"
        "column (name: sample_weight) w = P(group) P(label) / P(group, label) = n_g n_y / (n "
        "n_gy),\n"
        "so every label x group cell weighs n_g n_y / n, as if label and group were independent;\n"
        "the weights sum to n. A missing group cell is its own group \"(missing)\". Without group\n"
        "and groups the table's group role is used; with one group column and no group role, the\n"
        "role is set to it (role columns are not model features). Fit on the training part only:\n"
        "weights on a test part would use its labels and describe another population. Output 2:\n"
        "aggregate-only metrics (cells, empty cells, counts and weights per cell; counts 1-9 and\n"
        "their weights hidden as in curation_report).";
    ParamSpec group = optional_param("group", ParamType::kSymbol, Value(), "The group column.");
    ParamSpec groups = list_param("groups", ParamType::kSymbol, Value(),
                                  "Several group columns: their intersection is the group.");
    ParamSpec name = optional_param("name", ParamType::kSymbol, Symbol{"sample_weight"},
                                    "Name of the new weight column.");
    manifest_.params = {group, groups, name};
    manifest_.inputs = {
        PortSpec{"train", types::kTable, "Training data with a label role.", false}};
    PortSpec report{"report", types::kMetrics, "Cell counts and weights (JSON).", false};
    report.aggregate_only = true;
    manifest_.outputs = {PortSpec{"weighted", types::kTable, "The table plus the weights.", false},
                         report};
    manifest_.metrics = {"rows",       "groups",     "cells",     "empty_cells", "suppressed_cells",
                         "min_weight", "max_weight", "by_group.*"};
    manifest_.safety.fits_on = 0;
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const std::string step = "reweigh";
    Table table = input_table(inputs, 0, step);
    const std::vector<std::string> columns =
        group_columns(table, first_or_empty(param(params, manifest_, "group")),
                      symbol_list(param(params, manifest_, "groups")), step);
    const std::string name = symbol_list(param(params, manifest_, "name")).front();
    if (table.find(name))
      throw StepError(step + ": the table already has a column '" + name +
                      "' (choose another with name:)");
    const Eigen::VectorXd y = labels(table, step);
    if (y.size() == 0) throw StepError(step + ": the table has no rows");
    const RowGroups groups = row_groups(table, columns, step);
    const BalanceWeights b = balance_weights(groups, y);

    Column& weights = table.add(name, ColumnType::kFloat);
    weights.floats.assign(b.row_weight.data(), b.row_weight.data() + b.row_weight.size());
    // A role, so that no step ever takes the weights for a feature (design.hpp skips roles).
    table.roles[roles::kWeight] = name;
    if (columns.size() == 1 && !table.roles.count(roles::kGroup))
      table.roles[roles::kGroup] = columns.front();
    const nlohmann::json report = cell_report(groups, b, columns, name);
    ctx.log(step + ": " + std::to_string(groups.names.size()) + " groups, " +
            report["empty_cells"].dump() + " empty label x group cells");
    return {table_artifact(table), Artifact{types::kMetrics, report.dump()}};
  }

 private:
  static std::string first_or_empty(const Value& v) {
    const std::vector<std::string> names = symbol_list(v);
    return names.empty() ? std::string() : names.front();
  }
};

}  // namespace clinflow_reweigh

CLINFLOW_PLUGIN_STEPS(clinflow_reweigh::Reweigh)
