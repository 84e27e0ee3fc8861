// Helpers for the read_table tests: temporary files, gzip writing, reading with options.
#pragma once

#include <zlib.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <string>

#include "csv_reader.hpp"
#include "test_support.hpp"

namespace clinflow {
/// Lets BOOST_TEST print column types and PHI effects.
inline std::ostream& operator<<(std::ostream& out, ColumnType type) {
  return out << to_string(type);
}
inline std::ostream& operator<<(std::ostream& out, PhiEffect phi) {
  return out << int(phi);
}
}  // namespace clinflow

namespace read_table_test {

using clinflow::builtin::CellKind;
using clinflow::builtin::Column;
using clinflow::builtin::ColumnType;
using clinflow::builtin::CsvOptions;
using clinflow::builtin::CsvStats;
using clinflow::builtin::Table;

/// A temporary folder with helpers to write files into it.
struct Files {
  clinflow_test::TempDir dir;
  std::string write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir.path() / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  /// A gzip file of `bytes`, split into `members` concatenated gzip members.
  std::string write_gz(const std::string& name, const std::string& bytes, int members = 1) {
    const std::string path = (dir.path() / name).string();
    std::ofstream out(path, std::ios::binary);
    const std::size_t step = bytes.size() / std::size_t(members) + 1;
    for (std::size_t at = 0; at < bytes.size() || at == 0; at += step) {
      z_stream zs{};
      deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
      const std::string part = bytes.substr(at, step);
      std::string buf(compressBound(uLong(part.size())) + 64, '\0');
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(part.data()));
      zs.avail_in = uInt(part.size());
      zs.next_out = reinterpret_cast<Bytef*>(buf.data());
      zs.avail_out = uInt(buf.size());
      BOOST_TEST_REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
      out.write(buf.data(), std::streamsize(buf.size() - zs.avail_out));
      deflateEnd(&zs);
      if (bytes.empty()) break;
    }
    return path;
  }
};

/// Reads CSV text (through a file, the real path) with options.
inline Table read(const std::string& csv, const CsvOptions& options = {},
                  CsvStats* stats = nullptr) {
  Files files;
  return clinflow::builtin::read_csv_file(files.write("t.csv", csv), options, stats);
}

/// The StepError message of reading `csv` as "x.csv", or "" when it reads fine.
inline std::string error_of(const std::string& csv, const CsvOptions& options = {}) {
  try {
    clinflow::builtin::read_csv_text(csv, "x.csv", options);
  } catch (const clinflow::StepError& e) {
    return e.what();
  }
  return "";
}

/// Every cell of a column as canonical text ("" when missing), joined by '|'.
inline std::string cells(const Table& t, const std::string& name) {
  const Column& c = t.column(name);
  std::string out;
  for (std::size_t r = 0; r < c.size(); ++r) {
    if (r) out += '|';
    out += c.format(r);
  }
  return out;
}

}  // namespace read_table_test
