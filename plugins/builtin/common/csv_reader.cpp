// The typed CSV reader kernel: the parser and the read_csv_* entry points.
//
// Implementation notes:
// - The bytes arrive in chunks from a producer thread (csv_source.hpp); cells go into column
//   builders that infer types and intern strings (csv_columns.hpp).
// - A chunk has 64 KiB of headroom in front: the incomplete record at the end of one chunk is
//   copied there, in front of the next chunk's bytes, so records never straddle a parse call.
//   Longer records (huge quoted fields) go through a spill buffer. A '\n' sentinel (and 16
//   bytes of padding) after the data lets the unquoted-field scan look at 8 bytes at a time
//   (SWAR) without a bounds check.
// - A record is first split into field spans; cells are converted only once it is complete and
//   its field count checked, so an error never leaves a half-appended row.
// - A column whose original text was lost to type inference is dropped, and the file is read
//   a second time with that column fixed as string.
// - Line numbers: a counter per record (plus newlines inside quoted fields); columns are
//   computed only when an error is thrown.
#include "csv_reader.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>
#include <memory>

#include "csv_columns.hpp"
#include "csv_source.hpp"

namespace clinflow::builtin {
namespace csv_detail {
namespace {

// ---- The parser -------------------------------------------------------------------------------

/// The first ',' or '\n' at or after p, 8 bytes at a time (SWAR: the lowest flagged byte of
/// "has a zero byte" is exact). The '\n' sentinel and kTail bytes of padding bound the loads.
inline const char* find_separator(const char* p) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  for (;;) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    const std::uint64_t comma = w ^ (kOnes * ','), newline = w ^ (kOnes * '\n');
    const std::uint64_t hits =
        ((comma - kOnes) & ~comma & kHigh) | ((newline - kOnes) & ~newline & kHigh);
    if (hits) return p + (std::countr_zero(hits) >> 3);
    p += 8;
  }
}

struct Field {
  const char* begin;  ///< content (inside the quotes for a quoted field)
  std::uint32_t size;
  std::uint8_t quoted;  ///< 1 quoted, 2 quoted with "" escapes
  std::uint8_t pad[3];
};

/// The fields of the current record. Members are stored one by one: building a Field on the
/// stack and copying it made a store-forwarding stall per field.
class FieldList {
 public:
  void clear() { n_ = 0; }
  void add(const char* begin, std::size_t size, std::uint8_t quoted) {
    if (n_ == v_.size()) v_.resize(v_.size() * 2 + 16);
    Field& f = v_[n_++];
    f.begin = begin;
    f.size = std::uint32_t(size);
    f.quoted = quoted;
  }
  std::size_t size() const { return n_; }
  const Field& operator[](std::size_t i) const { return v_[i]; }
  const Field& back() const { return v_[n_ - 1]; }

 private:
  std::vector<Field> v_;
  std::size_t n_ = 0;
};

/// One pass over a file: header, records, columns.
class CsvPass {
 public:
  CsvPass(std::string source, const CsvOptions& options,
          const std::vector<std::string>& forced_strings)
      : source_(std::move(source)), options_(options), forced_strings_(forced_strings) {
    missing_only_empty_ = options.missing.size() == 1 && options.missing[0].empty();
    for (const auto& m : options.missing) {
      if (m.size() < 64) missing_sizes_ |= std::uint64_t(1) << m.size();
      long_missing_ = long_missing_ || m.size() >= 64;
      missing_heads_.push_back(head_word(m.data(), m.size()));
    }
  }

  /// Reads everything; returns the columns that must be re-read as strings (empty: done).
  std::vector<std::string> run(ChunkReader& reader) {
    Chunk* previous = nullptr;
    const char* carry = nullptr;
    std::size_t carry_size = 0;
    bool first = true;
    for (;;) {
      Chunk* chunk = reader.next();
      const bool last = chunk == nullptr;
      char* buf = nullptr;
      std::size_t size = 0;
      if (chunk && carry_size <= kHeadroom) {
        buf = chunk->data() - carry_size;
        if (carry_size) std::memmove(buf, carry, carry_size);
        size = carry_size + chunk->size;
      } else {
        std::vector<char> joined(carry_size + (chunk ? chunk->size : 0) + kTail);
        if (carry_size) std::memcpy(joined.data(), carry, carry_size);
        if (chunk) std::memcpy(joined.data() + carry_size, chunk->data(), chunk->size);
        spill_.swap(joined);
        buf = spill_.data();
        size = spill_.size() - kTail;
      }
      if (previous) reader.recycle(previous);
      previous = chunk;
      buf[size] = '\n';      // sentinel
      std::size_t used = 0;  // too short yet to tell whether a byte order mark starts the file
      if (!first || size >= 3 || last) {
        if (first && size >= 3 && std::memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
          buf += 3;  // UTF-8 byte order mark
          size -= 3;
        }
        first = false;
        used = parse(buf, size, last);
      }
      bytes_ += used;
      carry = buf + used;
      carry_size = size - used;
      if (last) break;
      if (options_.progress && !options_.progress(reader.fraction()))
        throw StepError(source_ + ": cancelled");
    }
    if (!header_done_)
      throw StepError(source_ + ":1:1: the file is empty (a header row is required)");
    std::vector<std::string> dropped;
    for (auto& b : builders_)
      if (b.dropped()) dropped.push_back(b.name());
    return dropped;
  }

  Table table(CsvStats* stats) {
    Table t;
    t.columns.reserve(builders_.size());
    for (auto& b : builders_) t.columns.push_back(b.finish(rows_));
    if (stats) {
      stats->rows = rows_;
      stats->columns = t.columns.size();
      stats->missing_cells = missing_;
      stats->input_bytes = bytes_;
      for (const auto& c : t.columns) {
        stats->ints += c.type == ColumnType::kInt;
        stats->floats += c.type == ColumnType::kFloat;
        stats->strings += c.type == ColumnType::kString;
        stats->timestamps += c.type == ColumnType::kTimestamp;
      }
    }
    return t;
  }

 private:
  /// Parses the complete records in [buf, buf+size); returns the bytes consumed.
  std::size_t parse(const char* buf, std::size_t size, bool last) {
    const char* const end = buf + size;
    const char* p = buf;
    while (p < end) {
      if (skip_blank_lines_ && (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n'))) {
        p += *p == '\n' ? 1 : 2;
        ++line_;
        continue;
      }
      if (*p == '\r' && p + 1 == end && !last) break;
      const char* next = split_record(p, end, last);
      if (!next) break;
      if (!header_done_) {
        start(p);
      } else {
        convert(p);
      }
      line_ += 1 + newlines_;
      p = next;
    }
    return std::size_t(p - buf);
  }

  /// Splits one record into fields_; returns the byte after it, or nullptr when incomplete.
  const char* split_record(const char* p, const char* end, bool last) {
    fields_.clear();
    newlines_ = 0;
    const char* const record = p;
    for (;;) {
      if (*p == '"') {
        const char* q = p + 1;
        std::uint8_t quoted = 1;
        for (;;) {
          const auto* quote = static_cast<const char*>(std::memchr(q, '"', std::size_t(end - q)));
          if (!quote) {
            if (last) fail(record, p, "unterminated quoted field");
            return nullptr;
          }
          if (quote + 1 == end && !last) return nullptr;
          if (quote + 1 < end && quote[1] == '"') {
            quoted = 2;
            q = quote + 2;
            continue;
          }
          newlines_ += std::size_t(std::count(p + 1, quote, '\n'));
          fields_.add(p + 1, std::size_t(quote - p - 1), quoted);
          p = quote + 1;
          break;
        }
        if (*p == ',') {
          ++p;
          continue;
        }
        if (p == end) return last ? end : nullptr;
        if (*p == '\n') return p + 1;
        if (*p == '\r' && p + 1 < end && p[1] == '\n') return p + 2;
        if (*p == '\r' && p + 1 == end) return last ? end : nullptr;
        fail(record, p, "unexpected text after a closing quote");
      }
      const char* q = p;
      q = find_separator(q);
      if (*q == ',') {
        fields_.add(p, std::size_t(q - p), 0);
        p = q + 1;
        continue;
      }
      if (q == end && !last) return nullptr;
      const char* stop = q > p && q[-1] == '\r' ? q - 1 : q;
      fields_.add(p, std::size_t(stop - p), 0);
      return q == end ? end : q + 1;
    }
  }

  std::string_view text(const Field& f) {
    if (f.quoted != 2) return {f.begin, f.size};
    scratch_.clear();
    for (std::uint32_t i = 0; i < f.size; ++i) {
      scratch_ += f.begin[i];
      if (f.begin[i] == '"') ++i;  // "" -> "
    }
    return scratch_;
  }

  bool is_missing(std::string_view s) const {
    if (missing_only_empty_) return s.empty();
    // Most cells differ in size from every marker; then only the first 8 bytes are compared.
    if (s.size() < 64 ? !((missing_sizes_ >> s.size()) & 1) : !long_missing_) return false;
    const std::uint64_t head = head_word(s.data(), s.size());
    for (std::size_t i = 0; i < missing_heads_.size(); ++i) {
      const std::string& m = options_.missing[i];
      if (missing_heads_[i] == head && m.size() == s.size() &&
          (s.size() <= 8 || std::memcmp(m.data() + 8, s.data() + 8, s.size() - 8) == 0))
        return true;
    }
    return false;
  }

  /// The header: column names, selection, overrides.
  void start(const char* record) {
    header_done_ = true;
    for (std::size_t i = 0; i < fields_.size(); ++i) header_.emplace_back(text(fields_[i]));
    for (std::size_t i = 0; i < header_.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (header_[i] == header_[j])
          fail(record, field_start(fields_[i]), "duplicate column name '" + header_[i] + "'");
    skip_blank_lines_ = header_.size() > 1;  // in a one-column file a blank line is a missing cell
    for (const auto& name : options_.columns)
      if (std::find(header_.begin(), header_.end(), name) == header_.end())
        throw StepError(source_ + ": columns: " + unknown_column_message(name, header_));
    for (const auto& [name, kind] : options_.types)
      if (std::find(header_.begin(), header_.end(), name) == header_.end())
        throw StepError(source_ + ": types: " + unknown_column_message(name, header_));
    for (std::size_t i = 0; i < header_.size(); ++i) {
      const std::string& name = header_[i];
      if (!options_.columns.empty() && std::find(options_.columns.begin(), options_.columns.end(),
                                                 name) == options_.columns.end())
        continue;
      std::optional<CellKind> forced;
      for (const auto& [n, kind] : options_.types)
        if (n == name) forced = kind;
      if (std::find(forced_strings_.begin(), forced_strings_.end(), name) != forced_strings_.end())
        forced = CellKind::kString;
      selected_.push_back(i);
      builders_.emplace_back(name, forced);
    }
  }

  void convert(const char* record) {
    if (fields_.size() != header_.size()) {
      const bool more = fields_.size() > header_.size();
      const Field& at = more ? fields_[header_.size()] : fields_.back();
      const char* where = more ? field_start(at) : at.begin + at.size + (at.quoted ? 1 : 0);
      fail(record, where,
           "row has " + std::to_string(fields_.size()) + " fields, the header has " +
               std::to_string(header_.size()));
    }
    for (std::size_t k = 0; k < selected_.size(); ++k) {
      const Field& f = fields_[selected_[k]];
      const std::string_view s = text(f);
      ColumnBuilder& b = builders_[k];
      if (is_missing(s)) {
        b.push_missing();
        ++missing_;
        continue;
      }
      if (b.push(s) == Outcome::kBadCell) {
        const auto kind = std::find_if(options_.types.begin(), options_.types.end(),
                                       [&](const auto& t) { return t.first == b.name(); });
        fail(record, field_start(f),
             "cell in column '" + b.name() + "' is not a valid " +
                 (kind == options_.types.end() ? std::string("value") : to_string(kind->second)));
      }
    }
    ++rows_;
  }

  static const char* field_start(const Field& f) { return f.quoted ? f.begin - 1 : f.begin; }

  /// Throws "<source>:<line>:<col>: message" for the byte `at` of the record starting at `record`.
  [[noreturn]] void fail(const char* record, const char* at, const std::string& message) const {
    std::size_t line = line_;
    const char* line_start = record;
    for (const char* c = record; c < at; ++c) {
      if (*c == '\n') {
        ++line;
        line_start = c + 1;
      }
    }
    std::string where = source_ + ":" + std::to_string(line) + ":" +
                        std::to_string(at - line_start + 1) + ": " + message;
    if (line != line_) where += " (in the record starting at line " + std::to_string(line_) + ")";
    throw StepError(where);
  }

  std::string source_;
  const CsvOptions& options_;
  const std::vector<std::string>& forced_strings_;
  bool missing_only_empty_ = true;
  std::uint64_t missing_sizes_ = 0;  ///< bit n: a marker has n bytes
  bool long_missing_ = false;        ///< a marker has 64 bytes or more
  std::vector<std::uint64_t> missing_heads_;
  bool header_done_ = false;
  bool skip_blank_lines_ = true;
  std::vector<std::string> header_;
  std::vector<std::size_t> selected_;
  std::vector<ColumnBuilder> builders_;
  FieldList fields_;
  std::vector<char> spill_;
  std::string scratch_;
  std::size_t line_ = 1, newlines_ = 0, rows_ = 0, missing_ = 0;
  std::uint64_t bytes_ = 0;
};

using SourceFactory = std::function<std::unique_ptr<ByteSource>()>;

Table read_csv(const SourceFactory& open, const std::string& source, const CsvOptions& options,
               CsvStats* stats) {
  std::vector<std::string> forced_strings;
  for (int pass = 0;; ++pass) {
    CsvPass csv(source, options, forced_strings);
    std::vector<std::string> dropped;
    {
      ChunkReader reader(open(), options.chunk_bytes);
      dropped = csv.run(reader);
    }
    if (dropped.empty() || pass > 0) {
      if (!dropped.empty()) throw StepError(source + ": internal error: column types unstable");
      Table t = csv.table(stats);
      if (stats) stats->reread_as_string = forced_strings;
      return t;
    }
    forced_strings = std::move(dropped);
  }
}

}  // namespace
}  // namespace csv_detail

Table read_csv_file(const std::string& path, const CsvOptions& options, CsvStats* stats) {
  const bool gzip = is_gzip_file(path);
  if (stats) stats->gzip = gzip;
  return csv_detail::read_csv([&] { return csv_detail::open_file_source(path, gzip); }, path,
                              options, stats);
}

Table read_csv_text(std::string_view text, const std::string& source, const CsvOptions& options,
                    CsvStats* stats) {
  return csv_detail::read_csv([&] { return csv_detail::open_memory_source(text); }, source, options,
                              stats);
}

}  // namespace clinflow::builtin
