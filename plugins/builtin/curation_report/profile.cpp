// Curation report aggregates: part sizes, label counts, missingness, histograms, categories.
//
// Implementation notes: bins are shared by all parts so their histograms overlay: edges come
// from the pooled 1st and 99th percentiles (nearest rank), with open-ended first and last bins,
// so no single extreme value becomes an edge label; integer columns with a short range get one
// bin per value. The bin count shrinks for small parts (bins_for), since a bin below min_cell
// is hidden anyway. Integer columns whose values are all distinct (pseudonymised ids) and
// strings with mostly distinct values are identifiers: missingness only. Categories are pooled by
// text (each part has its own dictionary) in std::maps, and only categories with at least min_cell
// rows in total are named. The small-cell rule is applied here, per part, to groups whose total
// (the part's rows) is published: [missing, bins...], [missing, categories...] and [positives,
// negatives, unlabelled].
#include "profile.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace clinflow_curation_report {

using namespace clinflow;
using namespace clinflow::builtin;

namespace {

/// A string column is an identifier (or free text) when it has this many distinct values and
/// they are more than half of its values: a per-category plot would print them.
constexpr std::size_t kIdentifierDistinct = 50;

std::int64_t count_distinct(const Column& c) {
  std::vector<std::string> values;
  values.reserve(c.size());
  for (std::size_t r = 0; r < c.size(); ++r)
    if (!c.missing(r)) values.push_back(c.format(r));
  std::sort(values.begin(), values.end());
  return std::unique(values.begin(), values.end()) - values.begin();
}

PartProfile profile_part(const Table& t, const std::string& name, const std::string& label,
                         std::int64_t min_cell, const std::string& step) {
  PartProfile p;
  p.name = name;
  p.rows = single_cell(std::int64_t(t.rows()), min_cell);
  if (const Column* patient = t.role(roles::kPatient)) {
    p.has_patients = true;
    p.patients = single_cell(count_distinct(*patient), min_cell);
  }
  if (label.empty()) return p;
  p.has_label = true;
  const Column* column = t.find(label);
  if (!column)
    throw StepError(step + ": label column '" + label + "' is not in part '" + name + "'");
  if (!column->is_numeric() || column->type == ColumnType::kTimestamp)
    throw StepError(step + ": label column '" + label + "' must be numeric 0/1");
  for (std::size_t r = 0; r < column->size(); ++r) {
    const double y = column->number(r);
    if (std::isnan(y))
      ++p.unlabelled.count;
    else if (y == 1)
      ++p.positives.count;
    else if (y == 0)
      ++p.negatives.count;
    else
      throw StepError(step + ": label column '" + label + "' holds a value other than 0/1 at row " +
                      std::to_string(r + 1) + " of part '" + name + "'");
  }
  return p;
}

std::vector<double> pooled_values(const std::vector<const Column*>& columns) {
  std::vector<double> values;
  for (const Column* c : columns)
    for (std::size_t r = 0; r < c->size(); ++r)
      if (!c->missing(r)) values.push_back(c->number(r));
  std::sort(values.begin(), values.end());
  return values;
}

std::vector<double> shared_edges(const std::vector<double>& sorted, int bins) {
  if (sorted.empty()) return {0.0, 0.0};
  const double n = double(sorted.size() - 1);
  const double lo = sorted[std::size_t(std::floor(0.01 * n))];
  const double hi = sorted[std::size_t(std::ceil(0.99 * n))];
  if (lo == hi) return {lo, hi};
  const bool integral =
      std::all_of(sorted.begin(), sorted.end(), [](double x) { return x == std::floor(x); });
  std::vector<double> edges;
  if (integral && hi - lo + 1 <= bins) {
    for (double x = lo - 0.5; x <= hi + 0.5; x += 1.0) edges.push_back(x);
    return edges;
  }
  for (int i = 0; i <= bins; ++i) edges.push_back(lo + (hi - lo) * double(i) / double(bins));
  return edges;
}

std::size_t bin_of(const std::vector<double>& edges, double x) {
  const std::size_t bins = edges.size() - 1;
  if (bins <= 1 || x < edges[0]) return 0;
  if (x >= edges.back()) return bins - 1;
  const double width = (edges.back() - edges.front()) / double(bins);
  return std::min(bins - 1, std::size_t((x - edges.front()) / width));
}

/// Fewer bins for small parts: about 1.5 x min_cell values per bin in the smallest part (at
/// least 4 bins), else most bins of a small test part would be hidden by the small-cell rule.
int bins_for(const std::vector<const Column*>& columns, int bins, std::int64_t min_cell) {
  std::int64_t smallest = -1;
  for (const Column* c : columns) {
    std::int64_t present = 0;
    for (std::size_t r = 0; r < c->size(); ++r) present += !c->missing(r);
    if (present >= min_cell && (smallest < 0 || present < smallest)) smallest = present;
  }
  if (smallest < 0) return bins;
  return int(std::clamp<std::int64_t>(smallest * 2 / (3 * min_cell), 4, bins));
}

/// An integer column whose values are all distinct (an id or a pseudonym) is not plotted.
bool all_distinct_integers(const std::vector<const Column*>& columns) {
  std::vector<std::int64_t> values;
  for (const Column* c : columns)
    for (std::size_t r = 0; r < c->size(); ++r)
      if (!c->missing(r)) values.push_back(c->ints[r]);
  if (values.size() <= kIdentifierDistinct) return false;
  std::sort(values.begin(), values.end());
  return std::adjacent_find(values.begin(), values.end()) == values.end();
}

void histogram(FeatureProfile& f, const std::vector<const Column*>& columns,
               const ProfileOptions& options) {
  f.edges = shared_edges(pooled_values(columns), bins_for(columns, options.bins, options.min_cell));
  for (const Column* c : columns) {
    std::vector<Cell> counts(f.edges.size() - 1);
    for (std::size_t r = 0; r < c->size(); ++r)
      if (!c->missing(r)) ++counts[bin_of(f.edges, c->number(r))].count;
    f.counts.push_back(std::move(counts));
  }
}

void categories(FeatureProfile& f, const std::vector<const Column*>& columns,
                const ProfileOptions& options) {
  std::map<std::string, std::int64_t> pooled;
  std::int64_t present = 0;
  for (const Column* c : columns)
    for (std::size_t r = 0; r < c->size(); ++r)
      if (!c->missing(r)) ++pooled[std::string(c->text(r))], ++present;
  if (pooled.size() > kIdentifierDistinct && double(pooled.size()) > 0.5 * double(present)) {
    f.kind = FeatureKind::kIdentifier;
    return;
  }
  std::vector<std::pair<std::int64_t, std::string>> ranked;
  for (const auto& [text, n] : pooled)
    if (n >= options.min_cell) ranked.emplace_back(-n, text);
  std::sort(ranked.begin(), ranked.end());
  if (ranked.size() > options.max_categories) ranked.resize(options.max_categories);
  std::map<std::string, std::size_t> index;
  for (const auto& [n, text] : ranked)
    index[text] = f.categories.size(), f.categories.push_back(text);
  std::int64_t named = 0;
  for (const auto& [n, text] : ranked) named -= n;
  const bool other = named < present;
  if (other) f.categories.push_back(kOtherCategory);
  for (const Column* c : columns) {
    std::vector<Cell> counts(f.categories.size());
    for (std::size_t r = 0; r < c->size(); ++r) {
      if (c->missing(r)) continue;
      const auto it = index.find(std::string(c->text(r)));
      ++counts[it == index.end() ? counts.size() - 1 : it->second].count;
    }
    f.counts.push_back(std::move(counts));
  }
}

FeatureProfile profile_feature(const std::vector<Table>& parts,
                               const std::vector<std::string>& names, const std::string& feature,
                               const ProfileOptions& options, const std::string& step) {
  FeatureProfile f;
  f.name = feature;
  std::vector<const Column*> columns;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Column* c = parts[i].find(feature);
    if (!c) throw StepError(step + ": column '" + feature + "' is not in part '" + names[i] + "'");
    if (i == 0) f.type = c->type;
    if (c->type != f.type)
      throw StepError(step + ": column '" + feature + "' is " + to_string(c->type) + " in part '" +
                      names[i] + "' but " + to_string(f.type) + " in part '" + names[0] + "'");
    columns.push_back(c);
    std::int64_t missing = 0;
    for (std::size_t r = 0; r < c->size(); ++r) missing += c->missing(r);
    f.missing.push_back(Cell{missing, false});
  }
  if (f.type == ColumnType::kTimestamp) {
    f.kind = FeatureKind::kTimestamp;
  } else if (f.type == ColumnType::kString) {
    f.kind = FeatureKind::kCategorical;
    categories(f, columns, options);
  } else if (f.type == ColumnType::kInt && all_distinct_integers(columns)) {
    f.kind = FeatureKind::kIdentifier;
  } else {
    histogram(f, columns, options);
  }
  return f;
}

/// Hides every cell of a part too small to publish anything about.
std::int64_t hide_part(PartProfile& p, std::vector<FeatureProfile>& features, std::size_t i) {
  std::int64_t hidden = 0;
  auto hide = [&hidden](Cell& c) {
    if (!c.hidden) c.hidden = true, ++hidden;
  };
  hide(p.rows);
  if (p.has_patients) hide(p.patients);
  if (p.has_label)
    for (Cell* c : {&p.positives, &p.negatives, &p.unlabelled}) hide(*c);
  for (FeatureProfile& f : features) {
    hide(f.missing[i]);
    if (!f.counts.empty())
      for (Cell& c : f.counts[i]) hide(c);
  }
  return hidden;
}

std::int64_t suppress(Profile& profile, std::int64_t min_cell) {
  std::int64_t hidden = 0;
  for (std::size_t i = 0; i < profile.parts.size(); ++i) {
    PartProfile& p = profile.parts[i];
    if (p.rows.count > 0 && p.rows.count < min_cell) {
      hidden += hide_part(p, profile.features, i);
      continue;
    }
    if (p.has_patients && p.patients.hidden) ++hidden;
    if (p.has_label) {
      std::vector<Cell*> label{&p.positives, &p.negatives, &p.unlabelled};
      hidden += suppress_group(label, min_cell);
    }
    for (FeatureProfile& f : profile.features) {
      std::vector<Cell*> group{&f.missing[i]};
      if (!f.counts.empty())
        for (Cell& c : f.counts[i]) group.push_back(&c);
      hidden += suppress_group(group, min_cell);
    }
  }
  return hidden;
}

}  // namespace

std::optional<double> PartProfile::prevalence() const {
  if (positives.hidden || negatives.hidden || positives.count + negatives.count == 0)
    return std::nullopt;
  return double(positives.count) / double(positives.count + negatives.count);
}

std::optional<double> FeatureProfile::fraction(const Cell& cell, const PartProfile& part) const {
  if (cell.hidden || part.rows.hidden || part.rows.count == 0) return std::nullopt;
  return double(cell.count) / double(part.rows.count);
}

const char* to_string(FeatureKind kind) {
  switch (kind) {
    case FeatureKind::kNumeric:
      return "numeric";
    case FeatureKind::kCategorical:
      return "categorical";
    case FeatureKind::kTimestamp:
      return "timestamp";
    case FeatureKind::kIdentifier:
      return "identifier";
  }
  return "?";
}

Profile build_profile(const std::vector<Table>& parts, const std::vector<std::string>& names,
                      const ProfileOptions& options, const std::string& step) {
  Profile profile;
  for (std::size_t i = 0; i < parts.size(); ++i)
    profile.parts.push_back(
        profile_part(parts[i], names[i], options.label_column, options.min_cell, step));
  for (const std::string& feature : options.features)
    profile.features.push_back(profile_feature(parts, names, feature, options, step));
  profile.suppressed_cells = suppress(profile, options.min_cell);
  return profile;
}

std::vector<std::string> default_features(const Table& table, const std::string& label) {
  std::vector<std::string> features;
  for (const Column& c : table.columns) {
    bool has_role = c.name == label;
    for (const auto& [role, column] : table.roles) has_role |= column == c.name;
    if (!has_role) features.push_back(c.name);
  }
  return features;
}

}  // namespace clinflow_curation_report
