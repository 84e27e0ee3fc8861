// spine_pass: the benchmark's own pass-through step, used only when the built-in `noop` cannot
// take inputs (its manifest declares no input ports, and the compiler holds it to that).
//
// Implementation notes: one variadic input port of any type ("one or more", as plugin.hpp
// defines variadic), one output; run() copies the first input, as noop does with inputs. It is a
// bench fixture, not a product plugin: it lives in the build's bench/plugins folder, which
// run_spine.sh passes with --plugins.
#include <clinflow/plugin.hpp>

namespace clinflow_spine_pass {

using namespace clinflow;

class SpinePass final : public Plugin {
 public:
  SpinePass() {
    manifest_.name = "spine_pass";
    manifest_.version = "0.1.0";
    manifest_.summary = "Benchmark fixture: pass the first input through";
    manifest_.doc =
        "Returns its first input unchanged. Takes one or more inputs and no parameters.";
    manifest_.inputs = {PortSpec{"in", types::kAny, "Any artifacts; the first is returned.", true}};
    manifest_.outputs = {PortSpec{"out", types::kAny, "The first input.", false}};
  }

  const Manifest& manifest() const override { return manifest_; }

  Outputs run(Context&, const Inputs& inputs, const Params&) const override {
    if (inputs.empty() || !inputs[0]) throw std::runtime_error("spine_pass: no input");
    return {*inputs[0]};
  }

 private:
  Manifest manifest_;
};

static void register_all(Registrar& r) {
  r.add(std::make_unique<SpinePass>());
}

}  // namespace clinflow_spine_pass

CLINFLOW_PLUGIN_ENTRY(clinflow_spine_pass::register_all)
