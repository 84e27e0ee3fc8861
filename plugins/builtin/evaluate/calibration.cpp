#include "calibration.hpp"

#include <stdexcept>
#include <string>

namespace clinflow::builtin::eval {

void require_probabilities(const ScoredSet& s) {
  for (std::size_t i = 0; i < s.size(); ++i)
    if (!(s.score[i] >= 0 && s.score[i] <= 1))
      throw std::invalid_argument("risk of row " + std::to_string(s.original[i]) +
                                  " is outside [0, 1]");
}

}  // namespace clinflow::builtin::eval
