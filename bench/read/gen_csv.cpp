// clinflow_read_gen: writes a deterministic lab-events-like CSV to stdout for the read benchmark.
//
//   clinflow_read_gen ROWS [SEED] | gzip -1 > $BENCH_DIR/gen.csv.gz
//
// Columns mix every type the reader infers: integers (id, subject_id, itemid), floats (value,
// ratio), a timestamp (charttime), low- and mid-cardinality strings (unit, category), a mostly
// missing string (flag) and a rare quoted free-text comment holding a comma and a quote. The
// same ROWS and SEED always give the same bytes (splitmix64, no library distributions).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
};

const char* const kUnits[] = {"mg/dL", "mmol/L", "mEq/L", "g/dL", "%",     "K/uL",
                              "IU/L",  "ng/mL",  "U/L",   "sec",  "ratio", "mm Hg"};

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
void civil(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = unsigned(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = int(std::int64_t(yoe) + era * 400 + (m <= 2));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s ROWS [SEED]\n", argv[0]);
    return 2;
  }
  const std::uint64_t rows = std::strtoull(argv[1], nullptr, 10);
  SplitMix64 rng{argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 42};
  static char out[1 << 20];
  std::setvbuf(stdout, out, _IOFBF, sizeof out);
  std::fputs("id,subject_id,charttime,itemid,value,ratio,flag,unit,category,comment\n", stdout);
  const std::int64_t base = 65745LL * 86400;  // 2150-01-01: MIMIC-style shifted dates
  char line[256];
  for (std::uint64_t i = 1; i <= rows; ++i) {
    const std::int64_t t = base + std::int64_t(rng.below(10LL * 365 * 86400));
    int y = 0;
    unsigned mo = 0, d = 0;
    civil(t / 86400, y, mo, d);
    const unsigned sec = unsigned(t % 86400);
    const std::uint64_t item = 50800 + rng.below(500);
    const std::uint64_t r = rng.next();
    const char* flag = (r & 7) < 2 ? "abnormal" : "";
    int n = std::snprintf(line, sizeof line,
                          "%llu,%llu,%04d-%02u-%02u %02u:%02u:%02u,%llu,%llu.%02llu,0.%06llu,%s,%s,"
                          "cat_%llu,",
                          (unsigned long long)i, 10000000ULL + rng.below(100000), y, mo, d,
                          sec / 3600, sec / 60 % 60, sec % 60, (unsigned long long)item,
                          (unsigned long long)rng.below(500), (unsigned long long)rng.below(100),
                          (unsigned long long)rng.below(1000000), flag, kUnits[item % 12],
                          (unsigned long long)(item % 200));
    std::fwrite(line, 1, std::size_t(n), stdout);
    if ((r >> 8) % 20 == 0) {
      n = std::snprintf(line, sizeof line, "\"see note %llu, \"\"repeat\"\" if high\"\n",
                        (unsigned long long)((r >> 16) % 5000));
      std::fwrite(line, 1, std::size_t(n), stdout);
    } else {
      std::fputc('\n', stdout);
    }
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}
