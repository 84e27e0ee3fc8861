// Evaluating DSL expressions (`age >= 18`, `intime + 24h`, `outtime - intime`) over a Table.
//
// An expression is evaluated a column at a time: every operand becomes a vector of values (a
// literal is one value broadcast to every row) and every operator one loop over the rows. Values
// are typed: integer, float, timestamp (seconds since epoch), duration (seconds), text and boolean
// (the result of a comparison). Missing values propagate through arithmetic and make every
// comparison false, as SQL NULLs do.
//
// @code
//   std::vector<std::uint8_t> keep = evaluate_mask(Expr{">=", {Symbol{"age"}, 18}}, t, "cohort");
//   ExprValues pt = evaluate(Expr{"+", {Symbol{"intime"}, Duration{86400}}}, t, "label");
// @endcode
#pragma once

#include <clinflow/value.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "table.hpp"

namespace clinflow::builtin {

/// What an evaluated expression holds in each row.
enum class ExprKind : std::uint8_t { kInt, kFloat, kTimestamp, kDuration, kText, kBool };

/// "integer", "float", "timestamp", "duration", "text", "boolean".
const char* to_string(ExprKind kind);

/// The per-row values of an expression. Exactly one of ints / floats / codes is used, by `kind`.
struct ExprValues {
  ExprKind kind = ExprKind::kInt;
  /// kInt, kTimestamp, kDuration (seconds) and kBool (0/1); kMissingInt when missing.
  std::vector<std::int64_t> ints;
  std::vector<double> floats;       ///< kFloat; NaN when missing
  std::vector<std::int32_t> codes;  ///< kText: index into dict; kMissingCode when missing
  std::vector<std::string> dict;    ///< kText
  bool scalar = false;              ///< one value that stands for every row (a literal)
  std::string column;               ///< the column the values come straight from, if any

  std::size_t size() const;
  bool missing(std::size_t row) const;
};

/// Evaluates `expr` (an Expr, a Symbol naming a column, or a literal) for every row of `table`;
/// the result has table.rows() values. A bare word that names no column is text only where it is
/// compared with a text column (`gender == F`); elsewhere it is an unknown column, an error that
/// lists the table's columns. Type errors name the expression and the column. `step` prefixes
/// every error message.
ExprValues evaluate(const Value& expr, const Table& table, const std::string& step);

/// Evaluates a condition (a comparison, or `true` / `false`) to one flag per row: 1 where it
/// holds, 0 where it does not or an operand is missing.
std::vector<std::uint8_t> evaluate_mask(const Value& expr, const Table& table,
                                        const std::string& step);

/// A table column holding `values` (which must have one value per row, not a scalar): integers
/// and booleans become kInt, durations kInt seconds, text kString.
Column to_column(const ExprValues& values, std::string name);

/// The expression in the DSL's infix form, as a workflow would write it: `age >= 18`,
/// `readmitted == "<30"`, `intime + 24h`, `(a + b) * c`.
std::string expr_text(const Value& expr);

/// A duration as a workflow would write it: days from 2 days up, else hours, minutes, seconds,
/// whichever divides it: 86400 -> "24h", 172800 -> "2d", 2592000 -> "30d", 90 -> "90s".
std::string duration_text(std::int64_t seconds);

}  // namespace clinflow::builtin
