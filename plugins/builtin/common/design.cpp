// Implementation notes: matrix() fills one column at a time (column-major), so each table
// column is read once, contiguously. String columns map the table's dictionary codes to design
// category indices once per column, so a row costs one array lookup whatever the table's
// dictionary order (tables intern strings in first-seen order, designs sort them).
#include "design.hpp"

#include <algorithm>
#include <set>

namespace clinflow::builtin {
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string prefix(const std::string& step) {
  return step.empty() ? std::string() : step + ": ";
}

/// For each code of `column`'s dictionary, the index of that text in `categories`, or -1.
std::vector<std::int32_t> category_of_code(const Column& column,
                                           const std::vector<std::string>& categories) {
  std::vector<std::int32_t> map(column.dict.size(), -1);
  for (std::size_t code = 0; code < column.dict.size(); ++code) {
    auto it = std::lower_bound(categories.begin(), categories.end(), column.dict[code]);
    if (it != categories.end() && *it == column.dict[code])
      map[code] = std::int32_t(it - categories.begin());
  }
  return map;
}

void check_no_missing(const Column& column, const std::string& step) {
  std::size_t missing = 0;
  for (std::size_t r = 0; r < column.size(); ++r) missing += column.missing(r);
  if (missing)
    throw StepError(prefix(step) + "column '" + column.name + "' has " + std::to_string(missing) +
                    " missing value" + (missing == 1 ? "" : "s") +
                    "; impute first (fit_preprocessing / apply_preprocessing)");
}

/// Calls `emit(feature_offset, row, value)` for every non-zero cell, column by column.
template <class Emit>
void for_each_cell(const Design& design, const Table& table, const std::string& step, Emit emit) {
  check_layout(design, table, step);
  std::size_t offset = 0;
  for (const DesignColumn& dc : design.columns) {
    const Column& c = *table.find(dc.name);
    if (dc.type == ColumnType::kString) {
      const auto map = category_of_code(c, dc.categories);
      for (std::size_t r = 0; r < c.size(); ++r) {
        const std::int32_t code = c.codes[r];
        if (code >= 0 && map[std::size_t(code)] >= 0)
          emit(offset + std::size_t(map[std::size_t(code)]), r, 1.0);
      }
      offset += dc.categories.size();
    } else {
      check_no_missing(c, step);
      for (std::size_t r = 0; r < c.size(); ++r) emit(offset, r, c.number(r));
      offset += 1;
    }
  }
}

}  // namespace

Design fit_design(const Table& table, const std::vector<std::string>& exclude,
                  const std::string& step) {
  for (const auto& name : exclude) table.column(name, step);  // unknown name: StepError
  std::set<std::string> skip(exclude.begin(), exclude.end());
  for (const auto& [role, column] : table.roles) skip.insert(column);
  Design design;
  for (const Column& c : table.columns) {
    if (skip.count(c.name) || ends_with(c.name, "id") || ends_with(c.name, "_nbr") ||
        c.type == ColumnType::kTimestamp)
      continue;
    DesignColumn dc;
    dc.name = c.name;
    dc.type = c.type;
    if (c.type == ColumnType::kString) {
      std::vector<bool> seen(c.dict.size(), false);
      for (auto code : c.codes)
        if (code >= 0) seen[std::size_t(code)] = true;
      for (std::size_t i = 0; i < c.dict.size(); ++i)
        if (seen[i]) dc.categories.push_back(c.dict[i]);
      std::sort(dc.categories.begin(), dc.categories.end());
      if (dc.categories.empty()) continue;  // never observed: no feature to learn
      for (const auto& cat : dc.categories) design.features.push_back(c.name + "=" + cat);
    } else {
      design.features.push_back(c.name);
    }
    design.columns.push_back(std::move(dc));
  }
  if (design.features.empty())
    throw StepError(prefix(step) +
                    "the table has no feature column (integer, float or string columns that are "
                    "not roles or identifiers)");
  return design;
}

void check_layout(const Design& design, const Table& table, const std::string& step) {
  for (const DesignColumn& dc : design.columns) {
    const Column* c = table.find(dc.name);
    if (!c)
      throw StepError(prefix(step) + "the table has no column '" + dc.name +
                      "', which the model was trained on");
    if (c->type != dc.type)
      throw StepError(prefix(step) + "column '" + dc.name + "' is " + to_string(c->type) +
                      " in the table but " + to_string(dc.type) + " in the model's training data");
  }
}

Eigen::MatrixXd matrix(const Design& design, const Table& table, const std::string& step) {
  Eigen::MatrixXd x =
      Eigen::MatrixXd::Zero(Eigen::Index(table.rows()), Eigen::Index(design.size()));
  for_each_cell(design, table, step, [&](std::size_t col, std::size_t row, double v) {
    x(Eigen::Index(row), Eigen::Index(col)) = v;
  });
  return x;
}

Eigen::SparseMatrix<double> sparse_matrix(const Design& design, const Table& table,
                                          const std::string& step) {
  std::vector<Eigen::Triplet<double>> cells;
  for_each_cell(design, table, step, [&](std::size_t col, std::size_t row, double v) {
    if (v != 0) cells.emplace_back(Eigen::Index(row), Eigen::Index(col), v);
  });
  Eigen::SparseMatrix<double> x(Eigen::Index(table.rows()), Eigen::Index(design.size()));
  x.setFromTriplets(cells.begin(), cells.end());
  return x;
}

Eigen::VectorXd labels(const Table& table, const std::string& step) {
  const Column& c = table.require_role(roles::kLabel, step);
  if (c.type != ColumnType::kInt && c.type != ColumnType::kFloat)
    throw StepError(prefix(step) + "label column '" + c.name + "' is " + to_string(c.type) +
                    "; expected 0/1 integers");
  Eigen::VectorXd y(Eigen::Index(c.size()));
  std::size_t bad = 0, first_bad = 0;
  for (std::size_t r = 0; r < c.size(); ++r) {
    const double v = c.number(r);
    if (v != 0 && v != 1) {  // NaN (missing) fails both
      if (!bad++) first_bad = r;
      continue;
    }
    y(Eigen::Index(r)) = v;
  }
  if (bad)
    throw StepError(prefix(step) + "label column '" + c.name + "' has " + std::to_string(bad) +
                    " value" + (bad == 1 ? "" : "s") +
                    " that are not 0 or 1 (missing included), first at row " +
                    std::to_string(first_bad));
  return y;
}

nlohmann::json to_json(const Design& design) {
  nlohmann::json columns = nlohmann::json::array();
  for (const DesignColumn& dc : design.columns) {
    nlohmann::json c = {{"name", dc.name}, {"type", to_string(dc.type)}};
    if (dc.type == ColumnType::kString) c["categories"] = dc.categories;
    columns.push_back(std::move(c));
  }
  return {{"columns", std::move(columns)}, {"features", design.features}};
}

Design design_from_json(const nlohmann::json& json, const std::string& source) {
  const auto bad = [&](const std::string& why) -> StepError {
    return StepError(source + ": not a valid design: " + why);
  };
  if (!json.is_object() || !json.contains("columns") || !json["columns"].is_array() ||
      !json.contains("features") || !json["features"].is_array())
    throw bad("expected an object with \"columns\" and \"features\" arrays");
  Design design;
  std::vector<std::string> expected;
  try {
    for (const auto& jc : json["columns"]) {
      DesignColumn dc;
      dc.name = jc.at("name").get<std::string>();
      const auto type = column_type_named(jc.at("type").get<std::string>());
      if (!type || *type == ColumnType::kTimestamp) throw bad("column '" + dc.name + "' type");
      dc.type = *type;
      if (dc.type == ColumnType::kString) {
        dc.categories = jc.at("categories").get<std::vector<std::string>>();
        if (!std::is_sorted(dc.categories.begin(), dc.categories.end()))
          throw bad("categories of '" + dc.name + "' are not sorted");
        for (const auto& cat : dc.categories) expected.push_back(dc.name + "=" + cat);
      } else {
        expected.push_back(dc.name);
      }
      design.columns.push_back(std::move(dc));
    }
    design.features = json["features"].get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    throw bad(e.what());
  }
  if (design.features != expected) throw bad("\"features\" disagree with \"columns\"");
  return design;
}

}  // namespace clinflow::builtin
