// Parameter values: resolving DSL value syntax (with `${...}` and TOML references) into a
// positioned intermediate form, then converting it to a plugin's declared ParamType.
#pragma once

#include <clinflow/plugin.hpp>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ast.hpp"
#include "workflow.hpp"

namespace clinflow::dsl {

/// A resolved value that still knows where it came from, for precise type errors.
struct RVal {
  enum class Kind { kInt, kFloat, kBool, kString, kSymbol, kDuration, kList, kExpr };
  Kind kind = Kind::kInt;
  Value value;              ///< scalars
  std::vector<RVal> items;  ///< list elements or expression operands
  std::string op;           ///< expressions
  Span span;
  bool from_toml = false;  ///< read from the TOML document (strings may become symbols)
};

/// "integer", "number", "string", ... for "got ..." in messages.
const char* kind_name(RVal::Kind kind);

/// Resolves AST values against the document. Errors go to `diags`; results are nullopt then.
class Resolver {
 public:
  Resolver(const Document& doc, const std::set<std::string>& bound_names, Diagnostics& diags)
      : doc_(doc), bound_(bound_names), diags_(diags) {}

  std::optional<RVal> resolve(const ast::Expr& expr);
  Span span(const ast::Located& node) const { return doc_.steps_map.span(node.begin, node.end); }
  const std::string& file() const;

 private:
  std::optional<RVal> operand(const ast::Operand& operand);
  std::optional<RVal> numeric(const ast::Numeric& n);
  std::optional<RVal> string(const ast::String& s);
  std::optional<RVal> dotted(const ast::DottedName& d);
  std::optional<RVal> from_toml(const toml::node& node, const std::string& path, Span at);
  void error(Span at, std::string message);

  const Document& doc_;
  const std::set<std::string>& bound_;
  Diagnostics& diags_;
};

/// Converts a resolved value to a parameter's type, checking ranges and choices.
/// `what` names the parameter for messages: "parameter 'k' of t_deid".
std::optional<Value> convert(const RVal& value, const ParamSpec& spec, const std::string& what,
                             const std::string& file, Diagnostics& diags);

/// The value as it stands, without a declared type (kAny).
Value natural(const RVal& value);

}  // namespace clinflow::dsl
