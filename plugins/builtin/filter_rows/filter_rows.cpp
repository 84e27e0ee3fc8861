// filter_rows: keeps the rows of a table for which a comparison holds.
//
// Implementation notes: `where` is one comparison between a column and a literal (or another
// column). The operands are resolved once (which side is the column, whether the comparison is
// numeric) and the predicate then runs per row. Missing or non-numeric cells never satisfy a
// numeric comparison, as with SQL NULLs. Only row counts are logged.
#include <clinflow/plugin.hpp>
#include <optional>

#include "csv.hpp"

namespace clinflow_filter_rows {

using namespace clinflow;
using namespace clinflow::builtin;

/// One side of the comparison: a column index, or a constant.
struct Operand {
  std::optional<std::size_t> column;
  std::string text;
  std::optional<double> number;
};

/// The operator with its sides swapped ("18 <= age" is "age >= 18").
std::string flipped(const std::string& op) {
  if (op == "<") return ">";
  if (op == ">") return "<";
  if (op == "<=") return ">=";
  if (op == ">=") return "<=";
  return op;
}

template <class T>
bool compare(const std::string& op, const T& a, const T& b) {
  if (op == "<") return a < b;
  if (op == "<=") return a <= b;
  if (op == ">") return a > b;
  if (op == ">=") return a >= b;
  if (op == "==") return a == b;
  return a != b;
}

Operand resolve(const Value& v, const Table& table, bool must_be_column) {
  Operand out;
  if (v.is<Symbol>()) {
    const std::string& name = v.as<Symbol>().name;
    if (must_be_column) {
      out.column = table.column(name);  // throws naming the column and listing the columns
    } else if (auto i = table.find_column(name)) {
      out.column = i;
    } else {
      out.text = name;  // a bare word compared as text: `sex == F`
    }
  } else if (v.is_number()) {
    out.number = v.number();
    out.text = format_number(v.number());
  } else if (v.is<std::string>()) {
    out.text = v.as<std::string>();
  } else if (v.is<bool>()) {
    out.text = v.as<bool>() ? "true" : "false";
  } else {
    throw StepError("filter_rows: cannot compare with " + to_text(v));
  }
  return out;
}

class FilterRows final : public StepType {
 public:
  FilterRows() {
    manifest_.name = "filter_rows";
    manifest_.version = "0.1.0";
    manifest_.summary = "Keep the rows of a table that satisfy a comparison";
    manifest_.doc =
        "Keeps the rows for which `where` holds. `where` compares a column with a number, a\n"
        "string, or another column: `age >= 18`, `sex == \"F\"`, `discharge > admit`. The\n"
        "operators are >=, <=, >, <, == and !=. Against a number the comparison is numeric and\n"
        "rows whose cell is missing or not a number are dropped; otherwise cells compare as\n"
        "text. An unknown column is an error that lists the table's columns.";
    ParamSpec where;
    where.name = "where";
    where.type = ParamType::kExpr;
    where.required = true;
    where.doc = "The comparison, e.g. `age >= 18`.";
    manifest_.params = {where};
    manifest_.inputs = {PortSpec{"in", types::kTable, "The table to filter.", false}};
    manifest_.outputs = {PortSpec{"out", types::kTable, "The rows that satisfy `where`.", false}};
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    Table table = input_table(inputs, 0, "filter_rows");
    const Value where = param(params, manifest_, "where");
    if (!where.is<Expr>() || where.as<Expr>().operands.size() != 2)
      throw StepError("filter_rows: 'where' must be one comparison such as `age >= 18`");
    std::string op = where.as<Expr>().op;
    if (op != "<" && op != "<=" && op != ">" && op != ">=" && op != "==" && op != "!=")
      throw StepError("filter_rows: '" + op + "' is not a comparison operator");
    Value lhs = where.as<Expr>().operands[0], rhs = where.as<Expr>().operands[1];
    if (!lhs.is<Symbol>() && rhs.is<Symbol>()) {
      std::swap(lhs, rhs);
      op = flipped(op);
    }
    const Operand a = resolve(lhs, table, true);
    const Operand b = resolve(rhs, table, false);

    std::vector<std::vector<std::string>> kept;
    for (auto& row : table.rows) {
      if (keep(op, row, a, b)) kept.push_back(std::move(row));
    }
    ctx.log("filter_rows: kept " + std::to_string(kept.size()) + " of " +
            std::to_string(table.rows.size()) + " rows");
    table.rows = std::move(kept);
    return {Artifact{types::kTable, write_csv(table)}};
  }

 private:
  static bool keep(const std::string& op, const std::vector<std::string>& row, const Operand& a,
                   const Operand& b) {
    const std::string& left = row[*a.column];
    const std::string& right = b.column ? row[*b.column] : b.text;
    if (b.number || b.column) {
      const auto x = parse_number(left);
      const auto y = b.number ? b.number : parse_number(right);
      if (x && y) return compare(op, *x, *y);
      if (b.number) return false;  // missing or text cell against a number
    }
    return compare(op, left, right);
  }
};

}  // namespace clinflow_filter_rows

CLINFLOW_PLUGIN_STEPS(clinflow_filter_rows::FilterRows)
