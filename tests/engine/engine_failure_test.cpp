// The engine's failure paths: a failing step stops only its dependents, plugin exceptions and
// bad outputs become step errors, gates stop what follows them, cancellation, bad cache folders.
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <sstream>
#include <thread>

#include "engine_fixture.hpp"

using namespace engine_test;
using clinflow::StepStatus;

BOOST_AUTO_TEST_SUITE(engine_failures)

BOOST_AUTO_TEST_CASE(a_failing_step_stops_only_its_dependents) {
  PlanBuilder b;
  b.add("raw", "t_source")
      .add("bad", "t_throw", {"raw"}, {{"message", "the lab table has no rows"}})
      .add("after_bad", "t_transform", {"bad"})
      .add("after_after", "t_transform", {"after_bad"})
      .add("good", "t_transform", {"raw"})
      .add("after_good", "t_transform", {"good"});
  Project project;
  std::ostringstream err;
  clinflow::RunOptions options;
  options.err = &err;
  auto result = project.run(b.plan, options);
  BOOST_TEST(result.status == "failed");
  BOOST_TEST(outcome(result, "bad").status == StepStatus::kFailed);
  BOOST_TEST(outcome(result, "bad").error == "the lab table has no rows");
  BOOST_TEST(outcome(result, "after_bad").status == StepStatus::kSkipped);
  BOOST_TEST(outcome(result, "after_bad").reason == "input 'bad' failed");
  BOOST_TEST(outcome(result, "after_after").status == StepStatus::kSkipped);
  BOOST_TEST(outcome(result, "after_good").status == StepStatus::kRan);
  BOOST_TEST(result.summary() == "3 ran, 0 cached, 1 failed, 2 skipped");
  BOOST_TEST(err.str().find(
                 "test.toml:2:1: error: step 'bad' (t_throw) failed: the lab table has no rows") !=
             std::string::npos);
  auto run = project.provenance->run(result.run_id);
  BOOST_TEST(run->status == "failed");
  BOOST_TEST(project.provenance->verify().ok);
}

BOOST_AUTO_TEST_CASE(std_exceptions_and_wrong_outputs_are_step_errors) {
  PlanBuilder b;
  b.add("raw", "t_source").add("crash", "t_crash_std", {"raw"}).add("wrong", "t_bad_outputs");
  Project project;
  auto result = project.run(b.plan);
  BOOST_TEST(outcome(result, "crash").status == StepStatus::kFailed);
  BOOST_TEST(outcome(result, "crash").error == "unexpected");
  BOOST_TEST(outcome(result, "wrong").status == StepStatus::kFailed);
  BOOST_TEST(outcome(result, "wrong").error.find("returned 2 outputs, but declares 1") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_failed_gate_fails_the_run_and_stops_what_follows_it) {
  PlanBuilder b;
  b.add("raw", "t_source")
      .add("m", "t_metrics", {"raw"}, {{"value", 0.5}})
      .add("after", "t_transform", {"m"})
      .require("m", "nested.x", ">=", 0.7)
      .require("m", "value", "in", 0.4);
  b.plan.requires_.back().high = 0.6;
  Project project;
  std::ostringstream err;
  clinflow::RunOptions options;
  options.err = &err;
  auto result = project.run(b.plan, options);
  BOOST_TEST(result.status == "failed");
  BOOST_TEST(result.requires_failed == 1);
  BOOST_TEST(outcome(result, "after").status == StepStatus::kSkipped);
  BOOST_TEST(err.str().find("require failed: m.nested.x = 0.5, required >= 0.7") !=
             std::string::npos);
  auto gates = project.provenance->requires_of(result.run_id);
  BOOST_REQUIRE(gates.size() == 2u);
  int passed = 0;
  for (const auto& g : gates) passed += g.passed;
  BOOST_TEST(passed == 1);
}

BOOST_AUTO_TEST_CASE(cancelling_stops_running_steps_and_skips_the_rest) {
  PlanBuilder b;
  b.add("raw", "t_source")
      .add("slow", "t_sleep", {"raw"}, {{"ms", 5000}})
      .add("after", "t_transform", {"slow"});
  Project project;
  std::atomic<bool> cancel{false};
  clinflow::RunOptions options;
  options.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel = true;
  });
  auto result = project.run(b.plan, options);
  canceller.join();
  BOOST_TEST(result.status == "cancelled");
  BOOST_TEST(outcome(result, "slow").status == StepStatus::kCancelled);
  BOOST_TEST(outcome(result, "after").status == StepStatus::kCancelled);
  BOOST_TEST(project.provenance->run(result.run_id)->status == "cancelled");
}

BOOST_AUTO_TEST_CASE(an_unwritable_cache_folder_is_a_clear_error) {
  if (::geteuid() == 0) {
    // root ignores permissions: use a path under a regular file instead
    Project project;
    std::ofstream(project.dir / "file") << "x";
    BOOST_CHECK_EXCEPTION(clinflow::ArtifactStore((project.dir / "file" / "cache").string()),
                          clinflow::CacheError, [](const clinflow::CacheError& e) {
                            return std::string(e.what()).find("cannot create cache folder") !=
                                   std::string::npos;
                          });
    return;
  }
  Project project;
  auto dir = project.dir / "ro";
  std::filesystem::create_directories(dir);
  ::chmod(dir.c_str(), 0555);
  BOOST_CHECK_THROW(clinflow::ArtifactStore((dir / "cache").string()), clinflow::CacheError);
}

BOOST_AUTO_TEST_CASE(a_corrupt_or_missing_cached_artifact_is_a_clear_error) {
  PlanBuilder b;
  b.add("raw", "t_source").add("out", "t_transform", {"raw"});
  Project project;
  auto first = project.run(b.plan);
  std::string hash = outcome(first, "raw").output_hashes[0];
  BOOST_CHECK_THROW(project.store->get(std::string(64, '0')), clinflow::CacheError);
  std::ofstream(project.store->path_of(hash)) << "table\ntampered";
  BOOST_CHECK_THROW(project.store->get(hash), clinflow::CacheError);
}

BOOST_AUTO_TEST_SUITE_END()
