// Preprocessing statistics, their JSON form and their application (see preprocessing.hpp).
//
// Implementation notes: statistics come from the observed (non-missing) cells only, summed in
// row order, so they are bit-identical for identical tables. The median of an even count is
// the mean of the two middle values. Missing cells are imputed before scaling, with the
// imputation value itself scaled like any other cell.
#include "preprocessing.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

namespace clinflow::builtin::preprocess {
namespace {

const char* kImputeNames[] = {"median", "mean", "zero", "none"};
const char* kScaleNames[] = {"standard", "none"};

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

const Column& numeric_column(const Table& table, const std::string& name, const char* step) {
  const Column* c = table.find(name);
  if (!c) throw StepError(std::string(step) + ": column '" + name + "' is missing from the table");
  if (c->type != ColumnType::kInt && c->type != ColumnType::kFloat)
    throw StepError(std::string(step) + ": column '" + name + "' is " + to_string(c->type) +
                    ", not numeric");
  return *c;
}

nlohmann::json number_or_null(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::optional<double> optional_number(const nlohmann::json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<double>();
}

}  // namespace

std::optional<Impute> impute_named(const std::string& name) {
  for (int i = 0; i < 4; ++i)
    if (name == kImputeNames[i]) return static_cast<Impute>(i);
  return std::nullopt;
}

std::optional<Scale> scale_named(const std::string& name) {
  for (int i = 0; i < 2; ++i)
    if (name == kScaleNames[i]) return static_cast<Scale>(i);
  return std::nullopt;
}

std::vector<std::string> default_columns(const Table& table) {
  std::set<std::string> role_columns;
  for (const auto& [role, column] : table.roles) role_columns.insert(column);
  std::vector<std::string> out;
  for (const Column& c : table.columns) {
    if (c.type != ColumnType::kInt && c.type != ColumnType::kFloat) continue;
    if (role_columns.count(c.name) || ends_with(c.name, "id") || ends_with(c.name, "_nbr") ||
        ends_with(c.name, "_missing"))
      continue;
    out.push_back(c.name);
  }
  return out;
}

Preprocessing fit(const Table& table, const std::vector<std::string>& columns, Impute impute,
                  Scale scale) {
  Preprocessing prep;
  prep.impute = impute;
  prep.scale = scale;
  prep.fitted_rows = table.rows();
  std::set<std::string> seen;
  for (const std::string& name : columns) {
    if (!seen.insert(name).second)
      throw StepError("fit_preprocessing: column '" + name + "' is listed twice");
    const Column& c = numeric_column(table, name, "fit_preprocessing");
    std::vector<double> x;
    x.reserve(c.size());
    for (std::size_t r = 0; r < c.size(); ++r)
      if (double v = c.number(r); !std::isnan(v)) x.push_back(v);
    ColumnStats s;
    s.name = name;
    s.observed = x.size();
    double sum = 0;
    for (double v : x) sum += v;
    const double mean = x.empty() ? 0.0 : sum / double(x.size());
    if (impute == Impute::kMean) s.impute = mean;
    if (impute == Impute::kZero) s.impute = 0.0;
    if (impute == Impute::kMedian) {
      double median = 0;
      if (!x.empty()) {
        std::vector<double> sorted = x;
        std::sort(sorted.begin(), sorted.end());
        const std::size_t m = sorted.size() / 2;
        median = sorted.size() % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
      }
      s.impute = median;
    }
    if (scale == Scale::kStandard) {
      double ss = 0;
      for (double v : x) ss += (v - mean) * (v - mean);
      double sd = x.size() >= 2 ? std::sqrt(ss / double(x.size() - 1)) : 0.0;
      s.mean = mean;
      s.sd = (sd > 0 && std::isfinite(sd)) ? sd : 1.0;
    }
    prep.columns.push_back(std::move(s));
  }
  return prep;
}

Table apply(const Preprocessing& prep, Table table) {
  for (const ColumnStats& s : prep.columns) {
    const Column& c = numeric_column(table, s.name, "apply_preprocessing");
    Column out(s.name, ColumnType::kFloat);
    out.floats.resize(c.size());
    for (std::size_t r = 0; r < c.size(); ++r) {
      double v = c.number(r);
      if (std::isnan(v) && s.impute) v = *s.impute;
      if (s.mean) v = (v - *s.mean) / *s.sd;
      out.floats[r] = v;
    }
    *table.find(s.name) = std::move(out);
  }
  return table;
}

std::string to_json(const Preprocessing& prep) {
  nlohmann::ordered_json j;
  j["format"] = "clinflow.preprocessing";
  j["version"] = 1;
  j["impute"] = kImputeNames[static_cast<int>(prep.impute)];
  j["scale"] = kScaleNames[static_cast<int>(prep.scale)];
  j["fitted_rows"] = prep.fitted_rows;
  nlohmann::ordered_json cols = nlohmann::ordered_json::array();
  for (const ColumnStats& s : prep.columns) {
    nlohmann::ordered_json c;
    c["name"] = s.name;
    c["observed"] = s.observed;
    c["impute"] = number_or_null(s.impute);
    c["mean"] = number_or_null(s.mean);
    c["sd"] = number_or_null(s.sd);
    cols.push_back(std::move(c));
  }
  j["columns"] = std::move(cols);
  return j.dump();
}

Preprocessing from_json(const std::string& text, const std::string& source) {
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    if (j.at("format") != "clinflow.preprocessing" || j.at("version") != 1)
      throw StepError(source + ": not a clinflow preprocessing artifact (version 1)");
    Preprocessing prep;
    auto impute = impute_named(j.at("impute").get<std::string>());
    auto scale = scale_named(j.at("scale").get<std::string>());
    if (!impute || !scale) throw StepError(source + ": unknown impute or scale method");
    prep.impute = *impute;
    prep.scale = *scale;
    prep.fitted_rows = j.at("fitted_rows").get<std::uint64_t>();
    for (const auto& c : j.at("columns")) {
      ColumnStats s;
      s.name = c.at("name").get<std::string>();
      s.observed = c.at("observed").get<std::uint64_t>();
      s.impute = optional_number(c.at("impute"));
      s.mean = optional_number(c.at("mean"));
      s.sd = optional_number(c.at("sd"));
      if (s.mean.has_value() != s.sd.has_value())
        throw StepError(source + ": column '" + s.name + "' has a mean without an sd");
      prep.columns.push_back(std::move(s));
    }
    return prep;
  } catch (const nlohmann::json::exception&) {
    throw StepError(source + ": not a clinflow preprocessing artifact (malformed JSON)");
  }
}

}  // namespace clinflow::builtin::preprocess
