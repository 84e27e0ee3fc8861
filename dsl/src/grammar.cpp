// Instantiates the flow DSL grammar once, for the one context the compiler parses with.
#include "grammar_def.hpp"

namespace clinflow::dsl::parser {
BOOST_SPIRIT_INSTANTIATE(program_type, iterator_type, context_type)
}  // namespace clinflow::dsl::parser
