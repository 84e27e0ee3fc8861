// The run-time privacy guard: charges each differentially private step's spend to the run's
// ledger before the step runs, and refuses a step that would take the run over its budget.
#pragma once

#include <clinflow/core/ir.hpp>
#include <clinflow/core/provenance.hpp>
#include <clinflow/plugin.hpp>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace clinflow::engine_detail {

/// The accountant as recorded with every ledger row: name/version, conversion and the orders.
const std::string& accountant_description();

/// The mechanisms as JSON: [{"noise_multiplier":1.1,"sampling_rate":0.01,"steps":1000}].
std::string mechanisms_json(const std::vector<DpMechanism>& mechanisms);

/// Charges are composed in the order they are made; the engine orders the DP steps of a plan
/// one after another (plan order), so that order, and every cumulative epsilon, is fixed.
class PrivacyLedger {
 public:
  PrivacyLedger(std::optional<ir::PrivacyBudget> budget, std::int64_t run_id)
      : budget_(budget), run_id_(run_id) {}

  /// The ledger row for a step about to run (or to reuse a cached artifact) with these
  /// mechanisms. Throws StepError, charging nothing, when there is no budget or the run's
  /// composed epsilon would exceed it.
  PrivacySpendRecord charge(const std::string& step_name, const std::vector<DpMechanism>& spend,
                            bool cached);

 private:
  std::optional<ir::PrivacyBudget> budget_;
  std::int64_t run_id_;
  std::mutex mutex_;
  std::vector<DpMechanism> charged_;  ///< every mechanism charged so far, in charge order
  int sequence_ = 0;
};

}  // namespace clinflow::engine_detail
