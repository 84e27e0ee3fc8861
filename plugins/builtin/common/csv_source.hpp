// Where the CSV reader's bytes come from: a plain file, a gzip file (zlib) or memory, read into
// a small pool of chunks by a producer thread while the caller's thread parses.
//
// Internal to csv_reader.cpp (namespace csv_detail); the public API is csv_reader.hpp.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace clinflow::builtin::csv_detail {

constexpr std::size_t kChunkBytes = std::size_t(1) << 20;
constexpr std::size_t kHeadroom = std::size_t(64) << 10;
constexpr std::size_t kPoolChunks = 6;
/// Bytes after the data: the '\n' sentinel, then room for 8-byte loads that run past it.
constexpr std::size_t kTail = 16;

/// Where bytes come from. read() returns 0 at the end; throws StepError on failure.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::size_t read(char* out, std::size_t capacity) = 0;
  /// Fraction of the input consumed so far, in [0, 1].
  virtual double fraction() const = 0;
};

/// The file at `path`, inflated when `gzip` (concatenated gzip members too, as bgzip writes).
std::unique_ptr<ByteSource> open_file_source(const std::string& path, bool gzip);
/// `text` itself; it must outlive the source.
std::unique_ptr<ByteSource> open_memory_source(std::string_view text);
/// True when the file at `path` starts with the bytes `magic`; throws StepError when unreadable.
bool file_starts_with(const std::string& path, std::string_view magic);

/// A chunk of text with kHeadroom bytes in front (for the previous chunk's incomplete
/// record) and kTail bytes after (for the parser's sentinel).
struct Chunk {
  std::unique_ptr<char[]> storage{new char[kHeadroom + kChunkBytes + kTail]};
  std::size_t size = 0;
  char* data() { return storage.get() + kHeadroom; }
};

/// Fills chunks from a source in its own thread; next() hands them out in order.
class ChunkReader {
 public:
  /// Starts the producer thread; `fill`: bytes per chunk (0 or too big: kChunkBytes).
  ChunkReader(std::unique_ptr<ByteSource> source, std::size_t fill);
  ~ChunkReader();
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  /// The next chunk, or nullptr at the end. Rethrows the producer's error.
  Chunk* next();
  void recycle(Chunk* chunk);
  double fraction() const { return fraction_.load(std::memory_order_relaxed); }

 private:
  void produce();

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

}  // namespace clinflow::builtin::csv_detail
