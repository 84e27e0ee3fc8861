// clinflow_read_bench: times the CSV reader kernel (read_csv_file) on one file, in this process.
//
//   clinflow_read_bench FILE [--missing TEXT]... [--repeat N]
//
// Prints one line of key=value pairs: best wall seconds over N reads (and that read's CPU seconds,
// both threads), uncompressed MB/s, rows,
// columns, column types, raw column bytes (vector bytes + dictionary text bytes) and the peak
// RSS growth of the process over its start (ru_maxrss), so bench/run_read.sh can compare with
// zcat and pandas. Timing lives here, never in tests.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "csv_reader.hpp"

namespace {

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);  // all threads: the parser and the decompressor
  return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

std::uint64_t raw_bytes(const clinflow::builtin::Table& table) {
  std::uint64_t bytes = 0;
  for (const auto& c : table.columns) {
    bytes += c.ints.size() * sizeof(std::int64_t) + c.floats.size() * sizeof(double) +
             c.codes.size() * sizeof(std::int32_t);
    for (const auto& s : c.dict) bytes += s.size();
  }
  return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [--missing TEXT]... [--repeat N]\n", argv[0]);
    return 2;
  }
  clinflow::builtin::CsvOptions options;
  int repeat = 1;
  bool missing_given = false;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--missing") == 0) {
      if (!missing_given) options.missing.clear();
      missing_given = true;
      options.missing.emplace_back(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--repeat") == 0) {
      repeat = std::max(1, std::atoi(argv[i + 1]));
    }
  }
  const long rss_start = peak_rss_kib();
  double best = 1e300, best_cpu = 0;
  clinflow::builtin::CsvStats stats;
  std::uint64_t raw = 0;
  try {
    for (int r = 0; r < repeat; ++r) {
      stats = {};
      const double c0 = cpu_seconds();
      const auto t0 = std::chrono::steady_clock::now();
      clinflow::builtin::Table table = clinflow::builtin::read_csv_file(argv[1], options, &stats);
      const auto t1 = std::chrono::steady_clock::now();
      const double wall = std::chrono::duration<double>(t1 - t0).count();
      if (wall < best) {
        best = wall;
        best_cpu = cpu_seconds() - c0;
      }
      raw = raw_bytes(table);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "clinflow_read_bench: %s\n", e.what());
    return 1;
  }
  const double mb = double(stats.input_bytes) / 1e6;
  std::printf(
      "seconds=%.3f cpu=%.3f mb=%.1f mbps=%.1f rows=%zu columns=%zu ints=%zu floats=%zu "
      "timestamps=%zu "
      "strings=%zu rereads=%zu raw_mb=%.1f rss_growth_mb=%.1f\n",
      best, best_cpu, mb, mb / best, stats.rows, stats.columns, stats.ints, stats.floats,
      stats.timestamps, stats.strings, stats.reread_as_string.size(), double(raw) / 1e6,
      double(peak_rss_kib() - rss_start) * 1024 / 1e6);
  return 0;
}
