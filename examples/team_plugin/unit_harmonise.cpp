// unit_harmonise: a team plugin built against the installed clinflow SDK.
//
//   lactate (mg/dL) --unit_harmonise(column: lactate, factor: 0.111)--> lactate (mmol/L)
//
// Multiplies one numeric column of a table by a factor. Tables are the SDK's typed columnar
// tables (clinflow/table.hpp), the same the built-in plugins exchange: an integer or float column
// becomes a float column; missing values stay missing. It declares PHI propagation: the output is
// as sensitive as the input.
#include <clinflow/plugin.hpp>
#include <clinflow/table.hpp>
#include <string>

namespace unit_harmonise {

using namespace clinflow;

class UnitHarmonise final : public StepType {
 public:
  UnitHarmonise() {
    manifest_.name = "unit_harmonise";
    manifest_.version = "1.0.0";
    manifest_.summary = "Convert a column's units by a constant factor";
    manifest_.doc =
        "Multiplies every value of `column` by `factor`, e.g. lactate from mg/dL to mmol/L\n"
        "(factor 0.111). Missing values stay missing; a text column is an error.";
    ParamSpec column;
    column.name = "column";
    column.type = ParamType::kSymbol;
    column.required = true;
    column.doc = "The column to convert.";
    ParamSpec factor;
    factor.name = "factor";
    factor.type = ParamType::kFloat;
    factor.default_value = 0.111;
    factor.min = 0;
    factor.doc = "Multiplier from the old unit to the new one (lactate mg/dL -> mmol/L: 0.111).";
    manifest_.params = {column, factor};
    manifest_.inputs = {PortSpec{"in", types::kTable, "The table to convert.", false}};
    manifest_.outputs = {PortSpec{"out", types::kTable, "The table, column converted.", false}};
    manifest_.safety.phi = PhiEffect::kPropagate;
  }

  Outputs run(Context&, const Inputs& inputs, const Params& params) const override {
    Table table = input_table(inputs, 0, "unit_harmonise");
    auto column = params.find("column");
    if (column == params.end() || !column->second.is<Symbol>())
      throw StepError("unit_harmonise: 'column' must name a column");
    auto factor = params.find("factor");
    const double f = factor != params.end() ? factor->second.number() : 0.111;
    Column& c = table.column(column->second.as<Symbol>().name, "unit_harmonise");
    if (c.type != ColumnType::kInt && c.type != ColumnType::kFloat)
      throw StepError("unit_harmonise: column '" + c.name + "' is " + to_string(c.type) +
                      ", not a number");
    std::vector<double> converted(c.size());
    for (std::size_t r = 0; r < c.size(); ++r) converted[r] = c.number(r) * f;  // NaN stays NaN
    c.ints.clear();
    c.type = ColumnType::kFloat;
    c.floats = std::move(converted);
    return {table_artifact(table)};
  }
};

}  // namespace unit_harmonise

CLINFLOW_PLUGIN_STEPS(unit_harmonise::UnitHarmonise)
