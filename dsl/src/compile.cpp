// The compiler driver: document -> plugins -> parse -> checks -> analyses -> plan.
//
// Implementation notes. Each stage pushes diagnostics and the driver decides whether the next
// one can run: a TOML or DSL syntax error stops everything; statement errors still let the
// graph-wide checks run (more errors in one go), but the safety analyses need a complete graph,
// so they run only when nothing failed before them. Errors already in `diags` when we start
// are not ours and do not count.
#include <cerrno>
#include <clinflow/dsl/compile.hpp>
#include <cstring>
#include <fstream>
#include <sstream>

#include "analyses.hpp"
#include "check.hpp"
#include "parse.hpp"
#include "workflow.hpp"

namespace clinflow::dsl {

namespace {

void load_plugins(const Document& doc, PluginRegistry& registry, Diagnostics& diags) {
  for (const PluginPath& path : doc.plugin_paths) {
    std::vector<std::string> errors;
    registry.load_directory(path.resolved, errors, true);
    // The loader words its lines for the command line; here they sit under our own header.
    static const std::string kToolPrefix = "clinflow: error: ";
    for (std::string e : errors) {
      if (e.rfind(kToolPrefix, 0) == 0) e.erase(0, kToolPrefix.size());
      diags.error(doc.file, path.where, e);
    }
  }
}

ir::Plan lower(const Graph& graph, const Document& doc) {
  ir::Plan plan;
  plan.file = doc.file;
  plan.source_text = doc.source.text();
  plan.name = doc.name;
  plan.version = doc.version;
  plan.seed = doc.seed;
  for (const PluginPath& p : doc.plugin_paths) plan.plugin_paths.push_back(p.resolved);
  if (doc.budget) plan.budget = ir::PrivacyBudget{doc.budget->epsilon, doc.budget->delta};
  const std::vector<int> order = topological_order(graph);
  std::vector<std::size_t> position(graph.steps.size());
  for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = i;
  const std::string& file = doc.steps_map.source->file();
  for (int s : order) {
    const StepNode& node = graph.steps[s];
    ir::Step step;
    step.name = node.name();
    step.outputs = node.outputs;
    step.plugin = node.plugin_name;
    step.params = node.params;
    for (const auto& in : node.inputs)
      step.inputs.push_back({position[in.ref.step], static_cast<std::size_t>(in.ref.output)});
    step.where = {file, node.where.line, node.where.column};
    step.differentially_private = node.manifest->safety.differentially_private;
    plan.steps.push_back(std::move(step));
  }
  for (const RequireNode& r : graph.requires_) {
    ir::Require req = r.require;
    req.step = position[req.step];
    req.where = {file, r.where.line, r.where.column};
    plan.requires_.push_back(std::move(req));
  }
  return plan;
}

}  // namespace

std::optional<ir::Plan> compile_text(const std::string& file, std::string text,
                                     const CompileOptions& options, PluginRegistry& registry,
                                     Diagnostics& diags) {
  const int errors_before = diags.errors();
  auto ours = [&] { return diags.errors() - errors_before; };
  Document doc;
  doc.file = file;
  doc.source = SourceText(file, std::move(text));
  if (!read_document(doc, options, diags)) return std::nullopt;
  if (options.load_workflow_plugins) load_plugins(doc, registry, diags);

  const std::string& dsl_file = doc.steps_map.source->file();
  SyntaxError syntax;
  auto program = parse_program(doc.steps, syntax);
  if (!program) {
    diags.error(dsl_file, doc.steps_map.span(syntax.offset, syntax.offset + syntax.length),
                syntax.message);
    return std::nullopt;
  }
  if (program->empty()) {
    diags.error(doc.file, {}, "flow.steps has no steps");
    return std::nullopt;
  }
  Graph graph = check_program(*program, doc, registry, diags);
  if (ours() > 0 || graph.has_cycle) return std::nullopt;
  check_leakage(graph, dsl_file, diags);
  check_phi(graph, dsl_file, diags);
  check_privacy(graph, doc, dsl_file, diags);
  if (ours() > 0) return std::nullopt;
  return lower(graph, doc);
}

std::optional<ir::Plan> compile_file(const std::string& file, const CompileOptions& options,
                                     PluginRegistry& registry, Diagnostics& diags) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    diags.error(file, {}, std::string("cannot read the workflow file: ") + std::strerror(errno));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return compile_text(file, text.str(), options, registry, diags);
}

}  // namespace clinflow::dsl
