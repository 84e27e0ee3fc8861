// A library that registers a step named "t_source", clashing with the test plugin library.
#include <clinflow/plugin.hpp>

namespace dup_source {

class DupSource final : public clinflow::Plugin {
 public:
  DupSource() {
    manifest_.name = "t_source";
    manifest_.version = "9.9.9";
    manifest_.summary = "A duplicate of t_source, for loader tests";
    manifest_.outputs = {clinflow::PortSpec{"out", clinflow::types::kTable, "", false}};
  }
  const clinflow::Manifest& manifest() const override { return manifest_; }
  clinflow::Outputs run(clinflow::Context&, const clinflow::Inputs&,
                        const clinflow::Params&) const override {
    return {{clinflow::types::kTable, "dup"}};
  }

 private:
  clinflow::Manifest manifest_;
};

static void register_all(clinflow::Registrar& r) {
  r.add(std::make_unique<DupSource>());
}

}  // namespace dup_source

CLINFLOW_PLUGIN_ENTRY(dup_source::register_all)
