// Cell kinds (the `types:` override names) and append_cell, the single-cell conversion that
// other plugins use to apply the reader's rules to one text.
#include "csv_cells.hpp"

#include <optional>
#include <string_view>

#include "csv_reader.hpp"

namespace clinflow::builtin {

std::optional<CellKind> cell_kind_named(std::string_view name) {
  for (CellKind k : {CellKind::kInteger, CellKind::kFloat, CellKind::kString, CellKind::kTimestamp,
                     CellKind::kMinutes, CellKind::kHours, CellKind::kDays})
    if (name == to_string(k)) return k;
  return std::nullopt;
}

const char* to_string(CellKind kind) {
  switch (kind) {
    case CellKind::kInteger:
      return "integer";
    case CellKind::kFloat:
      return "float";
    case CellKind::kString:
      return "string";
    case CellKind::kTimestamp:
      return "timestamp";
    case CellKind::kMinutes:
      return "minutes";
    case CellKind::kHours:
      return "hours";
    case CellKind::kDays:
      return "days";
  }
  return "?";
}

ColumnType column_type_of(CellKind kind) {
  switch (kind) {
    case CellKind::kInteger:
      return ColumnType::kInt;
    case CellKind::kFloat:
      return ColumnType::kFloat;
    case CellKind::kString:
      return ColumnType::kString;
    default:
      return ColumnType::kTimestamp;
  }
}

bool append_cell(Column& column, CellKind kind, std::string_view text) {
  std::int64_t i = 0;
  double d = 0;
  switch (kind) {
    case CellKind::kInteger:
      if (!csv_detail::parse_int(text, i)) return false;
      column.push_int(i);
      return true;
    case CellKind::kFloat:
      if (!csv_detail::parse_float(text, d)) return false;
      column.push_float(d);
      return true;
    case CellKind::kString:
      column.push_text(text);
      return true;
    case CellKind::kTimestamp: {
      const auto t = parse_timestamp(text);
      if (!t) return false;
      column.push_int(*t);
      return true;
    }
    case CellKind::kMinutes:
    case CellKind::kHours:
    case CellKind::kDays: {
      const std::int64_t unit = kind == CellKind::kMinutes ? 60
                                : kind == CellKind::kHours ? 3600
                                                           : 86400;
      if (!csv_detail::parse_offset(text, unit, i)) return false;
      column.push_int(i);
      return true;
    }
  }
  return false;
}

}  // namespace clinflow::builtin
