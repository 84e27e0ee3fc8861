// Diagnostics: `file:line:col: error: message`, the source line, a caret under the span, notes.
// Shared by the compiler (every check) and the engine (runtime failures that point at a step).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace clinflow {

enum class Severity { kError, kWarning, kNote };

/// A span in a source file: 1-based line and columns; end_column is one past the last column.
/// line == 0 means the diagnostic has no position (printed as `file: error: ...`).
struct Span {
  int line = 0;
  int column = 0;
  int end_column = 0;
};

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;
  Span span;
  std::string message;
  std::vector<Diagnostic> notes;  ///< printed after, each with its own position (or none)
};

/// Source text with a line table, to print the line under a diagnostic.
class SourceText {
 public:
  SourceText() = default;
  SourceText(std::string file, std::string text);
  const std::string& file() const { return file_; }
  const std::string& text() const { return text_; }
  /// The text of a 1-based line, without its newline ("" when out of range).
  std::string_view line(int line) const;
  /// 1-based line and column of a byte offset.
  Span position(std::size_t offset, std::size_t length = 1) const;

 private:
  std::string file_, text_;
  std::vector<std::size_t> line_starts_;
};

/// Collects diagnostics; knows the sources to quote lines from.
class Diagnostics {
 public:
  void add_source(const SourceText& source);
  Diagnostic& error(std::string file, Span span, std::string message);
  Diagnostic& warning(std::string file, Span span, std::string message);
  /// A note attached to the last error or warning.
  void note(std::string file, Span span, std::string message);

  int errors() const { return errors_; }
  int warnings() const { return warnings_; }
  const std::vector<Diagnostic>& all() const { return all_; }

  /// Renders every diagnostic in order:
  ///   wf.toml:12:17: error: unknown plugin 'gausian'; did you mean 'gaussian'?
  ///       smooth = gausian(vitals, sigma: 2.0)
  ///                ^~~~~~~
  void render(std::ostream& out) const;
  std::string render() const;

 private:
  void render_one(std::ostream& out, const Diagnostic& d) const;
  std::vector<SourceText> sources_;
  std::vector<Diagnostic> all_;
  int errors_ = 0, warnings_ = 0;
};

/// The closest candidate within a small edit distance, or "" (for "did you mean ...?").
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace clinflow
