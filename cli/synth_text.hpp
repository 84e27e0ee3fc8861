// Text helpers for `clinflow synth`: MIMIC-style timestamps and CSV rows built in place.
//
// The CLI does not link the plugins' table library, so the two calendar conversions (Howard
// Hinnant's days_from_civil / civil_from_days) are repeated here; they are exact for any
// proleptic Gregorian date, including MIMIC's shifted years 2110-2210.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace clinflow::cli::synth {

/// Days since 1970-01-01 of a Gregorian date.
inline std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + std::int64_t(doe) - 719468;
}

struct CivilDate {
  std::int64_t year;
  unsigned month, day;
};

/// The Gregorian date of a day count since 1970-01-01.
inline CivilDate civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = unsigned(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {std::int64_t(yoe) + era * 400 + (m <= 2), m, d};
}

inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/// The calendar year of seconds since the epoch.
inline std::int64_t year_of(std::int64_t seconds) {
  return civil_from_days(floor_div(seconds, 86400)).year;
}

/// Writes "YYYY-MM-DD" (and " HH:MM:SS" when `with_time`) into `buf`; returns its length.
/// Hand-rolled: snprintf dominated the run time (a lab row has two timestamps).
inline int write_timestamp(char (&buf)[40], std::int64_t seconds, bool with_time) {
  const std::int64_t day = floor_div(seconds, 86400);
  const int rest = int(seconds - day * 86400);
  const CivilDate c = civil_from_days(day);
  if (c.year < 0 || c.year > 9999)
    return std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(seconds));
  auto put = [&buf](int at, int value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10) buf[at + i] = char('0' + value % 10);
  };
  put(0, int(c.year), 4);
  buf[4] = '-';
  put(5, int(c.month), 2);
  buf[7] = '-';
  put(8, int(c.day), 2);
  if (!with_time) return 10;
  buf[10] = ' ';
  put(11, rest / 3600, 2);
  buf[13] = ':';
  put(14, rest / 60 % 60, 2);
  buf[16] = ':';
  put(17, rest % 60, 2);
  return 19;
}

/// "YYYY-MM-DD".
inline std::string format_date(std::int64_t seconds) {
  char buf[40];
  return std::string(buf, std::size_t(write_timestamp(buf, seconds, false)));
}

/// A CSV row assembled field by field into one output buffer; the row ends (newline) when
/// the object goes out of scope, so a row is one block: `{ CsvRow r(out); r.integer(1); }`.
class CsvRow {
 public:
  explicit CsvRow(std::string& out) : out_(out) {}
  ~CsvRow() { out_ += '\n'; }
  CsvRow(const CsvRow&) = delete;
  CsvRow& operator=(const CsvRow&) = delete;

  /// A text field, quoted when it holds a comma, a quote or a line break.
  CsvRow& text(std::string_view value) {
    separate();
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
      out_ += value;
      return *this;
    }
    out_ += '"';
    for (char c : value) {
      if (c == '"') out_ += '"';
      out_ += c;
    }
    out_ += '"';
    return *this;
  }
  CsvRow& integer(std::int64_t value) {
    char buf[24];
    return text(std::string_view(
        buf, std::size_t(std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(value)))));
  }
  /// A number with a fixed count of decimals ("%.2f").
  CsvRow& fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return text(buf);
  }
  /// A double in full precision, as MIMIC writes icustays.los ("%.17g").
  CsvRow& precise(double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", value);
    return text(buf);
  }
  /// "YYYY-MM-DD HH:MM:SS", MIMIC's timestamp format.
  CsvRow& datetime(std::int64_t seconds) {
    char buf[40];
    return text(std::string_view(buf, std::size_t(write_timestamp(buf, seconds, true))));
  }
  CsvRow& empty() { return text(""); }

 private:
  void separate() {
    if (started_) out_ += ',';
    started_ = true;
  }
  std::string& out_;
  bool started_ = false;
};

}  // namespace clinflow::cli::synth
