// The built-in plugins use the SDK's typed tables (clinflow/table.hpp) under their own namespace.
#pragma once

#include <clinflow/table.hpp>

namespace clinflow::builtin {
using clinflow::Column;
using clinflow::ColumnType;
using clinflow::column_type_named;
using clinflow::days_from_civil;
using clinflow::deserialize;
using clinflow::format_timestamp;
using clinflow::input_table;
using clinflow::kMissingCode;
using clinflow::kMissingInt;
using clinflow::missing_float;
using clinflow::parse_timestamp;
using clinflow::serialize;
using clinflow::Table;
using clinflow::table_artifact;
using clinflow::to_csv;
using clinflow::year_of;
namespace roles = clinflow::roles;
}  // namespace clinflow::builtin
