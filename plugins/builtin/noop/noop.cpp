// noop: does nothing, cheaply. For benchmarks of the engine's own overhead and as a placeholder.
//
// Implementation notes: its one input port is variadic and optional (zero or more inputs), so the
// same step type forms roots, chains and fans. run() copies one small artifact at most: 100k-step
// graphs use it.
#include <clinflow/plugin.hpp>

namespace clinflow_noop {

using namespace clinflow;

class Noop final : public StepType {
 public:
  Noop() {
    manifest_.name = "noop";
    manifest_.version = "0.1.0";
    manifest_.summary = "Do nothing: pass the first input through, or emit \"noop\"";
    manifest_.doc =
        "Returns its first input unchanged; with no inputs it returns the small text payload\n"
        "\"noop\". It takes no parameters and has no effect on data safety. It exists to measure\n"
        "the engine's per-step overhead and to stand in for steps not written yet.";
    PortSpec in{"in", types::kAny, "Anything; only the first is passed on.", true};
    in.optional = true;
    manifest_.inputs = {in};
    manifest_.outputs = {PortSpec{"out", types::kAny, "The first input, or \"noop\".", false}};
  }

  Outputs run(Context&, const Inputs& inputs, const Params&) const override {
    if (!inputs.empty() && inputs[0]) return {*inputs[0]};
    return {Artifact{types::kText, "noop"}};
  }
};

}  // namespace clinflow_noop

CLINFLOW_PLUGIN_STEPS(clinflow_noop::Noop)
