// The flow DSL grammar (Spirit X3). See dsl.md / WORKFLOW.md for the language.
//
// Implementation notes. The skipper skips all white space and comments, so newlines inside ( )
// and [ ] are free; the end of a statement is checked by a small raw parser (statement_end) that
// wants a newline or ';'. (Switching skippers with x3::skip inside brackets would nest contexts
// without bound through the recursive value rule.) Every
// place where the input can only continue one way is an expectation point (`>`) on a *named*
// rule, so a failure says what was expected ("')' or ',' after argument"); the caller adds what
// was seen. Nodes derived from ast::Located get their byte range from `annotate`.
#pragma once

#include <type_traits>

#include "ast.hpp"
#include "ast_adapted.hpp"
#include "config.hpp"
#include "grammar.hpp"

namespace clinflow::dsl {
namespace parser {

using x3::alnum;
using x3::alpha;
using x3::char_;
using x3::digit;
using x3::eoi;
using x3::lexeme;
using x3::lit;
using x3::raw;
using x3::string;

/// on_success: record the node's byte range.
struct annotate {
  template <class It, class Node, class Ctx>
  void on_success(It const& first, It const& last, Node& node, Ctx const& ctx) {
    if constexpr (std::is_base_of_v<ast::Located, Node>) {
      auto& state = x3::get<state_tag>(ctx);
      node.begin = static_cast<std::size_t>(first - state.origin);
      node.end = static_cast<std::size_t>(last - state.origin);
    }
  }
};

/// on_error, on the top rule only: an inner handler would turn a failed expectation into a
/// plain mismatch and let an alternative succeed past the real error.
struct report_failure {
  template <class It, class Failure, class Ctx>
  x3::error_handler_result on_error(It&, It const&, Failure const& x, Ctx const& ctx) {
    auto& state = x3::get<state_tag>(ctx);
    if (!state.failure)
      state.failure =
          ParserState::Failure{static_cast<std::size_t>(x.where() - state.origin), x.which()};
    return x3::error_handler_result::fail;
  }
};

/// Ends a statement: blanks and comments, then at least one newline or ';' (or the end of the
/// input), consuming any further blank lines. It reads the raw input: the skipper would eat the
/// newline it is looking for.
struct statement_end_parser : x3::parser<statement_end_parser> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It& first, It const& last, Ctx const&, RCtx&, Attr&) const {
    It i = first;
    bool ended = false;
    while (i != last) {
      if (*i == ' ' || *i == '\t' || *i == '\r') {
        ++i;
      } else if (*i == '\n' || *i == ';') {
        ended = true;
        ++i;
      } else if (*i == '#') {
        while (i != last && *i != '\n') ++i;
      } else {
        break;
      }
    }
    if (!ended && i != last) return false;
    first = i;
    return true;
  }
};

auto const ident_char = alnum | char_('_');
// String-typed rules make X3 collect characters into one std::string for the actions below.
x3::rule<struct word_class, std::string> const ident_raw = "name";
auto const ident_raw_def = lexeme[(alpha | char_('_')) >> *ident_char];
x3::rule<struct words_class, std::vector<std::string>> const words = "dotted name";
auto const words_def = lexeme[ident_raw % '.'];
x3::rule<struct string_body_class, std::string> const string_body = "string";
auto const string_body_def = raw[*((lit('\\') >> char_) | ~char_("\"\\\n"))];
x3::rule<struct bool_word_class, std::string> const bool_word = "boolean";
auto const bool_word_def = lexeme[(string("true") | string("false")) >> !ident_char];
auto keyword(char const* word) {
  return lexeme[lit(word) >> !ident_char];
}

// Named expectation targets: the name is what a syntax error says was expected.
auto const close_call = x3::rule<struct close_call_class>{"')' or ',' after argument"} = lit(')');
auto const close_list = x3::rule<struct close_list_class>{"']' or ',' after list element"} =
    lit(']');
auto const close_group = x3::rule<struct close_group_class>{"')' after value"} = lit(')');
auto const close_quote = x3::rule<struct close_quote_class>{"closing '\"'"} = lit('"');
auto const equals = x3::rule<struct equals_class>{"'=' or ',' after the bound name"} = lit('=');
auto const open_call = x3::rule<struct open_call_class>{"'(' after the step name"} = lit('(');
auto const stmt_end = x3::rule<struct stmt_end_class>{"end of statement (newline or ';')"} =
    statement_end_parser{};
auto const no_more =
    x3::rule<struct no_more_class>{"a statement ('name = step(...)' or 'require ...')"} = eoi;

auto const arith_op = string("+") | string("-") | string("*") | string("/");
auto const cmp_op =
    string(">=") | string("<=") | string("==") | string("!=") | string(">") | string("<");

x3::rule<struct ident_class, ast::Ident> const ident = "name";
x3::rule<struct callee_class, ast::Ident> const callee = "step name";
x3::rule<struct dotted_class, ast::DottedName> const dotted_name = "dotted name";
x3::rule<struct numeric_class, ast::Numeric> const numeric = "number";
x3::rule<struct string_class, ast::String> const string_lit = "string";
x3::rule<struct bool_class, ast::Bool> const bool_lit = "boolean";
x3::rule<struct list_class, ast::List> const list = "list";
x3::rule<struct items_class, std::vector<ast::Expr>> const list_items = "list elements";
x3::rule<struct group_class, ast::Expr> const group = "parenthesized value";
x3::rule<struct term_class, ast::Operand> const term = "value";
x3::rule<struct additive_class, ast::Expr> const additive = "value";
x3::rule<struct additive_operand_class, ast::Operand> const additive_operand = "value";
x3::rule<struct arith_class, ast::Operation> const arith_operation = "operation";
x3::rule<struct cmp_class, ast::Operation> const cmp_operation = "comparison";
x3::rule<struct value_class, ast::Expr> const value = "value";
x3::rule<struct named_arg_class, ast::NamedArg> const named_arg = "argument";
x3::rule<struct arg_class, ast::Arg> const arg = "argument";
x3::rule<struct args_class, std::vector<ast::Arg>> const args = "argument or ')'";
x3::rule<struct binding_class, ast::Binding> const binding = "binding";
x3::rule<struct require_op_class, std::string> const require_op = "comparison operator or 'in'";
x3::rule<struct require_class, ast::Require> const require_stmt = "require";
x3::rule<struct statement_class, ast::Statement> const statement = "statement";
program_type const program = "program";

/// Semantic actions for single-member nodes. X3 does not call on_success for a rule whose
/// definition is an action, so each such node is parsed by an inner rule (with the action) that
/// an outer, annotated rule wraps.
template <class Member>
auto setter(Member member) {
  return [member](auto& ctx) { x3::_val(ctx).*member = std::move(x3::_attr(ctx)); };
}
auto const set_name = setter(&ast::Ident::name);
auto const set_parts = setter(&ast::DottedName::parts);
auto const set_raw = setter(&ast::String::raw);
auto const set_word = setter(&ast::Bool::word);
auto const set_items = setter(&ast::List::items);

x3::rule<struct ident_node_class, ast::Ident> const ident_node = "name";
x3::rule<struct dotted_node_class, ast::DottedName> const dotted_node = "dotted name";
x3::rule<struct string_node_class, ast::String> const string_node = "string";
x3::rule<struct bool_node_class, ast::Bool> const bool_node = "boolean";
x3::rule<struct list_node_class, ast::List> const list_node = "list";

auto const ident_node_def = ident_raw[set_name];
auto const dotted_node_def = words[set_parts];
auto const string_node_def = lexeme[lit('"') >> string_body > close_quote][set_raw];
auto const bool_node_def = bool_word[set_word];
auto const list_node_def = (lit('[') >> list_items > close_list)[set_items];

auto const ident_def = ident_node;
auto const callee_def = ident_node;
auto const dotted_name_def = dotted_node;
// A number, then directly a duration unit (24h) or nothing word-like: `2min` is not a number.
auto const numeric_def = lexeme[raw[-char_('-') >> +digit >> -(char_('.') >> +digit) >>
                                    -(char_("eE") >> -char_("+-") >> +digit)] >>
                                -(char_("smhdw") >> !ident_char) >> !ident_char];
auto const string_lit_def = string_node;
auto const bool_lit_def = bool_node;
auto const list_items_def = -(value % ',') >> -lit(',');
auto const list_def = list_node;
auto const group_def = lit('(') >> value > close_group;
auto const term_def = numeric | string_lit | bool_lit | dotted_name | list | group;
auto const arith_operation_def = arith_op > term;
auto const additive_def = term >> *arith_operation;
auto const additive_operand_def = additive;
auto const cmp_operation_def = cmp_op > additive_operand;
auto const value_def = additive_operand >> x3::repeat(0, 1)[cmp_operation];
auto const named_arg_def = ident >> lit(':') > value;
auto const arg_def = named_arg | ident;
auto const args_def = (lit(')') >> x3::attr(std::vector<ast::Arg>())) |
                      (arg >> *((lit(',') >> !lit(')')) > arg) >> -lit(',') > close_call);
auto const binding_def = (ident % ',') > equals > callee > open_call > args;
auto const require_op_def = cmp_op | lexeme[string("in") >> !ident_char];
auto const require_stmt_def = keyword("require") > dotted_name > require_op > value;
auto const statement_def = require_stmt | binding;
auto const program_def = *(statement > stmt_end) > no_more;

BOOST_SPIRIT_DEFINE(ident_raw, words, string_body, bool_word, ident_node, dotted_node, string_node,
                    bool_node, list_node)
BOOST_SPIRIT_DEFINE(ident, callee, dotted_name, numeric, string_lit, bool_lit, list, list_items,
                    group, term, additive, additive_operand, arith_operation, cmp_operation, value,
                    named_arg, arg, args, binding, require_op, require_stmt, statement, program)

struct ident_class : annotate {};
struct callee_class : annotate {};
struct dotted_class : annotate {};
struct numeric_class : annotate {};
struct string_class : annotate {};
struct bool_class : annotate {};
struct list_class : annotate {};
struct group_class : annotate {};
struct additive_class : annotate {};
struct value_class : annotate {};
struct named_arg_class : annotate {};
struct binding_class : annotate {};
struct require_class : annotate {};
struct program_class : report_failure {};

}  // namespace parser

parser::program_type const& program() {
  return parser::program;
}

}  // namespace clinflow::dsl
