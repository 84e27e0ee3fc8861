// Runs the X3 grammar and turns its first expectation failure into a SyntaxError.
//
// Implementation notes. X3 reports where the failing parser *started*, before skipping, so the
// token that was actually seen is found here by skipping blanks and comments the same way the
// grammar would (newlines only inside brackets, found by a small bracket-depth scan that knows
// strings and comments). The grammar itself lives in grammar.cpp and is compiled once.
#include "parse.hpp"

#include <cctype>

#include "config.hpp"
#include "grammar.hpp"

namespace clinflow::dsl {

namespace {

/// Open ( and [ before `offset`, outside strings and comments.
int bracket_depth(const std::string& text, std::size_t offset) {
  int depth = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    char c = text[i];
    if (c == '#') {
      while (i < offset && i < text.size() && text[i] != '\n') ++i;
    } else if (c == '"') {
      for (++i; i < offset && i < text.size() && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\') ++i;
    } else if (c == '(' || c == '[') {
      ++depth;
    } else if ((c == ')' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return depth;
}

bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

/// X3 parsers may skip white space before failing, so a failure can be reported past the line
/// that caused it; this walks back over white space and comments to the end of the last token.
std::size_t back_to_token_end(const std::string& text, std::size_t i) {
  for (;;) {
    while (i > 0 && std::isspace(static_cast<unsigned char>(text[i - 1]))) --i;
    std::size_t line = text.rfind('\n', i == 0 ? 0 : i - 1);
    line = (line == std::string::npos || line >= i) ? 0 : line + 1;
    std::size_t hash = std::string::npos;
    bool in_string = false;
    for (std::size_t k = line; k < i; ++k) {
      if (in_string && text[k] == '\\')
        ++k;
      else if (text[k] == '"')
        in_string = !in_string;
      else if (!in_string && text[k] == '#') {
        hash = k;
        break;
      }
    }
    if (hash == std::string::npos) return i;
    i = hash;
  }
}

}  // namespace

std::string describe_token(const std::string& text, std::size_t& offset, std::size_t& length,
                           TokenSkip skip) {
  const bool skip_space = skip != TokenSkip::kNoSkip;
  const bool newlines_free = skip == TokenSkip::kAsGrammar && bracket_depth(text, offset) > 0;
  std::size_t i = offset;
  for (;;) {
    while (skip_space && i < text.size() &&
           (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' ||
            (newlines_free && text[i] == '\n')))
      ++i;
    if (skip_space && i < text.size() && text[i] == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    break;
  }
  offset = i;
  length = 1;
  if (i >= text.size()) return "end of input";
  char c = text[i];
  if (c == '\n') return "newline";
  std::size_t j = i + 1;
  if (ident_start(c)) {
    while (j < text.size() && ident_char(text[j])) ++j;
    length = j - i;
    return std::string(1, '\'').append(text, i, length).append(1, '\'');
  }
  if (std::isdigit(static_cast<unsigned char>(c))) {
    while (j < text.size() && (ident_char(text[j]) || text[j] == '.')) ++j;
    length = j - i;
    return "number '" + text.substr(i, length) + "'";
  }
  if (c == '"') return "string";
  // Two-character operators read better whole.
  static const char* const pairs[] = {">=", "<=", "==", "!="};
  for (const char* p : pairs)
    if (text.compare(i, 2, p) == 0) {
      length = 2;
      return std::string("'") + p + "'";
    }
  if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
    return "a non-printable or non-ASCII character";
  return std::string("'") + c + "'";
}

std::optional<ast::Program> parse_program(const std::string& text, SyntaxError& error) {
  namespace x3 = boost::spirit::x3;
  parser::ParserState state;
  state.origin = text.begin();
  ast::Program program;
  auto first = text.cbegin();
  const auto last = text.cend();
  auto const grammar = x3::with<parser::state_tag>(state)[dsl::program()];
  bool ok = x3::phrase_parse(first, last, grammar, parser::skipper, program);
  if (ok && !state.failure && first == last) return program;

  std::size_t offset =
      state.failure ? state.failure->offset : static_cast<std::size_t>(first - text.begin());
  std::string expected = state.failure ? state.failure->expected : "end of input";
  std::size_t length = 1;
  // Inside a string literal nothing is skipped: the newline itself is what ended it. When a
  // closing bracket was expected and the line ends first, the missing bracket belongs at the end
  // of that line, so the newline is what we report (not the next statement's first word).
  TokenSkip skip = TokenSkip::kAsGrammar;
  if (expected.rfind("closing", 0) == 0)
    skip = TokenSkip::kNoSkip;
  else if (expected.rfind("')'", 0) == 0 || expected.rfind("']'", 0) == 0)
    skip = TokenSkip::kStopAtNewline;
  if (skip == TokenSkip::kStopAtNewline) offset = back_to_token_end(text, offset);
  const std::size_t insertion = offset;
  std::string seen = describe_token(text, offset, length, skip);
  // A missing bracket goes right after the last token, even with a comment in between.
  if (skip == TokenSkip::kStopAtNewline && seen == "newline") offset = insertion;
  error.offset = offset;
  error.length = length;
  error.message = "expected " + expected + ", got " + seen;
  return std::nullopt;
}

}  // namespace clinflow::dsl
