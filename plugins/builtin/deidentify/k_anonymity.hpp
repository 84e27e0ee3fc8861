// k-anonymity over quasi-identifiers: a fixed generalisation ladder, then suppression.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "table.hpp"

namespace clinflow_deidentify {

/// One quasi-identifier column; `age` marks the numeric age column, which is generalised into
/// bands; every other quasi-identifier is a category (numbers by their value).
struct QuasiIdentifier {
  std::string name;
  bool age = false;
};

struct KAnonymity {
  /// Generalisation reached per quasi-identifier, in the given order: "exact",
  /// "5-year bands", "10-year bands", "20-year bands" or "rare categories -> other".
  std::vector<std::pair<std::string, std::string>> levels;
  std::size_t suppressed = 0;      ///< rows dropped because their class stayed below k
  std::size_t smallest_class = 0;  ///< smallest equivalence class left (0 when no row is left)
};

/// Makes `table` k-anonymous over `qis`, in place. The ladder, one rung at a time until every
/// equivalence class (rows with equal quasi-identifiers, missing being a value) has >= k rows:
///   1. categories with fewer than k rows in the table become "other";
///   2. ages in 5-year bands ("60-64"), 3. 10-year ("60-69"), 4. 20-year ("60-79").
/// The band holding `top_age` (capped ages) is written open-ended ("90+", "80+").
/// The climb also stops once at most `max_suppressed` rows sit in classes below k (0: climb
/// until every class has k rows or the ladder ends). Rows still in classes below k are then
/// dropped. Deterministic: depends on values only.
KAnonymity k_anonymise(clinflow::builtin::Table& table, const std::vector<QuasiIdentifier>& qis,
                       std::size_t k, std::int64_t top_age, std::size_t max_suppressed = 0);

}  // namespace clinflow_deidentify
