// Implementation notes: the checks count offending rows and name the first, like labels() in
// design.cpp, so a message says how widespread a problem is without showing any value.
#include "sample_weights.hpp"

#include <cmath>

namespace clinflow::builtin {

Eigen::VectorXd sample_weights(const Table& table, const std::string& name,
                               const std::string& step) {
  const Column& column = table.column(name, step);
  if (column.type != ColumnType::kFloat && column.type != ColumnType::kInt)
    throw StepError(step + ": sample weight column '" + name + "' must be float or integer");
  const std::size_t n = table.rows();
  Eigen::VectorXd s(static_cast<Eigen::Index>(n));
  std::size_t bad = 0, first_bad = 0;
  bool any_positive = false;
  for (std::size_t r = 0; r < n; ++r) {
    const double w = column.missing(r) ? NAN : column.number(r);
    const bool valid = std::isfinite(w) && w >= 0;
    if (!valid && bad++ == 0) first_bad = r;
    s(Eigen::Index(r)) = valid ? w : 0;
    any_positive = any_positive || (valid && w > 0);
  }
  if (bad > 0)
    throw StepError(step + ": sample weight column '" + name + "': " + std::to_string(bad) +
                    " row(s) missing, not finite or negative (first at row " +
                    std::to_string(first_bad) + ")");
  if (!any_positive)
    throw StepError(step + ": sample weight column '" + name + "' is zero on every row");
  return s;
}

}  // namespace clinflow::builtin
