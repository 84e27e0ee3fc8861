// clinflow_features_bench: times the extract_features kernel on a generated long events table.
//
//   clinflow_features_bench [--stays N] [--per-stay E] [--items I] [--select K] [--reps R]
//                           [--order grouped|shuffled] [--write-raw DIR]
//
// Defaults: 1,000,000 stays x 50 events = 50M events, 200 items, the K=20 most frequent items
// selected, aggregates min/max/mean/last/count over [-24h, 0h], best of 3. Events are
// generated deterministically (splitmix64): times uniform in [pt - 36h, pt + 12h] (48 h around
// the prediction time, so a quarter are in the future and must be refused), items skewed
// (item = floor(I * u^2): low ids frequent, as lab panels are), values ~ N(100, 15) by the
// Irwin-Hall sum of 4 uniforms. --write-raw writes the columns as little-endian int64/float64
// files for bench/features/pandas_bench.py, which aggregates the SAME data with pandas.
// Only the kernel call is timed (no generation, no I/O). Prints key=value lines.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "extract.hpp"

namespace {

using namespace clinflow::builtin;
namespace cf = clinflow::builtin::features;

struct SplitMix {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
};

struct Options {
  std::int64_t stays = 1000000, per_stay = 50, items = 200, select = 20, reps = 3;
  std::string order = "grouped", write_raw;
};

constexpr std::int64_t kStay0 = 30000000, kItem0 = 50000, kT0 = 4102444800;  // 2100-01-01

template <class T>
void write_raw(const std::string& path, const std::vector<T>& v) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * sizeof(T)));
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--stays")
      o.stays = std::stoll(v);
    else if (k == "--per-stay")
      o.per_stay = std::stoll(v);
    else if (k == "--items")
      o.items = std::stoll(v);
    else if (k == "--select")
      o.select = std::stoll(v);
    else if (k == "--reps")
      o.reps = std::stoll(v);
    else if (k == "--order")
      o.order = v;
    else if (k == "--write-raw")
      o.write_raw = v;
    else {
      std::fprintf(stderr, "clinflow_features_bench: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  const std::size_t n = std::size_t(o.stays * o.per_stay);

  Table cohort;
  cohort.add("stay_id", ColumnType::kInt);
  cohort.add("pred_time", ColumnType::kTimestamp);
  SplitMix rng{20240417};
  for (std::int64_t s = 0; s < o.stays; ++s) {
    cohort.columns[0].ints.push_back(kStay0 + s);
    cohort.columns[1].ints.push_back(kT0 + std::int64_t(rng.next() % (365 * 86400)));
  }
  cohort.roles = {{"stay", "stay_id"}, {"prediction_time", "pred_time"}};

  Table events;
  events.columns.resize(4);
  events.columns[0] = Column("stay_id", ColumnType::kInt);
  events.columns[1] = Column("charttime", ColumnType::kTimestamp);
  events.columns[2] = Column("itemid", ColumnType::kInt);
  events.columns[3] = Column("valuenum", ColumnType::kFloat);
  auto& e_stay = events.columns[0].ints;
  auto& e_time = events.columns[1].ints;
  auto& e_item = events.columns[2].ints;
  auto& e_value = events.columns[3].floats;
  e_stay.resize(n);
  e_time.resize(n);
  e_item.resize(n);
  e_value.resize(n);
  const auto& pts = cohort.columns[1].ints;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t s = i / std::size_t(o.per_stay);
    e_stay[i] = kStay0 + std::int64_t(s);
    e_time[i] = pts[s] - 36 * 3600 + std::int64_t(rng.next() % (48 * 3600 + 1));
    const double u = rng.uniform();
    e_item[i] = kItem0 + std::int64_t(double(o.items) * u * u);
    const double irwin_hall = rng.uniform() + rng.uniform() + rng.uniform() + rng.uniform();
    e_value[i] = 100.0 + 15.0 * (irwin_hall - 2.0) * 1.7320508075688772;  // sd 1 -> 15
  }
  if (o.order == "shuffled")
    for (std::size_t i = n; i > 1; --i) {
      const std::size_t j = std::size_t(rng.next() % i);
      std::swap(e_stay[i - 1], e_stay[j]);
      std::swap(e_time[i - 1], e_time[j]);
      std::swap(e_item[i - 1], e_item[j]);
      std::swap(e_value[i - 1], e_value[j]);
    }
  if (!o.write_raw.empty()) {
    write_raw(o.write_raw + "/stay.i64", e_stay);
    write_raw(o.write_raw + "/time.i64", e_time);
    write_raw(o.write_raw + "/item.i64", e_item);
    write_raw(o.write_raw + "/value.f64", e_value);
    write_raw(o.write_raw + "/cohort_stay.i64", cohort.columns[0].ints);
    write_raw(o.write_raw + "/cohort_pt.i64", cohort.columns[1].ints);
  }

  cf::FeatureSpec spec;
  spec.on = "stay_id";
  spec.aggregates = {cf::Agg::kMin, cf::Agg::kMax, cf::Agg::kMean, cf::Agg::kLast, cf::Agg::kCount};
  spec.missing_indicators = false;
  spec.items.emplace();
  for (std::int64_t k = 0; k < o.select; ++k) spec.items->push_back(std::to_string(kItem0 + k));

  const double rss_before = peak_rss_mb();
  double best = 1e300;
  Table out;
  cf::FeatureLog log;
  for (std::int64_t r = 0; r < o.reps; ++r) {
    log = cf::FeatureLog{};
    out = Table{};  // so peak RSS reflects one call, not two outputs alive at once
    const auto t0 = std::chrono::steady_clock::now();
    out = cf::extract_features(cohort, events, spec, log);
    const auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
  }
  // A checksum both implementations must agree on: the number of aggregated (row, event) pairs
  // and the sum over features of count; and the sum of the min columns.
  std::int64_t total_count = 0;
  double sum_min = 0;
  for (const Column& c : out.columns) {
    if (c.name.size() > 6 && c.name.compare(c.name.size() - 6, 6, "_count") == 0)
      for (std::int64_t v : c.ints) total_count += v;
    if (c.name.size() > 4 && c.name.compare(c.name.size() - 4, 4, "_min") == 0)
      for (double v : c.floats)
        if (v == v) sum_min += v;
  }
  const double raw_mb = double(n) * 4 * 8 / 1048576.0;
  std::printf("events=%zu\nstays=%lld\nitems=%lld\nselected=%lld\norder=%s\n", n,
              (long long)o.stays, (long long)o.items, (long long)o.select, o.order.c_str());
  std::printf("kernel_seconds=%.4f\nevents_per_second=%.0f\n", best, double(n) / best);
  std::printf("used_pairs=%llu\nafter_prediction=%llu\ntotal_count=%lld\nsum_min=%.6f\n",
              (unsigned long long)log.used, (unsigned long long)log.after_prediction,
              (long long)total_count, sum_min);
  std::printf("raw_event_column_mb=%.1f\npeak_rss_before_kernel_mb=%.1f\npeak_rss_mb=%.1f\n",
              raw_mb, rss_before, peak_rss_mb());
  std::printf("output_rows=%zu\noutput_columns=%zu\n", out.rows(), out.columns.size());
  return 0;
}
