// Risk scores of a design matrix under a model, for every model kind clinflow trains.
#pragma once

#include <Eigen/Dense>
#include <string>

#include "model.hpp"

namespace clinflow::builtin {

/// P(label = 1) for each row of `x` (columns = model.design.features). Throws StepError
/// (prefixed by `step`) for an unknown kind or damaged parameters.
Eigen::VectorXd score(const Model& model, const Eigen::MatrixXd& x, const std::string& step);

}  // namespace clinflow::builtin
