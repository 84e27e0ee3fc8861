// Column storage for the CSV reader: append-only blocks, string interning, and the
// per-column builder that infers a column's type while it is read.
//
// Implementation notes:
// - Types are inferred on the fly per column: empty -> int -> float, or -> timestamp, or ->
//   string. int -> float converts the stored values in place (8-byte words) when every value
//   is exact in a double (|v| <= 2^53). When text follows numbers, the numbers turn into text
//   in place if each prints back exactly as written ("250.83", "12"). Otherwise the original
//   text is lost ("007", "1.50", timestamps): the column is dropped for the rest of the pass and
//   the file is read again with it fixed as string (rare; reported in CsvStats).
// - The per-cell paths (push, intern) are inline here; rare transitions live in csv_columns.cpp.
// Internal to the CSV reader (namespace csv_detail); the public API is csv_reader.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "csv_cells.hpp"
#include "csv_reader.hpp"

namespace clinflow::builtin::csv_detail {

// ---- Column storage ---------------------------------------------------------------------------

/// Append-only storage in fixed blocks: no reallocation while reading.
template <class T>
class Blocks {
 public:
  void push(T v) {
    if (used_ == kBlock) grow();
    cur_[used_++] = v;
  }
  std::size_t size() const { return blocks_.empty() ? 0 : (blocks_.size() - 1) * kBlock + used_; }
  /// Calls f(T&) on every value in order.
  template <class F>
  void for_each(F f) {
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
      const std::size_t n = b + 1 == blocks_.size() ? used_ : kBlock;
      for (std::size_t i = 0; i < n; ++i) f(blocks_[b][i]);
    }
  }
  /// Moves the values into an exact-size vector of U (same size as T), freeing blocks as it goes.
  template <class U>
  std::vector<U> take() {
    static_assert(sizeof(U) == sizeof(T));
    std::vector<U> out(size());
    std::size_t at = 0;
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
      const std::size_t n = b + 1 == blocks_.size() ? used_ : kBlock;
      std::memcpy(out.data() + at, blocks_[b].get(), n * sizeof(T));
      at += n;
      blocks_[b].reset();
    }
    clear();
    return out;
  }
  void clear() {
    blocks_.clear();
    cur_ = nullptr;
    used_ = kBlock;
  }

 private:
  static constexpr std::size_t kBlock = std::size_t(1) << 16;
  void grow() {
    blocks_.push_back(std::make_unique_for_overwrite<T[]>(kBlock));
    cur_ = blocks_.back().get();
    used_ = 0;
  }
  std::vector<std::unique_ptr<T[]>> blocks_;
  T* cur_ = nullptr;
  std::size_t used_ = kBlock;
};

/// Up to 8 bytes as one word without a variable-length memcpy; exact for a given size (the
/// two 4-byte loads overlap but together cover every byte).
inline std::uint64_t small_word(const char* p, std::size_t n) {
  if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    return a | (std::uint64_t(b) << 32);
  }
  if (n == 0) return 0;
  return std::uint64_t(std::uint8_t(p[0])) | std::uint64_t(std::uint8_t(p[n / 2])) << 8 |
         std::uint64_t(std::uint8_t(p[n - 1])) << 16;
}

/// The first 8 bytes (or all of a shorter text) as a word: with the size, it decides equality
/// of texts up to 8 bytes.
inline std::uint64_t head_word(const char* p, std::size_t n) {
  if (n < 8) return small_word(p, n);
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

/// Text -> dictionary code, first-seen order. Keys live in a block arena (stable addresses).
class Interner {
 public:
  Interner() : slots_(64) {}
  std::int32_t intern(std::string_view s) {
    const std::uint64_t head = head_word(s.data(), s.size());
    if (head == last_head_ && s.size() == last_size_) return last_code_;  // a run of one value
    return lookup(s, head);
  }
  std::vector<std::string> take_dict();

 private:
  struct Slot {  // the first 8 bytes and the size inline: most lookups never touch the arena
    std::uint64_t hash = 0;
    std::uint64_t head = 0;
    std::uint32_t size = 0;
    std::int32_t code = -1;
  };
  [[gnu::noinline]] std::int32_t lookup(std::string_view s, std::uint64_t head);
  /// Remembers a text of up to 8 bytes, so the next identical cell skips the hash table.
  std::int32_t remember(std::string_view s, std::uint64_t head, std::int32_t code) {
    if (s.size() <= 8) {
      last_head_ = head;
      last_size_ = s.size();
      last_code_ = code;
    }
    return code;
  }
  std::int32_t insert(Slot& slot, std::uint64_t h, std::uint64_t head, std::string_view s);
  std::string_view store(std::string_view s);
  void rehash();
  static constexpr std::size_t kArenaBlock = std::size_t(1) << 16;
  std::vector<Slot> slots_;
  int shift_ = 58;  ///< 64 - log2(slots_.size()): the index is the hash's high bits
  static constexpr std::size_t kNoText = ~std::size_t(0);
  std::uint64_t last_head_ = 0;
  std::size_t last_size_ = kNoText;
  std::int32_t last_code_ = -1;
  std::vector<std::string_view> texts_;
  std::vector<std::unique_ptr<char[]>> arena_;
  char* next_ = nullptr;
  std::size_t left_ = 0;
};

// ---- One column being built -------------------------------------------------------------------

/// What a cell did to its column: taken, not valid for a forced type, or the column was
/// dropped and must be re-read as string.
enum class Outcome { kOk, kBadCell, kNeedsString };

/// One column being built: infers its type from the cells (or checks them against a `types:`
/// override) and stores them in blocks until finish().
class ColumnBuilder {
 public:
  enum class State : std::uint8_t { kEmpty, kInt, kFloat, kTimestamp, kString, kOffset, kDropped };

  ColumnBuilder(std::string name, std::optional<CellKind> forced);

  const std::string& name() const { return name_; }
  bool dropped() const { return state_ == State::kDropped; }

  void push_missing() {
    switch (state_) {
      case State::kEmpty:
        ++leading_missing_;
        break;
      case State::kInt:
      case State::kTimestamp:
      case State::kOffset:
        words_.push(kMissingIntBits);
        break;
      case State::kFloat:
        words_.push(kMissingFloatBits);
        break;
      case State::kString:
        codes_.push(kMissingCode);
        break;
      case State::kDropped:
        break;
    }
  }

  Outcome push(std::string_view s) {
    switch (state_) {
      case State::kString:
        codes_.push(interner_.intern(s));
        return Outcome::kOk;
      case State::kInt:
        return push_int(s);
      case State::kFloat:
        return push_float(s);
      case State::kTimestamp:
        return push_timestamp(s);
      case State::kOffset: {
        std::int64_t seconds = 0;
        if (!parse_offset(s, unit_, seconds)) return Outcome::kBadCell;
        words_.push(std::uint64_t(seconds));
        return Outcome::kOk;
      }
      case State::kEmpty:
        return push_first(s);
      case State::kDropped:
        return Outcome::kOk;
    }
    return Outcome::kOk;
  }

  /// The finished column (`rows` cells).
  Column finish(std::size_t rows);

 private:
  Outcome push_first(std::string_view s);
  void begin(State state, std::uint64_t missing_bits);
  Outcome push_int(std::string_view s) {
    std::int64_t v = 0;
    if (parse_int(s, v)) {
      if (v > kExactDoubleLimit || v < -kExactDoubleLimit) big_int_ = true;
      canonical_ = canonical_ && int_text_canonical(s);
      words_.push(std::uint64_t(v));
      return Outcome::kOk;
    }
    if (forced_) return Outcome::kBadCell;
    double d = 0;
    if (!parse_float(s, d) || big_int_) return become_string(s);
    words_.for_each([](std::uint64_t& w) {
      const auto i = std::int64_t(w);
      w = i == kMissingInt ? kMissingFloatBits : bits_of(double(i));
    });
    state_ = State::kFloat;
    return push_float(s);
  }
  Outcome push_float(std::string_view s) {
    double d = 0;
    bool canonical = false;
    if (parse_short_decimal(s, d, canonical)) {  // the fast, common case
      canonical_ = canonical_ && canonical;
      words_.push(bits_of(d));
      return Outcome::kOk;
    }
    if (parse_float(s, d) && (forced_ || !is_inexact_integer(s, d))) {
      canonical_ = canonical_ && float_text_canonical(s);
      words_.push(bits_of(d));
      return Outcome::kOk;
    }
    return forced_ ? Outcome::kBadCell : become_string(s);
  }
  Outcome push_timestamp(std::string_view s) {
    if (const auto t = parse_timestamp(s)) {
      words_.push(std::uint64_t(*t));
      return Outcome::kOk;
    }
    return forced_ ? Outcome::kBadCell : drop();
  }
  /// Text after numbers: when every stored number prints back as its original text, the column
  /// turns into strings in place; otherwise it is dropped and re-read as string.
  Outcome become_string(std::string_view s);
  Outcome drop();

  std::string name_;
  std::optional<CellKind> forced_;
  State state_ = State::kEmpty;
  std::int64_t unit_ = 1;
  std::size_t leading_missing_ = 0;
  bool big_int_ = false;
  bool canonical_ = true;  ///< every stored number prints back as its original text
  Blocks<std::uint64_t> words_;
  Blocks<std::int32_t> codes_;
  Interner interner_;
};

}  // namespace clinflow::builtin::csv_detail
