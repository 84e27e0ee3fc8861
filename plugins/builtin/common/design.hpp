// The feature layout a model is trained on: which table columns become which matrix columns.
//
// fit_design() learns it on the training table; matrix() applies it to any table with the same
// columns (training, test, new data), so a model and the data it scores always agree on what
// column j of the matrix means.
//
// Rules (fit_design):
//  - role columns (Table::roles: patient, stay, label, times, group) and identifiers (names
//    ending in "id" or "_nbr", as fit_preprocessing) are not features; nor are `exclude`d names;
//  - integer and float columns are features as they are (one matrix column each);
//  - string columns are one-hot encoded: one feature "<col>=<value>" per category seen in the
//    training table, categories in sorted (byte) order; at matrix() time a category not seen in
//    training, or a missing cell, gives all zeros;
//  - timestamp columns are excluded.
// Features keep the table's column order (a string column's categories stay together).
#pragma once

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "table.hpp"

namespace clinflow::builtin {

/// One table column the design reads.
struct DesignColumn {
  std::string name;
  ColumnType type = ColumnType::kFloat;  ///< kInt, kFloat or kString (as in the training table)
  std::vector<std::string> categories;   ///< kString only: sorted categories, one feature each
};

/// The feature layout learnt on a training table.
struct Design {
  std::vector<DesignColumn> columns;  ///< source columns, in table order
  std::vector<std::string> features;  ///< feature names in matrix-column order

  std::size_t size() const { return features.size(); }
};

/// Learns the layout of `table` (rules above); `exclude` names further columns to leave out.
/// Throws StepError (prefixed by `step`) when no feature is left or an excluded name is unknown.
Design fit_design(const Table& table, const std::vector<std::string>& exclude,
                  const std::string& step);

/// Throws StepError naming the FIRST design column (in design order) that `table` lacks or
/// holds with another type ("predict: column 'age' is string in the table but float in the
/// model's training data"). Extra table columns are ignored.
void check_layout(const Design& design, const Table& table, const std::string& step);

/// The design matrix: rows = table rows (same order), columns = design.features.
/// Column-major (Eigen's default MatrixXd). Calls check_layout first. A missing numeric cell is a
/// StepError naming the column and how many cells are missing ("impute first:
/// fit_preprocessing / apply_preprocessing"); a missing string cell is all zeros.
Eigen::MatrixXd matrix(const Design& design, const Table& table, const std::string& step);

/// The same matrix, sparse (column-major, compressed; explicit zeros dropped). Same checks.
/// Worth it when most features are one-hot or 0/1 missingness indicators.
Eigen::SparseMatrix<double> sparse_matrix(const Design& design, const Table& table,
                                          const std::string& step);

/// The label role column as 0/1 doubles. Throws StepError when the table has no label role,
/// the column is not integer/float, a cell is missing, or a value is not 0 or 1 (the message
/// gives the count and the first row index, never the value).
Eigen::VectorXd labels(const Table& table, const std::string& step);

/// JSON of a design: {"columns":[{"name":"age","type":"float"},
///   {"name":"gender","type":"string","categories":["F","M"]}], "features":["age","gender=F",...]}
nlohmann::json to_json(const Design& design);
/// The design in `json`; throws StepError (prefixed by `source`) when it is not one, or when
/// "features" disagrees with the columns.
Design design_from_json(const nlohmann::json& json, const std::string& source);

}  // namespace clinflow::builtin
