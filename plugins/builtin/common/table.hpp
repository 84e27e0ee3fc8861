// Typed columnar tables: the "table" artifact every built-in plugin reads and writes.
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

#include <clinflow/plugin.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace clinflow::builtin {

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
inline double missing_float() { return std::numeric_limits<double>::quiet_NaN(); }

/// Well-known roles a table may carry (Table::roles keys).
namespace roles {
inline constexpr const char* kPatient = "patient";  ///< column identifying the patient
inline constexpr const char* kStay = "stay";        ///< column identifying the stay / encounter
inline constexpr const char* kLabel = "label";      ///< the outcome column (0/1)
inline constexpr const char* kPredictionTime = "prediction_time";  ///< timestamp column
inline constexpr const char* kAdmitTime = "admit_time";  ///< column ordering admissions in time
inline constexpr const char* kGroup = "group";           ///< site / group column (eICU hospital)
}  // namespace roles

/// One column. Exactly one of ints / floats / codes is used, by `type`.
struct Column {
  std::string name;
  ColumnType type = ColumnType::kString;
  std::vector<std::int64_t> ints;  ///< kInt, kTimestamp
  std::vector<double> floats;      ///< kFloat
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

}  // namespace clinflow::builtin
