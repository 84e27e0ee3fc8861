// The privacy ledger (schema 3): rows written with their step, read back in order, covered by the
// hash chain, and printed by `show` (text and JSON).
#include <boost/test/unit_test.hpp>
#include <clinflow/core/provenance_report.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_util.hpp"

using namespace clinflow;
using clinflow::test::Outside;
using clinflow::test::sample_run;
using clinflow::test::sample_step;
using clinflow::test::TempDir;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

PrivacySpendRecord spend(std::int64_t run, int sequence, double own, double total, bool cached) {
  PrivacySpendRecord r;
  r.run_id = run;
  r.step_name = "dp_model" + std::to_string(sequence);
  r.sequence = sequence;
  r.mechanisms = R"([{"noise_multiplier":1.1,"sampling_rate":0.01,"steps":1000}])";
  r.step_epsilon = own;
  r.cumulative_epsilon = total;
  r.delta = 1e-5;
  r.budget_epsilon = 4.0;
  r.cached = cached;
  r.accountant = "rdp-subsampled-gaussian/1; orders 2..64";
  return r;
}

/// One finished run: a plain step, then two DP steps with their ledger rows.
///   seq 1 runs, 2 steps 1, 3 steps 2, 4 privacy_ledger 1, 5 steps 3, 6 privacy_ledger 2,
///   7 run_ends.
std::int64_t build(const std::string& db) {
  auto p = Provenance::open(db);
  auto run = p->begin_run(sample_run());
  p->add_step(sample_step(run, 1));
  p->add_step_with_spend(sample_step(run, 2), spend(run, 1, 1.5, 1.5, false));
  StepRecord cached = sample_step(run, 3);
  cached.status = "cached";
  p->add_step_with_spend(cached, spend(run, 2, 1.25, 2.25, true));
  p->end_run(run, "succeeded", "2 ran, 1 cached");
  return run;
}

std::string joined(const VerifyResult& r) {
  std::string out;
  for (const auto& p : r.problems) out += p + "\n";
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(provenance_ledger)

BOOST_AUTO_TEST_CASE(new_databases_are_schema_3_and_schema_2_is_refused) {
  TempDir dir;
  const std::string path = dir.file("prov.db");
  Provenance::open(path);
  BOOST_TEST(Outside(path).scalar("PRAGMA user_version") == 3);
  BOOST_TEST(Outside(path).scalar("SELECT count(*) FROM privacy_ledger") == 0);
  Outside(path).exec("PRAGMA user_version = 2");
  std::string message;
  try {
    Provenance::open(path);
  } catch (const ProvenanceError& e) {
    message = e.what();
  }
  BOOST_TEST(has(message, "written by an older clinflow (schema version 2"), message);
  BOOST_TEST(has(message, "this build writes version 3"), message);
}

BOOST_AUTO_TEST_CASE(ledger_rows_come_back_in_order_linked_to_their_steps) {
  TempDir dir;
  const std::string path = dir.file("prov.db");
  const std::int64_t run = build(path);
  auto p = Provenance::open(path);
  auto steps = p->steps(run);
  auto ledger = p->privacy_ledger(run);
  BOOST_REQUIRE_EQUAL(steps.size(), 3u);
  BOOST_REQUIRE_EQUAL(ledger.size(), 2u);
  BOOST_TEST(ledger[0].step_id == steps[1].id);
  BOOST_TEST(ledger[1].step_id == steps[2].id);
  BOOST_TEST(ledger[0].step_name == "dp_model1");
  BOOST_TEST(ledger[0].sequence == 1);
  BOOST_TEST(ledger[1].sequence == 2);
  BOOST_TEST(ledger[0].mechanisms == spend(run, 1, 0, 0, false).mechanisms);
  BOOST_TEST(ledger[0].step_epsilon == 1.5);
  BOOST_TEST(ledger[1].cumulative_epsilon == 2.25);
  BOOST_TEST(ledger[1].delta == 1e-5);
  BOOST_TEST(ledger[1].budget_epsilon == 4.0);
  BOOST_TEST(!ledger[0].cached);
  BOOST_TEST(ledger[1].cached);
  BOOST_TEST(ledger[1].accountant == "rdp-subsampled-gaussian/1; orders 2..64");
  BOOST_TEST(p->privacy_ledger(run + 1).empty());
  auto result = p->verify();
  BOOST_TEST(result.ok, joined(result));
  BOOST_TEST(result.rows == 7);
}

BOOST_AUTO_TEST_CASE(a_tampered_ledger_row_breaks_the_chain) {
  TempDir dir;
  const std::string path = dir.file("prov.db");
  build(path);
  // Someone lowers a recorded spend so the run looks cheaper than it was.
  Outside(path).exec("UPDATE privacy_ledger SET cumulative_epsilon = 0.5 WHERE id = 2");
  auto result = Provenance::open(path)->verify();
  BOOST_TEST(!result.ok);
  BOOST_REQUIRE_EQUAL(result.problems.size(), 1u);
  BOOST_TEST(has(result.problems[0], "privacy_ledger row 2 (seq 6): content changed"),
             joined(result));
}

BOOST_AUTO_TEST_CASE(a_deleted_ledger_row_breaks_the_chain) {
  TempDir dir;
  const std::string path = dir.file("prov.db");
  build(path);
  Outside(path).exec("DELETE FROM privacy_ledger WHERE id = 1");
  auto result = Provenance::open(path)->verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(has(joined(result), "privacy_ledger row 1: missing (deleted)"), joined(result));
}

BOOST_AUTO_TEST_CASE(show_prints_the_ledger_and_its_total) {
  TempDir dir;
  const std::string path = dir.file("prov.db");
  const std::int64_t run = build(path);
  auto p = Provenance::open(path);
  std::ostringstream text;
  print_run(*p, run, text, false);
  const std::string t = text.str();
  BOOST_TEST(has(t, "privacy ledger (2 steps, rdp-subsampled-gaussian/1; orders 2..64):"), t);
  BOOST_TEST(has(t, "    1  dp_model1             1.1       0.01          1000         1.5"), t);
  BOOST_TEST(has(t, "2.25  (cached: spent when its artifact was trained)"), t);
  BOOST_TEST(has(t, "total eps 2.25 of budget 4 (delta 1e-05)"), t);

  std::ostringstream json_out;
  print_run(*p, run, json_out, true);
  auto j = nlohmann::json::parse(json_out.str());
  const auto& ledger = j["privacy_ledger"];
  BOOST_TEST(ledger["total_epsilon"].get<double>() == 2.25);
  BOOST_TEST(ledger["budget_epsilon"].get<double>() == 4.0);
  BOOST_TEST(ledger["delta"].get<double>() == 1e-5);
  BOOST_REQUIRE_EQUAL(ledger["rows"].size(), 2u);
  BOOST_TEST(ledger["rows"][0]["mechanisms"][0]["steps"].get<int>() == 1000);
  BOOST_TEST(ledger["rows"][1]["cached"].get<bool>());
}

BOOST_AUTO_TEST_CASE(a_run_without_dp_steps_prints_no_ledger) {
  TempDir dir;
  const std::string path = dir.file("prov.db");
  std::int64_t run = 0;
  {
    auto p = Provenance::open(path);
    run = p->begin_run(sample_run());
    p->add_step(sample_step(run, 1));
    p->end_run(run, "succeeded", "1 ran");
  }
  auto p = Provenance::open(path);
  std::ostringstream text, json_out;
  print_run(*p, run, text, false);
  BOOST_TEST(!has(text.str(), "privacy ledger"), text.str());
  print_run(*p, run, json_out, true);
  BOOST_TEST(nlohmann::json::parse(json_out.str())["privacy_ledger"]["rows"].empty());
}

BOOST_AUTO_TEST_SUITE_END()
