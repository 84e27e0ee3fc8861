// Implementation notes: the cumulative epsilon is rdp::epsilon over every mechanism charged so
// far, in charge order: exactly the composition the compiler's budget check computes, so a plan
// the compiler accepted is never refused here (and the same numbers appear in both places).
// Recomputing the composition per charge costs microseconds; a run has a handful of DP steps.
#include "privacy_ledger.hpp"

#include <clinflow/rdp.hpp>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace clinflow::engine_detail {

namespace {

std::string number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", x);
  return buf;
}

std::string plain(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

/// "1.25..10 step 0.25, 11..64, 128, 256": runs of evenly spaced orders folded together.
std::string orders_text(const std::vector<double>& orders) {
  std::string out;
  std::size_t i = 0;
  while (i < orders.size()) {
    std::size_t j = i + 1;
    const double step = j < orders.size() ? orders[j] - orders[i] : 0;
    while (j + 1 < orders.size() && std::abs((orders[j + 1] - orders[j]) - step) < 1e-12) ++j;
    if (!out.empty()) out += ", ";
    if (j - i >= 2) {
      out += plain(orders[i]) + ".." + plain(orders[j]);
      if (step != 1.0) out += " step " + plain(step);
      i = j + 1;
    } else {
      out += plain(orders[i]);
      ++i;
    }
  }
  return out;
}

std::string describe(const std::vector<DpMechanism>& mechanisms) {
  std::string out;
  for (const DpMechanism& m : mechanisms)
    out += (out.empty() ? "" : "; ") + std::string("noise ") + number(m.noise_multiplier) +
           ", rate " + number(m.sampling_rate) + ", " + std::to_string(m.steps) + " steps";
  return out.empty() ? "no mechanisms" : out;
}

}  // namespace

const std::string& accountant_description() {
  static const std::string text =
      "rdp-subsampled-gaussian/1; conversion improved (Balle et al. 2020); orders " +
      orders_text(rdp::default_orders());
  return text;
}

std::string mechanisms_json(const std::vector<DpMechanism>& mechanisms) {
  nlohmann::json list = nlohmann::json::array();
  for (const DpMechanism& m : mechanisms)
    list.push_back({{"noise_multiplier", m.noise_multiplier},
                    {"sampling_rate", m.sampling_rate},
                    {"steps", m.steps}});
  return list.dump();
}

PrivacySpendRecord PrivacyLedger::charge(const std::string& step_name,
                                         const std::vector<DpMechanism>& spend, bool cached) {
  if (!budget_)
    throw StepError(
        "the step is differentially private, but the plan declares no privacy "
        "budget ([privacy] budget = { epsilon = ..., delta = ... }); refusing to "
        "spend an unbounded budget");
  const double delta = budget_->delta;
  std::lock_guard lock(mutex_);
  std::vector<DpMechanism> all = charged_;
  all.insert(all.end(), spend.begin(), spend.end());
  const double own = rdp::epsilon(spend, delta);
  const double total = rdp::epsilon(all, delta);
  // `!(total <= budget)` also refuses a NaN: never run on an epsilon nobody can state.
  if (!(total <= budget_->epsilon))
    throw StepError("privacy budget exceeded: running step '" + step_name +
                    "' would bring the run's epsilon to " + number(total) + " at delta " +
                    number(delta) + ", over the budget's epsilon " + number(budget_->epsilon) +
                    " (the step alone spends " + number(own) + ": " + describe(spend) + ")");
  charged_ = std::move(all);
  PrivacySpendRecord row;
  row.run_id = run_id_;
  row.step_name = step_name;
  row.sequence = ++sequence_;
  row.mechanisms = mechanisms_json(spend);
  row.step_epsilon = own;
  row.cumulative_epsilon = total;
  row.delta = delta;
  row.budget_epsilon = budget_->epsilon;
  row.cached = cached;
  row.accountant = accountant_description();
  return row;
}

}  // namespace clinflow::engine_detail
