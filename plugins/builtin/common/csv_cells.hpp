// Cell text -> value, with the CSV reader's rules: decimal numbers only (no "nan"/"inf"),
// int64 with kMissingInt excluded, and tests for whether a number prints back exactly as
// written (so a numeric column can turn into strings without losing the original text).
//
// Inline on purpose: these run once per cell and must inline into the column builders.
// Internal to the CSV reader (namespace csv_detail); the public API is csv_reader.hpp.
#pragma once

#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <system_error>

#include "table.hpp"

namespace clinflow::builtin::csv_detail {

constexpr std::int64_t kExactDoubleLimit = std::int64_t(1) << 53;

inline bool parse_int(std::string_view s, std::int64_t& v) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() && v != kMissingInt;
}

/// Decimal numbers only: from_chars would also take "nan" and "inf", which are text here.
inline bool parse_float(std::string_view s, double& v) {
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
inline bool is_inexact_integer(std::string_view s, double v) {
  if (std::fabs(v) < double(kExactDoubleLimit)) return false;
  if (s.find_first_of(".eE") != std::string_view::npos) return false;
  std::int64_t i = 0;
  if (!parse_int(s, i)) return true;
  return i > kExactDoubleLimit || i < -kExactDoubleLimit;
}

/// An integer written as to_chars prints it ("7", "-12"; not "007" or "-0").
inline bool int_text_canonical(std::string_view s) {
  const std::size_t i = s[0] == '-' ? 1 : 0;
  return !(s[i] == '0' && (s.size() > i + 1 || i == 1));
}

/// A decimal that to_chars(fixed) prints back exactly: no exponent, no leading or trailing
/// zeros, at most 15 significant digits (each such decimal survives a trip through a double).
inline bool float_text_canonical(std::string_view s) {
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

inline std::uint64_t bits_of(double d) {
  return std::bit_cast<std::uint64_t>(d);
}
inline const std::uint64_t kMissingFloatBits = bits_of(missing_float());
inline const std::uint64_t kMissingIntBits = std::uint64_t(kMissingInt);

/// An offset (a number of `unit` seconds) as seconds; false when not a number or out of range.
inline bool parse_offset(std::string_view s, std::int64_t unit, std::int64_t& seconds) {
  std::int64_t v = 0;
  if (parse_int(s, v)) return !__builtin_mul_overflow(v, unit, &seconds) && seconds != kMissingInt;
  double d = 0;
  if (!parse_float(s, d)) return false;
  const double scaled = std::nearbyint(d * double(unit));
  if (!(std::fabs(scaled) < 9.2e18)) return false;
  seconds = std::int64_t(scaled);
  return true;
}

}  // namespace clinflow::builtin::csv_detail
