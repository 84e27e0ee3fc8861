// Parser configuration shared by the grammar TU and its caller: iterator, skipper and context
// types, and the state the grammar's handlers write to (DSL text origin, first syntax error).
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <cstddef>
#include <optional>
#include <string>

namespace clinflow::dsl::parser {

namespace x3 = boost::spirit::x3;

using iterator_type = std::string::const_iterator;

/// What the grammar reports: the origin of the text (to turn iterators into offsets) and the
/// first expectation failure (offset where the failing parser started, and what it expected).
struct ParserState {
  iterator_type origin;
  struct Failure {
    std::size_t offset = 0;
    std::string expected;
  };
  std::optional<Failure> failure;
};

struct state_tag;

/// White space (newlines too) and comments; statement ends are checked by the grammar itself.
inline auto const comment = x3::lexeme[x3::lit('#') >> *(x3::char_ - x3::eol)];
using skipper_type = std::remove_cv_t<decltype(x3::space | comment)>;
inline skipper_type const skipper = x3::space | comment;

using phrase_context_type = x3::phrase_parse_context<skipper_type>::type;
using context_type = x3::context<state_tag, ParserState, phrase_context_type>;

}  // namespace clinflow::dsl::parser
