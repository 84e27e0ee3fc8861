// The engine's normal path: running, caching, keys, seeds, determinism across thread counts.
#define BOOST_TEST_MODULE engine
#include <boost/test/unit_test.hpp>
#include <fstream>

#include "engine_fixture.hpp"

using namespace engine_test;
using clinflow::StepStatus;

namespace {
PlanBuilder diamond() {
  PlanBuilder b;
  b.add("raw", "t_source", {}, {{"rows", 20}})
      .add("left", "t_transform", {"raw"}, {{"factor", 2.0}})
      .add("right", "t_transform", {"raw"}, {{"factor", 3.0}})
      .add("both", "t_join", {"left", "right"})
      .add_parts({"train", "test"}, "t_split", {"both"}, {{"test_fraction", 0.25}})
      .add("model", "t_fit", {"train"})
      .add("eval", "t_eval", {"model", "test"});
  return b;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(engine)

BOOST_AUTO_TEST_CASE(runs_every_step_then_reuses_them_all) {
  Project project;
  auto plan = diamond().plan;
  auto first = project.run(plan);
  BOOST_TEST(first.status == "succeeded");
  BOOST_TEST(first.ran == int(plan.steps.size()));
  auto second = project.run(plan);
  BOOST_TEST(second.status == "succeeded");
  BOOST_TEST(second.cached == int(plan.steps.size()));
  BOOST_TEST(second.ran == 0);
  for (std::size_t i = 0; i < plan.steps.size(); ++i)
    BOOST_TEST(first.steps[i].output_hashes == second.steps[i].output_hashes);
}

BOOST_AUTO_TEST_CASE(a_parameter_change_reruns_only_downstream_and_explains_why) {
  Project project;
  auto plan = diamond().plan;
  project.run(plan);
  clinflow::RunOptions options;
  options.explain = true;

  // t_transform's payload does not depend on factor: 'right' reruns, its output is the same
  // artifact, so 'both' is reused (early cutoff by content address).
  plan.steps[2].params["factor"] = 4.0;
  auto result = project.run(plan, options);
  BOOST_TEST(outcome(result, "raw").status == StepStatus::kCached);
  BOOST_TEST(outcome(result, "left").status == StepStatus::kCached);
  BOOST_TEST(outcome(result, "left").reason.find("up to date") != std::string::npos);
  BOOST_TEST(outcome(result, "right").status == StepStatus::kRan);
  BOOST_TEST(outcome(result, "right").reason.find("parameters changed") != std::string::npos);
  BOOST_TEST(outcome(result, "both").status == StepStatus::kCached);

  plan.steps[0].params["rows"] = 21;  // raw: everything downstream changes
  result = project.run(plan, options);
  BOOST_TEST(result.ran == int(plan.steps.size()));
  BOOST_TEST(outcome(result, "left").reason == "input 'raw' changed");
  BOOST_TEST(outcome(result, "both").reason == "input 'left' changed; input 'right' changed");
}

BOOST_AUTO_TEST_CASE(the_seed_enters_the_key_and_each_step_gets_its_own) {
  BOOST_TEST(clinflow::step_seed(1, "a") != clinflow::step_seed(1, "b"));
  BOOST_TEST(clinflow::step_seed(1, "a") != clinflow::step_seed(2, "a"));
  BOOST_TEST(clinflow::step_seed(1, "a") == clinflow::step_seed(1, "a"));
  Project project;
  auto plan = diamond().plan;
  auto first = project.run(plan);
  plan.seed = 43;
  auto second = project.run(plan);
  BOOST_TEST(second.cached == 0);
  BOOST_TEST(outcome(first, "raw").output_hashes != outcome(second, "raw").output_hashes);
}

BOOST_AUTO_TEST_CASE(artifacts_are_bit_identical_at_1_2_and_8_threads) {
  PlanBuilder b;
  b.add("raw", "t_source", {}, {{"rows", 50}});
  std::vector<std::string> leaves;
  // Odd steps read raw; even steps form a chain: a wide fan and a deep chain at once.
  for (int i = 0; i < 40; ++i) {
    std::string name = std::string("t").append(std::to_string(i));
    std::string input = (i % 2 || i < 2) ? std::string("raw") : leaves[std::size_t(i - 2)];
    b.add(name, "t_transform", {input}, {{"factor", double(i)}});
    leaves.push_back(name);
  }
  b.add("all", "t_concat", leaves);
  std::vector<std::vector<std::string>> hashes;
  for (int threads : {1, 2, 8}) {
    Project project;  // a fresh cache each time: everything really runs
    clinflow::RunOptions options;
    options.threads = threads;
    auto result = project.run(b.plan, options);
    BOOST_TEST(result.ran == int(b.plan.steps.size()));
    std::vector<std::string> all;
    for (const auto& o : result.steps)
      all.insert(all.end(), o.output_hashes.begin(), o.output_hashes.end());
    hashes.push_back(all);
  }
  BOOST_TEST(hashes[0] == hashes[1]);
  BOOST_TEST(hashes[0] == hashes[2]);
}

BOOST_AUTO_TEST_CASE(a_changed_data_file_changes_the_key) {
  Project project;
  auto data = project.dir / "data.csv";
  std::ofstream(data) << "a,b\n1,2\n";
  PlanBuilder b;
  b.add("raw", "t_source", {}, {{"path", data.string()}}).add("out", "t_transform", {"raw"});
  BOOST_TEST(project.run(b.plan).ran == 2);
  BOOST_TEST(project.run(b.plan).cached == 2);
  std::ofstream(data) << "a,b\n1,3\n";
  clinflow::RunOptions options;
  options.explain = true;
  auto result = project.run(b.plan, options);
  BOOST_TEST(result.ran == 2);
  BOOST_TEST(outcome(result, "raw").reason.find("data file of 'path' changed") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(provenance_records_steps_edges_and_artifacts) {
  Project project;
  auto plan = diamond().plan;
  auto result = project.run(plan);
  auto steps = project.provenance->steps(result.run_id);
  BOOST_TEST(steps.size() == plan.steps.size());
  for (const auto& step : steps) {
    BOOST_TEST(step.status == "ran");
    BOOST_TEST(step.plugin_hash.size() == 64u);
    BOOST_TEST(!step.key.empty());
    auto edges = project.provenance->edges(step.id);
    int outs = 0;
    for (const auto& e : edges) {
      if (e.direction != "out") continue;
      ++outs;
      auto artifact = project.provenance->artifact(e.artifact_hash);
      BOOST_REQUIRE(artifact.has_value());
      BOOST_TEST(project.store->contains(e.artifact_hash));
    }
    BOOST_TEST(outs >= 1);
  }
  auto run = project.provenance->run(result.run_id);
  BOOST_REQUIRE(run.has_value());
  BOOST_TEST(run->status == "succeeded");
  BOOST_TEST(project.provenance->verify().ok);
}

BOOST_AUTO_TEST_CASE(a_cached_artifact_removed_from_the_cache_is_recomputed) {
  Project project;
  auto plan = diamond().plan;
  auto first = project.run(plan);
  std::filesystem::remove(project.store->path_of(outcome(first, "model").output_hashes[0]));
  auto second = project.run(plan);
  BOOST_TEST(outcome(second, "model").status == StepStatus::kRan);
  BOOST_TEST(outcome(second, "train,test").status == StepStatus::kCached);
  BOOST_TEST(outcome(second, "model").output_hashes == outcome(first, "model").output_hashes);
  BOOST_TEST(project.store->contains(outcome(second, "model").output_hashes[0]));
}

BOOST_AUTO_TEST_SUITE_END()
