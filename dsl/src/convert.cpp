// Converting resolved values to a parameter's declared type (ParamSpec).
//
// Implementation notes. Each ParamType has one small rule; the only implicit conversions are
// the documented ones: integer -> number widening, TOML strings -> symbols (so `fairness.groups`
// from the document can feed a list of symbols), and a bare word/number where an expression is
// expected. Ranges (min/max) apply to numbers and to each element of a list.
#include <cstdio>

#include "values.hpp"

namespace clinflow::dsl {

namespace {

using Kind = RVal::Kind;

std::string with_article(const std::string& noun) {
  if (noun == "any") return noun;
  bool vowel = !noun.empty() && std::string("aeiou").find(noun[0]) != std::string::npos;
  return (vowel ? "an " : "a ") + noun;
}

std::string number_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

/// "a", "a or b", "a, b or c".
std::string one_of(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : i + 1 == items.size() ? " or " : ", ") + items[i];
  return out;
}

struct Converter {
  const std::string& file;
  Diagnostics& diags;

  bool fail(const RVal& v, const std::string& message) {
    diags.error(file, v.span, message);
    return false;
  }

  bool type_error(const RVal& v, ParamType want, const std::string& what) {
    return fail(v,
                what + " expects " + with_article(to_string(want)) + ", got " + kind_name(v.kind));
  }

  bool in_range(const RVal& v, double x, const ParamSpec& spec, const std::string& what) {
    if (spec.min && x < *spec.min)
      return fail(v,
                  what + " must be at least " + number_text(*spec.min) + ", got " + number_text(x));
    if (spec.max && x > *spec.max)
      return fail(v,
                  what + " must be at most " + number_text(*spec.max) + ", got " + number_text(x));
    return true;
  }

  bool symbol(const RVal& v, const ParamSpec& spec, const std::string& what, Value& out) {
    std::string name;
    if (v.kind == Kind::kSymbol)
      name = v.value.as<Symbol>().name;
    else if (v.kind == Kind::kString && v.from_toml)
      name = v.value.as<std::string>();
    else
      return type_error(v, ParamType::kSymbol, what);
    if (!spec.choices.empty() &&
        std::find(spec.choices.begin(), spec.choices.end(), name) == spec.choices.end()) {
      std::string hint = closest_match(name, spec.choices);
      return fail(v, what + " must be " + one_of(spec.choices) + ", got '" + name + "'" +
                         (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
    }
    out = Symbol{name};
    return true;
  }

  bool expr(const RVal& v, const std::string& what, Value& out) {
    if (v.kind == Kind::kList) return type_error(v, ParamType::kExpr, what);
    if (v.kind != Kind::kExpr) {
      out = natural(v);
      return true;
    }
    Expr e;
    e.op = v.op;
    for (const RVal& operand : v.items) {
      Value x;
      if (!expr(operand, what, x)) return false;
      e.operands.push_back(std::move(x));
    }
    out = std::move(e);
    return true;
  }

  bool convert(const RVal& v, const ParamSpec& spec, const std::string& what, Value& out) {
    switch (spec.type) {
      case ParamType::kInt:
        if (v.kind != Kind::kInt) return type_error(v, spec.type, what);
        if (!in_range(v, double(v.value.as<std::int64_t>()), spec, what)) return false;
        out = v.value;
        return true;
      case ParamType::kFloat:
        if (v.kind != Kind::kInt && v.kind != Kind::kFloat) return type_error(v, spec.type, what);
        if (!in_range(v, v.value.number(), spec, what)) return false;
        out = v.value.number();
        return true;
      case ParamType::kBool:
        if (v.kind != Kind::kBool) return type_error(v, spec.type, what);
        out = v.value;
        return true;
      case ParamType::kString:
      case ParamType::kPath:
        if (v.kind != Kind::kString) return type_error(v, spec.type, what);
        out = v.value;
        return true;
      case ParamType::kDuration:
        if (v.kind != Kind::kDuration) return type_error(v, spec.type, what);
        out = v.value;
        return true;
      case ParamType::kSymbol:
        return symbol(v, spec, what, out);
      case ParamType::kExpr:
        return expr(v, what, out);
      case ParamType::kList:
        return list(v, spec, what, out);
      case ParamType::kInterval:
        return interval(v, what, out);
      case ParamType::kAny:
        out = natural(v);
        return true;
    }
    return false;
  }

  bool list(const RVal& v, const ParamSpec& spec, const std::string& what, Value& out) {
    if (v.kind != Kind::kList) {
      std::string want = "list";
      if (spec.element != ParamType::kAny) want += std::string(" of ") + to_string(spec.element);
      return fail(v, what + " expects " + with_article(want) + ", got " + kind_name(v.kind));
    }
    ParamSpec element = spec;
    element.type = spec.element;
    List items;
    bool ok = true;
    for (std::size_t i = 0; i < v.items.size(); ++i) {
      Value x;
      if (convert(v.items[i], element, "element " + std::to_string(i + 1) + " of " + what, x)) {
        items.push_back(std::move(x));
      } else {
        ok = false;
        if (v.from_toml) break;  // elements of a TOML list share one position: say it once
      }
    }
    out = std::move(items);
    return ok;
  }

  bool interval(const RVal& v, const std::string& what, Value& out) {
    if (v.kind != Kind::kList || v.items.size() != 2)
      return fail(v, what + " expects an interval [low, high], got " +
                         (v.kind == Kind::kList ? "a list of " + std::to_string(v.items.size())
                                                : std::string(kind_name(v.kind))));
    for (const RVal& bound : v.items)
      if (bound.kind != Kind::kInt && bound.kind != Kind::kFloat)
        return fail(bound, "bounds of " + what + " must be numbers, got " + kind_name(bound.kind));
    double lo = v.items[0].value.number(), hi = v.items[1].value.number();
    if (lo > hi)
      return fail(v, "interval of " + what + " is empty: low " + number_text(lo) +
                         " is greater than high " + number_text(hi));
    out = List{lo, hi};
    return true;
  }
};

}  // namespace

Value natural(const RVal& v) {
  switch (v.kind) {
    case Kind::kList: {
      List items;
      for (const RVal& item : v.items) items.push_back(natural(item));
      return items;
    }
    case Kind::kExpr: {
      Expr e;
      e.op = v.op;
      for (const RVal& item : v.items) e.operands.push_back(natural(item));
      return e;
    }
    default:
      return v.value;
  }
}

std::optional<Value> convert(const RVal& value, const ParamSpec& spec, const std::string& what,
                             const std::string& file, Diagnostics& diags) {
  Converter c{file, diags};
  Value out;
  if (!c.convert(value, spec, what, out)) return std::nullopt;
  return out;
}

}  // namespace clinflow::dsl
