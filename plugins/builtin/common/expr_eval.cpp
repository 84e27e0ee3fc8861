// Evaluating DSL expressions over a Table, a column at a time.
//
// Implementation notes. Every operand becomes an ExprValues: a column is copied into it (one
// memcpy-like pass; the copy keeps the operators simple and the input table untouched) and a
// literal becomes a one-value "scalar" that each loop broadcasts with `scalar ? 0 : row`. The
// DSL folds `a + b + c` into one Expr with three operands, so operators fold left over their
// operands. Kinds are decided once per operator, never per row: the loops are plain arithmetic
// on int64 or double. Integer arithmetic stays exact (ids, timestamps, durations); an overflow
// is an error rather than a wrapped value. Division by zero gives a missing value, as in SQL.
// Errors name the whole expression and the column involved, never a cell value.
#include "expr_eval.hpp"

#include <charconv>
#include <cmath>
#include <optional>

namespace clinflow::builtin {

namespace {

using Kind = ExprKind;

bool is_comparison(const std::string& op) {
  return op == ">=" || op == "<=" || op == ">" || op == "<" || op == "==" || op == "!=";
}

bool is_arithmetic(const std::string& op) {
  return op == "+" || op == "-" || op == "*" || op == "/";
}

bool numeric(Kind k) {
  return k == Kind::kInt || k == Kind::kFloat;
}

/// Kinds stored in `ints`.
bool integral(Kind k) {
  return k != Kind::kFloat && k != Kind::kText;
}

std::size_t at(const ExprValues& v, std::size_t row) {
  return v.scalar ? 0 : row;
}

double number_at(const ExprValues& v, std::size_t row) {
  if (v.kind == Kind::kFloat) return v.floats[at(v, row)];
  const std::int64_t x = v.ints[at(v, row)];
  return x == kMissingInt ? missing_float() : double(x);
}

ExprValues scalar_of(Kind kind) {
  ExprValues v;
  v.kind = kind;
  v.scalar = true;
  return v;
}

ExprValues text_scalar(const std::string& text) {
  ExprValues v = scalar_of(Kind::kText);
  v.dict = {text};
  v.codes = {0};
  return v;
}

ExprValues from_column(const Column& c) {
  ExprValues v;
  v.column = c.name;
  switch (c.type) {
    case ColumnType::kInt:
      v.kind = Kind::kInt;
      v.ints = c.ints;
      break;
    case ColumnType::kTimestamp:
      v.kind = Kind::kTimestamp;
      v.ints = c.ints;
      break;
    case ColumnType::kFloat:
      v.kind = Kind::kFloat;
      v.floats = c.floats;
      break;
    case ColumnType::kString:
      v.kind = Kind::kText;
      v.codes = c.codes;
      v.dict = c.dict;
      break;
  }
  return v;
}

/// "text (column 'gender')" or "integer": how an operand is named in type errors.
std::string describe(const ExprValues& v) {
  std::string s = to_string(v.kind);
  if (!v.column.empty()) s += " (column '" + v.column + "')";
  return s;
}

/// The result kind of `a op b`, or nullopt when the operator does not apply to these kinds.
std::optional<Kind> arithmetic_kind(char op, Kind a, Kind b) {
  const bool ints = a == Kind::kInt && b == Kind::kInt;
  if (numeric(a) && numeric(b)) return ints && op != '/' ? Kind::kInt : Kind::kFloat;
  const bool ts_a = a == Kind::kTimestamp, ts_b = b == Kind::kTimestamp;
  const bool dur_a = a == Kind::kDuration, dur_b = b == Kind::kDuration;
  switch (op) {
    case '+':
      if ((ts_a && dur_b) || (dur_a && ts_b)) return Kind::kTimestamp;
      if (dur_a && dur_b) return Kind::kDuration;
      break;
    case '-':
      if (ts_a && dur_b) return Kind::kTimestamp;
      if ((ts_a && ts_b) || (dur_a && dur_b)) return Kind::kDuration;
      break;
    case '*':
      if ((dur_a && numeric(b)) || (numeric(a) && dur_b)) return Kind::kDuration;
      break;
    case '/':
      if (dur_a && numeric(b)) return Kind::kDuration;
      if (dur_a && dur_b) return Kind::kFloat;
      break;
  }
  return std::nullopt;
}

class Evaluator {
 public:
  Evaluator(const Value& root, const Table& table, const std::string& step)
      : root_(root), table_(table), step_(step), rows_(table.rows()) {}

  ExprValues eval(const Value& v) {
    if (v.is<Expr>()) return eval_expr(v.as<Expr>());
    if (v.is<Symbol>()) return column(v.as<Symbol>().name);
    return literal(v);
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw StepError((step_.empty() ? "" : step_ + ": ") + what + " in `" + expr_text(root_) + "`");
  }

  ExprValues column(const std::string& name) const {
    if (const Column* c = table_.find(name)) return from_column(*c);
    std::string list;
    for (const auto& c : table_.columns) list += (list.empty() ? "" : ", ") + c.name;
    throw StepError((step_.empty() ? "" : step_ + ": ") + "unknown column '" + name + "' in `" +
                    expr_text(root_) +
                    "`; the table has: " + (list.empty() ? "(no columns)" : list));
  }

  ExprValues literal(const Value& v) const {
    if (v.is<std::int64_t>()) {
      ExprValues s = scalar_of(Kind::kInt);
      s.ints = {v.as<std::int64_t>()};
      return s;
    }
    if (v.is<double>()) {
      ExprValues s = scalar_of(Kind::kFloat);
      s.floats = {v.as<double>()};
      return s;
    }
    if (v.is<bool>()) {
      ExprValues s = scalar_of(Kind::kBool);
      s.ints = {v.as<bool>() ? 1 : 0};
      return s;
    }
    if (v.is<Duration>()) {
      ExprValues s = scalar_of(Kind::kDuration);
      s.ints = {v.as<Duration>().seconds};
      return s;
    }
    if (v.is<std::string>()) return text_scalar(v.as<std::string>());
    fail("'" + to_text(v) + "' cannot be an operand");
  }

  ExprValues eval_expr(const Expr& e) {
    if (e.operands.size() < 2) fail("operator '" + e.op + "' needs two operands");
    if (is_comparison(e.op)) {
      if (e.operands.size() != 2) fail("a comparison has exactly two operands");
      return comparison(e);
    }
    if (!is_arithmetic(e.op)) fail("unknown operator '" + e.op + "'");
    ExprValues acc = eval(e.operands[0]);
    for (std::size_t i = 1; i < e.operands.size(); ++i)
      acc = arithmetic(e.op[0], acc, eval(e.operands[i]));
    return acc;
  }

  /// A bare word that names no column is text when the other side is text: `gender == F`.
  ExprValues comparison(const Expr& e) {
    const Value &lhs = e.operands[0], &rhs = e.operands[1];
    auto bare = [&](const Value& v) {
      return v.is<Symbol>() && table_.find(v.as<Symbol>().name) == nullptr;
    };
    ExprValues a, b;
    if (bare(lhs) && !bare(rhs)) {
      b = eval(rhs);
      a = b.kind == Kind::kText ? text_scalar(lhs.as<Symbol>().name) : eval(lhs);
    } else {
      a = eval(lhs);
      b = bare(rhs) && a.kind == Kind::kText ? text_scalar(rhs.as<Symbol>().name) : eval(rhs);
    }
    return compare(e.op, a, b);
  }

  ExprValues result_for(Kind kind, const ExprValues& a, const ExprValues& b) const {
    ExprValues r;
    r.kind = kind;
    r.scalar = a.scalar && b.scalar;
    const std::size_t n = r.scalar ? 1 : rows_;
    if (integral(kind))
      r.ints.resize(n);
    else
      r.floats.resize(n);
    return r;
  }

  ExprValues arithmetic(char op, const ExprValues& a, const ExprValues& b) const {
    const auto kind = arithmetic_kind(op, a.kind, b.kind);
    if (!kind)
      fail(std::string("cannot apply '") + op + "' to " + describe(a) + " and " + describe(b));
    ExprValues r = result_for(*kind, a, b);
    if (*kind == Kind::kFloat) {
      for (std::size_t i = 0; i < r.floats.size(); ++i)
        r.floats[i] = float_op(op, number_at(a, i), number_at(b, i));
    } else if (integral(a.kind) && integral(b.kind) && op != '/') {
      for (std::size_t i = 0; i < r.ints.size(); ++i)
        r.ints[i] = int_op(op, a.ints[at(a, i)], b.ints[at(b, i)], i);
    } else {  // a duration scaled by a float, or divided: rounded to whole seconds
      for (std::size_t i = 0; i < r.ints.size(); ++i) {
        const double x = float_op(op, number_at(a, i), number_at(b, i));
        r.ints[i] = std::isfinite(x) && std::fabs(x) < 9.2e18 ? std::llround(x) : kMissingInt;
      }
    }
    return r;
  }

  static double float_op(char op, double x, double y) {
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      default:
        return y == 0 ? missing_float() : x / y;
    }
  }

  std::int64_t int_op(char op, std::int64_t x, std::int64_t y, std::size_t row) const {
    if (x == kMissingInt || y == kMissingInt) return kMissingInt;
    std::int64_t out = 0;
    bool overflow = false;
    if (op == '+') overflow = __builtin_add_overflow(x, y, &out);
    if (op == '-') overflow = __builtin_sub_overflow(x, y, &out);
    if (op == '*') overflow = __builtin_mul_overflow(x, y, &out);
    if (overflow || out == kMissingInt) fail("integer overflow at row " + std::to_string(row));
    return out;
  }

  ExprValues compare(const std::string& op, const ExprValues& a, const ExprValues& b) const {
    const bool numbers =
        (numeric(a.kind) || a.kind == Kind::kBool) && (numeric(b.kind) || b.kind == Kind::kBool);
    const bool same = a.kind == b.kind && a.kind != Kind::kFloat;
    ExprValues r = result_for(Kind::kBool, a, b);
    const std::size_t n = r.ints.size();
    if (a.kind == Kind::kText && b.kind == Kind::kText) {
      for (std::size_t i = 0; i < n; ++i) {
        const std::int32_t x = a.codes[at(a, i)], y = b.codes[at(b, i)];
        r.ints[i] = x >= 0 && y >= 0 &&
                    holds(op, std::string_view(a.dict[std::size_t(x)])
                                  .compare(std::string_view(b.dict[std::size_t(y)])));
      }
    } else if (integral(a.kind) && integral(b.kind) && (same || numbers)) {
      for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t x = a.ints[at(a, i)], y = b.ints[at(b, i)];
        r.ints[i] = x != kMissingInt && y != kMissingInt && holds(op, x < y ? -1 : x > y);
      }
    } else if (numbers) {
      for (std::size_t i = 0; i < n; ++i) {
        const double x = number_at(a, i), y = number_at(b, i);
        r.ints[i] = !std::isnan(x) && !std::isnan(y) && holds(op, x < y ? -1 : x > y);
      }
    } else {
      fail("cannot compare " + describe(a) + " with " + describe(b));
    }
    return r;
  }

  /// Whether `op` holds for a three-way comparison result (<0, 0, >0).
  static bool holds(const std::string& op, int c) {
    if (op == "<") return c < 0;
    if (op == "<=") return c <= 0;
    if (op == ">") return c > 0;
    if (op == ">=") return c >= 0;
    if (op == "==") return c == 0;
    return c != 0;
  }

  const Value& root_;
  const Table& table_;
  const std::string& step_;
  std::size_t rows_;
};

/// Broadcasts a scalar to `rows` values.
void broadcast(ExprValues& v, std::size_t rows) {
  if (!v.scalar) return;
  v.scalar = false;
  if (integral(v.kind)) v.ints.assign(rows, v.ints[0]);
  if (v.kind == Kind::kFloat) v.floats.assign(rows, v.floats[0]);
  if (v.kind == Kind::kText) v.codes.assign(rows, v.codes[0]);
}

void print(std::string& out, const Value& v, bool nested);

void print_expr(std::string& out, const Expr& e, bool nested) {
  if (nested) out += '(';
  for (std::size_t i = 0; i < e.operands.size(); ++i) {
    if (i) out += ' ' + e.op + ' ';
    const Value& x = e.operands[i];
    // A comparison's sides are whole sums (the grammar's `a - b >= 1h`); nested arithmetic is
    // parenthesized so the one-precedence-level reading is never in doubt.
    const bool paren = x.is<Expr>() && !(is_comparison(e.op) && !is_comparison(x.as<Expr>().op));
    print(out, x, paren);
  }
  if (nested) out += ')';
}

void print(std::string& out, const Value& v, bool nested) {
  if (v.is<Expr>()) return print_expr(out, v.as<Expr>(), nested);
  if (v.is<Duration>()) {
    out += duration_text(v.as<Duration>().seconds);
  } else if (v.is<double>()) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.as<double>());
    out += ec == std::errc() ? std::string(buf, end) : to_text(v);
  } else if (v.is<List>()) {
    out += '[';
    for (std::size_t i = 0; i < v.as<List>().size(); ++i) {
      if (i) out += ", ";
      print(out, v.as<List>()[i], false);
    }
    out += ']';
  } else {
    out += to_text(v);  // integers, booleans, symbols, quoted strings: already DSL syntax
  }
}

}  // namespace

const char* to_string(ExprKind kind) {
  switch (kind) {
    case Kind::kInt:
      return "integer";
    case Kind::kFloat:
      return "float";
    case Kind::kTimestamp:
      return "timestamp";
    case Kind::kDuration:
      return "duration";
    case Kind::kText:
      return "text";
    case Kind::kBool:
      return "boolean";
  }
  return "?";
}

std::size_t ExprValues::size() const {
  if (kind == Kind::kFloat) return floats.size();
  if (kind == Kind::kText) return codes.size();
  return ints.size();
}

bool ExprValues::missing(std::size_t row) const {
  const std::size_t i = scalar ? 0 : row;
  if (kind == Kind::kFloat) return std::isnan(floats[i]);
  if (kind == Kind::kText) return codes[i] < 0;
  return ints[i] == kMissingInt;
}

ExprValues evaluate(const Value& expr, const Table& table, const std::string& step) {
  ExprValues v = Evaluator(expr, table, step).eval(expr);
  broadcast(v, table.rows());
  return v;
}

std::vector<std::uint8_t> evaluate_mask(const Value& expr, const Table& table,
                                        const std::string& step) {
  const ExprValues v = evaluate(expr, table, step);
  if (v.kind != Kind::kBool)
    throw StepError((step.empty() ? "" : step + ": ") + "`" + expr_text(expr) +
                    "` is not a condition (it gives " + describe(v) +
                    "); write a comparison such as `age >= 18`");
  return std::vector<std::uint8_t>(v.ints.begin(), v.ints.end());
}

Column to_column(const ExprValues& values, std::string name) {
  Column c(std::move(name), ColumnType::kInt);
  switch (values.kind) {
    case Kind::kFloat:
      c.type = ColumnType::kFloat;
      c.floats = values.floats;
      break;
    case Kind::kText:
      c.type = ColumnType::kString;
      c.codes = values.codes;
      c.dict = values.dict;
      c.rebuild_index();
      break;
    case Kind::kTimestamp:
      c.type = ColumnType::kTimestamp;
      c.ints = values.ints;
      break;
    default:
      c.ints = values.ints;
  }
  return c;
}

std::string expr_text(const Value& expr) {
  std::string out;
  print(out, expr, false);
  return out;
}

std::string duration_text(std::int64_t seconds) {
  if (seconds != 0 && seconds % 86400 == 0 && std::llabs(seconds) >= 2LL * 86400)
    return std::to_string(seconds / 86400) + "d";
  if (seconds != 0 && seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
  if (seconds != 0 && seconds % 60 == 0) return std::to_string(seconds / 60) + "m";
  return std::to_string(seconds) + "s";
}

}  // namespace clinflow::builtin
