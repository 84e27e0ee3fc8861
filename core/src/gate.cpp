// `require` gates: read a dotted metric path from a metrics artifact and compare.
// A path that ends on an object with a "value" member reads that member, so
// `require eval.auroc >= 0.7` works when auroc is {"value", "lower", "upper"}.
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine_parts.hpp"

namespace clinflow::engine_detail {

namespace {
std::string format_number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

bool compare(double x, const ir::Require& gate) {
  const std::string& op = gate.op;
  if (op == ">=") return x >= gate.value;
  if (op == "<=") return x <= gate.value;
  if (op == ">") return x > gate.value;
  if (op == "<") return x < gate.value;
  if (op == "==") return x == gate.value;
  if (op == "!=") return x != gate.value;
  if (op == "in") return x >= gate.value && x <= gate.high;
  return false;
}

std::string requirement(const ir::Require& gate) {
  if (gate.op == "in")
    return "in [" + format_number(gate.value) + ", " + format_number(gate.high) + "]";
  return gate.op + " " + format_number(gate.value);
}
}  // namespace

GateResult check_gate(const ir::Require& gate, const std::string& step_output_name,
                      const Artifact& metrics) {
  GateResult result;
  const std::string name = step_output_name + "." + gate.metric;
  nlohmann::json doc = nlohmann::json::parse(metrics.bytes, nullptr, false);
  if (doc.is_discarded()) {
    result.message = "the metrics of '" + step_output_name + "' are not valid JSON";
    return result;
  }
  const nlohmann::json* node = &doc;
  std::size_t start = 0;
  while (start <= gate.metric.size()) {
    std::size_t dot = gate.metric.find('.', start);
    std::string part =
        gate.metric.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object() || !node->contains(part)) {
      result.message = name + " is not in the step's metrics";
      return result;
    }
    node = &(*node)[part];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (node->is_object() && node->contains("value")) node = &(*node)["value"];
  if (!node->is_number()) {
    result.message = name + " is not a number" + (node->is_null() ? " (it is null)" : "");
    return result;
  }
  double x = node->get<double>();
  result.observed = x;
  result.passed = compare(x, gate);
  result.message = name + " = " + format_number(x) + ", required " + requirement(gate);
  return result;
}

}  // namespace clinflow::engine_detail
