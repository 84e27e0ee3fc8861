// Writing and reading back every record type, the step cache, run ordering and status, and
// several threads recording at once.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "test_util.hpp"

using namespace clinflow;
using clinflow::test::hash_of;
using clinflow::test::Outside;
using clinflow::test::sample_run;
using clinflow::test::sample_step;
using clinflow::test::TempDir;

BOOST_AUTO_TEST_SUITE(provenance_roundtrip)

BOOST_AUTO_TEST_CASE(every_record_type_survives_a_reopen) {
  TempDir dir;
  const std::string db = dir.file("prov.db");
  std::int64_t run_id = 0, step_id = 0;
  {
    auto p = Provenance::open(db);
    run_id = p->begin_run(sample_run());
    BOOST_TEST(run_id > 0);
    StepRecord failed = sample_step(run_id, 1);
    failed.status = "failed";
    failed.error = "plugin threw: column 'age' not found";
    step_id = p->add_step(failed);
    BOOST_TEST(step_id > 0);
    p->add_artifact({hash_of(1), "table", 12345, std::nullopt});
    p->add_edge({step_id, hash_of(1), "out", 0, "cohort"});
    p->add_edge({step_id, hash_of(2), "in", 1, "data:path"});
    p->add_require({run_id, "require eval.auroc.lower >= 0.70", "auroc.lower", 0.6875, false, 31,
                    "0.6875 < 0.70"});
    p->add_require({run_id, "require eval.n >= 1", "n", std::nullopt, false, 32, "no metric"});
    p->end_run(run_id, "failed", "0 ran, 1 failed");
  }
  auto p = Provenance::open(db);
  auto run = p->run(run_id);
  BOOST_REQUIRE(run.has_value());
  const RunRecord expected = sample_run();
  BOOST_TEST(run->workflow_file == expected.workflow_file);
  BOOST_TEST(run->workflow_text == expected.workflow_text);
  BOOST_TEST(run->workflow_hash == expected.workflow_hash);
  BOOST_TEST(run->plan_hash == expected.plan_hash);
  BOOST_TEST(run->params == expected.params);
  BOOST_TEST(run->user == expected.user);
  BOOST_TEST(run->host == expected.host);
  BOOST_TEST(run->versions == expected.versions);
  BOOST_TEST(run->seed == expected.seed);
  BOOST_TEST(run->threads == expected.threads);
  BOOST_TEST(run->started == expected.started);
  BOOST_TEST(run->status == "failed");
  BOOST_TEST(run->summary == "0 ran, 1 failed");
  BOOST_TEST(run->ended >= run->started);

  auto steps = p->steps(run_id);
  BOOST_REQUIRE_EQUAL(steps.size(), 1u);
  const StepRecord s = sample_step(run_id, 1);
  BOOST_TEST(steps[0].id == step_id);
  BOOST_TEST(steps[0].name == s.name);
  BOOST_TEST(steps[0].plugin == s.plugin);
  BOOST_TEST(steps[0].plugin_version == s.plugin_version);
  BOOST_TEST(steps[0].plugin_hash == s.plugin_hash);
  BOOST_TEST(steps[0].params == s.params);
  BOOST_TEST(steps[0].key == s.key);
  BOOST_TEST(steps[0].seed == s.seed);
  BOOST_TEST(steps[0].started == s.started);
  BOOST_TEST(steps[0].ended == s.ended);
  BOOST_TEST(steps[0].cpu_seconds == s.cpu_seconds);
  BOOST_TEST(steps[0].peak_rss_kb == s.peak_rss_kb);
  BOOST_TEST(steps[0].status == "failed");
  BOOST_TEST(steps[0].reason == s.reason);
  BOOST_TEST(steps[0].error == "plugin threw: column 'age' not found");
  BOOST_TEST(steps[0].line == s.line);

  auto edges = p->edges(step_id);
  BOOST_REQUIRE_EQUAL(edges.size(), 2u);
  BOOST_TEST(edges[0].artifact_hash == hash_of(1));
  BOOST_TEST(edges[0].direction == "out");
  BOOST_TEST(edges[0].role == "cohort");
  BOOST_TEST(edges[1].port == 1);
  BOOST_TEST(edges[1].role == "data:path");

  auto artifact = p->artifact(hash_of(1));
  BOOST_REQUIRE(artifact.has_value());
  BOOST_TEST(artifact->type == "table");
  BOOST_TEST(artifact->size == 12345);
  BOOST_TEST(!p->artifact(hash_of(2)).has_value());

  auto gates = p->requires_of(run_id);
  BOOST_REQUIRE_EQUAL(gates.size(), 2u);
  BOOST_TEST(gates[0].text == "require eval.auroc.lower >= 0.70");
  BOOST_TEST(gates[0].metric == "auroc.lower");
  BOOST_TEST(gates[0].observed.value_or(-1) == 0.6875);
  BOOST_TEST(!gates[0].passed);
  BOOST_TEST(gates[0].line == 31);
  BOOST_TEST(gates[0].message == "0.6875 < 0.70");
  BOOST_TEST(!gates[1].observed.has_value());
  BOOST_TEST(p->verify().ok);
}

BOOST_AUTO_TEST_CASE(artifacts_are_recorded_once_per_hash) {
  TempDir dir;
  auto p = Provenance::open(dir.file("prov.db"));
  p->add_artifact({hash_of(7), "model", 10, std::nullopt});
  p->add_artifact({hash_of(7), "table", 99, std::nullopt});  // the same content again: ignored
  p->add_artifact({hash_of(8), "table", 5, std::nullopt});
  BOOST_TEST(p->artifact(hash_of(7))->type == "model");
  auto result = p->verify();
  BOOST_TEST(result.ok);
  BOOST_TEST(result.rows == 2);
}

BOOST_AUTO_TEST_CASE(step_cache_put_get_and_overwrite) {
  TempDir dir;
  const std::string db = dir.file("prov.db");
  {
    auto p = Provenance::open(db);
    BOOST_TEST(!p->cache_get("k1").has_value());
    p->cache_put("k1", {hash_of(1), hash_of(2)});
    p->cache_put("k2", {});
    p->cache_put("k3", {"odd:value", ""});
    auto got = p->cache_get("k1");
    BOOST_REQUIRE(got.has_value());
    BOOST_TEST((*got == std::vector<std::string>{hash_of(1), hash_of(2)}));
    p->cache_put("k1", {hash_of(3)});
  }
  auto p = Provenance::open(db);
  BOOST_TEST((p->cache_get("k1").value() == std::vector<std::string>{hash_of(3)}));
  BOOST_REQUIRE(p->cache_get("k2").has_value());
  BOOST_TEST(p->cache_get("k2")->empty());
  BOOST_TEST((p->cache_get("k3").value() == std::vector<std::string>{"odd:value", ""}));
  BOOST_TEST(p->verify().ok);  // the cache is beside the chain, not in it
  p.reset();
  Outside(db).exec("UPDATE step_cache SET outputs = 'garbage' WHERE key = 'k1'");
  BOOST_TEST(!Provenance::open(db)->cache_get("k1").has_value());  // a miss, not a crash
}

BOOST_AUTO_TEST_CASE(runs_are_newest_first_and_unfinished_ones_interrupted) {
  TempDir dir;
  const std::string db = dir.file("prov.db");
  std::int64_t a, b, c;
  {
    auto p = Provenance::open(db);
    a = p->begin_run(sample_run("a.toml"));
    p->end_run(a, "succeeded", "1 ran");
    b = p->begin_run(sample_run("b.toml"));  // never ended: the process "died"
  }
  auto p = Provenance::open(db);
  c = p->begin_run(sample_run("c.toml"));
  auto all = p->runs();
  BOOST_REQUIRE_EQUAL(all.size(), 3u);
  BOOST_TEST(all[0].id == c);
  BOOST_TEST(all[1].id == b);
  BOOST_TEST(all[2].id == a);
  BOOST_TEST(all[0].status == "running");
  BOOST_TEST(all[1].status == "interrupted");
  BOOST_TEST(all[2].status == "succeeded");
  BOOST_TEST(all[1].workflow_file == "b.toml");
  BOOST_TEST(!p->run(c + 100).has_value());
  // Another reader does not own run c, so to it c is interrupted too.
  p->flush();
  auto other = Provenance::open(db);
  BOOST_TEST(other->run(c)->status == "interrupted");
}

BOOST_AUTO_TEST_CASE(rows_reach_the_disk_without_flush) {
  TempDir dir;
  const std::string db = dir.file("prov.db");
  auto p = Provenance::open(db);
  auto run = p->begin_run(sample_run());
  p->add_step(sample_step(run));
  // The background commit runs after about 0.2 s; poll generously rather than assert a time.
  Outside outside(db);
  long long seen = 0;
  for (int i = 0; i < 200 && seen != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    seen = outside.scalar("SELECT count(*) FROM steps");
  }
  BOOST_TEST(seen == 1);
}

BOOST_AUTO_TEST_CASE(concurrent_add_step_from_several_threads) {
  TempDir dir;
  auto p = Provenance::open(dir.file("prov.db"));
  auto run = p->begin_run(sample_run());
  constexpr int kThreads = 4, kPerThread = 500;
  std::vector<std::vector<std::int64_t>> ids(kThreads);
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto id = p->add_step(sample_step(run, t * kPerThread + i));
        ids[t].push_back(id);
        p->add_artifact({hash_of(i), "table", i, std::nullopt});  // threads race on the same hashes
        p->add_edge({id, hash_of(i), "out", 0, "out"});
        p->cache_put("key-" + std::to_string(t * kPerThread + i), {hash_of(i)});
      }
    });
  }
  for (auto& w : workers) w.join();
  p->end_run(run, "succeeded", "");
  std::set<std::int64_t> unique;
  for (auto& v : ids) unique.insert(v.begin(), v.end());
  BOOST_TEST(unique.size() == std::size_t(kThreads * kPerThread));
  BOOST_TEST(p->steps(run).size() == std::size_t(kThreads * kPerThread));
  auto result = p->verify();
  BOOST_TEST(result.ok);
  // 1 run + 1 end + steps + edges + one artifact per distinct hash.
  BOOST_TEST(result.rows == 2 + 2 * kThreads * kPerThread + kPerThread);
  BOOST_TEST(p->cache_get("key-1999").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
