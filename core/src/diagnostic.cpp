// Diagnostics: collecting, rendering and spelling suggestions.
//
// Implementation notes. Rendering follows clang/rustc: a `file:line:col: severity: message`
// header, then the quoted source line behind a line-number gutter and a caret line (`^~~~`) under
// the span. Notes render the same way, so every statement on a leakage or PHI path is quoted.
// Columns are byte columns (1-based); the caret is placed by display width: tabs expand to the
// next multiple of 4 and UTF-8 continuation bytes take no width. Lines wider than kMaxWidth are
// cut around the span with "..." so the caret stays visible.
#include <algorithm>
#include <cctype>
#include <clinflow/core/diagnostic.hpp>
#include <iomanip>
#include <sstream>

namespace clinflow {

namespace {

constexpr std::size_t kMaxWidth = 100;  // display columns of a quoted line
constexpr int kTabStop = 4;

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "?";
}

/// Expands tabs and returns the display text plus, for every byte of `line` (and one past the
/// end), its display column (0-based).
std::string expand(std::string_view line, std::vector<std::size_t>& column_of_byte) {
  std::string out;
  std::size_t width = 0;
  column_of_byte.clear();
  for (char c : line) {
    column_of_byte.push_back(width);
    if (c == '\t') {
      std::size_t n = kTabStop - width % kTabStop;
      out.append(n, ' ');
      width += n;
    } else {
      out += c;
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
    }
  }
  column_of_byte.push_back(width);
  return out;
}

/// Byte offset in `s` of display column `col` (s has no tabs).
std::size_t byte_at_width(const std::string& s, std::size_t col) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (width == col) return i;
    ++width;
  }
  return s.size();
}

std::size_t display_width(const std::string& s) {
  std::size_t width = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  return width;
}

}  // namespace

SourceText::SourceText(std::string file, std::string text)
    : file_(std::move(file)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

std::string_view SourceText::line(int line) const {
  if (line < 1 || static_cast<std::size_t>(line) > line_starts_.size()) return {};
  std::size_t begin = line_starts_[line - 1];
  std::size_t end =
      static_cast<std::size_t>(line) < line_starts_.size() ? line_starts_[line] - 1 : text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(begin, end - begin);
}

Span SourceText::position(std::size_t offset, std::size_t length) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  int line = static_cast<int>(it - line_starts_.begin());
  std::size_t start = line_starts_[line - 1];
  Span span;
  span.line = line;
  span.column = static_cast<int>(offset - start) + 1;
  std::size_t line_len = this->line(line).size();
  std::size_t end = offset - start + std::max<std::size_t>(length, 1);
  // A span never leaves its first line; a span at the newline itself stays one column wide.
  if (end > line_len && offset - start < line_len) end = line_len;
  span.end_column = static_cast<int>(std::max(end, offset - start + 1)) + 1;
  return span;
}

void Diagnostics::add_source(const SourceText& source) {
  for (auto& s : sources_)
    if (s.file() == source.file()) {
      s = source;
      return;
    }
  sources_.push_back(source);
}

Diagnostic& Diagnostics::error(std::string file, Span span, std::string message) {
  ++errors_;
  all_.push_back(Diagnostic{Severity::kError, std::move(file), span, std::move(message), {}});
  return all_.back();
}

Diagnostic& Diagnostics::warning(std::string file, Span span, std::string message) {
  ++warnings_;
  all_.push_back(Diagnostic{Severity::kWarning, std::move(file), span, std::move(message), {}});
  return all_.back();
}

void Diagnostics::note(std::string file, Span span, std::string message) {
  Diagnostic n{Severity::kNote, std::move(file), span, std::move(message), {}};
  if (all_.empty()) {
    all_.push_back(std::move(n));  // a lone note still gets printed
    return;
  }
  all_.back().notes.push_back(std::move(n));
}

void Diagnostics::render(std::ostream& out) const {
  for (const Diagnostic& d : all_) render_one(out, d);
}

std::string Diagnostics::render() const {
  std::ostringstream out;
  render(out);
  return out.str();
}

void Diagnostics::render_one(std::ostream& out, const Diagnostic& d) const {
  if (!d.file.empty()) {
    out << d.file;
    if (d.span.line > 0) out << ':' << d.span.line << ':' << d.span.column;
    out << ": ";
  }
  out << severity_name(d.severity) << ": " << d.message << '\n';

  const SourceText* source = nullptr;
  for (const auto& s : sources_)
    if (s.file() == d.file) source = &s;
  if (source && d.span.line > 0 && d.span.column > 0) {
    std::string_view raw = source->line(d.span.line);
    std::vector<std::size_t> cols;
    std::string text = expand(raw, cols);
    std::size_t b = std::min<std::size_t>(d.span.column - 1, raw.size());
    std::size_t e =
        std::min<std::size_t>(std::max(d.span.end_column - 1, d.span.column), raw.size() + 1);
    std::size_t caret = cols[b];
    std::size_t caret_end = e <= raw.size() ? cols[e] : cols[raw.size()] + 1;
    if (caret_end <= caret) caret_end = caret + 1;
    if (display_width(text) > kMaxWidth) {
      // Keep the caret in view: cut at the left when needed, then at the right.
      std::size_t first = caret > kMaxWidth / 2 ? caret - kMaxWidth / 3 : 0;
      std::size_t from = byte_at_width(text, first);
      std::string cut = text.substr(from);
      std::string shown = cut.substr(0, byte_at_width(cut, kMaxWidth - 6));
      bool right = shown.size() < cut.size();
      text = (first ? "..." : "") + shown + (right ? "..." : "");
      std::size_t shift = first ? first - 3 : 0;
      caret -= shift;
      caret_end = std::min(caret_end - shift, display_width(text) + 1);
      if (caret_end <= caret) caret_end = caret + 1;
    }
    out << std::setw(5) << d.span.line << " | " << text << '\n';
    out << "      | " << std::string(caret, ' ') << '^' << std::string(caret_end - caret - 1, '~')
        << '\n';
  }
  for (const Diagnostic& n : d.notes) render_one(out, n);
}

namespace {
/// Optimal string alignment distance (Damerau: adjacent transpositions count one), ASCII
/// case-insensitive so `T_Source` finds `t_source`.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}
}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string& c : candidates) {
    if (c == word) continue;
    std::size_t dist = edit_distance(word, c);
    if (dist >= word.size()) continue;  // nothing of the word is left: not a misspelling
    // Ties go to the alphabetically first candidate, whatever order the caller used.
    if (dist < best_distance || (dist == best_distance && !best.empty() && c < best)) {
      best = c;
      best_distance = dist;
    }
  }
  return best_distance <= limit ? best : std::string();
}

}  // namespace clinflow
