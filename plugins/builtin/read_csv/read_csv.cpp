// read_csv: reads a CSV (or gzip-compressed CSV) file into a table artifact.
//
// Implementation notes: the file is parsed in full and written back in canonical form (header
// row, `\n` line ends, minimal quoting, missing markers turned into empty cells), so two files
// with the same content in different dialects give the same artifact hash downstream.
#include <algorithm>
#include <clinflow/plugin.hpp>

#include <cmath>

#include "csv.hpp"
#include "table.hpp"

namespace clinflow_read_csv {

using namespace clinflow;
using namespace clinflow::builtin;

/// The rows as a typed table: a column is integer or float when every present cell is one.
Table typed(const CsvRows& rows) {
  Table out;
  for (std::size_t c = 0; c < rows.header.size(); ++c) {
    bool all_int = true, all_number = true;
    for (const auto& row : rows.rows) {
      if (row[c].empty()) continue;
      const auto x = parse_number(row[c]);
      all_number = all_number && x.has_value();
      all_int = all_int && x && row[c].find_first_of(".eE") == std::string::npos &&
                std::abs(*x) < 9e15;
    }
    const ColumnType type =
        all_int ? ColumnType::kInt : all_number ? ColumnType::kFloat : ColumnType::kString;
    Column& col = out.add(rows.header[c], type);
    for (const auto& row : rows.rows) {
      if (row[c].empty())
        col.push_missing();
      else if (type == ColumnType::kInt)
        col.push_int(std::int64_t(*parse_number(row[c])));
      else if (type == ColumnType::kFloat)
        col.push_float(*parse_number(row[c]));
      else
        col.push_text(row[c]);
    }
  }
  return out;
}

class ReadCsv final : public StepType {
 public:
  ReadCsv() {
    manifest_.name = "read_csv";
    manifest_.version = "0.1.0";
    manifest_.summary = "Read a CSV or CSV.gz file into a table";
    manifest_.doc =
        "Reads an RFC 4180 CSV file with a header row. Files ending in .gz are decompressed.\n"
        "Quoted fields may hold commas, quotes (doubled) and newlines. A row with more or fewer\n"
        "fields than the header is an error that names the file, line and column. Cells equal\n"
        "to one of the `missing` markers become empty (missing) cells. The output is the table\n"
        "in canonical CSV form. The data is treated as patient-level (PHI).";
    ParamSpec path;
    path.name = "path";
    path.type = ParamType::kPath;
    path.required = true;
    path.doc = "The file to read (.csv or .csv.gz); its content hash enters the step key.";
    ParamSpec missing;
    missing.name = "missing";
    missing.type = ParamType::kList;
    missing.element = ParamType::kString;
    missing.default_value = List{Value(std::string())};
    missing.doc = "Cell texts that mean 'missing', e.g. [\"\", \"NA\", \"NULL\"].";
    manifest_.params = {path, missing};
    manifest_.outputs = {PortSpec{"table", types::kTable, "The table, canonical CSV.", false}};
    manifest_.safety.phi = PhiEffect::kIntroduces;
  }

  Outputs run(Context& ctx, const Inputs&, const Params& params) const override {
    const Value path_value = param(params, manifest_, "path");
    if (!path_value.is<std::string>()) throw StepError("read_csv: 'path' must be a string");
    const std::string& path = path_value.as<std::string>();
    CsvRows table = parse_csv(read_file(path), path);
    const std::vector<std::string> missing = symbol_list(param(params, manifest_, "missing"));
    std::size_t cleared = 0;
    for (auto& row : table.rows) {
      for (auto& cell : row) {
        if (!cell.empty() && std::find(missing.begin(), missing.end(), cell) != missing.end()) {
          cell.clear();
          ++cleared;
        }
      }
    }
    ctx.log("read_csv: " + std::to_string(table.rows.size()) + " rows, " +
            std::to_string(table.header.size()) + " columns, " + std::to_string(cleared) +
            " cells matched a missing marker");
    return {table_artifact(typed(table))};
  }
};

}  // namespace clinflow_read_csv

CLINFLOW_PLUGIN_STEPS(clinflow_read_csv::ReadCsv)
