// Reading the TOML side of a workflow.
//
// Implementation notes. toml++ gives 1-based line/column positions with columns counted in code
// points; diagnostics use byte columns, so positions are converted through the file's line
// table. The `flow.steps` string is mapped character by character from its opening quote: for a
// literal string this is exact, for a basic string the walker undoes escapes so DSL positions still
// land on the right file column. `--set` overrides are applied to the parsed table before any
// table is read, so an override behaves exactly like an edit of the file (but has no position).
#include "workflow.hpp"

#include <algorithm>
#include <charconv>
#include <clinflow/core/plugin_host.hpp>
#include <filesystem>
#include <sstream>

namespace clinflow::dsl {

namespace {

/// Byte offsets of line starts.
std::vector<std::size_t> line_starts(const std::string& text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts.push_back(i + 1);
  return starts;
}

/// Byte offset of a toml++ position (1-based line, code-point column).
std::size_t offset_of(const std::string& text, const std::vector<std::size_t>& starts,
                      toml::source_position pos) {
  if (pos.line < 1 || pos.line > starts.size()) return text.size();
  std::size_t i = starts[pos.line - 1];
  for (toml::source_index col = 1; col < pos.column && i < text.size() && text[i] != '\n'; ++col) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

/// Maps each byte of a string value to the file byte that produced it, starting at the first
/// content byte `i` of the string in `text`. `basic` strings have escapes.
std::vector<std::size_t> map_string(const std::string& text, std::size_t i,
                                    const std::string& value, bool basic) {
  std::vector<std::size_t> map;
  map.reserve(value.size() + 1);
  std::size_t k = 0;
  while (k < value.size() && i < text.size()) {
    char c = text[i];
    if (c == '\r' && value[k] != '\r') {
      ++i;
      continue;
    }
    if (basic && c == '\\' && i + 1 < text.size()) {
      char e = text[i + 1];
      std::size_t raw = e == 'u' ? 6 : e == 'U' ? 10 : 2;
      if (e == ' ' || e == '\t' || e == '\n' || e == '\r') {  // line-ending backslash
        i += 1;
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        continue;
      }
      std::size_t produced = 1;
      if (e == 'u' || e == 'U') {
        unsigned cp = 0;
        std::from_chars(text.data() + i + 2, text.data() + std::min(text.size(), i + raw), cp, 16);
        produced = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      }
      for (std::size_t n = 0; n < produced && k < value.size(); ++n, ++k) map.push_back(i);
      i += raw;
      continue;
    }
    map.push_back(i++);
    ++k;
  }
  while (map.size() < value.size()) map.push_back(i);
  map.push_back(i);
  return map;
}

std::optional<toml::table> parse_toml(Document& doc, Diagnostics& diags) {
  try {
    return toml::parse(doc.source.text(), doc.file);
  } catch (const toml::parse_error& e) {
    diags.error(doc.file, doc.span_of(e.source()), std::string(e.description()));
    return std::nullopt;
  }
}

/// Applies one `--set a.b=value`: the value is TOML when it parses as one, else a string.
void apply_override(Document& doc, const std::string& key, const std::string& text,
                    Diagnostics& diags) {
  std::vector<std::string> parts;
  std::stringstream ss(key);
  for (std::string part; std::getline(ss, part, '.');) parts.push_back(part);
  if (parts.empty() || key.empty()) {
    diags.error(doc.file, {}, "--set needs a key: '" + key + "=" + text + "'");
    return;
  }
  toml::table* table = &doc.root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    toml::node* next = table->get(parts[i]);
    if (!next) next = &table->insert_or_assign(parts[i], toml::table{}).first->second;
    table = next->as_table();
    if (!table) {
      diags.error(doc.file, {}, "--set " + key + ": '" + parts[i] + "' is not a table");
      return;
    }
  }
  try {
    toml::table parsed = toml::parse("v = " + text);
    if (toml::node* v = parsed.get("v")) {
      v->visit([&](auto&& node) { table->insert_or_assign(parts.back(), node); });
      return;
    }
  } catch (const toml::parse_error&) {
    // not a TOML value: a plain string, as documented
  }
  table->insert_or_assign(parts.back(), text);
}

void read_workflow_table(Document& doc, Diagnostics& diags) {
  toml::node* node = doc.root.get("workflow");
  toml::table* table = node ? node->as_table() : nullptr;
  if (!table) {
    diags.error(doc.file, node ? doc.span_of(node->source()) : Span{},
                "the workflow needs a [workflow] table with a name");
    return;
  }
  bool has_name = false;
  // toml++ tables are ordered by key; diagnostics read better in file order.
  std::vector<std::pair<const toml::key*, toml::node*>> entries;
  for (auto&& [key, value] : *table) entries.emplace_back(&key, &value);
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const auto &pa = a.first->source().begin, &pb = b.first->source().begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  for (auto [key_ptr, value_ptr] : entries) {
    const toml::key& key = *key_ptr;
    toml::node& value = *value_ptr;
    const std::string k(key.str());
    Span at = doc.span_of(value.source());
    if (k == "name" || k == "version" || k == "description") {
      if (!value.is_string()) {
        diags.error(doc.file, at, "workflow." + k + " must be a string");
        continue;
      }
      std::string s = value.as_string()->get();
      (k == "name" ? doc.name : k == "version" ? doc.version : doc.description) = s;
      has_name = has_name || k == "name";
    } else if (k == "seed") {
      if (!value.is_integer() || value.as_integer()->get() < 0) {
        diags.error(doc.file, at, "workflow.seed must be an integer >= 0");
        continue;
      }
      doc.seed = static_cast<std::uint64_t>(value.as_integer()->get());
    } else {
      Span key_at = doc.span_of(key.source());
      std::string hint = closest_match(k, {"name", "version", "seed", "description"});
      diags.warning(doc.file, key_at,
                    "unknown key '" + k + "' in [workflow]" +
                        (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
    }
  }
  if (!has_name) diags.error(doc.file, doc.span_of(table->source()), "[workflow] has no name");
}

/// Finds the DSL text and maps it to the file. False when there is none.
bool read_steps(Document& doc, Diagnostics& diags) {
  toml::node* flow = doc.root.get("flow");
  toml::node* steps = flow && flow->is_table() ? flow->as_table()->get("steps") : nullptr;
  if (!steps || !steps->is_string()) {
    Span at = steps ? doc.span_of(steps->source()) : flow ? doc.span_of(flow->source()) : Span{};
    diags.error(doc.file, at,
                steps ? "flow.steps must be a string (the steps of the workflow)"
                      : "the workflow has no [flow] steps");
    return false;
  }
  doc.steps = steps->as_string()->get();
  if (!steps->source().begin) {  // set on the command line: its own pseudo-file
    doc.override_source = SourceText("<--set flow.steps>", doc.steps);
    doc.steps_map.source = &doc.override_source;
    for (std::size_t i = 0; i <= doc.steps.size(); ++i) doc.steps_map.file_offset.push_back(i);
    diags.add_source(doc.override_source);
    return true;
  }
  const std::string& text = doc.source.text();
  std::size_t i = offset_of(text, line_starts(text), steps->source().begin);
  bool basic = i < text.size() && text[i] == '"';
  std::size_t quotes = text.compare(i, 3, basic ? "\"\"\"" : "'''") == 0 ? 3 : 1;
  i += quotes;
  if (quotes == 3) {  // a newline right after a multi-line opener is not part of the value
    if (text.compare(i, 2, "\r\n") == 0)
      i += 2;
    else if (i < text.size() && text[i] == '\n')
      ++i;
  }
  doc.steps_map.source = &doc.source;
  doc.steps_map.file_offset = map_string(text, i, doc.steps, basic);
  return true;
}

void read_plugins(Document& doc, Diagnostics& diags) {
  toml::node* node = doc.root.get("plugins");
  if (!node) return;
  toml::table* table = node->as_table();
  toml::node* paths = table ? table->get("paths") : nullptr;
  if (!paths) return;
  toml::array* list = paths->as_array();
  if (!list) {
    diags.error(doc.file, doc.span_of(paths->source()),
                "plugins.paths must be an array of strings");
    return;
  }
  for (toml::node& entry : *list) {
    Span at = doc.span_of(entry.source());
    if (!entry.is_string()) {
      diags.error(doc.file, at, "plugins.paths entries must be strings");
      continue;
    }
    std::filesystem::path p(entry.as_string()->get());
    if (p.is_relative() && !doc.folder.empty()) p = std::filesystem::path(doc.folder) / p;
    doc.plugin_paths.push_back({p.lexically_normal().string(), at});
  }
}

void read_privacy(Document& doc, Diagnostics& diags) {
  toml::node* node = doc.root.get("privacy");
  toml::node* budget = node && node->is_table() ? node->as_table()->get("budget") : nullptr;
  if (!budget) return;
  Span at = doc.span_of(budget->source());
  toml::table* table = budget->as_table();
  if (!table) {
    diags.error(doc.file, at, "privacy.budget must be a table { epsilon = ..., delta = ... }");
    return;
  }
  Budget b;
  b.where = at;
  bool ok = true;
  for (const char* key : {"epsilon", "delta"}) {
    toml::node* v = table->get(key);
    double x = 0;
    if (v && v->is_number())
      x = v->is_integer() ? double(v->as_integer()->get()) : v->as_floating_point()->get();
    if (!v || !v->is_number() || !(x > 0)) {
      diags.error(doc.file, v ? doc.span_of(v->source()) : at,
                  std::string("privacy.budget.") + key +
                      (v ? " must be a positive number" : " is missing (a positive number)"));
      ok = false;
    }
    (std::string(key) == "epsilon" ? b.epsilon : b.delta) = x;
  }
  if (ok) doc.budget = b;
}

}  // namespace

Span SourceMap::span(std::size_t begin, std::size_t end) const {
  if (!source || file_offset.empty()) return {};
  begin = std::min(begin, file_offset.size() - 1);
  end = std::min(std::max(end, begin + 1), file_offset.size());
  std::size_t from = file_offset[begin];
  std::size_t to = file_offset[end - 1] + 1;
  return source->position(from, to > from ? to - from : 1);
}

Span Document::span_of(const toml::source_region& region) const {
  if (!region.begin) return {};
  const std::string& text = source.text();
  auto starts = line_starts(text);
  std::size_t from = offset_of(text, starts, region.begin);
  std::size_t to = region.end && region.end.line == region.begin.line
                       ? offset_of(text, starts, region.end)
                       : from + 1;
  return source.position(from, to > from ? to - from : 1);
}

bool format_scalar(const toml::node& node, std::string& out) {
  if (auto* s = node.as_string())
    out = s->get();
  else if (auto* i = node.as_integer())
    out = std::to_string(i->get());
  else if (auto* b = node.as_boolean())
    out = b->get() ? "true" : "false";
  else if (auto* f = node.as_floating_point()) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, f->get());
    out.assign(buf, r.ptr);
  } else if (node.is_date() || node.is_time() || node.is_date_time()) {
    std::ostringstream s;
    node.visit([&](auto&& n) { s << n; });
    out = s.str();
  } else {
    return false;
  }
  return true;
}

bool read_document(Document& doc, const CompileOptions& options, Diagnostics& diags) {
  doc.folder = std::filesystem::path(doc.file).parent_path().string();
  diags.add_source(doc.source);
  auto root = parse_toml(doc, diags);
  if (!root) return false;
  doc.root = std::move(*root);
  for (const auto& [key, value] : options.overrides) apply_override(doc, key, value, diags);
  read_workflow_table(doc, diags);
  read_plugins(doc, diags);
  read_privacy(doc, diags);
  return read_steps(doc, diags);
}

}  // namespace clinflow::dsl
