// Parsing the flow DSL text into an AST, with one syntax error on failure.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "ast.hpp"

namespace clinflow::dsl {

/// A syntax error in DSL text: byte offset and length of what was seen, and the message
/// ("expected ')' or ',' after argument, got newline").
struct SyntaxError {
  std::size_t offset = 0;
  std::size_t length = 1;
  std::string message;
};

/// Parses a whole program. On failure returns nullopt and fills `error`.
std::optional<ast::Program> parse_program(const std::string& text, SyntaxError& error);

/// Describes the token at `offset` for "got ..." ("newline", "identifier 'x'", "')'") and its
/// length. Skips blanks and comments first, unless kNoSkip; newlines too inside brackets (as the
/// grammar does there), unless kStopAtNewline.
enum class TokenSkip { kAsGrammar, kStopAtNewline, kNoSkip };
std::string describe_token(const std::string& text, std::size_t& offset, std::size_t& length,
                           TokenSkip skip = TokenSkip::kAsGrammar);

}  // namespace clinflow::dsl
