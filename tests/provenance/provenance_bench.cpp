// Prints the cost of recording one engine step: 1 step row, 1 artifact row, 2 edge rows and 1
// step-cache entry, as the engine writes them. Usage: provenance_bench [steps] [threads]
// A measuring tool, not a test: it asserts nothing about time.
#include <stdlib.h>
#include <sys/resource.h>

#include <chrono>
#include <clinflow/core/provenance.hpp>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using namespace clinflow;

namespace {
/// CPU seconds (user + system) of the whole process: steadier than wall time on a busy machine.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}
}  // namespace

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 1;
  std::string dir = (std::filesystem::temp_directory_path() / "clinflow-bench-XXXXXX").string();
  if (!mkdtemp(dir.data())) return 1;
  const std::string db = dir + "/prov.db";
  double seconds = 0, cpu = 0;
  {
    auto p = Provenance::open(db);
    RunRecord run;
    run.workflow_file = "bench.toml";
    run.workflow_text = "[workflow]\nname = \"bench\"\n";
    auto run_id = p->begin_run(run);
    auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        char hash[65];
        for (int i = t; i < steps; i += threads) {
          StepRecord s;
          s.run_id = run_id;
          s.name = "step" + std::to_string(i);
          s.plugin = "noop";
          s.plugin_version = "1.0.0";
          s.plugin_hash = std::string(64, 'c');
          s.params = "x: 1";
          s.key = std::string(60, 'k') + std::to_string(i);
          s.status = "ran";
          s.reason = "no cached output for this key";
          auto id = p->add_step(s);
          std::snprintf(hash, sizeof hash, "%064d", i);
          p->add_artifact({hash, "table", i, std::nullopt});
          p->add_edge({id, hash, "out", 0, "out"});
          p->add_edge({id, std::string(64, 'e'), "in", 0, "in"});
          p->cache_put(s.key, {hash});
        }
      });
    }
    for (auto& w : workers) w.join();
    p->end_run(run_id, "succeeded", "");
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    cpu = cpu_seconds() - cpu_start;
    auto verify_start = std::chrono::steady_clock::now();
    auto result = p->verify();
    double verify_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - verify_start).count();
    std::printf(
        "%d steps, %d thread(s): %.2f us per step wall, %.2f us CPU (%.3f s); verify %s %lld rows "
        "in %.2f s\n",
        steps, threads, seconds * 1e6 / steps, cpu * 1e6 / steps, seconds,
        result.ok ? "ok" : "FAILED", static_cast<long long>(result.rows), verify_seconds);
  }
  std::printf("database size: %.1f MB\n",
              double(std::filesystem::file_size(db)) / (1024.0 * 1024.0));
  std::filesystem::remove_all(dir);
  return 0;
}
