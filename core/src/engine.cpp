// Implementation notes: the plan becomes one tbb::flow::graph with a continue_node per step;
// a node fires once every distinct upstream step has finished, whatever its outcome, and then
// decides for itself: skip (an input failed or a gate failed), reuse (key cached), or run.
// Step state lives in a vector indexed like the plan; each slot is written by its own node only,
// before its successors fire, so reads downstream need no lock. Outputs of cached steps are
// loaded lazily, on first use by a step that actually runs.
#include <tbb/flow_graph.h>
#include <tbb/global_control.h>

#include <chrono>
#include <clinflow/core/engine.hpp>
#include <clinflow/core/hash.hpp>
#include <memory>
#include <optional>
#include <set>

#include "engine_parts.hpp"
#include "step_runner.hpp"

namespace clinflow {

const char* to_string(StepStatus status) {
  switch (status) {
    case StepStatus::kPending:
      return "pending";
    case StepStatus::kRan:
      return "ran";
    case StepStatus::kCached:
      return "cached";
    case StepStatus::kFailed:
      return "failed";
    case StepStatus::kSkipped:
      return "skipped";
    case StepStatus::kCancelled:
      return "cancelled";
  }
  return "?";
}

std::string RunResult::summary() const {
  std::string s = std::to_string(ran) + " ran, " + std::to_string(cached) + " cached";
  if (failed) s += ", " + std::to_string(failed) + " failed";
  if (skipped) s += ", " + std::to_string(skipped) + " skipped";
  if (cancelled) s += ", " + std::to_string(cancelled) + " cancelled";
  if (requires_failed) s += ", " + std::to_string(requires_failed) + " require failed";
  return s;
}

namespace {

RunRecord make_run_record(const ir::Plan& plan, const RunOptions& options, int threads) {
  RunRecord run;
  run.workflow_file = plan.file;
  run.workflow_text = plan.source_text;
  run.workflow_hash = sha256_hex(plan.source_text);
  run.plan_hash = sha256_hex(ir::to_text(plan));
  run.params = options.overrides;
  run.user = engine_detail::current_user();
  run.host = engine_detail::current_host();
  run.versions = engine_detail::versions_text();
  run.seed = std::int64_t(plan.seed);
  run.threads = threads;
  run.rerun_of = options.rerun_of;
  run.started = engine_detail::unix_now();
  return run;
}

}  // namespace

RunResult run_plan(const ir::Plan& plan, const PluginRegistry& registry, Provenance& provenance,
                   ArtifactStore& store, const RunOptions& options) {
  int threads =
      options.threads > 0 ? options.threads : int(tbb::this_task_arena::max_concurrency());
  tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                  std::size_t(threads));

  RunResult result;
  result.run_id = provenance.begin_run(make_run_record(plan, options, threads));
  engine_detail::Progress progress(options, plan.steps.size());
  engine_detail::StepRunner runner(plan, registry, provenance, store, options, result.run_id,
                                   progress);

  tbb::flow::graph graph;
  std::vector<std::unique_ptr<tbb::flow::continue_node<tbb::flow::continue_msg>>> nodes;
  nodes.reserve(plan.steps.size());
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    nodes.push_back(std::make_unique<tbb::flow::continue_node<tbb::flow::continue_msg>>(
        graph, [&runner, i](const tbb::flow::continue_msg&) {
          runner.execute(i);
          return tbb::flow::continue_msg();
        }));
  }
  std::vector<std::size_t> roots;
  // Differentially private steps run one after another, in plan order, so that each is charged
  // against the budget after every earlier one: the ledger's order and cumulative epsilons are
  // then the same in every run, whatever the thread timing. The extra edge carries no data (a
  // failed predecessor does not make the next DP step skip); plan order is topological, so it
  // adds no cycle.
  std::optional<std::size_t> previous_dp;
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    std::set<std::size_t> upstream;
    for (const ir::PortRef& in : plan.steps[i].inputs) upstream.insert(in.step);
    if (runner.differentially_private(i)) {
      if (previous_dp) upstream.insert(*previous_dp);
      previous_dp = i;
    }
    for (std::size_t u : upstream) tbb::flow::make_edge(*nodes[u], *nodes[i]);
    if (upstream.empty()) roots.push_back(i);
  }
  for (std::size_t i : roots) nodes[i]->try_put(tbb::flow::continue_msg());
  graph.wait_for_all();
  progress.stop();

  runner.finish(result);
  provenance.end_run(result.run_id, result.status, result.summary());
  provenance.flush();
  return result;
}

}  // namespace clinflow
