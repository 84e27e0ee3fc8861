// Implementation notes: every command funnels errors through print_error so the tool has one
// prefix (`clinflow: error:`) and diagnostics from the compiler keep their own file:line:col form.
#include "cli_common.hpp"

#include <clinflow/dsl/compile.hpp>
#include <csignal>
#include <iostream>

namespace clinflow::cli {

void print_error(const std::string& message) {
  std::cerr << "clinflow: error: " << message << '\n';
}

std::string db_path(const GlobalOptions& options) {
  return options.db.empty() ? options.project + "/.clinflow/provenance.db" : options.db;
}

std::string cache_path(const GlobalOptions& options) {
  return options.cache.empty() ? options.project + "/.clinflow/cache" : options.cache;
}

bool load_plugins(PluginRegistry& registry, const GlobalOptions& options) {
  std::vector<std::string> errors;
  for (const std::string& dir : PluginRegistry::default_directories())
    registry.load_directory(dir, errors, /*must_exist=*/false);
  for (const std::string& dir : options.plugin_dirs) registry.load_directory(dir, errors);
  for (const std::string& e : errors) print_error(e);
  return errors.empty();
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_sets(
    const std::vector<std::string>& sets) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& s : sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      print_error("--set expects key.path=value, got '" + s + "'");
      return std::nullopt;
    }
    out.emplace_back(s.substr(0, eq), s.substr(eq + 1));
  }
  return out;
}

std::string sets_to_text(const std::vector<std::pair<std::string, std::string>>& sets) {
  std::string text;
  for (const auto& [key, value] : sets) text.append(key).append("=").append(value).append("\n");
  return text;
}

std::vector<std::pair<std::string, std::string>> sets_from_text(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (auto eq = line.find('='); eq != std::string::npos)
      out.emplace_back(line.substr(0, eq), line.substr(eq + 1));
    start = end + 1;
  }
  return out;
}

std::optional<ir::Plan> compile(const std::string& file, const std::optional<std::string>& text,
                                const std::vector<std::pair<std::string, std::string>>& sets,
                                PluginRegistry& registry) {
  dsl::CompileOptions options;
  options.overrides = sets;
  Diagnostics diags;
  std::optional<ir::Plan> plan = text ? dsl::compile_text(file, *text, options, registry, diags)
                                      : dsl::compile_file(file, options, registry, diags);
  diags.render(std::cerr);
  if (diags.errors() > 0) return std::nullopt;
  return plan;
}

CompiledWorkflow compile_workflow_file(const GlobalOptions& options, const std::string& file,
                                       PluginRegistry& registry) {
  CompiledWorkflow out;
  auto sets = parse_sets(options.sets);
  if (!load_plugins(registry, options) || !sets) {
    out.exit_code = kExitError;
    return out;
  }
  out.sets = *sets;
  out.plan = compile(file, std::nullopt, out.sets, registry);
  if (!out.plan) out.exit_code = kExitFailed;
  return out;
}

namespace {
std::atomic<bool> cancel_requested{false};

void on_signal(int sig) {
  if (cancel_requested.exchange(true)) {  // second signal: stop now
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
}
}  // namespace

const std::atomic<bool>& install_cancel_handler() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  return cancel_requested;
}

}  // namespace clinflow::cli
