// Implementation notes: writes go to tmp/<hash>.<pid>.<counter> and are renamed into
// objects/<2 hex>/<hash>. rename() within one filesystem is atomic, so after a crash the cache
// holds whole artifacts or stray tmp files, never a truncated object. No fsync: an object lost
// to a power cut is recomputed, because its step key then finds no file (see engine.cpp).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <clinflow/core/artifact_store.hpp>
#include <clinflow/core/hash.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace clinflow {

namespace {
std::atomic<unsigned long> tmp_counter{0};

void write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw CacheError("cannot write '" + path + "': " + std::strerror(errno));
    }
    bytes.remove_prefix(std::size_t(n));
  }
}
}  // namespace

ArtifactStore::ArtifactStore(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(fs::path(dir_) / "objects", ec);
  if (!ec) fs::create_directories(fs::path(dir_) / "tmp", ec);
  if (ec) throw CacheError("cannot create cache folder '" + dir_ + "': " + ec.message());
  if (::access((dir_ + "/tmp").c_str(), W_OK) != 0 ||
      ::access((dir_ + "/objects").c_str(), W_OK) != 0)
    throw CacheError("cache folder '" + dir_ + "' is not writable: " + std::strerror(errno));
}

std::string ArtifactStore::hash_of(const Artifact& artifact) {
  return Sha256().update(artifact.type).update("\n").update(artifact.bytes).hex();
}

std::string ArtifactStore::path_of(const std::string& hash) const {
  return dir_ + "/objects/" + hash.substr(0, 2) + "/" + hash;
}

bool ArtifactStore::contains(const std::string& hash) const {
  struct stat st;
  return ::stat(path_of(hash).c_str(), &st) == 0;
}

std::string ArtifactStore::put(const Artifact& artifact) {
  std::string hash = hash_of(artifact);
  put(artifact, hash);
  return hash;
}

void ArtifactStore::put(const Artifact& artifact, const std::string& hash) {
  const std::string final_path = path_of(hash);
  if (contains(hash)) return;  // content-addressed: the same bytes are already there
  const std::string tmp = dir_ + "/tmp/" + hash + "." + std::to_string(::getpid()) + "." +
                          std::to_string(tmp_counter.fetch_add(1));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw CacheError("cannot write '" + tmp + "': " + std::strerror(errno));
  try {
    write_all(fd, artifact.type, tmp);
    write_all(fd, "\n", tmp);
    write_all(fd, artifact.bytes, tmp);
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    throw CacheError("cannot write '" + tmp + "': " + std::strerror(errno));
  }
  const std::string shard = dir_ + "/objects/" + hash.substr(0, 2);
  if (::mkdir(shard.c_str(), 0755) != 0 && errno != EEXIST) {
    ::unlink(tmp.c_str());
    throw CacheError("cannot create '" + shard + "': " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw CacheError("cannot move artifact into '" + final_path + "': " + std::strerror(err));
  }
}

std::shared_ptr<const Artifact> ArtifactStore::get(const std::string& hash) const {
  const std::string path = path_of(hash);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw CacheError("artifact " + hash.substr(0, 12) + " is missing from the cache ('" + path +
                     "')");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw CacheError("cannot read '" + path + "'");
  if (sha256_hex(content) != hash)
    throw CacheError("artifact '" + path + "' is corrupt: its content does not match its hash");
  auto artifact = std::make_shared<Artifact>();
  std::size_t newline = content.find('\n');
  artifact->type = content.substr(0, newline);
  artifact->bytes = content.substr(newline + 1);
  return artifact;
}

}  // namespace clinflow
