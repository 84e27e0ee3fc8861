// RFC 4180 CSV parsing and writing for the built-in plugins.
//
// Implementation notes: one pass over the text with a cursor that tracks the 1-based line and
// column, so every error points at a position (never at a value: cells may be patient data).
// Blank lines are skipped; to keep that lossless, the writer quotes an empty field when it would
// otherwise print as a blank line (one-column tables). Numbers use from_chars/to_chars: exact,
// locale-free, and the shortest text that reads back the same.
#include "csv.hpp"

#include <charconv>
#include <cmath>

namespace clinflow::builtin {
namespace {

struct Pos {
  std::size_t line = 1, column = 1;
};

class Parser {
 public:
  Parser(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  /// Reads the next record into `fields` (start positions into `starts`); false at the end.
  bool next(std::vector<std::string>& fields, std::vector<Pos>& starts, Pos& end) {
    fields.clear();
    starts.clear();
    skip_blank_lines();
    if (i_ >= text_.size()) return false;
    for (;;) {
      starts.push_back(pos());
      fields.push_back(at('"') ? quoted() : plain());
      if (at(',')) {
        ++i_;
        continue;
      }
      end = pos();
      if (at('\r')) ++i_;
      if (at('\n')) newline();
      return true;
    }
  }

  [[noreturn]] void fail(Pos p, const std::string& message) const {
    throw StepError(source_ + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + ": " +
                    message);
  }

 private:
  bool at(char c) const { return i_ < text_.size() && text_[i_] == c; }
  Pos pos() const { return Pos{line_, i_ - line_start_ + 1}; }
  void newline() {
    ++i_;
    ++line_;
    line_start_ = i_;
  }
  void skip_blank_lines() {
    for (;;) {
      if (at('\n')) {
        newline();
      } else if (at('\r') && i_ + 1 < text_.size() && text_[i_ + 1] == '\n') {
        ++i_;
        newline();
      } else {
        return;
      }
    }
  }
  std::string plain() {
    const std::size_t start = i_;
    while (i_ < text_.size() && text_[i_] != ',' && text_[i_] != '\n') ++i_;
    std::size_t stop = i_;
    if (stop > start && text_[stop - 1] == '\r' && (i_ == text_.size() || text_[i_] == '\n'))
      --stop;  // CRLF line end
    return std::string(text_.substr(start, stop - start));
  }
  std::string quoted() {
    const Pos open = pos();
    ++i_;
    std::string field;
    for (;;) {
      if (i_ >= text_.size()) fail(open, "unterminated quoted field");
      const char c = text_[i_];
      if (c == '"') {
        if (i_ + 1 < text_.size() && text_[i_ + 1] == '"') {
          field += '"';
          i_ += 2;
          continue;
        }
        ++i_;
        break;
      }
      field += c;
      if (c == '\n') {
        newline();
      } else {
        ++i_;
      }
    }
    const bool crlf = at('\r') && i_ + 1 < text_.size() && text_[i_ + 1] == '\n';
    if (i_ < text_.size() && !at(',') && !at('\n') && !crlf)
      fail(pos(), "unexpected text after a closing quote");
    return field;
  }

  std::string_view text_;
  const std::string& source_;
  std::size_t i_ = 0, line_ = 1, line_start_ = 0;
};

}  // namespace

std::optional<std::size_t> CsvRows::find_column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::nullopt;
}

std::size_t CsvRows::column(const std::string& name) const {
  if (auto i = find_column(name)) return *i;
  std::string list;
  for (const auto& h : header) list += (list.empty() ? "" : ", ") + h;
  throw StepError("unknown column '" + name + "'; the table has columns: " + list);
}

CsvRows parse_csv(std::string_view text, const std::string& source) {
  CsvRows table;
  Parser parser(text, source);
  std::vector<std::string> fields;
  std::vector<Pos> starts;
  Pos end;
  if (!parser.next(table.header, starts, end)) return table;
  const std::size_t width = table.header.size();
  while (parser.next(fields, starts, end)) {
    if (fields.size() > width)
      parser.fail(starts[width], "row has " + std::to_string(fields.size()) +
                                     " fields, but the header has " + std::to_string(width));
    if (fields.size() < width)
      parser.fail(end, "row has " + std::to_string(fields.size()) + " fields, but the header has " +
                           std::to_string(width));
    table.rows.push_back(std::move(fields));
    fields = {};
  }
  return table;
}

void append_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string write_csv(const CsvRows& table) {
  std::string out;
  auto append_row = [&out, &table](const std::vector<std::string>& row) {
    if (row.size() == 1 && row[0].empty() && table.header.size() == 1) {
      out += "\"\"\n";  // a bare empty line would read back as a skipped blank line
      return;
    }
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      append_field(out, row[i]);
    }
    out += '\n';
  };
  if (table.header.empty()) return out;
  append_row(table.header);
  for (const auto& row : table.rows) append_row(row);
  return out;
}

std::optional<double> parse_number(std::string_view cell) {
  while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t')) cell.remove_prefix(1);
  while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t')) cell.remove_suffix(1);
  if (cell.empty()) return std::nullopt;
  if (cell.front() == '+') cell.remove_prefix(1);
  double value = 0;
  auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc() || ptr != cell.data() + cell.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::string format_number(double value) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return ec == std::errc() ? std::string(buf, ptr) : std::string("nan");
}

}  // namespace clinflow::builtin
