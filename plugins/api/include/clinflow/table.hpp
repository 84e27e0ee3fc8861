// clinflow plugin SDK: typed columnar tables, the bytes of every "table" artifact.
//
// Header-only, like the rest of the SDK: a team's plugin reads and writes the same tables as the
// built-in plugins with `#include <clinflow/table.hpp>`.
//
// A table is a list of named, typed columns of equal length plus a few "roles" that name the
// columns later steps need (which column is the patient, the stay, the label...). Columns are
// plain vectors so the curation kernels are tight loops; missing values are sentinels:
// kMissingInt for integers and timestamps, NaN for floats, code -1 for strings.
//
// Artifact bytes (serialize/deserialize) are canonical: the same table always gives the same
// bytes (little-endian, one NaN pattern, string dictionaries in first-seen order), so artifact
// hashes are stable across runs and thread counts.
#pragma once

#include <algorithm>
#include <bit>
#include <charconv>
#include <clinflow/plugin.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace clinflow {

enum class ColumnType : std::uint8_t {
  kInt = 1,        ///< 64-bit integer
  kFloat = 2,      ///< double
  kString = 3,     ///< dictionary-coded text (categorical)
  kTimestamp = 4,  ///< seconds since 1970-01-01 00:00:00 UTC (64-bit; MIMIC's shifted years fit)
};

/// "integer", "float", "string", "timestamp" (as written in workflows' `types:` overrides).
const char* to_string(ColumnType type);
/// The type named by a workflow override, or nullopt.
std::optional<ColumnType> column_type_named(std::string_view name);

inline constexpr std::int64_t kMissingInt = std::numeric_limits<std::int64_t>::min();
inline constexpr std::int32_t kMissingCode = -1;
inline double missing_float() {
  return std::numeric_limits<double>::quiet_NaN();
}

/// Well-known roles a table may carry (Table::roles keys).
namespace roles {
inline constexpr const char* kPatient = "patient";  ///< column identifying the patient
inline constexpr const char* kStay = "stay";        ///< column identifying the stay / encounter
inline constexpr const char* kLabel = "label";      ///< the outcome column (0/1)
inline constexpr const char* kPredictionTime = "prediction_time";  ///< timestamp column
inline constexpr const char* kAdmitTime = "admit_time";  ///< column ordering admissions in time
inline constexpr const char* kGroup = "group";           ///< site / group column (eICU hospital)
inline constexpr const char* kWeight = "weight";  ///< per-row training weights (reweigh's)
}  // namespace roles

/// One column. Exactly one of ints / floats / codes is used, by `type`.
struct Column {
  std::string name;
  ColumnType type = ColumnType::kString;
  std::vector<std::int64_t> ints;   ///< kInt, kTimestamp
  std::vector<double> floats;       ///< kFloat
  std::vector<std::int32_t> codes;  ///< kString: index into dict, kMissingCode when missing
  std::vector<std::string> dict;    ///< kString: distinct values, first-seen order

  Column() = default;
  Column(std::string column_name, ColumnType column_type)
      : name(std::move(column_name)), type(column_type) {}

  std::size_t size() const;
  bool is_numeric() const { return type != ColumnType::kString; }
  bool missing(std::size_t row) const;
  /// The value as a number: ints, timestamps (seconds) and floats; NaN when missing or a string.
  double number(std::size_t row) const;
  /// A string cell's text ("" when missing). Only for kString.
  std::string_view text(std::size_t row) const {
    return codes[row] < 0 ? std::string_view() : std::string_view(dict[std::size_t(codes[row])]);
  }
  /// Canonical text of any cell; "" when missing. Timestamps as "YYYY-MM-DD HH:MM:SS".
  std::string format(std::size_t row) const;

  void reserve(std::size_t n);
  void push_int(std::int64_t v) { ints.push_back(v); }
  void push_float(double v) { floats.push_back(v); }
  void push_missing();
  /// Appends a string cell, interning it (call only on kString columns).
  void push_text(std::string_view v);
  /// Appends row `row` of `other` (same type) — used to gather rows across tables.
  void push_from(const Column& other, std::size_t row);
  /// The dictionary code of `text`, or kMissingCode when absent (kString only).
  std::int32_t code_of(std::string_view text) const;
  /// Rebuilds the interning index after the dictionary was filled directly.
  void rebuild_index() const;

 private:
  mutable std::unordered_map<std::string, std::int32_t> index_;  ///< text -> code, lazily built
};

/// A table: columns of equal length and named roles.
class Table {
 public:
  std::vector<Column> columns;
  std::map<std::string, std::string> roles;  ///< role -> column name

  std::size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
  /// The column named `name`; throws StepError naming it and listing the table's columns.
  /// `step` prefixes the message ("select_cohort: ...").
  const Column& column(const std::string& name, const std::string& step = "") const;
  Column& column(const std::string& name, const std::string& step = "");
  const Column* find(const std::string& name) const;
  Column* find(const std::string& name);
  /// Appends an empty column; replaces one of the same name (keeping its position).
  Column& add(std::string name, ColumnType type);
  /// The column a role names, or nullptr when the role is unset or its column is gone.
  const Column* role(const std::string& role) const;
  /// The column a role names; throws StepError explaining which role is missing.
  const Column& require_role(const std::string& role, const std::string& step) const;
  /// A new table with the given rows (in that order) of every column; roles kept.
  Table take(const std::vector<std::uint32_t>& rows) const;
  /// Throws StepError when columns differ in length (a plugin bug, never a silent shift).
  void check_shape(const std::string& step) const;
};

/// Canonical artifact bytes of a table.
std::string serialize(const Table& table);
/// The table in artifact bytes; throws StepError naming `source` when the bytes are not a table.
Table deserialize(std::string_view bytes, const std::string& source);
/// The artifact of a table.
Artifact table_artifact(const Table& table);
/// The table held by input `index`; `step` names the step in errors.
Table input_table(const Inputs& inputs, std::size_t index, const std::string& step);

/// RFC 4180 CSV text of a table (header row, `\n` line ends, minimal quoting, missing = empty).
std::string to_csv(const Table& table);

// ---- Time ------------------------------------------------------------------------------
/// Days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);
/// Parses "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS[.fff]]" or "YYYY-MM-DDTHH:MM:SS" (fractions are
/// truncated); nullopt when the text is not such a timestamp or the date is invalid.
std::optional<std::int64_t> parse_timestamp(std::string_view text);
/// "YYYY-MM-DD HH:MM:SS".
std::string format_timestamp(std::int64_t seconds);
/// The calendar year of a timestamp.
std::int64_t year_of(std::int64_t seconds);

// ==== Implementation ====================================================================
// Implementation notes. Artifact layout (all integers little-endian; the build refuses
// big-endian hosts below rather than writing different bytes):
//   "CFTABLE1"  u32 n_roles  {str role, str column}*  u32 n_columns  u64 n_rows
//   per column: str name, u8 type, then payload:
//     int/timestamp: n_rows x i64;  float: n_rows x f64 (every NaN written as one pattern);
//     string: u32 dict_size {str}*, n_rows x i32 codes
//   str = u32 length + bytes.
// Dictionaries are written in first-seen order, which depends only on the row order, so equal
// tables give equal bytes.

static_assert(std::endian::native == std::endian::little,
              "table artifacts are written little-endian; add byte swapping for this host");

inline const char* to_string(ColumnType type) {
  switch (type) {
    case ColumnType::kInt:
      return "integer";
    case ColumnType::kFloat:
      return "float";
    case ColumnType::kString:
      return "string";
    case ColumnType::kTimestamp:
      return "timestamp";
  }
  return "?";
}

inline std::optional<ColumnType> column_type_named(std::string_view name) {
  if (name == "integer" || name == "int") return ColumnType::kInt;
  if (name == "float" || name == "number") return ColumnType::kFloat;
  if (name == "string" || name == "text" || name == "categorical") return ColumnType::kString;
  if (name == "timestamp") return ColumnType::kTimestamp;
  return std::nullopt;
}

// ---- Column ------------------------------------------------------------------------------

inline std::size_t Column::size() const {
  switch (type) {
    case ColumnType::kFloat:
      return floats.size();
    case ColumnType::kString:
      return codes.size();
    default:
      return ints.size();
  }
}

inline bool Column::missing(std::size_t row) const {
  switch (type) {
    case ColumnType::kFloat:
      return std::isnan(floats[row]);
    case ColumnType::kString:
      return codes[row] < 0;
    default:
      return ints[row] == kMissingInt;
  }
}

inline double Column::number(std::size_t row) const {
  switch (type) {
    case ColumnType::kFloat:
      return floats[row];
    case ColumnType::kString:
      return missing_float();
    default:
      return ints[row] == kMissingInt ? missing_float() : double(ints[row]);
  }
}

namespace table_detail {

inline std::string format_double(double value) {
  char buf[32];
  // Shortest text that reads back as the same double.
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return ec == std::errc() ? std::string(buf, end) : std::string("nan");
}

}  // namespace table_detail

inline std::string Column::format(std::size_t row) const {
  if (missing(row)) return {};
  switch (type) {
    case ColumnType::kInt:
      return std::to_string(ints[row]);
    case ColumnType::kFloat:
      return table_detail::format_double(floats[row]);
    case ColumnType::kString:
      return std::string(text(row));
    case ColumnType::kTimestamp:
      return format_timestamp(ints[row]);
  }
  return {};
}

inline void Column::reserve(std::size_t n) {
  switch (type) {
    case ColumnType::kFloat:
      floats.reserve(n);
      break;
    case ColumnType::kString:
      codes.reserve(n);
      break;
    default:
      ints.reserve(n);
  }
}

inline void Column::push_missing() {
  switch (type) {
    case ColumnType::kFloat:
      floats.push_back(missing_float());
      break;
    case ColumnType::kString:
      codes.push_back(kMissingCode);
      break;
    default:
      ints.push_back(kMissingInt);
  }
}

inline void Column::rebuild_index() const {
  index_.clear();
  index_.reserve(dict.size());
  for (std::size_t i = 0; i < dict.size(); ++i) index_.emplace(dict[i], std::int32_t(i));
}

inline std::int32_t Column::code_of(std::string_view text) const {
  if (index_.size() != dict.size()) rebuild_index();
  auto it = index_.find(std::string(text));
  return it == index_.end() ? kMissingCode : it->second;
}

inline void Column::push_text(std::string_view v) {
  if (index_.size() != dict.size()) rebuild_index();
  auto [it, inserted] = index_.try_emplace(std::string(v), std::int32_t(dict.size()));
  if (inserted) dict.emplace_back(v);
  codes.push_back(it->second);
}

inline void Column::push_from(const Column& other, std::size_t row) {
  switch (type) {
    case ColumnType::kFloat:
      floats.push_back(other.floats[row]);
      break;
    case ColumnType::kString:
      if (other.codes[row] < 0)
        codes.push_back(kMissingCode);
      else
        push_text(other.dict[std::size_t(other.codes[row])]);
      break;
    default:
      ints.push_back(other.ints[row]);
  }
}

// ---- Table -------------------------------------------------------------------------------

namespace table_detail {

[[noreturn]] inline void no_such_column(const Table& t, const std::string& name,
                                        const std::string& step) {
  std::string list;
  for (const auto& c : t.columns) list += (list.empty() ? "" : ", ") + c.name;
  throw StepError((step.empty() ? "" : step + ": ") + "no column '" + name +
                  "'; the table has: " + (list.empty() ? "(no columns)" : list));
}

}  // namespace table_detail

inline const Column* Table::find(const std::string& name) const {
  for (const auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

inline Column* Table::find(const std::string& name) {
  for (auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

inline const Column& Table::column(const std::string& name, const std::string& step) const {
  if (const Column* c = find(name)) return *c;
  table_detail::no_such_column(*this, name, step);
}

inline Column& Table::column(const std::string& name, const std::string& step) {
  if (Column* c = find(name)) return *c;
  table_detail::no_such_column(*this, name, step);
}

inline Column& Table::add(std::string name, ColumnType type) {
  if (Column* c = find(name)) {
    *c = Column(std::move(name), type);
    return *c;
  }
  columns.emplace_back(std::move(name), type);
  return columns.back();
}

inline const Column* Table::role(const std::string& role_name) const {
  auto it = roles.find(role_name);
  return it == roles.end() ? nullptr : find(it->second);
}

inline const Column& Table::require_role(const std::string& role_name,
                                         const std::string& step) const {
  auto it = roles.find(role_name);
  if (it == roles.end())
    throw StepError(step + ": the input table has no " + role_name +
                    " column (set by select_cohort's layout or its `" + role_name +
                    ":` parameter, or by label)");
  return column(it->second, step);
}

inline Table Table::take(const std::vector<std::uint32_t>& rows) const {
  Table out;
  out.roles = roles;
  out.columns.reserve(columns.size());
  for (const Column& c : columns) {
    Column& o = out.columns.emplace_back(c.name, c.type);
    switch (c.type) {
      case ColumnType::kFloat:
        o.floats.reserve(rows.size());
        for (auto r : rows) o.floats.push_back(c.floats[r]);
        break;
      case ColumnType::kString: {
        // Re-code so the dictionary holds only values present, in first-seen order (canonical).
        std::vector<std::int32_t> remap(c.dict.size(), -2);
        o.codes.reserve(rows.size());
        for (auto r : rows) {
          const std::int32_t code = c.codes[r];
          if (code < 0) {
            o.codes.push_back(kMissingCode);
            continue;
          }
          std::int32_t& m = remap[std::size_t(code)];
          if (m == -2) {
            m = std::int32_t(o.dict.size());
            o.dict.push_back(c.dict[std::size_t(code)]);
          }
          o.codes.push_back(m);
        }
        break;
      }
      default:
        o.ints.reserve(rows.size());
        for (auto r : rows) o.ints.push_back(c.ints[r]);
    }
  }
  return out;
}

inline void Table::check_shape(const std::string& step) const {
  for (const Column& c : columns)
    if (c.size() != rows())
      throw StepError(step + ": internal error: column '" + c.name + "' has " +
                      std::to_string(c.size()) + " rows, the table " + std::to_string(rows()));
}

// ---- Serialization -----------------------------------------------------------------------

namespace table_detail {

inline constexpr char kMagic[8] = {'C', 'F', 'T', 'A', 'B', 'L', 'E', '1'};

template <class T>
inline void put(std::string& out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out.append(buf, sizeof(T));
}

inline void put_str(std::string& out, std::string_view s) {
  put<std::uint32_t>(out, std::uint32_t(s.size()));
  out.append(s);
}

template <class T>
inline void put_array(std::string& out, const std::vector<T>& v) {
  out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

/// Reads the artifact bytes; every read is bounds-checked so damaged bytes give an error.
class Reader {
 public:
  Reader(std::string_view bytes, const std::string& source) : bytes_(bytes), source_(source) {}

  template <class T>
  T get() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  std::string get_str() {
    const auto n = get<std::uint32_t>();
    need(n);
    std::string s(bytes_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  template <class T>
  void get_array(std::vector<T>& v, std::uint64_t n) {
    if (n > (bytes_.size() - pos_) / sizeof(T)) fail();
    v.resize(n);
    std::memcpy(v.data(), bytes_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
  }
  bool at_end() const { return pos_ == bytes_.size(); }
  [[noreturn]] void fail() const {
    throw StepError(source_ + ": the artifact is not a valid table (damaged or of another type)");
  }

 private:
  void need(std::size_t n) const {
    if (n > bytes_.size() - pos_) fail();
  }
  std::string_view bytes_;
  const std::string& source_;
  std::size_t pos_ = 0;
};

}  // namespace table_detail

inline std::string serialize(const Table& table) {
  table.check_shape("serialize");
  std::size_t size = 64;
  for (const Column& c : table.columns) {
    size += c.name.size() + 16 + c.size() * 8;
    for (const auto& s : c.dict) size += s.size() + 4;
  }
  std::string out;
  out.reserve(size);
  out.append(table_detail::kMagic, sizeof table_detail::kMagic);
  table_detail::put<std::uint32_t>(out, std::uint32_t(table.roles.size()));
  for (const auto& [role, column] : table.roles) {
    table_detail::put_str(out, role);
    table_detail::put_str(out, column);
  }
  table_detail::put<std::uint32_t>(out, std::uint32_t(table.columns.size()));
  table_detail::put<std::uint64_t>(out, table.rows());
  for (const Column& c : table.columns) {
    table_detail::put_str(out, c.name);
    table_detail::put<std::uint8_t>(out, std::uint8_t(c.type));
    switch (c.type) {
      case ColumnType::kFloat:
        for (double v : c.floats)
          table_detail::put<double>(out, std::isnan(v) ? missing_float() : v);
        break;
      case ColumnType::kString:
        table_detail::put<std::uint32_t>(out, std::uint32_t(c.dict.size()));
        for (const auto& s : c.dict) table_detail::put_str(out, s);
        table_detail::put_array(out, c.codes);
        break;
      default:
        table_detail::put_array(out, c.ints);
    }
  }
  return out;
}

inline Table deserialize(std::string_view bytes, const std::string& source) {
  if (bytes.size() < sizeof table_detail::kMagic ||
      std::memcmp(bytes.data(), table_detail::kMagic, sizeof table_detail::kMagic) != 0)
    throw StepError(source + ": the input is not a table artifact");
  table_detail::Reader in(bytes.substr(sizeof table_detail::kMagic), source);
  Table table;
  const auto n_roles = in.get<std::uint32_t>();
  for (std::uint32_t i = 0; i < n_roles; ++i) {
    std::string role = in.get_str();
    table.roles[role] = in.get_str();
  }
  const auto n_columns = in.get<std::uint32_t>();
  const auto n_rows = in.get<std::uint64_t>();
  for (std::uint32_t i = 0; i < n_columns; ++i) {
    std::string name = in.get_str();
    const auto type = in.get<std::uint8_t>();
    if (type < 1 || type > 4) in.fail();
    Column& c = table.columns.emplace_back(std::move(name), ColumnType(type));
    switch (c.type) {
      case ColumnType::kFloat:
        in.get_array(c.floats, n_rows);
        break;
      case ColumnType::kString: {
        const auto n_dict = in.get<std::uint32_t>();
        for (std::uint32_t d = 0; d < n_dict; ++d) c.dict.push_back(in.get_str());
        in.get_array(c.codes, n_rows);
        for (auto code : c.codes)
          if (code < kMissingCode || code >= std::int32_t(n_dict)) in.fail();
        break;
      }
      default:
        in.get_array(c.ints, n_rows);
    }
  }
  if (!in.at_end()) in.fail();
  return table;
}

inline Artifact table_artifact(const Table& table) {
  return Artifact{types::kTable, serialize(table)};
}

inline Table input_table(const Inputs& inputs, std::size_t index, const std::string& step) {
  if (index >= inputs.size() || !inputs[index])
    throw StepError(step + ": missing input table " + std::to_string(index + 1));
  return deserialize(inputs[index]->bytes, step + " input " + std::to_string(index + 1));
}

// ---- CSV text ----------------------------------------------------------------------------

namespace table_detail {

inline void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char ch : field) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

}  // namespace table_detail

inline std::string to_csv(const Table& table) {
  std::string out;
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    if (c) out += ',';
    table_detail::append_csv_field(out, table.columns[c].name);
  }
  out += '\n';
  for (std::size_t r = 0; r < table.rows(); ++r) {
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      if (c) out += ',';
      table_detail::append_csv_field(out, table.columns[c].format(r));
    }
    out += '\n';
  }
  return out;
}

// ---- Time --------------------------------------------------------------------------------

// Civil-date arithmetic over 400-year eras (146097 days each), counting years from March so
// that the leap day falls at the end of a year.
inline std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = std::uint64_t(year - era * 400);
  const std::uint64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const std::uint64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + std::int64_t(day_of_era) - 719468;
}

namespace table_detail {

struct CivilDate {
  std::int64_t year;
  unsigned month, day;
};

inline CivilDate civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = std::uint64_t(days - era * 146097);
  const std::uint64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::uint64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::uint64_t mp = (5 * day_of_year + 2) / 153;
  const auto day = unsigned(day_of_year - (153 * mp + 2) / 5 + 1);
  const auto month = unsigned(mp < 10 ? mp + 3 : mp - 9);
  const std::int64_t year = std::int64_t(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

inline bool digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + unsigned(s[i] - '0');
  }
  return true;
}

inline bool leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

}  // namespace table_detail

inline std::optional<std::int64_t> parse_timestamp(std::string_view s) {
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (s.size() < 10 || !table_detail::digits(s, 0, 4, year) || s[4] != '-' ||
      !table_detail::digits(s, 5, 2, month) || s[7] != '-' || !table_detail::digits(s, 8, 2, day))
    return std::nullopt;
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  if (day > kDays[month - 1] + (month == 2 && table_detail::leap(year) ? 1 : 0))
    return std::nullopt;
  std::size_t pos = 10;
  if (pos < s.size()) {
    if ((s[pos] != ' ' && s[pos] != 'T') || !table_detail::digits(s, pos + 1, 2, hour) ||
        s.size() < pos + 6 || s[pos + 3] != ':' || !table_detail::digits(s, pos + 4, 2, minute))
      return std::nullopt;
    pos += 6;
    if (pos < s.size()) {
      if (s[pos] != ':' || !table_detail::digits(s, pos + 1, 2, second)) return std::nullopt;
      pos += 3;
      if (pos < s.size()) {  // fractional seconds: truncated
        if (s[pos] != '.' || pos + 1 == s.size()) return std::nullopt;
        for (std::size_t i = pos + 1; i < s.size(); ++i)
          if (s[i] < '0' || s[i] > '9') return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  }
  return days_from_civil(year, month, day) * 86400 + std::int64_t{hour} * 3600 +
         std::int64_t{minute} * 60 + second;
}

inline std::string format_timestamp(std::int64_t seconds) {
  std::int64_t days = seconds / 86400, rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  const table_detail::CivilDate d = table_detail::civil_from_days(days);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld", (long long)d.year,
                d.month, d.day, (long long)(rest / 3600), (long long)(rest / 60 % 60),
                (long long)(rest % 60));
  return buf;
}

inline std::int64_t year_of(std::int64_t seconds) {
  std::int64_t days = seconds / 86400;
  if (seconds % 86400 < 0) --days;
  return table_detail::civil_from_days(days).year;
}

}  // namespace clinflow
