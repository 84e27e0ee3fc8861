// noop: does nothing, cheaply. For benchmarks of the engine's own overhead and as a placeholder.
//
// Implementation notes: plugin.hpp's variadic ports mean "one or more", and noop must also work
// with no inputs, so it declares no input ports; when the engine hands it inputs anyway it passes
// the first one through. run() allocates one small string at most: 100k-step graphs use it.
#include <clinflow/plugin.hpp>

namespace clinflow_noop {

using namespace clinflow;

class Noop final : public Plugin {
 public:
  Noop() {
    manifest_.name = "noop";
    manifest_.version = "0.1.0";
    manifest_.summary = "Do nothing: pass the first input through, or emit \"noop\"";
    manifest_.doc =
        "Returns its first input unchanged; with no inputs it returns the small text payload\n"
        "\"noop\". It takes no parameters and has no effect on data safety. It exists to measure\n"
        "the engine's per-step overhead and to stand in for steps not written yet.";
    manifest_.outputs = {PortSpec{"out", types::kAny, "The first input, or \"noop\".", false}};
  }

  const Manifest& manifest() const override { return manifest_; }

  Outputs run(Context&, const Inputs& inputs, const Params&) const override {
    if (!inputs.empty() && inputs[0]) return {*inputs[0]};
    return {Artifact{types::kText, "noop"}};
  }

 private:
  Manifest manifest_;
};

static void register_all(Registrar& r) {
  r.add(std::make_unique<Noop>());
}

}  // namespace clinflow_noop

CLINFLOW_PLUGIN_ENTRY(clinflow_noop::register_all)
