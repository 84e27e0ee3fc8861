// Statement checks: bound names, plugins, inputs and their types, parameters.
//
// Implementation notes. Names are collected first (so a statement may use a name bound later),
// then every statement is checked on its own, in source order, so diagnostics come out in file
// order. A statement with an unknown plugin still has its names and values checked, but nothing
// that needs the manifest. Graph-wide checks (cycles, unused names, require lines) are in
// check_graph.cpp.
#include "check.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "values.hpp"

namespace clinflow::dsl {

std::string StepNode::name() const {
  std::string out;
  for (const auto& o : outputs) out += (out.empty() ? "" : ",") + o;
  return out;
}

const std::string& Graph::type_of(ValueRef v) const {
  static const std::string any = types::kAny;
  const StepNode& s = steps[v.step];
  if (!s.manifest || v.output >= static_cast<int>(s.manifest->outputs.size())) return any;
  return s.manifest->outputs[v.output].type;
}

namespace {

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string port_list(const std::vector<PortSpec>& ports) {
  std::string out;
  for (const auto& p : ports) out += (out.empty() ? "" : ", ") + p.name + (p.variadic ? "..." : "");
  return out;
}

class StatementChecker {
 public:
  StatementChecker(Graph& graph, const Document& doc, const PluginRegistry& registry,
                   Resolver& resolver, Diagnostics& diags)
      : graph_(graph), doc_(doc), registry_(registry), resolver_(resolver), diags_(diags) {}

  void check(StepNode& step) {
    const ast::Binding& b = *step.binding;
    find_plugin(step);
    const Manifest* m = step.manifest;
    if (m && m->outputs.size() != b.names.size())
      error(names_span(b), step.plugin_name + " has " + plural(m->outputs.size(), "output") +
                               (m->outputs.empty() ? "" : " (" + port_list(m->outputs) + ")") +
                               ", but " + plural(b.names.size(), "name") +
                               (b.names.size() == 1 ? " is" : " are") + " bound");
    std::map<std::string, Span> given;
    for (const ast::Arg& arg : b.args) {
      if (const auto* input = boost::get<ast::Ident>(&arg))
        add_input(step, *input);
      else
        param(step, boost::get<ast::NamedArg>(arg), given);
    }
    if (!m) return;
    check_input_count(step);
    check_input_types(step);
    for (const ParamSpec& spec : m->params) {
      if (given.count(spec.name)) continue;
      if (spec.required)
        error(step.call, "missing required parameter '" + spec.name + "' of " + step.plugin_name +
                             " (" + to_string(spec.type) + ")");
      else if (!spec.default_value.is_none())
        step.params[spec.name] = spec.default_value;
    }
  }

 private:
  void error(Span at, std::string message) {
    diags_.error(resolver_.file(), at, std::move(message));
  }
  void note(Span at, std::string message) { diags_.note(resolver_.file(), at, std::move(message)); }

  Span names_span(const ast::Binding& b) {
    return resolver_.span(ast::Located{b.names.front().begin, b.names.back().end});
  }

  void find_plugin(StepNode& step) {
    if (const LoadedPlugin* p = registry_.find(step.plugin_name)) {
      step.plugin = p;
      step.manifest = &p->plugin->manifest();
      return;
    }
    std::string hint = closest_match(step.plugin_name, registry_.names());
    error(step.call, "unknown plugin '" + step.plugin_name + "'" +
                         (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
    std::string dirs;
    for (const auto& d : registry_.searched()) dirs += (dirs.empty() ? "" : ", ") + d;
    diags_.note(
        "", {},
        dirs.empty() ? "no plugin folders were searched" : "plugins are searched in " + dirs);
  }

  void add_input(StepNode& step, const ast::Ident& input) {
    StepNode::Input in{input.name, resolver_.span(input), {}};
    auto it = graph_.names.find(input.name);
    if (it != graph_.names.end()) {
      in.ref = it->second;
    } else {
      std::vector<std::string> names;
      for (const auto& [n, v] : graph_.names) names.push_back(n);
      std::string hint = closest_match(input.name, names);
      error(in.where, "undefined name '" + input.name + "'" +
                          (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
    }
    step.inputs.push_back(std::move(in));
  }

  void check_input_count(StepNode& step) {
    const auto& ports = step.manifest->inputs;
    const bool variadic = !ports.empty() && ports.back().variadic;
    // A variadic port marked optional may receive no argument at all.
    const std::size_t least = ports.size() - (variadic && ports.back().optional ? 1 : 0);
    const std::size_t n = step.inputs.size();
    if (variadic ? n >= least : n == ports.size()) return;
    std::string takes =
        ports.empty() ? "takes no inputs"
        : variadic
            ? "takes " + std::to_string(least) + " or more inputs (" + port_list(ports) + ")"
            : "takes " + plural(ports.size(), "input") + " (" + port_list(ports) + ")";
    Span at = n > ports.size() ? step.inputs[ports.size()].where : step.call;
    error(at, step.plugin_name + " " + takes + ", got " + std::to_string(n));
  }

  void check_input_types(StepNode& step) {
    const auto& ports = step.manifest->inputs;
    for (std::size_t i = 0; i < step.inputs.size() && !ports.empty(); ++i) {
      const StepNode::Input& in = step.inputs[i];
      if (!in.ref.valid()) continue;
      const PortSpec& port = ports[std::min(i, ports.size() - 1)];
      if (i >= ports.size() && !port.variadic) break;
      const std::string& got = graph_.type_of(in.ref);
      if (port.type == types::kAny || got == types::kAny || got == port.type) continue;
      const StepNode& from = graph_.steps[in.ref.step];
      error(in.where, "input '" + in.name + "' of " + step.plugin_name +
                          " has the wrong type: " + "expected " + port.type + ", got " + got);
      note(from.output_spans[in.ref.output],
           step.plugin_name + "'s input '" + port.name + "' expects " + port.type + ", '" +
               in.name + "' is " +
               (std::string("aeiou").find(got[0]) != std::string::npos ? "an " : "a ") + got +
               " from " + from.plugin_name);
    }
  }

  void param(StepNode& step, const ast::NamedArg& arg, std::map<std::string, Span>& given) {
    const std::string& key = arg.key.name;
    Span key_at = resolver_.span(arg.key);
    auto value = resolver_.resolve(arg.value);
    if (!step.manifest) return;
    const auto& specs = step.manifest->params;
    auto spec =
        std::find_if(specs.begin(), specs.end(), [&](const ParamSpec& s) { return s.name == key; });
    if (spec == specs.end()) {
      std::vector<std::string> names;
      for (const auto& s : specs) names.push_back(s.name);
      std::string hint = closest_match(key, names);
      error(key_at, "unknown parameter '" + key + "' of " + step.plugin_name +
                        (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
      if (hint.empty()) {
        std::string all;
        for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
        note({}, step.plugin_name + (all.empty() ? " takes no parameters" : " takes: " + all));
      }
      return;
    }
    if (auto first = given.find(key); first != given.end()) {
      error(key_at, "parameter '" + key + "' is given twice");
      note(first->second, "first given here");
      return;
    }
    given[key] = key_at;
    if (!value) return;
    auto converted = convert(*value, *spec, "parameter '" + key + "' of " + step.plugin_name,
                             resolver_.file(), diags_);
    if (!converted) return;
    if (spec->type == ParamType::kPath && !doc_.folder.empty()) {
      std::filesystem::path p(converted->as<std::string>());
      if (p.is_relative())
        converted = (std::filesystem::path(doc_.folder) / p).lexically_normal().string();
    }
    step.params[key] = std::move(*converted);
  }

  Graph& graph_;
  const Document& doc_;
  const PluginRegistry& registry_;
  Resolver& resolver_;
  Diagnostics& diags_;
};

}  // namespace

Graph check_program(const ast::Program& program, const Document& doc,
                    const PluginRegistry& registry, Diagnostics& diags) {
  Graph graph;
  std::set<std::string> bound;
  const std::string& file = doc.steps_map.source->file();
  // Pass 1: every bound name, so statements may use names bound later.
  for (const ast::Statement& st : program) {
    const auto* b = boost::get<ast::Binding>(&st);
    if (!b) continue;
    StepNode step;
    step.binding = b;
    step.plugin_name = b->plugin.name;
    step.where = doc.steps_map.span(b->names.front().begin, b->names.front().end);
    step.call = doc.steps_map.span(b->plugin.begin, b->plugin.end);
    const int index = static_cast<int>(graph.steps.size());
    for (std::size_t i = 0; i < b->names.size(); ++i) {
      const ast::Ident& n = b->names[i];
      Span at = doc.steps_map.span(n.begin, n.end);
      step.outputs.push_back(n.name);
      step.output_spans.push_back(at);
      auto [it, fresh] = graph.names.emplace(n.name, ValueRef{index, static_cast<int>(i)});
      bound.insert(n.name);
      if (!fresh) {
        diags.error(file, at, "name '" + n.name + "' is bound twice");
        const StepNode& first = it->second.step < index ? graph.steps[it->second.step] : step;
        diags.note(file, first.output_spans[it->second.output],
                   "'" + n.name + "' is first bound here");
      }
    }
    graph.steps.push_back(std::move(step));
  }
  // Pass 2: each statement.
  Resolver resolver(doc, bound, diags);
  StatementChecker checker(graph, doc, registry, resolver, diags);
  for (StepNode& step : graph.steps) checker.check(step);
  // Pass 3: the graph as a whole.
  check_graph(graph, program, doc, resolver, diags);
  return graph;
}

}  // namespace clinflow::dsl
