// Keyed hashes of identifiers: pseudonyms and per-patient date offsets.
#pragma once

#include <cstdint>
#include <string_view>

namespace clinflow_deidentify {

/// SHA-256 over (key, purpose, text), first 8 bytes little-endian. `purpose` separates the
/// uses ("pseudonym", "shift") so a pseudonym reveals nothing about the date offset.
std::uint64_t keyed_hash(std::uint64_t key, std::string_view purpose, std::string_view text);

/// The pseudonym of an identifier's text: a 63-bit non-negative integer.
std::int64_t pseudonym(std::uint64_t key, std::string_view id_text);

/// The date offset of a patient, in whole days, in [-max_days, +max_days].
std::int64_t shift_days(std::uint64_t key, std::string_view patient_text, std::int64_t max_days);

}  // namespace clinflow_deidentify
