// The history / show / verify renderers, text and JSON.
#include <boost/test/unit_test.hpp>
#include <clinflow/core/provenance_report.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_util.hpp"

using namespace clinflow;
using clinflow::test::hash_of;
using clinflow::test::sample_run;
using clinflow::test::sample_step;
using clinflow::test::TempDir;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// Two runs: run 1 succeeded (2 ran, 1 cached) with a passed and a failed gate; run 2 unfinished.
struct Fixture {
  TempDir dir;
  std::string path = dir.file("prov.db");
  std::unique_ptr<Provenance> db;
  Fixture() {
    {
      auto p = Provenance::open(path);
      auto run = p->begin_run(sample_run());
      for (int i = 0; i < 3; ++i) {
        StepRecord s = sample_step(run, i);
        if (i == 2) s.status = "cached";
        auto id = p->add_step(s);
        p->add_artifact({hash_of(i), "table", 1000 + i, std::nullopt});
        p->add_edge({id, hash_of(i), "out", 0, "cohort"});
      }
      p->add_artifact({hash_of(99), "file", 4096, std::nullopt});
      p->add_edge({1, hash_of(99), "in", 0, "data:path"});
      p->add_require({run, "require eval.auroc.lower >= 0.70", "auroc.lower", 0.75, true, 30, ""});
      p->add_require({run, "require eval.slope in [0.8, 1.2]", "slope", 1.5, false, 31,
                      "1.5 is outside [0.8, 1.2]"});
      p->end_run(run, "succeeded", "2 ran, 1 cached");
      p->begin_run(sample_run("other.toml"));
    }
    db = Provenance::open(path);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(provenance_report)

BOOST_FIXTURE_TEST_CASE(history_text_lists_runs_newest_first, Fixture) {
  std::ostringstream out;
  print_history(*db, out, false);
  const std::string text = out.str();
  auto second = text.find("    2  interrupted"), first = text.find("    1  succeeded");
  BOOST_TEST(second != std::string::npos, text);
  BOOST_TEST(first != std::string::npos, text);
  BOOST_TEST(second < first, text);
  BOOST_TEST(has(text, "2 ran, 1 cached"), text);
  BOOST_TEST(has(text, "icu-mortality (workflows/icu.toml)"), text);
  BOOST_TEST(has(text, "2025-11-24 23:33:37"), text);  // sample_run's start, in UTC
}

BOOST_FIXTURE_TEST_CASE(history_json_has_counts_and_status, Fixture) {
  std::ostringstream out;
  print_history(*db, out, true);
  auto j = nlohmann::json::parse(out.str());
  BOOST_REQUIRE_EQUAL(j["runs"].size(), 2u);
  BOOST_TEST(j["runs"][0]["id"] == 2);
  BOOST_TEST(j["runs"][0]["status"] == "interrupted");
  BOOST_TEST(j["runs"][1]["steps"]["ran"] == 2);
  BOOST_TEST(j["runs"][1]["steps"]["cached"] == 1);
  BOOST_TEST(j["runs"][1]["workflow"] == "icu-mortality");
  BOOST_TEST(j["runs"][1]["duration_seconds"].is_number());
}

BOOST_FIXTURE_TEST_CASE(show_text_has_steps_artifacts_and_gates, Fixture) {
  std::ostringstream out;
  print_run(*db, 1, out, false);
  const std::string text = out.str();
  BOOST_TEST(has(text, "run 1: succeeded"), text);
  BOOST_TEST(has(text, "steps (3):"), text);
  BOOST_TEST(has(text, "select_cohort 1.2.0"), text);
  BOOST_TEST(has(text, "no cached output for this key"), text);
  BOOST_TEST(has(text, "artifacts (4):"), text);
  BOOST_TEST(has(text, hash_of(99).substr(0, 12)), text);
  BOOST_TEST(has(text, "read as data:path by step0"), text);
  BOOST_TEST(has(text, "pass  line 30"), text);
  BOOST_TEST(has(text, "FAIL  line 31"), text);
  BOOST_TEST(has(text, "1.5 is outside [0.8, 1.2]"), text);
}

BOOST_FIXTURE_TEST_CASE(show_json_carries_full_records, Fixture) {
  std::ostringstream out;
  print_run(*db, 1, out, true);
  auto j = nlohmann::json::parse(out.str());
  BOOST_TEST(j["run"]["status"] == "succeeded");
  BOOST_TEST(j["run"]["workflow_text"] == sample_run().workflow_text);
  BOOST_REQUIRE_EQUAL(j["steps"].size(), 3u);
  BOOST_TEST(j["steps"][0]["plugin_hash"] == std::string(64, 'c'));
  BOOST_TEST(j["steps"][0]["edges"].size() == 2u);
  BOOST_TEST(j["steps"][2]["status"] == "cached");
  BOOST_TEST(j["artifacts"].size() == 4u);
  BOOST_TEST(j["requires"][1]["passed"] == false);
  BOOST_TEST(j["requires"][1]["observed"] == 1.5);
}

BOOST_FIXTURE_TEST_CASE(show_unknown_run_names_the_file, Fixture) {
  std::ostringstream out;
  BOOST_CHECK_EXCEPTION(
      print_run(*db, 42, out, false), ProvenanceError,
      [&](const ProvenanceError& e) { return std::string(e.what()) == "no run 42 in " + path; });
}

BOOST_AUTO_TEST_CASE(verify_report_text_and_json) {
  VerifyResult good{true, 12, {}};
  VerifyResult bad{false, 12, {"steps row 2 (seq 5): content changed"}};
  std::ostringstream a, b, c;
  print_verify(good, a, false);
  print_verify(bad, b, false);
  print_verify(bad, c, true);
  BOOST_TEST(a.str() == "provenance chain intact: 12 rows verified\n");
  BOOST_TEST(b.str() ==
             "provenance chain BROKEN: 1 problem in 12 rows\n"
             "  steps row 2 (seq 5): content changed\n");
  auto j = nlohmann::json::parse(c.str());
  BOOST_TEST(j["ok"] == false);
  BOOST_TEST(j["problems"][0] == "steps row 2 (seq 5): content changed");
}

BOOST_AUTO_TEST_SUITE_END()
