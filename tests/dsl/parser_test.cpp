// The DSL parser on its own: accepted syntax, AST shape and positions, and where and how
// syntax errors are reported.
#include <boost/test/unit_test.hpp>
#include <boost/variant/get.hpp>

#include "parse.hpp"

using namespace clinflow::dsl;
namespace x3 = boost::spirit::x3;

namespace {

/// 1-based line and column of a byte offset in `text`.
std::pair<int, int> line_col(const std::string& text, std::size_t offset) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

ast::Program parse_ok(const std::string& text) {
  SyntaxError error;
  auto program = parse_program(text, error);
  BOOST_TEST_REQUIRE(program.has_value(), "unexpected syntax error: " << error.message);
  return *program;
}

/// Fails unless `text` is rejected at (line, col); returns the message for further checks.
std::string parse_should_fail(const std::string& text, int line, int col) {
  SyntaxError error;
  auto program = parse_program(text, error);
  BOOST_TEST(!program.has_value());
  auto [l, c] = line_col(text, error.offset);
  BOOST_TEST(l == line, "line of: " << error.message);
  BOOST_TEST(c == col, "column of: " << error.message);
  return error.message;
}

const ast::Binding& binding(const ast::Program& p, std::size_t i) {
  return boost::get<ast::Binding>(p.at(i));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parser)

BOOST_AUTO_TEST_CASE(example_program_parses) {
  auto p = parse_ok(
      "raw   = t_source(rows: 100)\n"
      "clean = t_transform(raw, factor: 2, mode: fast)\n"
      "train, test = t_split(clean, test_fraction: 0.25)\n"
      "require eval.auroc.lower >= 0.70\n"
      "require eval.brier in [0, 0.25]\n");
  BOOST_TEST(p.size() == 5u);
  const auto& split = binding(p, 2);
  BOOST_TEST(split.names.size() == 2u);
  BOOST_TEST(split.names[1].name == "test");
  BOOST_TEST(split.plugin.name == "t_split");
  BOOST_TEST(split.args.size() == 2u);
  BOOST_TEST(boost::get<ast::Ident>(split.args[0]).name == "clean");
  BOOST_TEST(boost::get<ast::NamedArg>(split.args[1]).key.name == "test_fraction");
  const auto& req = boost::get<ast::Require>(p[4]);
  BOOST_TEST(req.op == "in");
  BOOST_TEST(req.target.parts.size() == 2u);
}

BOOST_AUTO_TEST_CASE(positions_are_byte_offsets_of_the_tokens) {
  const std::string text = "  raw = t_source(rows: 100)";
  auto p = parse_ok(text);
  const auto& b = binding(p, 0);
  BOOST_TEST(b.names[0].begin == 2u);
  BOOST_TEST(b.names[0].end == 5u);
  BOOST_TEST(b.plugin.begin == 8u);
  BOOST_TEST(b.plugin.end == 16u);
  const auto& value = boost::get<ast::NamedArg>(b.args[0]).value;
  BOOST_TEST(text.substr(value.begin, value.end - value.begin) == "100");
}

BOOST_AUTO_TEST_CASE(separators_comments_and_free_newlines) {
  auto p = parse_ok(
      "# leading comment\n\n"
      "a = t_source(); b = t_source()   # two on a line\n"
      "c = t_concat(a,\n"
      "             b,   # a comment inside a call\n"
      "            )\n"
      "d = t_fit(c, features: [\n  age,\n  sex,\n])\n");
  BOOST_TEST(p.size() == 4u);
  BOOST_TEST(binding(p, 2).args.size() == 2u);
}

BOOST_AUTO_TEST_CASE(values_numbers_durations_strings_expressions) {
  auto p = parse_ok(
      "x = f(a: 1e-5, b: -3, c: 24h, d: 1.5d, e: \"s\\\"q\", f: true, g: age >= 18, "
      "h: intime + 24h, i: (1 + 2) * 3, j: [], k: fairness.groups)\n");
  const auto& args = binding(p, 0).args;
  BOOST_TEST(args.size() == 11u);
  const auto& c = boost::get<ast::NamedArg>(args[2]).value;
  // c: an Expr wrapping an additive wrapping the numeric with its unit
  const auto& inner = boost::get<x3::forward_ast<ast::Expr>>(c.first).get();
  const auto& num = boost::get<ast::Numeric>(inner.first);
  BOOST_TEST(num.text == "24");
  BOOST_TEST(num.unit.has_value());
  BOOST_TEST(*num.unit == 'h');
  const auto& g = boost::get<ast::NamedArg>(args[6]).value;
  BOOST_TEST(g.rest.size() == 1u);
  BOOST_TEST(g.rest[0].op == ">=");
  const auto& e = boost::get<ast::NamedArg>(args[4]).value;
  const auto& str =
      boost::get<ast::String>(boost::get<x3::forward_ast<ast::Expr>>(e.first).get().first);
  BOOST_TEST(str.raw == "s\\\"q");  // escapes are kept raw for position mapping
}

BOOST_AUTO_TEST_CASE(identifiers_that_look_like_numbers_or_keywords) {
  auto p = parse_ok(
      "inf = t_source(mode: nan, k: infinity, t: truth, r: required)\nrequired = t_deid(inf)\n");
  BOOST_TEST(p.size() == 2u);
  BOOST_TEST(binding(p, 1).names[0].name == "required");
}

BOOST_AUTO_TEST_CASE(missing_close_paren_points_at_the_end_of_the_line) {
  auto msg = parse_should_fail("a = t_source(rows: 1\nb = t_deid(a)\n", 1, 21);
  BOOST_TEST(msg == "expected ')' or ',' after argument, got newline");
}

BOOST_AUTO_TEST_CASE(missing_close_paren_after_a_comment) {
  auto msg = parse_should_fail("a = t_source(rows: 1  # rows\nb = t_deid(a)\n", 1, 21);
  BOOST_TEST(msg == "expected ')' or ',' after argument, got newline");
}

BOOST_AUTO_TEST_CASE(missing_close_paren_at_end_of_input) {
  auto msg = parse_should_fail("a = t_source(rows: 1", 1, 21);
  BOOST_TEST(msg == "expected ')' or ',' after argument, got end of input");
}

BOOST_AUTO_TEST_CASE(errors_name_what_was_expected_and_seen) {
  BOOST_TEST(parse_should_fail("x = ", 1, 5) == "expected step name, got end of input");
  BOOST_TEST(parse_should_fail("x y = f()", 1, 3) ==
             "expected '=' or ',' after the bound name, got 'y'");
  BOOST_TEST(parse_should_fail("x = f(a, 3)", 1, 10) == "expected argument, got number '3'");
  BOOST_TEST(parse_should_fail("x = f(3)", 1, 7) == "expected argument or ')', got number '3'");
  BOOST_TEST(parse_should_fail("x = f(a: )", 1, 10) == "expected value, got ')'");
  BOOST_TEST(parse_should_fail("x = f\ny = g()", 1, 6) ==
             "expected '(' after the step name, got newline");
  BOOST_TEST(parse_should_fail("x = f() y = g()", 1, 9) ==
             "expected end of statement (newline or ';'), got 'y'");
  BOOST_TEST(parse_should_fail("x = f(a: \"abc\n)", 1, 14) == "expected closing '\"', got newline");
  BOOST_TEST(parse_should_fail("x = f(a: [1 2])", 1, 13) ==
             "expected ']' or ',' after list element, got number '2'");
  BOOST_TEST(parse_should_fail("require x ~ 1", 1, 11) ==
             "expected comparison operator or 'in', got '~'");
  BOOST_TEST(parse_should_fail("require x >=\n", 1, 13) == "expected value, got newline");
}

BOOST_AUTO_TEST_CASE(error_inside_a_multiline_call_is_on_its_line) {
  auto msg = parse_should_fail("x = f(a,\n      b,\n      7)\n", 3, 7);
  BOOST_TEST(msg == "expected argument, got number '7'");
}

BOOST_AUTO_TEST_CASE(word_glued_to_a_number_is_not_a_duration) {
  auto msg = parse_should_fail("x = f(a: 2min)", 1, 10);
  BOOST_TEST(msg == "expected value, got number '2min'");
}

BOOST_AUTO_TEST_CASE(statement_cannot_start_with_a_number) {
  auto msg = parse_should_fail("a = f()\n42 = g()\n", 2, 1);
  BOOST_TEST(msg.find("expected a statement") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
