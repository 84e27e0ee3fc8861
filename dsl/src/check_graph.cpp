// Graph-wide checks: require lines, cycles, unused names; and the topological order.
//
// Implementation notes. Cycles are found with one depth-first search over input edges, started
// from each step in source order, so the reported cycle and its first statement do not depend on
// map order. Each cycle is reported once, at its first statement in the file, and listed in data
// flow order (a -> b -> a). Require lines run before the unused-name check because a require
// line is a use.
#include <algorithm>
#include <functional>
#include <set>

#include "check.hpp"
#include "values.hpp"

namespace clinflow::dsl {

namespace {

/// The require statement as written after `require`, white space runs collapsed.
std::string require_text(const ast::Require& r, const Document& doc) {
  std::string out;
  for (std::size_t i = r.target.begin; i < r.end && i < doc.steps.size(); ++i) {
    char c = doc.steps[i];
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space)
      out += c;
    else if (!out.empty() && out.back() != ' ')
      out += ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void check_require(Graph& graph, const ast::Require& r, const Document& doc, Resolver& resolver,
                   Diagnostics& diags) {
  const std::string& file = resolver.file();
  const auto& parts = r.target.parts;
  Span target = resolver.span(r.target);
  auto it = graph.names.find(parts.front());
  if (it == graph.names.end()) {
    std::vector<std::string> names;
    for (const auto& [n, v] : graph.names) names.push_back(n);
    std::string hint = closest_match(parts.front(), names);
    diags.error(file, target,
                "undefined name '" + parts.front() + "' in require" +
                    (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
    return;
  }
  ValueRef v = it->second;
  const StepNode& step = graph.steps[v.step];
  if (!step.manifest) return;  // unknown plugin: already reported
  if (graph.type_of(v) != types::kMetrics) {
    const std::string& type = graph.type_of(v);
    const bool vowel = std::string("aeiou").find(type.front()) != std::string::npos;
    diags.error(file, target,
                "require reads metrics, but '" + parts.front() + "' is " + (vowel ? "an " : "a ") +
                    type + " from " + step.plugin_name);
    return;
  }
  std::string metric;
  for (std::size_t i = 1; i < parts.size(); ++i) metric += (metric.empty() ? "" : ".") + parts[i];
  const auto& known = step.manifest->metrics;
  bool found = false;
  for (const std::string& m : known) {
    if (m == metric) found = true;
    if (m.size() > 2 && m.ends_with(".*") && metric.size() > m.size() - 1 &&
        metric.compare(0, m.size() - 1, m, 0, m.size() - 1) == 0)
      found = true;
  }
  std::string list;
  for (const auto& m : known) list += (list.empty() ? "" : ", ") + m;
  if (metric.empty()) {
    diags.error(file, target,
                "require needs a metric of '" + parts.front() + "' (" + parts.front() +
                    ".<metric>; " + step.plugin_name + " has: " + list + ")");
    return;
  }
  if (!found) {
    std::string hint = closest_match(metric, known);
    diags.error(file, target,
                step.plugin_name + " has no metric '" + metric + "'" +
                    (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
    if (hint.empty())
      diags.note("", {}, step.plugin_name + " has: " + (list.empty() ? "no metrics" : list));
    return;
  }
  auto rhs = resolver.resolve(r.value);
  if (!rhs) return;
  RequireNode node;
  node.where = resolver.span(r);
  ir::Require& out = node.require;
  out.text = require_text(r, doc);
  out.step = static_cast<std::size_t>(v.step);
  out.output = static_cast<std::size_t>(v.output);
  out.metric = metric;
  out.op = r.op;
  auto is_number = [](const RVal& x) {
    return x.kind == RVal::Kind::kInt || x.kind == RVal::Kind::kFloat;
  };
  if (r.op == "in") {
    if (rhs->kind != RVal::Kind::kList || rhs->items.size() != 2 || !is_number(rhs->items[0]) ||
        !is_number(rhs->items[1])) {
      diags.error(file, rhs->span,
                  "'in' needs an interval of two numbers [low, high], got " +
                      std::string(kind_name(rhs->kind)));
      return;
    }
    out.value = rhs->items[0].value.number();
    out.high = rhs->items[1].value.number();
    if (out.value > out.high) {
      diags.error(file, rhs->span, "interval is empty: low is greater than high");
      return;
    }
  } else {
    if (!is_number(*rhs)) {
      diags.error(file, rhs->span,
                  "require compares with a number, got " + std::string(kind_name(rhs->kind)));
      return;
    }
    out.value = rhs->value.number();
  }
  graph.requires_.push_back(std::move(node));
}

void check_cycles(Graph& graph, Diagnostics& diags, const std::string& file) {
  const int n = static_cast<int>(graph.steps.size());
  std::vector<int> state(n, 0);  // 0 new, 1 on the stack, 2 done
  std::vector<int> stack;
  std::function<void(int)> visit = [&](int s) {
    state[s] = 1;
    stack.push_back(s);
    for (const auto& in : graph.steps[s].inputs) {
      if (!in.ref.valid()) continue;
      int t = in.ref.step;
      if (state[t] == 1) {
        // stack: ... t ... s, each using the next one's predecessor: data flows t -> ... -> s -> t
        auto from = std::find(stack.begin(), stack.end(), t);
        std::vector<int> cycle(from, stack.end());
        // Data flows from an input to its user: the reverse of the stack.
        std::string path = graph.steps[t].name();
        for (auto it = cycle.rbegin(); it != cycle.rend(); ++it)
          if (*it != t) path += " -> " + graph.steps[*it].name();
        path += " -> " + graph.steps[t].name();
        int first = *std::min_element(cycle.begin(), cycle.end());
        diags.error(file, graph.steps[first].where, "cycle in the flow: " + path);
        graph.has_cycle = true;
      } else if (state[t] == 0) {
        visit(t);
      }
    }
    stack.pop_back();
    state[s] = 2;
  };
  for (int s = 0; s < n; ++s)
    if (state[s] == 0) visit(s);
}

void check_unused(const Graph& graph, Diagnostics& diags, const std::string& file) {
  std::set<ValueRef> used;
  for (const StepNode& s : graph.steps)
    for (const auto& in : s.inputs)
      if (in.ref.valid()) used.insert(in.ref);
  for (const RequireNode& r : graph.requires_)
    used.insert(ValueRef{static_cast<int>(r.require.step), static_cast<int>(r.require.output)});
  for (int i = 0; i < static_cast<int>(graph.steps.size()); ++i) {
    const StepNode& s = graph.steps[i];
    int n_used = 0;
    for (int o = 0; o < static_cast<int>(s.outputs.size()); ++o)
      n_used += used.count({i, o}) ? 1 : 0;
    const bool source = s.inputs.empty();
    if (n_used == static_cast<int>(s.outputs.size()) || (n_used == 0 && !source)) continue;
    for (int o = 0; o < static_cast<int>(s.outputs.size()); ++o) {
      const std::string& name = s.outputs[o];
      if (used.count({i, o}) || name.starts_with("_")) continue;
      diags.warning(file, s.output_spans[o],
                    "'" + name + "' is never used (start the name with '_' to keep it unused)");
    }
  }
}

}  // namespace

void check_graph(Graph& graph, const ast::Program& program, const Document& doc, Resolver& resolver,
                 Diagnostics& diags) {
  for (const ast::Statement& st : program)
    if (const auto* r = boost::get<ast::Require>(&st))
      check_require(graph, *r, doc, resolver, diags);
  check_cycles(graph, diags, resolver.file());
  check_unused(graph, diags, resolver.file());
}

std::vector<int> topological_order(const Graph& graph) {
  const int n = static_cast<int>(graph.steps.size());
  std::vector<int> waiting(n, 0), order;
  std::vector<std::vector<int>> users(n);
  for (int i = 0; i < n; ++i)
    for (const auto& in : graph.steps[i].inputs)
      if (in.ref.valid()) {
        ++waiting[i];
        users[in.ref.step].push_back(i);
      }
  std::set<int> ready;
  for (int i = 0; i < n; ++i)
    if (waiting[i] == 0) ready.insert(i);
  while (!ready.empty()) {
    int s = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(s);
    for (int u : users[s])
      if (--waiting[u] == 0) ready.insert(u);
  }
  return order;
}

}  // namespace clinflow::dsl
