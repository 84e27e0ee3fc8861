// The plan: what the compiler hands the engine. Plain structs, no Spirit or toml++ types, so
// a plan can be printed, hashed, stored and rebuilt from provenance.
#pragma once

#include <clinflow/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clinflow::ir {

/// A place in the workflow file, 1-based. line == 0 means "no position".
struct SourceRef {
  std::string file;
  int line = 0;
  int column = 0;
};

/// One output of one step: plan.steps[step].outputs[output].
struct PortRef {
  std::size_t step = 0;
  std::size_t output = 0;
  bool operator==(const PortRef&) const = default;
};

/// One step instance.
struct Step {
  std::string name;                  ///< bound names joined by ",": "train,test"
  std::vector<std::string> outputs;  ///< bound names, one per output port
  std::string plugin;                ///< step type name (registry key)
  Params params;                     ///< checked, defaults filled, `${...}` resolved
  std::vector<PortRef> inputs;       ///< in the plugin's input port order
  SourceRef where;                   ///< the statement's position
  /// The plugin declares differentially_private: the engine charges its privacy_spend to the
  /// run's ledger before it runs (the engine also asks the plugin, for plans built by hand).
  bool differentially_private = false;
};

/// `[privacy] budget = { epsilon, delta }`: the most a run may spend, composed over its DP steps.
struct PrivacyBudget {
  double epsilon = 0;
  double delta = 0;
};

/// A `require` gate: `require eval.auroc.lower >= 0.70` or `require x.y in [a, b]`.
struct Require {
  std::string text;        ///< the statement as written, for messages
  std::size_t step = 0;    ///< the step whose metrics output is read
  std::size_t output = 0;  ///< which of its outputs (a kMetrics port)
  std::string metric;      ///< dotted path inside the metrics JSON: "auroc.lower"
  std::string op;          ///< ">=", "<=", ">", "<", "==", "!=", "in"
  double value = 0;        ///< right-hand side (low bound for "in")
  double high = 0;         ///< high bound for "in"
  SourceRef where;
};

/// The compiled workflow: steps in a topological order (inputs always precede their users).
struct Plan {
  std::string file;                       ///< the workflow file as given
  std::string source_text;                ///< its full text, recorded in provenance
  std::string name;                       ///< [workflow] name
  std::string version;                    ///< [workflow] version
  std::uint64_t seed = 0;                 ///< [workflow] seed (0 when absent)
  std::vector<std::string> plugin_paths;  ///< [plugins] paths, resolved against the file's folder
  std::vector<Step> steps;
  std::vector<Require> requires_;
  std::optional<PrivacyBudget> budget;  ///< absent: the plan may not run any DP step
};

/// A stable text form of the plan (one line per step); its hash is the plan hash.
std::string to_text(const Plan& plan);

/// The plan as a Graphviz DOT digraph.
std::string to_dot(const Plan& plan);

}  // namespace clinflow::ir
