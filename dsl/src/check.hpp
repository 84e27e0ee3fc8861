// Semantic checks of a parsed program against the plugin registry: names, plugins, parameters,
// inputs and their types, cycles, unused names and require lines. The result is a checked graph
// that the safety analyses and the lowering read.
#pragma once

#include <clinflow/core/ir.hpp>
#include <clinflow/core/plugin_host.hpp>
#include <map>
#include <string>
#include <vector>

#include "ast.hpp"
#include "workflow.hpp"

namespace clinflow::dsl {

/// One output of one step.
struct ValueRef {
  int step = -1;
  int output = -1;
  bool valid() const { return step >= 0; }
  auto operator<=>(const ValueRef&) const = default;
};

struct StepNode {
  const ast::Binding* binding = nullptr;
  std::vector<std::string> outputs;  ///< bound names
  std::vector<Span> output_spans;    ///< where each name is bound
  std::string plugin_name;
  const LoadedPlugin* plugin = nullptr;  ///< null when unknown
  const Manifest* manifest = nullptr;
  struct Input {
    std::string name;
    Span where;
    ValueRef ref;  ///< invalid when undefined
  };
  std::vector<Input> inputs;
  Params params;
  Span where;  ///< the statement (its first name)
  Span call;   ///< the step name in the call
  std::string name() const;
};

struct RequireNode {
  ir::Require require;  ///< step/output index into Graph::steps (source order)
  Span where;
};

/// The checked program, steps in source order.
struct Graph {
  std::vector<StepNode> steps;
  std::map<std::string, ValueRef> names;
  std::vector<RequireNode> requires_;
  bool has_cycle = false;

  const std::string& type_of(ValueRef v) const;  ///< output port type ("any" when unknown)
  const std::string& name_of(ValueRef v) const { return steps[v.step].outputs[v.output]; }
};

class Resolver;

/// Runs every check; diagnostics go to `diags`. The graph is complete only without errors.
Graph check_program(const ast::Program& program, const Document& doc,
                    const PluginRegistry& registry, Diagnostics& diags);

/// The graph-wide part of check_program (require lines, cycles, unused names).
void check_graph(Graph& graph, const ast::Program& program, const Document& doc, Resolver& resolver,
                 Diagnostics& diags);

/// Steps in a topological order (inputs first), ties in source order. Needs an acyclic graph.
std::vector<int> topological_order(const Graph& graph);

}  // namespace clinflow::dsl
