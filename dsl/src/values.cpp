// Resolving DSL values: literals, `${a.b}` interpolation, bare TOML references.
//
// Implementation notes. String literals arrive raw (escapes unprocessed) so that the byte index
// of each `${` inside them maps straight back to a DSL offset and so to the file column. Bare
// dotted names are references when their head is a top-level TOML table (this wins over a step
// of the same name); when the head is a bound step name they stay symbols (the plugin reads them);
// anything else is an error, caught here rather than at run time. Expressions fold left, merging
// runs of one operator: `a + b + c` is one Expr with three operands, `a + b * c` is `(a + b) * c`
// (one precedence level, as documented).
#include "values.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace clinflow::dsl {

const char* kind_name(RVal::Kind kind) {
  switch (kind) {
    case RVal::Kind::kInt:
      return "integer";
    case RVal::Kind::kFloat:
      return "number";
    case RVal::Kind::kBool:
      return "boolean";
    case RVal::Kind::kString:
      return "string";
    case RVal::Kind::kSymbol:
      return "symbol";
    case RVal::Kind::kDuration:
      return "duration";
    case RVal::Kind::kList:
      return "list";
    case RVal::Kind::kExpr:
      return "expression";
  }
  return "?";
}

const std::string& Resolver::file() const {
  return doc_.steps_map.source->file();
}

void Resolver::error(Span at, std::string message) {
  diags_.error(file(), at, std::move(message));
}

std::optional<RVal> Resolver::resolve(const ast::Expr& expr) {
  auto first = operand(expr.first);
  if (!first || expr.rest.empty()) return first;
  RVal cur = std::move(*first);
  bool folded = false;  // cur is an Expr built here (not a parenthesized one)
  bool ok = true;
  for (const ast::Operation& op : expr.rest) {
    auto rhs = operand(op.operand);
    if (!rhs) {
      ok = false;
      continue;
    }
    if (folded && cur.op == op.op) {
      cur.items.push_back(std::move(*rhs));
    } else {
      RVal e;
      e.kind = RVal::Kind::kExpr;
      e.op = op.op;
      e.items.push_back(std::move(cur));
      e.items.push_back(std::move(*rhs));
      cur = std::move(e);
      folded = true;
    }
  }
  if (!ok) return std::nullopt;
  cur.span = span(expr);
  return cur;
}

std::optional<RVal> Resolver::operand(const ast::Operand& o) {
  struct Visitor {
    Resolver& r;
    std::optional<RVal> operator()(const ast::Numeric& n) const { return r.numeric(n); }
    std::optional<RVal> operator()(const ast::String& s) const { return r.string(s); }
    std::optional<RVal> operator()(const ast::Bool& b) const {
      RVal v;
      v.kind = RVal::Kind::kBool;
      v.value = b.word == "true";
      v.span = r.span(b);
      return v;
    }
    std::optional<RVal> operator()(const ast::DottedName& d) const { return r.dotted(d); }
    std::optional<RVal> operator()(const ast::List& l) const {
      RVal v;
      v.kind = RVal::Kind::kList;
      v.span = r.span(l);
      bool ok = true;
      for (const ast::Expr& e : l.items) {
        auto item = r.resolve(e);
        if (item)
          v.items.push_back(std::move(*item));
        else
          ok = false;
      }
      return ok ? std::optional<RVal>(std::move(v)) : std::nullopt;
    }
    std::optional<RVal> operator()(const ast::Expr& e) const {
      auto v = r.resolve(e);
      if (v) v->span = r.span(e);  // include the parentheses
      return v;
    }
  };
  return boost::apply_visitor(Visitor{*this}, o);
}

std::optional<RVal> Resolver::numeric(const ast::Numeric& n) {
  RVal v;
  v.span = span(n);
  const bool is_float = n.text.find_first_of(".eE") != std::string::npos;
  if (n.unit) {
    static const std::pair<char, std::int64_t> units[] = {
        {'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 604800}};
    std::int64_t scale = 1;
    for (auto [u, s] : units)
      if (u == *n.unit) scale = s;
    double x = std::strtod(n.text.c_str(), nullptr) * double(scale);
    v.kind = RVal::Kind::kDuration;
    v.value = Duration{static_cast<std::int64_t>(std::llround(x))};
    return v;
  }
  if (is_float) {
    v.kind = RVal::Kind::kFloat;
    v.value = std::strtod(n.text.c_str(), nullptr);
    return v;
  }
  std::int64_t i = 0;
  auto r = std::from_chars(n.text.data(), n.text.data() + n.text.size(), i);
  if (r.ec != std::errc()) {
    error(v.span, "integer literal " + n.text + " is out of range");
    return std::nullopt;
  }
  v.kind = RVal::Kind::kInt;
  v.value = i;
  return v;
}

std::optional<RVal> Resolver::string(const ast::String& s) {
  RVal v;
  v.kind = RVal::Kind::kString;
  v.span = span(s);
  std::string out;
  const std::string& raw = s.raw;
  const std::size_t base = s.begin + 1;  // DSL offset of raw[0]
  bool ok = true;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      char e = raw[++i];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
      continue;
    }
    if (c != '$' || i + 1 >= raw.size() || raw[i + 1] != '{') {
      out += c;
      continue;
    }
    std::size_t close = raw.find('}', i + 2);
    Span at =
        doc_.steps_map.span(base + i, base + (close == std::string::npos ? i + 2 : close + 1));
    if (close == std::string::npos) {
      error(at, "unterminated '${' in string (missing '}')");
      ok = false;
      break;
    }
    std::string key = raw.substr(i + 2, close - i - 2);
    const toml::node* node = key.empty() ? nullptr : doc_.root.at_path(key).node();
    std::string text;
    if (!node) {
      error(at, "'${" + key + "}' is not defined in the workflow file");
      ok = false;
    } else if (!format_scalar(*node, text)) {
      error(at, "'${" + key + "}' is a " + (node->is_table() ? "table" : "array") +
                    ", not a string, number or boolean");
      ok = false;
    }
    out += text;
    i = close;
  }
  if (!ok) return std::nullopt;
  v.value = out;
  return v;
}

std::optional<RVal> Resolver::dotted(const ast::DottedName& d) {
  RVal v;
  v.span = span(d);
  std::string path;
  for (const auto& p : d.parts) path += (path.empty() ? "" : ".") + p;
  const toml::node* head = d.parts.size() > 1 ? doc_.root.get(d.parts[0]) : nullptr;
  const bool table = head && head->is_table();
  if (d.parts.size() == 1 || (!table && bound_.count(d.parts[0]))) {
    v.kind = RVal::Kind::kSymbol;
    v.value = Symbol{path};
    return v;
  }
  if (!table) {
    std::vector<std::string> candidates(bound_.begin(), bound_.end());
    for (auto&& [k, n] : doc_.root)
      if (n.is_table()) candidates.emplace_back(k.str());
    std::string hint = closest_match(d.parts[0], candidates);
    error(v.span, "unknown name '" + d.parts[0] + "' in '" + path +
                      "': not a table of the workflow file or a bound name" +
                      (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
    return std::nullopt;
  }
  const toml::node* node = head;
  for (std::size_t i = 1; i < d.parts.size(); ++i) {
    const toml::table* t = node->as_table();
    const toml::node* next = t ? t->get(d.parts[i]) : nullptr;
    if (!next) {
      std::vector<std::string> keys;
      if (t)
        for (auto&& [k, n] : *t) keys.emplace_back(k.str());
      std::string hint = closest_match(d.parts[i], keys);
      error(v.span, "'" + path + "' is not defined in the workflow file" +
                        (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
      return std::nullopt;
    }
    node = next;
  }
  return from_toml(*node, path, v.span);
}

std::optional<RVal> Resolver::from_toml(const toml::node& node, const std::string& path, Span at) {
  RVal v;
  v.span = at;
  v.from_toml = true;
  if (auto* arr = node.as_array()) {
    v.kind = RVal::Kind::kList;
    for (const toml::node& el : *arr) {
      auto item = from_toml(el, path, at);
      if (!item) return std::nullopt;
      v.items.push_back(std::move(*item));
    }
    return v;
  }
  if (node.is_table()) {
    error(at, "'" + path + "' is a table in the workflow file, not a value");
    return std::nullopt;
  }
  if (auto* i = node.as_integer()) {
    v.kind = RVal::Kind::kInt;
    v.value = i->get();
  } else if (auto* f = node.as_floating_point()) {
    v.kind = RVal::Kind::kFloat;
    v.value = f->get();
  } else if (auto* b = node.as_boolean()) {
    v.kind = RVal::Kind::kBool;
    v.value = b->get();
  } else {
    std::string text;
    format_scalar(node, text);
    v.kind = RVal::Kind::kString;
    v.value = text;
  }
  return v;
}

}  // namespace clinflow::dsl
