// The flow DSL's syntax tree. Nodes record byte offsets into the DSL text ([begin, end)); the
// compiler maps them to file positions. Plain data: no checks or resolution happen here.
#pragma once

#include <boost/spirit/home/x3/support/ast/variant.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace clinflow::dsl::ast {

namespace x3 = boost::spirit::x3;

/// A byte range in the DSL text, filled by the parser's on_success handler.
struct Located {
  std::size_t begin = 0;
  std::size_t end = 0;
};

struct Ident : Located {
  std::string name;
};

/// `a.b.c` (one part for a bare identifier).
struct DottedName : Located {
  std::vector<std::string> parts;
};

/// A number literal, optionally with a duration unit (`24h`). `text` is the literal as written.
struct Numeric : Located {
  std::string text;
  std::optional<char> unit;
};

/// A double-quoted string; `raw` is the text between the quotes, escapes not yet processed
/// (so `${...}` positions can be mapped back to the file).
struct String : Located {
  std::string raw;
};

struct Bool : Located {
  std::string word;  ///< "true" or "false"
};

struct List;
struct Expr;

struct Operand
    : x3::variant<Numeric, String, Bool, DottedName, x3::forward_ast<List>, x3::forward_ast<Expr>> {
  using base_type::base_type;
  using base_type::operator=;
};

struct Operation {
  std::string op;
  Operand operand;
};

/// `first op operand op operand ...`, left-associative, one precedence level.
struct Expr : Located {
  Operand first;
  std::vector<Operation> rest;
};

struct List : Located {
  std::vector<Expr> items;
};

/// `key: value`.
struct NamedArg : Located {
  Ident key;
  Expr value;
};

struct Arg : x3::variant<NamedArg, Ident> {
  using base_type::base_type;
  using base_type::operator=;
};

/// `a, b = plugin(args...)`.
struct Binding : Located {
  std::vector<Ident> names;
  Ident plugin;
  std::vector<Arg> args;
};

/// `require target op value` (op "in" takes a two-element list).
struct Require : Located {
  DottedName target;
  std::string op;
  Expr value;
};

struct Statement : x3::variant<Binding, Require> {
  using base_type::base_type;
  using base_type::operator=;
};

using Program = std::vector<Statement>;

}  // namespace clinflow::dsl::ast
