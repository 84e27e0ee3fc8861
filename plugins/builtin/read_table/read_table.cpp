// read_table: reads a CSV, CSV.gz or SQLite source into a typed table artifact.
//
// Implementation notes: the CSV work is the kernel in common/csv_reader (two threads, types
// inferred over the whole file); this file only turns parameters into CsvOptions, picks the
// source by magic bytes / extension, and logs counts (never cell values).
#include <clinflow/plugin.hpp>
#include <filesystem>

#include "csv.hpp"
#include "csv_reader.hpp"
#include "sqlite_source.hpp"
#include "table.hpp"

namespace clinflow_read_table {

using namespace clinflow;
using namespace clinflow::builtin;

/// "col:type" entries -> overrides; the type is after the last ':' (column names may hold one).
std::vector<std::pair<std::string, CellKind>> parse_types(const std::vector<std::string>& items) {
  std::vector<std::pair<std::string, CellKind>> out;
  for (const auto& item : items) {
    const std::size_t colon = item.rfind(':');
    const auto kind =
        colon == std::string::npos ? std::nullopt : cell_kind_named(item.substr(colon + 1));
    if (!kind)
      throw StepError("read_table: types: '" + item +
                      "' is not 'column:type' with type one of integer, float, string, "
                      "timestamp, minutes, hours, days");
    out.emplace_back(item.substr(0, colon), *kind);
  }
  return out;
}

bool sqlite_by_name(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  return ext == ".sqlite" || ext == ".sqlite3" || ext == ".db";
}

class ReadTable final : public StepType {
 public:
  ReadTable() {
    manifest_.name = "read_table";
    manifest_.version = "0.1.0";
    manifest_.summary = "Read a CSV, CSV.gz or SQLite query into a typed table";
    manifest_.doc =
        "Reads an RFC 4180 CSV file with a header row (gzip-compressed files are detected by\n"
        "their magic bytes; a UTF-8 BOM is skipped), or with `query` the result of a SQL query\n"
        "on a SQLite database opened read-only. Column types are inferred over the whole file:\n"
        "integer, else float, else timestamp (YYYY-MM-DD[ HH:MM[:SS[.f]]]), else string; an\n"
        "all-missing column is string. `types: [\"age:string\", \"offset:minutes\"]` overrides a\n"
        "column (integer, float, string, timestamp, or minutes/hours/days: a number of those\n"
        "since the epoch, stored as a timestamp); a cell that does not fit is an error naming\n"
        "file:line:col. Cells equal to a `missing` marker are missing (\"NA\" only when listed).\n"
        "A row with a different field count than the header is an error (never shifted).\n"
        "The data is treated as patient-level (PHI).";
    ParamSpec path = required_param(
        "path", ParamType::kPath,
        "The file: .csv, .csv.gz, or a SQLite database (.sqlite, .sqlite3, .db) with `query`.");
    ParamSpec query = optional_param("query", ParamType::kString, Value(),
                                     "SQL to run on a SQLite database (read-only).");
    manifest_.params = {
        path,
        list_param("missing", ParamType::kString, List{Value(std::string())},
                   "Cell texts that mean 'missing', e.g. [\"\", \"?\"]."),
        list_param("types", ParamType::kString, List{},
                   "Type overrides \"column:type\" (integer, float, string, timestamp, "
                   "minutes, hours, days)."),
        list_param("columns", ParamType::kSymbol, List{},
                   "Read only these columns (file order is kept); all when empty."),
        query};
    manifest_.outputs = {PortSpec{"table", types::kTable, "The typed table.", false}};
    manifest_.safety.phi = PhiEffect::kIntroduces;
  }

  Outputs run(Context& ctx, const Inputs&, const Params& params) const override {
    const Value path_value = param(params, manifest_, "path");
    if (!path_value.is<std::string>()) throw StepError("read_table: 'path' must be a string");
    const std::string& path = path_value.as<std::string>();
    CsvOptions options;
    options.missing = symbol_list(param(params, manifest_, "missing"));
    options.types = parse_types(symbol_list(param(params, manifest_, "types")));
    options.columns = symbol_list(param(params, manifest_, "columns"));
    options.progress = [&ctx](double fraction) {
      ctx.progress(fraction);
      return !ctx.cancelled();
    };
    const Value query = param(params, manifest_, "query");
    const bool sqlite = sqlite_by_name(path) || is_sqlite_file(path);
    CsvStats stats;
    Table table;
    if (sqlite) {
      if (!query.is<std::string>() || query.as<std::string>().empty())
        throw StepError("read_table: '" + path + "' is a SQLite database: give a `query`");
      table = read_sqlite_query(path, query.as<std::string>(), options, &stats);
    } else {
      if (!query.is_none())
        throw StepError("read_table: `query` needs a SQLite database; '" + path + "' is not one");
      table = read_csv_file(path, options, &stats);
    }
    ctx.log("read_table: " + std::to_string(stats.rows) + " rows, " +
            std::to_string(stats.columns) + " columns (" + std::to_string(stats.ints) +
            " integer, " + std::to_string(stats.floats) + " float, " +
            std::to_string(stats.timestamps) + " timestamp, " + std::to_string(stats.strings) +
            " string), " + std::to_string(stats.missing_cells) + " missing cells");
    if (!stats.reread_as_string.empty())
      ctx.log("read_table: read the file twice: " + std::to_string(stats.reread_as_string.size()) +
              " column(s) held numbers or timestamps before text and became string");
    return {table_artifact(table)};
  }
};

}  // namespace clinflow_read_table

CLINFLOW_PLUGIN_STEPS(clinflow_read_table::ReadTable)
