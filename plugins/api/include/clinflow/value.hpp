// clinflow plugin SDK: parameter values.
//
// A Value is what the compiler hands a plugin after it has parsed, resolved (`${...}`, TOML
// references) and type-checked a step's named arguments. Values are plain data: they print to a
// canonical text (used in step keys and provenance) so a step can be rerun from its record alone.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace clinflow {

struct Value;

/// A bare word such as `patient` or `in_hospital_death` (an enum choice or a column name).
struct Symbol {
  std::string name;
  bool operator==(const Symbol&) const = default;
};

/// A duration literal such as `24h` or `30d`, in seconds.
struct Duration {
  std::int64_t seconds = 0;
  bool operator==(const Duration&) const = default;
};

/// An expression such as `age >= 18` or `intime + 24h`: an operator and its operands.
/// Operators: ">=", "<=", ">", "<", "==", "!=", "+", "-", "*", "/".
struct Expr {
  std::string op;
  std::vector<Value> operands;
  bool operator==(const Expr&) const;
};

using List = std::vector<Value>;

/// One parameter value.
struct Value {
  std::variant<std::monostate, bool, std::int64_t, double, std::string, Symbol, Duration, List,
               Expr>
      v;

  Value() = default;
  template <class T>
  Value(T x) : v(std::move(x)) {}  // NOLINT(google-explicit-constructor): values read naturally
  Value(int x) : v(std::int64_t{x}) {}
  Value(const char* s) : v(std::string(s)) {}

  bool is_none() const { return v.index() == 0; }
  template <class T>
  bool is() const {
    return std::holds_alternative<T>(v);
  }
  template <class T>
  const T& as() const {
    return std::get<T>(v);
  }
  /// A number (integer or float) as a double.
  double number() const { return is<std::int64_t>() ? double(as<std::int64_t>()) : as<double>(); }
  bool is_number() const { return is<std::int64_t>() || is<double>(); }

  bool operator==(const Value& o) const { return v == o.v; }
};

inline bool Expr::operator==(const Expr& o) const {
  return op == o.op && operands == o.operands;
}

/// Named parameters of one step, sorted by name (std::map), so their text is canonical.
using Params = std::map<std::string, Value>;

namespace detail {
inline void append_escaped(std::string& out, const std::string& s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
}
inline std::string format_double(double d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  std::string s = buf;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}
}  // namespace detail

/// Canonical text of a value, in the DSL's own syntax: `24h` prints as `86400s`.
inline std::string to_text(const Value& value) {
  std::string out;
  struct Printer {
    std::string& out;
    void operator()(std::monostate) const { out += "none"; }
    void operator()(bool b) const { out += b ? "true" : "false"; }
    void operator()(std::int64_t i) const { out += std::to_string(i); }
    void operator()(double d) const { out += detail::format_double(d); }
    void operator()(const std::string& s) const { detail::append_escaped(out, s); }
    void operator()(const Symbol& s) const { out += s.name; }
    void operator()(const Duration& d) const { out += std::to_string(d.seconds) + "s"; }
    void operator()(const List& l) const {
      out += '[';
      for (std::size_t i = 0; i < l.size(); ++i) {
        if (i) out += ", ";
        out += to_text(l[i]);
      }
      out += ']';
    }
    void operator()(const Expr& e) const {
      out += '(';
      for (std::size_t i = 0; i < e.operands.size(); ++i) {
        if (i) out += ' ' + e.op + ' ';
        out += to_text(e.operands[i]);
      }
      out += ')';
    }
  };
  std::visit(Printer{out}, value.v);
  return out;
}

/// Canonical text of a parameter set: `name: value, ...` in name order.
inline std::string to_text(const Params& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += ", ";
    out += name + ": " + to_text(value);
  }
  return out;
}

}  // namespace clinflow
