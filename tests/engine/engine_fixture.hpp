// A plan builder and a temporary project (cache + provenance) for engine tests.
#pragma once

#include <stdlib.h>

#include <clinflow/core/engine.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <string>

namespace clinflow {
inline std::ostream& operator<<(std::ostream& out, StepStatus status) {
  return out << to_string(status);
}
}  // namespace clinflow

namespace engine_test {

/// Builds plans in statement form: add("clean", "t_transform", {"raw"}, {{"factor", 2.0}}).
struct PlanBuilder {
  clinflow::ir::Plan plan;
  std::map<std::string, clinflow::ir::PortRef> names;

  PlanBuilder() {
    plan.file = "test.toml";
    plan.name = "engine-test";
    plan.seed = 42;
  }
  PlanBuilder& add_parts(std::vector<std::string> outputs, std::string plugin,
                         std::vector<std::string> inputs = {}, clinflow::Params params = {}) {
    clinflow::ir::Step step;
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      step.name += (i ? "," : "") + outputs[i];
      names[outputs[i]] = {plan.steps.size(), i};
    }
    step.outputs = outputs;
    step.plugin = std::move(plugin);
    step.params = std::move(params);
    for (const auto& in : inputs) step.inputs.push_back(names.at(in));
    step.where = {"test.toml", int(plan.steps.size()) + 1, 1};
    plan.steps.push_back(std::move(step));
    return *this;
  }
  PlanBuilder& add(std::string output, std::string plugin, std::vector<std::string> inputs = {},
                   clinflow::Params params = {}) {
    return add_parts(std::vector<std::string>{std::move(output)}, std::move(plugin),
                     std::move(inputs), std::move(params));
  }
  PlanBuilder& require(std::string name, std::string metric, std::string op, double value) {
    clinflow::ir::Require r;
    r.step = names.at(name).step;
    r.output = names.at(name).output;
    r.metric = metric;
    r.op = op;
    r.value = value;
    r.text = name + "." + metric + " " + op + " " + std::to_string(value);
    r.where = {"test.toml", 99, 1};
    plan.requires_.push_back(r);
    return *this;
  }
};

/// A temporary project folder with its own cache and provenance database.
struct Project {
  std::filesystem::path dir;
  clinflow::PluginRegistry registry;
  std::unique_ptr<clinflow::Provenance> provenance;
  std::unique_ptr<clinflow::ArtifactStore> store;

  Project() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "clinflow-engine-XXXXXX").string();
    dir = mkdtemp(pattern.data());
    std::vector<std::string> errors;
    registry.load_directory(CLINFLOW_TEST_PLUGIN_DIR, errors);
    if (!errors.empty()) throw std::runtime_error(errors.front());
    provenance = clinflow::Provenance::open((dir / "provenance.db").string());
    store = std::make_unique<clinflow::ArtifactStore>((dir / "cache").string());
  }
  ~Project() {
    provenance.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  clinflow::RunResult run(const clinflow::ir::Plan& plan, clinflow::RunOptions options = {}) {
    return clinflow::run_plan(plan, registry, *provenance, *store, options);
  }
};

inline const clinflow::StepOutcome& outcome(const clinflow::RunResult& r, const std::string& name) {
  for (const auto& o : r.steps)
    if (o.name == name) return o;
  throw std::runtime_error("no step " + name);
}

}  // namespace engine_test
