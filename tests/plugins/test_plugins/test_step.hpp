// Shared helpers for the test plugin library: a step type built from a manifest and a function.
#pragma once

#include <clinflow/plugin.hpp>
#include <functional>
#include <memory>
#include <string>
#include <utility>

namespace clinflow_test {

using RunFn = std::function<clinflow::Outputs(clinflow::Context&, const clinflow::Inputs&,
                                              const clinflow::Params&)>;
using SpendFn = std::function<std::vector<clinflow::DpMechanism>(const clinflow::Params&)>;

/// A step type whose behaviour is a function; test steps are small enough not to need a class each.
class TestStep final : public clinflow::Plugin {
 public:
  TestStep(clinflow::Manifest manifest, RunFn run, SpendFn spend = {})
      : manifest_(std::move(manifest)), run_(std::move(run)), spend_(std::move(spend)) {}
  const clinflow::Manifest& manifest() const override { return manifest_; }
  std::vector<clinflow::DpMechanism> privacy_spend(const clinflow::Params& params) const override {
    return spend_ ? spend_(params) : std::vector<clinflow::DpMechanism>{};
  }
  clinflow::Outputs run(clinflow::Context& ctx, const clinflow::Inputs& inputs,
                        const clinflow::Params& params) const override {
    return run_(ctx, inputs, params);
  }

 private:
  clinflow::Manifest manifest_;
  RunFn run_;
  SpendFn spend_;
};

/// A parameter's value: the given one, else the manifest default (tests may call run() directly).
inline clinflow::Value param(const clinflow::Params& params, const clinflow::Manifest& manifest,
                             const std::string& name) {
  if (auto it = params.find(name); it != params.end()) return it->second;
  for (const auto& spec : manifest.params)
    if (spec.name == name) return spec.default_value;
  return {};
}

/// The bytes of input `index`, or "" when it is absent.
inline std::string input_bytes(const clinflow::Inputs& inputs, std::size_t index) {
  return index < inputs.size() && inputs[index] ? inputs[index]->bytes : std::string();
}

/// A ParamSpec in one expression.
inline clinflow::ParamSpec spec(std::string name, clinflow::ParamType type,
                                clinflow::Value def = {}, bool required = false) {
  clinflow::ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.default_value = std::move(def);
  p.required = required;
  p.doc = "test parameter " + p.name;
  return p;
}

inline clinflow::PortSpec port(std::string name, std::string type, bool variadic = false) {
  return clinflow::PortSpec{std::move(name), std::move(type), "test port", variadic};
}

/// Registration functions of the library's files (called by the entry point in entry.cpp).
void register_data_steps(clinflow::Registrar& r);
void register_model_steps(clinflow::Registrar& r);
void register_misc_steps(clinflow::Registrar& r);

}  // namespace clinflow_test
