// Column storage for the CSV reader: the cold paths of the interner (hash-table probing,
// insertion, growth) and of the column builder (type transitions, finishing).
//
// Implementation notes:
// - Values go into fixed-size blocks, copied into exact-size vectors at the end (freeing the
//   blocks as they are copied), so peak memory is about the final columns plus one column.
// - Strings are interned with an open-addressing table whose keys point into a block arena;
//   the first 8 bytes and the size sit in the slot, and the last short value is remembered,
//   so a lookup of a known value allocates nothing and rarely calls memcmp. Dictionaries are in
//   first-seen order, so output bytes do not depend on the hash.
#include "csv_columns.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <climits>
#include <cmath>

namespace clinflow::builtin::csv_detail {
namespace {

/// A 64-bit hash whose high bits are well mixed (the table indexes with them).
inline std::uint64_t hash_text(const char* p, std::size_t n, std::uint64_t head) {
  std::uint64_t h =
      (0x9E3779B97F4A7C15ull ^ (n * 0xff51afd7ed558ccdull) ^ head) * 0xbf58476d1ce4e5b9ull;
  if (n > 8) {
    for (std::size_t at = 8; at + 8 < n; at += 8) {
      std::uint64_t w;
      std::memcpy(&w, p + at, 8);
      h = (h ^ (h >> 31) ^ w) * 0x94d049bb133111ebull;
    }
    std::uint64_t last;
    std::memcpy(&last, p + n - 8, 8);
    h = (h ^ (h >> 31) ^ last) * 0x94d049bb133111ebull;
  }
  h ^= h >> 32;
  return h * 0x9E3779B97F4A7C15ull;
}

}  // namespace

std::vector<std::string> Interner::take_dict() {
  std::vector<std::string> dict(texts_.begin(), texts_.end());
  texts_.clear();
  arena_.clear();
  slots_.assign(64, Slot{});
  shift_ = 58;
  last_size_ = kNoText;
  return dict;
}

std::int32_t Interner::lookup(std::string_view s, std::uint64_t head) {
  const std::uint64_t h = hash_text(s.data(), s.size(), head);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h >> shift_;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.code < 0) return remember(s, head, insert(slot, h, head, s));
    if (slot.hash == h && slot.head == head && slot.size == s.size() &&
        (s.size() <= 8 ||
         std::memcmp(texts_[std::size_t(slot.code)].data() + 8, s.data() + 8, s.size() - 8) == 0))
      return remember(s, head, slot.code);
  }
}

std::int32_t Interner::insert(Slot& slot, std::uint64_t h, std::uint64_t head, std::string_view s) {
  if (texts_.size() >= std::size_t(INT32_MAX))
    throw StepError("a string column has more than 2^31 distinct values");
  const auto code = std::int32_t(texts_.size());
  texts_.push_back(store(s));
  slot.hash = h;
  slot.head = head;
  slot.size = std::uint32_t(s.size());
  slot.code = code;
  if (texts_.size() * 2 > slots_.size()) rehash();
  return code;
}

std::string_view Interner::store(std::string_view s) {
  if (s.size() > left_) {
    const std::size_t size = std::max(kArenaBlock, s.size());
    arena_.push_back(std::make_unique_for_overwrite<char[]>(size));
    next_ = arena_.back().get();
    left_ = size;
  }
  std::memcpy(next_, s.data(), s.size());
  std::string_view stored(next_, s.size());
  next_ += s.size();
  left_ -= s.size();
  return stored;
}

void Interner::rehash() {
  std::vector<Slot> bigger(slots_.size() * 2);
  const std::size_t mask = bigger.size() - 1;
  --shift_;
  for (const Slot& slot : slots_) {
    if (slot.code < 0) continue;
    std::size_t i = slot.hash >> shift_;
    while (bigger[i].code >= 0) i = (i + 1) & mask;
    bigger[i] = slot;
  }
  slots_.swap(bigger);
}

ColumnBuilder::ColumnBuilder(std::string name, std::optional<CellKind> forced)
    : name_(std::move(name)), forced_(forced) {
  if (!forced) return;
  switch (*forced) {
    case CellKind::kInteger:
      state_ = State::kInt;
      break;
    case CellKind::kFloat:
      state_ = State::kFloat;
      break;
    case CellKind::kString:
      state_ = State::kString;
      break;
    case CellKind::kTimestamp:
      state_ = State::kTimestamp;
      break;
    case CellKind::kMinutes:
      state_ = State::kOffset, unit_ = 60;
      break;
    case CellKind::kHours:
      state_ = State::kOffset, unit_ = 3600;
      break;
    case CellKind::kDays:
      state_ = State::kOffset, unit_ = 86400;
      break;
  }
}

Column ColumnBuilder::finish(std::size_t rows) {
  Column column(name_, ColumnType::kString);
  switch (state_) {
    case State::kInt:
      column.type = ColumnType::kInt;
      break;
    case State::kFloat:
      column.type = ColumnType::kFloat;
      break;
    case State::kTimestamp:
    case State::kOffset:
      column.type = ColumnType::kTimestamp;
      break;
    default:
      break;
  }
  if (column.type == ColumnType::kFloat) {
    column.floats = words_.take<double>();
  } else if (column.type != ColumnType::kString) {
    column.ints = words_.take<std::int64_t>();
  } else if (state_ == State::kString) {
    column.codes = codes_.take<std::int32_t>();
    column.dict = interner_.take_dict();
  } else {
    column.codes.assign(rows, kMissingCode);  // all cells missing
  }
  return column;
}

Outcome ColumnBuilder::push_first(std::string_view s) {
  std::int64_t i = 0;
  double d = 0;
  if (parse_int(s, i)) {
    begin(State::kInt, kMissingIntBits);
    return push_int(s);
  }
  if (parse_float(s, d)) {
    begin(State::kFloat, kMissingFloatBits);
    return push_float(s);
  }
  if (parse_timestamp(s)) {
    begin(State::kTimestamp, kMissingIntBits);
    return push_timestamp(s);
  }
  state_ = State::kString;
  for (; leading_missing_ > 0; --leading_missing_) codes_.push(kMissingCode);
  codes_.push(interner_.intern(s));
  return Outcome::kOk;
}

void ColumnBuilder::begin(State state, std::uint64_t missing_bits) {
  state_ = state;
  for (; leading_missing_ > 0; --leading_missing_) words_.push(missing_bits);
}

Outcome ColumnBuilder::become_string(std::string_view s) {
  if (!canonical_ || (state_ != State::kInt && state_ != State::kFloat)) return drop();
  const bool ints = state_ == State::kInt;
  char buf[400];
  words_.for_each([&](std::uint64_t& w) {
    if (ints ? w == kMissingIntBits : std::isnan(std::bit_cast<double>(w))) {
      codes_.push(kMissingCode);
      return;
    }
    const auto r = ints ? std::to_chars(buf, buf + sizeof buf, std::int64_t(w))
                        : std::to_chars(buf, buf + sizeof buf, std::bit_cast<double>(w),
                                        std::chars_format::fixed);
    codes_.push(interner_.intern(std::string_view(buf, std::size_t(r.ptr - buf))));
  });
  words_.clear();
  state_ = State::kString;
  codes_.push(interner_.intern(s));
  return Outcome::kOk;
}

Outcome ColumnBuilder::drop() {
  state_ = State::kDropped;
  words_.clear();
  return Outcome::kNeedsString;
}

}  // namespace clinflow::builtin::csv_detail
