// `clinflow plugins` text: what a step type is, takes, gives and promises.
//
// Implementation notes: plain text with two-space indentation, no terminal colours, so the
// output can be diffed and pasted into review documents. Parameter defaults print with the
// DSL's own canonical value text (to_text), the same text that enters step keys.
#include <charconv>
#include <clinflow/core/plugin_doc.hpp>
#include <sstream>

namespace clinflow {
namespace {

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

const char* role_name(PartRole role) {
  switch (role) {
    case PartRole::kTrain:
      return "train";
    case PartRole::kValidation:
      return "validation";
    case PartRole::kTest:
      return "test";
    case PartRole::kNone:
      break;
  }
  return "other";
}

std::string describe_port(const PortSpec& port) {
  std::string line = "    " + port.name + ": " + port.type;
  if (port.variadic) line += port.optional ? " (zero or more)" : " (one or more)";
  if (!port.doc.empty()) line += " - " + port.doc;
  return line + "\n";
}

/// A number for people: the shortest text that reads back the same ("0.1", not
/// "0.10000000000000001"); integers without a fraction.
std::string display_number(double x) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  return ec == std::errc() ? std::string(buf, end) : detail::format_double(x);
}

/// A default value for people: numbers as above, everything else in the DSL's canonical text.
std::string display_value(const Value& v) {
  if (v.is<double>()) {
    std::string s = display_number(v.as<double>());
    if (s.find_first_of(".en") == std::string::npos) s += ".0";  // still reads as a float
    return s;
  }
  return to_text(v);
}

std::string describe_param(const ParamSpec& p) {
  std::string line = "    " + p.name + ": " + describe_type(p);
  if (p.required) {
    line += ", required";
  } else if (!p.default_value.is_none()) {
    line += ", default " + display_value(p.default_value);
  } else {
    line += ", optional";
  }
  if (p.min && p.max) {
    line += ", in [" + display_number(*p.min) + ", " + display_number(*p.max) + "]";
  } else if (p.min) {
    line += ", at least " + display_number(*p.min);
  } else if (p.max) {
    line += ", at most " + display_number(*p.max);
  }
  if (!p.choices.empty()) line += ", one of: " + join(p.choices, ", ");
  line += "\n";
  if (!p.doc.empty()) line += "        " + p.doc + "\n";
  return line;
}

void append_indented(std::ostringstream& out, const std::string& text, const std::string& indent) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) out << indent << line << "\n";
}

}  // namespace

std::string describe_type(const ParamSpec& spec) {
  if (spec.type == ParamType::kList && spec.element != ParamType::kAny)
    return std::string("list of ") + to_string(spec.element);
  return to_string(spec.type);
}

std::vector<std::string> describe_safety(const Safety& s) {
  std::vector<std::string> out;
  switch (s.phi) {
    case PhiEffect::kIntroduces:
      out.push_back("reads patient records: its output carries PHI");
      break;
    case PhiEffect::kClears:
      out.push_back("de-identifies or aggregates: its output carries no PHI");
      break;
    case PhiEffect::kPropagate:
      out.push_back("its output carries PHI when an input does");
      break;
  }
  if (s.exports) out.push_back("exports data out of the project: refuses PHI input");
  if (!s.split_parts.empty()) {
    std::vector<std::string> roles;
    for (PartRole r : s.split_parts) roles.push_back(role_name(r));
    out.push_back("splits input 1 into disjoint parts: " + join(roles, ", "));
  }
  if (s.fits_on) out.push_back("learns from input " + std::to_string(*s.fits_on + 1));
  if (s.evaluates)
    out.push_back("evaluates the model at input " + std::to_string(s.evaluates->model + 1) +
                  " on the data at input " + std::to_string(s.evaluates->data + 1));
  if (s.differentially_private) out.push_back("differentially private: spends privacy budget");
  return out;
}

std::string describe_plugin(const LoadedPlugin& loaded, bool full) {
  const Manifest& m = loaded.plugin->manifest();
  std::ostringstream out;
  out << m.name << " " << m.version;
  if (!m.summary.empty()) out << " - " << m.summary;
  out << "\n  file: " << loaded.library << "\n";
  if (!full) return out.str();

  if (!loaded.binary_hash.empty()) out << "  sha256: " << loaded.binary_hash << "\n";
  if (!m.doc.empty()) {
    out << "\n";
    append_indented(out, m.doc, "  ");
  }
  out << "\n  inputs:" << (m.inputs.empty() ? " none\n" : "\n");
  for (const auto& port : m.inputs) out << describe_port(port);
  out << "  outputs:" << (m.outputs.empty() ? " none\n" : "\n");
  for (const auto& port : m.outputs) out << describe_port(port);
  out << "  parameters:" << (m.params.empty() ? " none\n" : "\n");
  for (const auto& p : m.params) out << describe_param(p);
  if (!m.metrics.empty()) out << "  metrics: " << join(m.metrics, ", ") << "\n";
  out << "  safety:\n";
  for (const auto& line : describe_safety(m.safety)) out << "    " << line << "\n";
  return out.str();
}

}  // namespace clinflow
