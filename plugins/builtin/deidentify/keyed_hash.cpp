// Keyed SHA-256 (OpenSSL EVP) of identifier text.
//
// Implementation notes: the key is the 8-byte little-endian seed prefixed to the message; the
// message ends with the purpose and a NUL before the identifier text, so ("ab", "c") and
// ("a", "bc") never collide. A length-extension attack is irrelevant here (the output is never
// used as a MAC). The offset is a 64-bit hash reduced modulo 2*max_days+1: its bias is below
// 2^-50, far under anything a date offset could reveal.
#include "keyed_hash.hpp"

#include <openssl/evp.h>

#include <clinflow/plugin.hpp>
#include <string>

namespace clinflow_deidentify {

std::uint64_t keyed_hash(std::uint64_t key, std::string_view purpose, std::string_view text) {
  std::string message;
  message.reserve(8 + purpose.size() + 1 + text.size());
  for (int i = 0; i < 8; ++i) message += char((key >> (8 * i)) & 0xff);
  message += purpose;
  message += '\0';
  message += text;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(message.data(), message.size(), digest, &length, EVP_sha256(), nullptr) != 1 ||
      length < 8)
    throw clinflow::StepError("deidentify: SHA-256 failed (OpenSSL)");
  std::uint64_t out = 0;
  for (int i = 7; i >= 0; --i) out = (out << 8) | digest[i];
  return out;
}

std::int64_t pseudonym(std::uint64_t key, std::string_view id_text) {
  return std::int64_t(keyed_hash(key, "pseudonym", id_text) >> 1);
}

std::int64_t shift_days(std::uint64_t key, std::string_view patient_text, std::int64_t max_days) {
  if (max_days <= 0) return 0;
  const std::uint64_t span = std::uint64_t(2 * max_days + 1);
  return std::int64_t(keyed_hash(key, "shift", patient_text) % span) - max_days;
}

}  // namespace clinflow_deidentify
