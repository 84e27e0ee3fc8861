// The typed CSV reader kernel.
//
// Implementation notes:
// - Two threads: a producer fills 1 MiB chunks (read(2), or zlib inflate with a 1 MiB input
//   buffer) into a small pool; the caller's thread parses. The pool bounds memory (6 chunks).
// - A chunk has 64 KiB of headroom in front: the incomplete record at the end of one chunk is
//   copied there, in front of the next chunk's bytes, so records never straddle a parse call.
//   Longer records (huge quoted fields) go through a spill buffer. A '\n' sentinel (and 16
//   bytes of padding) after the data lets the unquoted-field scan look at 8 bytes at a time
//   (SWAR) without a bounds check.
// - A record is first split into field spans; cells are converted only once it is complete and
//   its field count checked, so an error never leaves a half-appended row.
// - Types are inferred on the fly per column: empty -> int -> float, or -> timestamp, or ->
//   string. int -> float converts the stored values in place (8-byte words) when every value
//   is exact in a double (|v| <= 2^53). When text follows numbers, the numbers turn into text
//   in place if each prints back exactly as written ("250.83", "12"). Otherwise the original
//   text is lost ("007", "1.50", timestamps): the column is dropped for the rest of the pass and
//   the file is read again with it fixed as string (rare; reported in CsvStats).
// - Values go into fixed-size blocks, copied into exact-size vectors at the end (freeing the
//   blocks as they are copied), so peak memory is about the final columns plus one column.
// - Strings are interned with an open-addressing table whose keys point into a block arena;
//   the first 8 bytes and the size sit in the slot, and the last short value is remembered,
//   so a lookup of a known value allocates nothing and rarely calls memcmp. Dictionaries are in
//   first-seen order, so output bytes do not depend on the hash.
// - Line numbers: a counter per record (plus newlines inside quoted fields); columns are
//   computed only when an error is thrown.
#include "csv_reader.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

namespace clinflow::builtin {
namespace {

constexpr std::size_t kChunkBytes = std::size_t(1) << 20;
constexpr std::size_t kHeadroom = std::size_t(64) << 10;
constexpr std::size_t kPoolChunks = 6;
/// Bytes after the data: the '\n' sentinel, then room for 8-byte loads that run past it.
constexpr std::size_t kTail = 16;
constexpr std::int64_t kExactDoubleLimit = std::int64_t(1) << 53;

// ---- Byte sources ---------------------------------------------------------------------------

/// Where bytes come from. read() returns 0 at the end; throws StepError on failure.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::size_t read(char* out, std::size_t capacity) = 0;
  /// Fraction of the input consumed so far, in [0, 1].
  virtual double fraction() const = 0;
};

class FileDescriptor {
 public:
  explicit FileDescriptor(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw StepError("cannot open '" + path + "': " + std::strerror(errno));
    const off_t end = ::lseek(fd_, 0, SEEK_END);
    size_ = end > 0 ? std::uint64_t(end) : 0;
    ::lseek(fd_, 0, SEEK_SET);
  }
  ~FileDescriptor() { ::close(fd_); }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  std::size_t read(char* out, std::size_t capacity) {
    for (;;) {
      const ssize_t n = ::read(fd_, out, capacity);
      if (n >= 0) {
        done_ += std::uint64_t(n);
        return std::size_t(n);
      }
      if (errno != EINTR) throw StepError("cannot read '" + path_ + "': " + std::strerror(errno));
    }
  }
  double fraction() const { return size_ ? std::min(1.0, double(done_) / double(size_)) : 1.0; }

 private:
  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0, done_ = 0;
};

class PlainSource final : public ByteSource {
 public:
  explicit PlainSource(const std::string& path) : file_(path) {}
  std::size_t read(char* out, std::size_t capacity) override { return file_.read(out, capacity); }
  double fraction() const override { return file_.fraction(); }

 private:
  FileDescriptor file_;
};

/// gzip (and concatenated gzip members, as bgzip writes) through zlib's inflate.
class GzipSource final : public ByteSource {
 public:
  explicit GzipSource(const std::string& path) : path_(path), file_(path), in_(new Bytef[kIn]) {
    if (inflateInit2(&zs_, 15 + 16) != Z_OK) throw StepError("cannot start zlib");
  }
  ~GzipSource() override { inflateEnd(&zs_); }

  std::size_t read(char* out, std::size_t capacity) override {
    zs_.next_out = reinterpret_cast<Bytef*>(out);
    zs_.avail_out = unsigned(capacity);
    while (zs_.avail_out > 0 && !done_) {
      if (zs_.avail_in == 0 && !refill()) {
        if (!member_ended_) throw StepError("cannot decompress '" + path_ + "': truncated gzip");
        done_ = true;
        break;
      }
      if (member_ended_) {  // another gzip member follows
        inflateReset(&zs_);
        member_ended_ = false;
      }
      const int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        member_ended_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        throw StepError("cannot decompress '" + path_ + "': " + (zs_.msg ? zs_.msg : "bad data"));
      }
    }
    return capacity - zs_.avail_out;
  }
  double fraction() const override { return file_.fraction(); }

 private:
  static constexpr std::size_t kIn = std::size_t(1) << 20;
  bool refill() {
    const std::size_t n = file_.read(reinterpret_cast<char*>(in_.get()), kIn);
    zs_.next_in = in_.get();
    zs_.avail_in = unsigned(n);
    return n > 0;
  }
  std::string path_;
  FileDescriptor file_;
  std::unique_ptr<Bytef[]> in_;
  z_stream zs_{};
  bool member_ended_ = false, done_ = false;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view text) : text_(text) {}
  std::size_t read(char* out, std::size_t capacity) override {
    const std::size_t n = std::min(capacity, text_.size() - pos_);
    std::memcpy(out, text_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  double fraction() const override { return text_.empty() ? 1.0 : double(pos_) / text_.size(); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// ---- The producer thread ----------------------------------------------------------------------

struct Chunk {
  std::unique_ptr<char[]> storage{new char[kHeadroom + kChunkBytes + kTail]};
  std::size_t size = 0;
  char* data() { return storage.get() + kHeadroom; }
};

/// Fills chunks from a source in its own thread; next() hands them out in order.
class ChunkReader {
 public:
  ChunkReader(std::unique_ptr<ByteSource> source, std::size_t fill)
      : source_(std::move(source)), fill_(fill == 0 || fill > kChunkBytes ? kChunkBytes : fill) {
    for (auto& c : pool_) free_.push_back(&c);
    thread_ = std::thread([this] { produce(); });
  }
  ~ChunkReader() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  /// The next chunk, or nullptr at the end. Rethrows the producer's error.
  Chunk* next() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return !ready_.empty() || finished_; });
    if (!ready_.empty()) {
      Chunk* c = ready_.front();
      ready_.pop_front();
      cv_.notify_all();
      return c;
    }
    if (error_) std::rethrow_exception(error_);
    return nullptr;
  }
  void recycle(Chunk* chunk) {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(chunk);
    }
    cv_.notify_all();
  }
  double fraction() const { return fraction_.load(std::memory_order_relaxed); }

 private:
  void produce() {
    try {
      for (;;) {
        Chunk* c = nullptr;
        {
          std::unique_lock lock(mutex_);
          cv_.wait(lock, [this] { return !free_.empty() || stop_; });
          if (stop_) break;
          c = free_.back();
          free_.pop_back();
        }
        c->size = 0;
        while (c->size < fill_) {
          const std::size_t n = source_->read(c->data() + c->size, fill_ - c->size);
          if (n == 0) break;
          c->size += n;
        }
        fraction_.store(source_->fraction(), std::memory_order_relaxed);
        std::lock_guard lock(mutex_);
        if (c->size == 0) {
          free_.push_back(c);
          break;
        }
        ready_.push_back(c);
        cv_.notify_all();
      }
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
    }
    std::lock_guard lock(mutex_);
    finished_ = true;
    cv_.notify_all();
  }

  std::unique_ptr<ByteSource> source_;
  std::size_t fill_;
  Chunk pool_[kPoolChunks];
  std::vector<Chunk*> free_;
  std::deque<Chunk*> ready_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false, finished_ = false;
  std::exception_ptr error_;
  std::atomic<double> fraction_{0.0};
  std::thread thread_;
};

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

/// Text -> dictionary code, first-seen order. Keys live in a block arena (stable addresses).
class Interner {
 public:
  Interner() : slots_(64) {}
  std::int32_t intern(std::string_view s) {
    const std::uint64_t head = head_word(s.data(), s.size());
    if (head == last_head_ && s.size() == last_size_) return last_code_;  // a run of one value
    return lookup(s, head);
  }
  std::vector<std::string> take_dict() {
    std::vector<std::string> dict(texts_.begin(), texts_.end());
    texts_.clear();
    arena_.clear();
    slots_.assign(64, Slot{});
    shift_ = 58;
    last_size_ = kNoText;
    return dict;
  }

 private:
  struct Slot {  // the first 8 bytes and the size inline: most lookups never touch the arena
    std::uint64_t hash = 0;
    std::uint64_t head = 0;
    std::uint32_t size = 0;
    std::int32_t code = -1;
  };
  [[gnu::noinline]] std::int32_t lookup(std::string_view s, std::uint64_t head) {
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
  /// Remembers a text of up to 8 bytes, so the next identical cell skips the hash table.
  std::int32_t remember(std::string_view s, std::uint64_t head, std::int32_t code) {
    if (s.size() <= 8) {
      last_head_ = head;
      last_size_ = s.size();
      last_code_ = code;
    }
    return code;
  }
  std::int32_t insert(Slot& slot, std::uint64_t h, std::uint64_t head, std::string_view s) {
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
  std::string_view store(std::string_view s) {
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
  void rehash() {
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

// ---- Cell parsing -----------------------------------------------------------------------------

bool parse_int(std::string_view s, std::int64_t& v) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() && v != kMissingInt;
}

/// Decimal numbers only: from_chars would also take "nan" and "inf", which are text here.
bool parse_float(std::string_view s, double& v) {
  if (s.empty()) return false;
  const char c = s[0] == '-' && s.size() > 1 ? s[1] : s[0];
  if (!((c >= '0' && c <= '9') || c == '.')) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size();
}

/// The common decimal shape "-?d+(.d+)?" with at most 15 digits, parsed exactly: the digits as
/// an integer (< 10^15, exact in a double) divided by 10^k (exact for k <= 22) is one correctly
/// rounded IEEE operation, so the result equals from_chars' (Clinger's fast path). `canonical`
/// tells whether to_chars(fixed) prints the value back as this text. False: not this shape.
inline bool parse_short_decimal(std::string_view s, double& v, bool& canonical) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const char* p = s.data();
  const char* const end = p + s.size();
  const bool negative = p < end && *p == '-';
  p += negative;
  const char* const int_begin = p;
  std::uint64_t mantissa = 0;
  while (p < end && unsigned(*p - '0') < 10) mantissa = mantissa * 10 + unsigned(*p++ - '0');
  const std::size_t int_digits = std::size_t(p - int_begin);
  std::size_t frac_digits = 0;
  if (p < end && *p == '.') {
    const char* const frac_begin = ++p;
    while (p < end && unsigned(*p - '0') < 10) mantissa = mantissa * 10 + unsigned(*p++ - '0');
    frac_digits = std::size_t(p - frac_begin);
    if (frac_digits == 0) return false;  // "1." is left to from_chars
  }
  if (p != end || int_digits == 0 || int_digits + frac_digits > 15) return false;
  v = double(mantissa) / kPow10[frac_digits];
  if (negative) v = -v;
  canonical = !(int_digits > 1 && *int_begin == '0') && !(frac_digits > 0 && end[-1] == '0');
  return true;
}

/// An integer literal that a double cannot hold exactly (beyond 2^53, or beyond int64).
bool is_inexact_integer(std::string_view s, double v) {
  if (std::fabs(v) < double(kExactDoubleLimit)) return false;
  if (s.find_first_of(".eE") != std::string_view::npos) return false;
  std::int64_t i = 0;
  if (!parse_int(s, i)) return true;
  return i > kExactDoubleLimit || i < -kExactDoubleLimit;
}

/// An integer written as to_chars prints it ("7", "-12"; not "007" or "-0").
bool int_text_canonical(std::string_view s) {
  const std::size_t i = s[0] == '-' ? 1 : 0;
  return !(s[i] == '0' && (s.size() > i + 1 || i == 1));
}

/// A decimal that to_chars(fixed) prints back exactly: no exponent, no leading or trailing
/// zeros, at most 15 significant digits (each such decimal survives a trip through a double).
bool float_text_canonical(std::string_view s) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t i = s[0] == '-' ? 1 : 0;
  const std::size_t int_begin = i;
  while (i < s.size() && digit(s[i])) ++i;
  const std::size_t int_digits = i - int_begin;
  if (int_digits == 0 || (int_digits > 1 && s[int_begin] == '0')) return false;
  std::size_t significant = s[int_begin] == '0' ? 0 : int_digits;
  if (i == s.size()) return significant <= 15;
  if (s[i] != '.') return false;
  std::size_t j = ++i;
  while (j < s.size() && digit(s[j])) ++j;
  if (j != s.size() || j == i || s[j - 1] == '0') return false;
  if (significant == 0)
    while (i < j && s[i] == '0') ++i;  // 0.00x: leading zeros are not significant
  return significant + (j - i) <= 15;
}

std::uint64_t bits_of(double d) {
  return std::bit_cast<std::uint64_t>(d);
}
const std::uint64_t kMissingFloatBits = bits_of(missing_float());
const std::uint64_t kMissingIntBits = std::uint64_t(kMissingInt);

/// An offset (a number of `unit` seconds) as seconds; false when not a number or out of range.
bool parse_offset(std::string_view s, std::int64_t unit, std::int64_t& seconds) {
  std::int64_t v = 0;
  if (parse_int(s, v)) return !__builtin_mul_overflow(v, unit, &seconds) && seconds != kMissingInt;
  double d = 0;
  if (!parse_float(s, d)) return false;
  const double scaled = std::nearbyint(d * double(unit));
  if (!(std::fabs(scaled) < 9.2e18)) return false;
  seconds = std::int64_t(scaled);
  return true;
}

// ---- One column being built -------------------------------------------------------------------

enum class Outcome { kOk, kBadCell, kNeedsString };

class ColumnBuilder {
 public:
  enum class State : std::uint8_t { kEmpty, kInt, kFloat, kTimestamp, kString, kOffset, kDropped };

  ColumnBuilder(std::string name, std::optional<CellKind> forced)
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
  Column finish(std::size_t rows) {
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

 private:
  Outcome push_first(std::string_view s) {
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
  void begin(State state, std::uint64_t missing_bits) {
    state_ = state;
    for (; leading_missing_ > 0; --leading_missing_) words_.push(missing_bits);
  }
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
  Outcome become_string(std::string_view s) {
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
  Outcome drop() {
    state_ = State::kDropped;
    words_.clear();
    return Outcome::kNeedsString;
  }

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

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

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

bool starts_with(const std::string& path, std::string_view magic) {
  std::string head(magic.size(), '\0');
  FileDescriptor file(path);
  std::size_t got = 0;
  while (got < head.size()) {
    const std::size_t n = file.read(head.data() + got, head.size() - got);
    if (n == 0) break;
    got += n;
  }
  return got == head.size() && head == magic;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<CellKind> cell_kind_named(std::string_view name) {
  for (CellKind k : {CellKind::kInteger, CellKind::kFloat, CellKind::kString, CellKind::kTimestamp,
                     CellKind::kMinutes, CellKind::kHours, CellKind::kDays})
    if (name == to_string(k)) return k;
  return std::nullopt;
}

const char* to_string(CellKind kind) {
  switch (kind) {
    case CellKind::kInteger:
      return "integer";
    case CellKind::kFloat:
      return "float";
    case CellKind::kString:
      return "string";
    case CellKind::kTimestamp:
      return "timestamp";
    case CellKind::kMinutes:
      return "minutes";
    case CellKind::kHours:
      return "hours";
    case CellKind::kDays:
      return "days";
  }
  return "?";
}

ColumnType column_type_of(CellKind kind) {
  switch (kind) {
    case CellKind::kInteger:
      return ColumnType::kInt;
    case CellKind::kFloat:
      return ColumnType::kFloat;
    case CellKind::kString:
      return ColumnType::kString;
    default:
      return ColumnType::kTimestamp;
  }
}

bool append_cell(Column& column, CellKind kind, std::string_view text) {
  std::int64_t i = 0;
  double d = 0;
  switch (kind) {
    case CellKind::kInteger:
      if (!parse_int(text, i)) return false;
      column.push_int(i);
      return true;
    case CellKind::kFloat:
      if (!parse_float(text, d)) return false;
      column.push_float(d);
      return true;
    case CellKind::kString:
      column.push_text(text);
      return true;
    case CellKind::kTimestamp: {
      const auto t = parse_timestamp(text);
      if (!t) return false;
      column.push_int(*t);
      return true;
    }
    case CellKind::kMinutes:
    case CellKind::kHours:
    case CellKind::kDays: {
      const std::int64_t unit = kind == CellKind::kMinutes ? 60
                                : kind == CellKind::kHours ? 3600
                                                           : 86400;
      if (!parse_offset(text, unit, i)) return false;
      column.push_int(i);
      return true;
    }
  }
  return false;
}

Table read_csv_file(const std::string& path, const CsvOptions& options, CsvStats* stats) {
  const bool gzip = is_gzip_file(path);
  if (stats) stats->gzip = gzip;
  return read_csv(
      [&]() -> std::unique_ptr<ByteSource> {
        if (gzip) return std::make_unique<GzipSource>(path);
        return std::make_unique<PlainSource>(path);
      },
      path, options, stats);
}

Table read_csv_text(std::string_view text, const std::string& source, const CsvOptions& options,
                    CsvStats* stats) {
  return read_csv([&] { return std::make_unique<MemorySource>(text); }, source, options, stats);
}

bool is_gzip_file(const std::string& path) {
  return starts_with(path, "\x1f\x8b");
}

bool is_sqlite_file(const std::string& path) {
  return starts_with(path, std::string_view("SQLite format 3\0", 16));
}

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string unknown_column_message(const std::string& name, const std::vector<std::string>& have) {
  std::string message = "unknown column '" + name + "'";
  if (const std::string hint = closest_name(name, have); !hint.empty())
    message += " (did you mean '" + hint + "'?)";
  return message + "; the file's columns: " + join(have);
}

}  // namespace clinflow::builtin
