// The artifact cache: content-addressed files in a folder.
//
// An artifact's hash is SHA-256 over "<type>\n<bytes>", and its file (objects/ab/<hash>) holds
// exactly those bytes, so the folder is self-describing: a step can run elsewhere from the cache
// alone. Files are written to tmp/ and renamed into place, so a reader never sees half a file,
// whatever happens to the writer.
#pragma once

#include <clinflow/plugin.hpp>
#include <memory>
#include <stdexcept>
#include <string>

namespace clinflow {

/// A cache folder that cannot be created, written or read; the message names the path.
class CacheError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ArtifactStore {
 public:
  /// Opens (creating) the cache folder; throws CacheError when it is not writable.
  explicit ArtifactStore(std::string dir);

  /// The content hash of an artifact, without storing it.
  static std::string hash_of(const Artifact& artifact);

  /// Stores the artifact (if not already present) and returns its hash.
  std::string put(const Artifact& artifact);
  /// Stores an artifact whose hash is already known.
  void put(const Artifact& artifact, const std::string& hash);

  bool contains(const std::string& hash) const;
  /// Loads an artifact and checks its hash; throws CacheError when missing or corrupt.
  std::shared_ptr<const Artifact> get(const std::string& hash) const;

  const std::string& dir() const { return dir_; }
  std::string path_of(const std::string& hash) const;

 private:
  std::string dir_;
};

}  // namespace clinflow
