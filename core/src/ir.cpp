// Text and DOT forms of a plan. The text form is canonical: it is what the plan hash covers.
#include <clinflow/core/ir.hpp>
#include <sstream>

namespace clinflow::ir {

namespace {
std::string port_name(const Plan& plan, const PortRef& ref) {
  return plan.steps[ref.step].outputs[ref.output];
}

std::string dot_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}
}  // namespace

std::string to_text(const Plan& plan) {
  std::ostringstream out;
  out << "workflow " << plan.name << ' ' << plan.version << " seed " << plan.seed << '\n';
  for (const Step& step : plan.steps) {
    out << step.name << " = " << step.plugin << '(';
    bool first = true;
    for (const PortRef& in : step.inputs) {
      out << (first ? "" : ", ") << port_name(plan, in);
      first = false;
    }
    if (!step.params.empty()) out << (first ? "" : "; ") << clinflow::to_text(step.params);
    out << ")\n";
  }
  for (const Require& r : plan.requires_) out << "require " << r.text << '\n';
  // Only when declared, so the hash of a plan without a budget is what it always was.
  if (plan.budget)
    out << "privacy budget epsilon " << clinflow::to_text(Value(plan.budget->epsilon)) << " delta "
        << clinflow::to_text(Value(plan.budget->delta)) << '\n';
  return out.str();
}

std::string to_dot(const Plan& plan) {
  std::ostringstream out;
  out << "digraph \"" << dot_escape(plan.name) << "\" {\n  rankdir=LR;\n  node [shape=box];\n";
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    const Step& step = plan.steps[i];
    out << "  s" << i << " [label=\"" << dot_escape(step.name) << "\\n"
        << dot_escape(step.plugin) << "\"];\n";
  }
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    for (const PortRef& in : plan.steps[i].inputs)
      out << "  s" << in.step << " -> s" << i << " [label=\"" << dot_escape(port_name(plan, in))
          << "\"];\n";
  }
  out << "}\n";
  return out.str();
}

}  // namespace clinflow::ir
