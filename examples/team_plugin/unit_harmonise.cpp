// unit_harmonise: a team plugin built against the installed clinflow SDK.
//
//   lactate (mg/dL) --unit_harmonise(column: lactate, factor: 0.111)--> lactate (mmol/L)
//
// Multiplies one numeric column of a table by a factor, leaving every other byte of the CSV as
// it was. Implementation notes: a single pass over the CSV text that understands quoting (so
// commas and newlines inside quoted fields are not mistaken for separators) and rewrites only
// the cells of the chosen column; missing (empty) cells stay missing. It declares PHI
// propagation: the output is as sensitive as the input.
#include <charconv>
#include <clinflow/plugin.hpp>
#include <string>
#include <string_view>

namespace unit_harmonise {

using namespace clinflow;

/// Rewrites the cells of column `column` in CSV `text` as value * factor.
std::string harmonise(std::string_view text, const std::string& column, double factor) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0, field = 0, line = 1, target = std::string::npos;
  bool header = true;
  while (i < text.size()) {
    const std::size_t start = i;
    if (text[i] == '"') {  // quoted: runs to the closing quote; "" is an escaped quote
      for (++i; i < text.size(); ++i) {
        if (text[i] == '\n') ++line;
        if (text[i] == '"' && (i + 1 >= text.size() || text[i + 1] != '"')) break;
        if (text[i] == '"') ++i;
      }
      ++i;
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') ++i;
    }
    std::string_view cell = text.substr(start, i - start);
    if (header && (cell == column || cell == '"' + column + '"')) target = field;
    if (!header && field == target && !cell.empty()) {
      double value = 0;
      auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
      if (ec != std::errc() || end != cell.data() + cell.size())
        throw StepError("unit_harmonise: column '" + column + "' is not numeric at line " +
                        std::to_string(line));
      char buf[64];
      auto [stop, ec2] = std::to_chars(buf, buf + sizeof buf, value * factor);
      out.append(buf, stop);
    } else {
      out.append(cell);
    }
    if (i < text.size() && text[i] == ',') {
      out += text[i++];
      ++field;
      continue;
    }
    if (i < text.size() && text[i] == '\r') out += text[i++];
    if (i < text.size() && text[i] == '\n') out += text[i++];
    if (header && target == std::string::npos)
      throw StepError("unit_harmonise: the table has no column '" + column + "'");
    header = false;
    field = 0;
    ++line;
  }
  return out;
}

class UnitHarmonise final : public StepType {
 public:
  UnitHarmonise() {
    manifest_.name = "unit_harmonise";
    manifest_.version = "1.0.0";
    manifest_.summary = "Convert a column's units by a constant factor";
    manifest_.doc =
        "Multiplies every value of `column` by `factor`, e.g. lactate from mg/dL to mmol/L\n"
        "(factor 0.111). Missing cells stay missing; a non-numeric cell is an error.";
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
    if (inputs.empty() || !inputs[0]) throw StepError("unit_harmonise: no input table");
    auto column = params.find("column");
    if (column == params.end() || !column->second.is<Symbol>())
      throw StepError("unit_harmonise: 'column' must name a column");
    auto factor = params.find("factor");
    const double f = factor != params.end() ? factor->second.number() : 0.111;
    return {
        Artifact{types::kTable, harmonise(inputs[0]->bytes, column->second.as<Symbol>().name, f)}};
  }
};

}  // namespace unit_harmonise

CLINFLOW_PLUGIN_STEPS(unit_harmonise::UnitHarmonise)
