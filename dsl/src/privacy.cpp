// Privacy budget analysis: compose every differentially private step's declared spend with the
// SDK's RDP accountant and compare with `[privacy].budget`.
//
// Implementation notes. The accountant (clinflow/rdp.hpp) is the same code the DP plugins train
// with, so the epsilon refused here is the epsilon training would report. Each step's own epsilon
// (alone, at the budget's delta) is printed as a note so the user sees which step to change; the
// composed total is less than their sum, which is why it is printed separately.
#include <clinflow/rdp.hpp>
#include <cstdio>

#include "analyses.hpp"

namespace clinflow::dsl {

namespace {

std::string fmt(const char* format, double x) {
  char buf[48];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

std::string describe(const std::vector<DpMechanism>& mechs) {
  std::string out;
  for (const DpMechanism& m : mechs)
    out += (out.empty() ? "" : "; ") + std::string("noise ") + fmt("%g", m.noise_multiplier) +
           ", rate " + fmt("%g", m.sampling_rate) + ", " + std::to_string(m.steps) + " steps";
  return out;
}

}  // namespace

void check_privacy(const Graph& g, const Document& doc, const std::string& file,
                   Diagnostics& diags) {
  struct Spend {
    const StepNode* step;
    std::vector<DpMechanism> mechs;
  };
  std::vector<Spend> spends;
  for (const StepNode& step : g.steps) {
    if (!step.manifest->safety.differentially_private) continue;
    try {
      spends.push_back({&step, step.plugin->plugin->privacy_spend(step.params)});
    } catch (const std::exception& e) {
      diags.error(file, step.call,
                  step.plugin_name + " could not state its privacy spend: " + e.what());
    }
  }
  if (spends.empty()) return;
  if (!doc.budget) {
    diags.error(file, spends.front().step->call,
                "workflow spends privacy budget but declares no [privacy].budget");
    for (std::size_t i = 1; i < spends.size(); ++i)
      diags.note(file, spends[i].step->call,
                 std::string("'").append(spends[i].step->name()) + "' spends privacy budget too");
    return;
  }
  const Budget& budget = *doc.budget;
  std::vector<DpMechanism> all;
  std::vector<double> own;
  try {
    for (const Spend& s : spends) {
      all.insert(all.end(), s.mechs.begin(), s.mechs.end());
      own.push_back(rdp::epsilon(s.mechs, budget.delta));
    }
    double total = rdp::epsilon(all, budget.delta);
    if (total <= budget.epsilon) return;
    diags.error(doc.file, budget.where,
                "privacy budget exceeded: the workflow spends epsilon " + fmt("%.3g", total) +
                    " at delta " + fmt("%g", budget.delta) + ", more than the budget's epsilon " +
                    fmt("%g", budget.epsilon));
    for (std::size_t i = 0; i < spends.size(); ++i)
      diags.note(file, spends[i].step->where,
                 std::string("'").append(spends[i].step->name()) + "' spends epsilon " +
                     fmt("%.3g", own[i]) + " (" + describe(spends[i].mechs) + ")");
    diags.note("", {},
               "total: epsilon " + fmt("%.3g", total) + " for " + std::to_string(spends.size()) +
                   (spends.size() == 1 ? " step" : " steps") +
                   ", composed with the RDP accountant");
  } catch (const std::exception& e) {
    diags.error(doc.file, budget.where,
                std::string("cannot account the privacy spend: ") + e.what());
  }
}

}  // namespace clinflow::dsl
