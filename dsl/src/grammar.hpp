// The flow DSL grammar: the public rule and its accessor. Definitions live in grammar_def.hpp
// and are compiled once, in grammar.cpp.
#pragma once

#include "ast.hpp"
#include "config.hpp"

namespace clinflow::dsl {
namespace parser {
struct program_class;
using program_type = x3::rule<program_class, ast::Program>;
BOOST_SPIRIT_DECLARE(program_type)
}  // namespace parser

/// The whole-program rule (parse with parser::skipper and a ParserState in the context).
parser::program_type const& program();

}  // namespace clinflow::dsl
