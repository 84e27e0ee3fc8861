// bootstrap_auroc_bench N REPLICATES [THREADS]: the cluster-bootstrap AUROC of the evaluate
// plugin on N generated predictions (one patient per 1-3 rows), timed after preparation; also
// times the preparation (the one sort) and writes the predictions for the peer when asked.
//   bootstrap_auroc_bench 1000000 1000 2 --write /tmp/preds.bin
#include <tbb/global_control.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "bootstrap.hpp"
#include "discrimination.hpp"
#include "dp_random.hpp"

namespace ev = clinflow::builtin::eval;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bootstrap_auroc_bench N REPLICATES [THREADS] [--write FILE]\n");
    return 2;
  }
  const std::size_t n = std::strtoull(argv[1], nullptr, 10);
  const std::size_t replicates = std::strtoull(argv[2], nullptr, 10);
  const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  const char* write = argc > 5 && std::strcmp(argv[4], "--write") == 0 ? argv[5] : nullptr;
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, std::size_t(threads));

  // Risks from a model with AUROC about 0.8, rounded to 4 decimals as real scores often are.
  clinflow::dp::SplitMix64 rng(2026);
  std::vector<double> risk(n);
  std::vector<int> label(n);
  std::vector<std::int64_t> patient(n);
  std::int64_t id = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double z = 3.0 * (rng.uniform() - 0.5) + 1.2 * (rng.uniform() - 0.5) - 1.5;
    label[i] = rng.uniform() < 1 / (1 + std::exp(-z)) ? 1 : 0;
    risk[i] = std::round(1e4 / (1 + std::exp(-(z + 0.8 * (rng.uniform() - 0.5))))) / 1e4;
    if (rng.uniform() < 0.6) ++id;
    patient[i] = id;
  }
  if (write) {
    std::ofstream out(write, std::ios::binary);
    for (std::size_t i = 0; i < n; ++i) {
      const double row[3] = {risk[i], double(label[i]), double(patient[i])};
      out.write(reinterpret_cast<const char*>(row), sizeof row);
    }
  }
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  const ev::ScoredSet s = ev::prepare(risk, label, patient);
  const auto t1 = clock::now();
  std::vector<double> auc(replicates);
  ev::for_each_replicate(s, replicates, 7, [&](std::size_t r, const ev::ClusterWeight& w) {
    auc[r] = ev::auroc(s, w);
  });
  const auto t2 = clock::now();
  const ev::Interval ci = ev::percentile_interval(auc);
  std::printf("rows %zu clusters %zu replicates %zu threads %d\n", n, s.clusters, replicates,
              threads);
  std::printf("auroc %.6f ci [%.6f, %.6f]\n", ev::auroc(s, ev::UnitWeight{}), ci.lower, ci.upper);
  std::printf("prepare_s %.3f bootstrap_s %.3f per_replicate_ms %.3f\n",
              std::chrono::duration<double>(t1 - t0).count(),
              std::chrono::duration<double>(t2 - t1).count(),
              1e3 * std::chrono::duration<double>(t2 - t1).count() / double(replicates));
  return 0;
}
