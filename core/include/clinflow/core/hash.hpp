// SHA-256 through OpenSSL's EVP API, as lowercase hex.
#pragma once

#include <string>
#include <string_view>

namespace clinflow {

/// Incremental SHA-256.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  Sha256& update(std::string_view bytes);
  /// Lowercase hex digest; the object cannot be updated afterwards.
  std::string hex();

 private:
  void* ctx_;
};

/// SHA-256 of a byte string, as lowercase hex.
std::string sha256_hex(std::string_view bytes);

/// SHA-256 of a file's content; throws std::runtime_error naming the file when it cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace clinflow
