// convert(): each ParamType's rule, on hand-built resolved values (no plugin needs these types).
#include <boost/test/unit_test.hpp>

#include "values.hpp"

using namespace clinflow;
using clinflow::dsl::RVal;

namespace {

RVal number(double x) {
  RVal v;
  v.kind = RVal::Kind::kFloat;
  v.value = x;
  v.span = Span{1, 1, 2};
  return v;
}

RVal symbol(const std::string& s, bool from_toml = false) {
  RVal v;
  v.kind = from_toml ? RVal::Kind::kString : RVal::Kind::kSymbol;
  v.value = from_toml ? Value(s) : Value(Symbol{s});
  v.from_toml = from_toml;
  return v;
}

RVal list(std::vector<RVal> items) {
  RVal v;
  v.kind = RVal::Kind::kList;
  v.items = std::move(items);
  return v;
}

struct Result {
  std::optional<Value> value;
  std::string rendered;
};

Result run(const RVal& v, ParamSpec spec) {
  Diagnostics diags;
  Result r;
  r.value = dsl::convert(v, spec, "parameter 'p' of s", "f", diags);
  r.rendered = diags.render();
  return r;
}

ParamSpec spec(ParamType t) {
  ParamSpec s;
  s.name = std::string("param").substr(0, 1);  // a plain "p" trips GCC 12's -Wrestrict
  s.type = t;
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(convert)

BOOST_AUTO_TEST_CASE(interval_needs_two_ordered_numbers) {
  auto ok = run(list({number(0.8), number(1.2)}), spec(ParamType::kInterval));
  BOOST_TEST_REQUIRE(ok.value.has_value());
  BOOST_TEST(to_text(*ok.value) == "[0.80000000000000004, 1.2]");
  auto reversed = run(list({number(2), number(1)}), spec(ParamType::kInterval));
  BOOST_TEST(!reversed.value.has_value());
  BOOST_TEST(reversed.rendered ==
             "f: error: interval of parameter 'p' of s is empty: low 2 is greater than high 1\n");
  auto three = run(list({number(1), number(2), number(3)}), spec(ParamType::kInterval));
  BOOST_TEST(three.rendered.find("expects an interval [low, high], got a list of 3") !=
             std::string::npos);
  auto words = run(list({symbol("a"), number(2)}), spec(ParamType::kInterval));
  BOOST_TEST(words.rendered.find("must be numbers, got symbol") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(expression_accepts_words_numbers_and_nested_expressions) {
  RVal e;
  e.kind = RVal::Kind::kExpr;
  e.op = ">=";
  e.items = {symbol("age"), number(18)};
  auto r = run(e, spec(ParamType::kExpr));
  BOOST_TEST_REQUIRE(r.value.has_value());
  BOOST_TEST(to_text(*r.value) == "(age >= 18.0)");
  BOOST_TEST(run(symbol("flag"), spec(ParamType::kExpr)).value.has_value());
  BOOST_TEST(!run(list({}), spec(ParamType::kExpr)).value.has_value());
}

BOOST_AUTO_TEST_CASE(symbols_check_choices_and_accept_toml_strings) {
  ParamSpec s = spec(ParamType::kSymbol);
  s.choices = {"fast", "exact"};
  BOOST_TEST(run(symbol("fast", true), s).value->as<Symbol>().name == "fast");
  auto bad = run(symbol("fsat"), s);
  BOOST_TEST(!bad.value.has_value());
  BOOST_TEST(bad.rendered.find("must be fast or exact, got 'fsat'; did you mean 'fast'?") !=
             std::string::npos);
  RVal quoted;  // a quoted string in the DSL is not a symbol
  quoted.kind = RVal::Kind::kString;
  quoted.value = std::string("fast");
  BOOST_TEST(!run(quoted, s).value.has_value());
}

BOOST_AUTO_TEST_CASE(list_elements_use_element_type_and_range) {
  ParamSpec s = spec(ParamType::kList);
  s.element = ParamType::kFloat;
  s.min = 0;
  auto r = run(list({number(1), number(-1), number(2)}), s);
  BOOST_TEST(!r.value.has_value());
  BOOST_TEST(r.rendered.find("element 2 of parameter 'p' of s must be at least 0, got -1") !=
             std::string::npos);
  BOOST_TEST(run(list({number(1)}), s).value->as<List>().size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
