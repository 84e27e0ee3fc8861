// PHI flow analysis: protected health information must not reach a step that exports.
//
// Implementation notes. A value carries PHI when its step introduces it (reads patient records),
// or propagates it from any PHI-bearing input; a clearing step (de-identification) stops it. For
// each PHI value the input it came through is remembered, so an error can print the whole path
// from the origin to the export. Uses declared Safety properties only.
#include <map>

#include "analyses.hpp"

namespace clinflow::dsl {

void check_phi(const Graph& g, const std::string& file, Diagnostics& diags) {
  std::map<ValueRef, bool> phi;
  std::map<ValueRef, ValueRef> came_from;  // invalid: introduced here
  for (int s : topological_order(g)) {
    const StepNode& step = g.steps[s];
    const Safety& safety = step.manifest->safety;
    ValueRef carrier;
    for (const auto& in : step.inputs)
      if (phi[in.ref]) {
        carrier = in.ref;
        break;
      }
    for (int o = 0; o < static_cast<int>(step.outputs.size()); ++o) {
      const bool aggregate_only = step.manifest->outputs.size() > std::size_t(o) &&
                                  step.manifest->outputs[std::size_t(o)].aggregate_only;
      bool has = !aggregate_only && (safety.phi == PhiEffect::kIntroduces ||
                                     (safety.phi == PhiEffect::kPropagate && carrier.valid()));
      phi[{s, o}] = has;
      came_from[{s, o}] = safety.phi == PhiEffect::kIntroduces ? ValueRef{} : carrier;
    }
    if (!safety.exports) continue;
    for (const auto& in : step.inputs) {
      if (!phi[in.ref]) continue;
      diags.error(file, in.where,
                  std::string("'").append(step.name()) + "' (" + step.plugin_name + ") exports '" +
                      in.name + "', which carries protected health information");
      std::vector<ValueRef> path{in.ref};
      while (came_from[path.back()].valid()) path.push_back(came_from[path.back()]);
      std::reverse(path.begin(), path.end());
      const StepNode& origin = g.steps[path.front().step];
      std::string text = g.name_of(path.front()) + " (" + origin.plugin_name + " introduces PHI)";
      for (std::size_t i = 1; i < path.size(); ++i) text += " -> " + g.name_of(path[i]);
      text += " -> " + step.name();
      diags.note(file, origin.output_spans[path.front().output], "PHI flows " + text);
      for (std::size_t i = 1; i < path.size(); ++i) {
        const StepNode& hop = g.steps[path[i].step];
        diags.note(file, hop.output_spans[path[i].output],
                   "'" + g.name_of(path[i]) + "' carries PHI from '" + g.name_of(path[i - 1]) +
                       "' (" + hop.plugin_name + ")");
      }
    }
  }
}

}  // namespace clinflow::dsl
