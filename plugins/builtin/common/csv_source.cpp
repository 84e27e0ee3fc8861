// The CSV reader's byte sources and producer thread.
//
// Implementation notes:
// - Two threads: a producer fills 1 MiB chunks (read(2), or zlib inflate with a 1 MiB input
//   buffer) into a small pool; the caller's thread parses. The pool bounds memory (6 chunks).
// - Errors in the producer (I/O, corrupt gzip) are stored and rethrown by next() in the
//   caller's thread, after the chunks read before them.
#include "csv_source.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "csv_reader.hpp"

namespace clinflow::builtin {
namespace csv_detail {
namespace {

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
  double fraction() const override {
    return text_.empty() ? 1.0 : double(pos_) / double(text_.size());
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> open_file_source(const std::string& path, bool gzip) {
  if (gzip) return std::make_unique<GzipSource>(path);
  return std::make_unique<PlainSource>(path);
}

std::unique_ptr<ByteSource> open_memory_source(std::string_view text) {
  return std::make_unique<MemorySource>(text);
}

bool file_starts_with(const std::string& path, std::string_view magic) {
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

ChunkReader::ChunkReader(std::unique_ptr<ByteSource> source, std::size_t fill)
    : source_(std::move(source)), fill_(fill == 0 || fill > kChunkBytes ? kChunkBytes : fill) {
  for (auto& c : pool_) free_.push_back(&c);
  thread_ = std::thread([this] { produce(); });
}

ChunkReader::~ChunkReader() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

Chunk* ChunkReader::next() {
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

void ChunkReader::recycle(Chunk* chunk) {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(chunk);
  }
  cv_.notify_all();
}

void ChunkReader::produce() {
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

}  // namespace csv_detail

bool is_gzip_file(const std::string& path) {
  return csv_detail::file_starts_with(path, "\x1f\x8b");
}

bool is_sqlite_file(const std::string& path) {
  return csv_detail::file_starts_with(path, std::string_view("SQLite format 3\0", 16));
}

}  // namespace clinflow::builtin
