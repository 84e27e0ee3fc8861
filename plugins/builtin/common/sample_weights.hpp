// Per-row training weights read from a table column (reweigh's `sample_weight`), validated so a
// learner can trust them.
#pragma once

#include <Eigen/Dense>
#include <string>

#include "table.hpp"

namespace clinflow::builtin {

/// The float (or integer) column `name` as weights. Throws StepError (prefixed by `step`) when
/// the column is missing, not numeric, or a weight is missing, not finite or negative (count and
/// first row index, never the value), or when every weight is zero.
Eigen::VectorXd sample_weights(const Table& table, const std::string& name,
                               const std::string& step);

}  // namespace clinflow::builtin
