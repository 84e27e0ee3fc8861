// fit_preprocessing and apply_preprocessing: imputation and standard scaling learnt on training
// data and applied unchanged to other parts.
//
// Implementation notes: the fit step declares Safety::fits_on = 0, so the compiler refuses a
// workflow that fits it on a test part (the leakage analysis). apply_preprocessing takes the
// TABLE first: the compiler's row-set analysis follows a step's first input, so the applied
// table keeps the rows (and the split part) of the table it transforms, not those of the data
// the statistics came from.
#include <clinflow/plugin.hpp>

#include "csv.hpp"
#include "preprocessing.hpp"
#include "table.hpp"

namespace clinflow_preprocess {

using namespace clinflow;
using namespace clinflow::builtin;
namespace pp = clinflow::builtin::preprocess;

inline constexpr const char* kPreprocessingType = pp::kArtifactType;

class FitPreprocessing final : public StepType {
 public:
  FitPreprocessing() {
    manifest_.name = "fit_preprocessing";
    manifest_.version = "0.1.0";
    manifest_.summary = "Learn imputation values and scaling statistics on training data";
    manifest_.doc =
        "Learns, for each of `columns` (default: every integer or float column that is not a\n"
        "role column, an identifier ending in `id`/`_nbr`, or a `_missing` indicator), the\n"
        "value to impute (`impute`: median | mean | zero | none) and the mean and standard\n"
        "deviation for `scale: standard` (sample sd; 1 when it is 0 or undefined), from the\n"
        "observed cells only. Output: a `preprocessing` artifact, JSON {format, version,\n"
        "impute, scale, fitted_rows, columns: [{name, observed, impute, mean, sd}]} (null when\n"
        "unused; a column with no observed cell imputes 0). The step learns from its input,\n"
        "so fitting it on a test part is a compile error.";
    ParamSpec impute =
        optional_param("impute", ParamType::kSymbol, Symbol{"median"}, "Value for missing cells.");
    impute.choices = {"median", "mean", "zero", "none"};
    ParamSpec scale = optional_param("scale", ParamType::kSymbol, Symbol{"standard"},
                                     "standard: (x - mean) / sd.");
    scale.choices = {"standard", "none"};
    ParamSpec columns = list_param("columns", ParamType::kSymbol, Value(),
                                   "Columns to transform (default: numeric feature columns).");
    manifest_.params = {impute, scale, columns};
    manifest_.inputs = {PortSpec{"train", types::kTable, "The data to learn from.", false}};
    manifest_.outputs = {
        PortSpec{"preprocessing", kPreprocessingType, "The fitted statistics (JSON).", false}};
    manifest_.safety.fits_on = 0;
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const Table train = input_table(inputs, 0, "fit_preprocessing");
    const auto impute = pp::impute_named(symbol_list(param(params, manifest_, "impute")).front());
    const auto scale = pp::scale_named(symbol_list(param(params, manifest_, "scale")).front());
    if (!impute || !scale) throw StepError("fit_preprocessing: unknown impute or scale method");
    const Value given = param(params, manifest_, "columns");
    const std::vector<std::string> columns =
        given.is_none() ? pp::default_columns(train) : symbol_list(given);
    const pp::Preprocessing prep = pp::fit(train, columns, *impute, *scale);
    std::size_t unobserved = 0;
    for (const auto& c : prep.columns) unobserved += c.observed == 0;
    ctx.log("fit_preprocessing: " + std::to_string(prep.columns.size()) + " columns fitted on " +
            std::to_string(prep.fitted_rows) + " rows" +
            (unobserved ? ", " + std::to_string(unobserved) + " with no observed value" : ""));
    return {Artifact{kPreprocessingType, pp::to_json(prep)}};
  }
};

class ApplyPreprocessing final : public StepType {
 public:
  ApplyPreprocessing() {
    manifest_.name = "apply_preprocessing";
    manifest_.version = "0.1.0";
    manifest_.summary = "Apply fitted imputation and scaling to a table";
    manifest_.doc =
        "apply_preprocessing(table, prep): each column the preprocessing lists becomes a float\n"
        "column in the same position: missing cells get the fitted value, then (x - mean) / sd\n"
        "with the FITTED statistics (never the table's own). Other columns and roles are\n"
        "unchanged. A listed column the table lacks is an error naming it.";
    manifest_.inputs = {PortSpec{"table", types::kTable, "The table to transform.", false},
                        PortSpec{"prep", kPreprocessingType, "From fit_preprocessing.", false}};
    manifest_.outputs = {PortSpec{"out", types::kTable, "The transformed table.", false}};
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params&) const override {
    Table table = input_table(inputs, 0, "apply_preprocessing");
    if (inputs.size() < 2 || !inputs[1] || inputs[1]->type != kPreprocessingType)
      throw StepError("apply_preprocessing: input 2 must be a preprocessing artifact");
    const pp::Preprocessing prep = pp::from_json(inputs[1]->bytes, "apply_preprocessing: input 2");
    Table out = pp::apply(prep, std::move(table));
    ctx.log("apply_preprocessing: " + std::to_string(prep.columns.size()) + " columns on " +
            std::to_string(out.rows()) + " rows");
    return {table_artifact(out)};
  }
};

}  // namespace clinflow_preprocess

CLINFLOW_PLUGIN_STEPS(clinflow_preprocess::FitPreprocessing,
                      clinflow_preprocess::ApplyPreprocessing)
