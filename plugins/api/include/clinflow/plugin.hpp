// clinflow plugin SDK: THE header a plugin includes.
//
// A plugin is a shared library with one entry point, declared with CLINFLOW_PLUGIN_ENTRY, that
// registers one or more step types. Each step type describes itself in a Manifest (parameters,
// input and output ports, safety properties) that the compiler checks a workflow against before
// anything runs, and implements run(). The boundary is deliberately narrow: inputs and outputs
// are byte artifacts with a type name, parameters are plain Values, so a step can later run in
// another process from the cache alone.
//
// The interface is C++: a plugin must be built with the same compiler, standard library and
// kPluginAbiVersion as the host (Boost.DLL gives no ABI stability of its own). The host reads
// the exported `clinflow_abi_version` before it calls anything else.
//
// @code
//   class Upper final : public clinflow::Plugin { ... };
//   static void register_all(clinflow::Registrar& r) { r.add(std::make_unique<Upper>()); }
//   CLINFLOW_PLUGIN_ENTRY(register_all)
// @endcode
#pragma once

#include <boost/config.hpp>
#include <boost/dll/alias.hpp>
#include <clinflow/value.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace clinflow {

/// Bumped whenever anything in this header changes shape.
inline constexpr int kPluginAbiVersion = 2;

/// The type a parameter accepts; the compiler converts and checks values against it.
enum class ParamType {
  kInt,       ///< integer literal
  kFloat,     ///< number (an integer literal is accepted and widened)
  kBool,      ///< true / false
  kString,    ///< quoted string, `${...}` expanded
  kPath,      ///< a string naming a file: its content hash enters the step key and provenance
  kDuration,  ///< `24h`, `30d`, `15m`, `90s`
  kSymbol,    ///< a bare word, one of `choices` when they are given
  kExpr,      ///< an expression (`age >= 18`); a bare word or number is accepted too
  kList,      ///< a list `[a, b]`; elements are checked against `element`
  kInterval,  ///< `[low, high]`, two numbers with low <= high
  kAny,       ///< anything (checked by the plugin at run time)
};

/// Name of a ParamType as it appears in diagnostics and documentation ("float", "list of symbol").
const char* to_string(ParamType type);

/// One named parameter of a step type.
struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kAny;
  bool required = false;
  Value default_value;                  ///< used when not given and not required (none = absent)
  std::optional<double> min, max;       ///< inclusive range for numbers (and list lengths: no)
  std::vector<std::string> choices;     ///< allowed symbols (kSymbol, or list elements)
  ParamType element = ParamType::kAny;  ///< element type of a kList
  std::string doc;
};

/// A parameter with a default, used when the workflow does not give it.
inline ParamSpec optional_param(std::string name, ParamType type, Value default_value,
                                std::string doc) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.default_value = std::move(default_value);
  p.doc = std::move(doc);
  return p;
}

/// A parameter the workflow must give.
inline ParamSpec required_param(std::string name, ParamType type, std::string doc) {
  ParamSpec p = optional_param(std::move(name), type, Value(), std::move(doc));
  p.required = true;
  return p;
}

/// A list parameter whose elements have type `element`. Not required: set `required` on the
/// result for a list the workflow must give.
inline ParamSpec list_param(std::string name, ParamType element, Value default_value,
                            std::string doc) {
  ParamSpec p =
      optional_param(std::move(name), ParamType::kList, std::move(default_value), std::move(doc));
  p.element = element;
  return p;
}

/// Artifact types that the engine and the compiler know by name. Plugins may use their own.
namespace types {
inline constexpr const char* kTable = "table";
inline constexpr const char* kModel = "model";
inline constexpr const char* kMetrics = "metrics";  ///< a JSON object; `require` lines read it
inline constexpr const char* kText = "text";
inline constexpr const char* kAny = "any";  ///< as an input port type: accepts every type
}  // namespace types

/// One input or output port.
struct PortSpec {
  std::string name;
  std::string type = types::kAny;
  std::string doc;
  bool variadic = false;  ///< inputs only, last port only: accepts one or more arguments
  bool optional = false;  ///< with variadic: accepts zero or more arguments
  /// Outputs only: holds aggregates (counts, rates, summary statistics) and never patient-level
  /// rows, so it carries no PHI whatever the step's inputs carry (an attrition table).
  bool aggregate_only = false;
};

/// How a step changes whether data carries protected health information.
enum class PhiEffect {
  kPropagate,   ///< outputs carry PHI when any input does (the default)
  kIntroduces,  ///< outputs carry PHI: the step reads patient records
  kClears,      ///< outputs carry no PHI: the step de-identifies or aggregates with suppression
};

/// What a split output part is for; the leakage analysis refuses fitting on a kTest part.
enum class PartRole { kNone, kTrain, kValidation, kTest };

/// Safety properties the compiler's analyses use. A step declares them; it never enforces them.
struct Safety {
  PhiEffect phi = PhiEffect::kPropagate;
  /// The step writes data out of the project (report, card, bundle, export): it refuses PHI input.
  bool exports = false;
  /// The step's outputs are disjoint row subsets (parts) of input 0; roles by output index.
  std::vector<PartRole> split_parts;
  /// The step learns from this input (index): its outputs carry "trained on" that data's rows.
  std::optional<int> fits_on;
  /// The step evaluates the model at input `model` on the data at input `data`.
  struct Evaluation {
    int model = 0;
    int data = 1;
  };
  std::optional<Evaluation> evaluates;
  /// The step spends differential-privacy budget (see Plugin::privacy_spend).
  bool differentially_private = false;
};

/// One application of a (subsampled) Gaussian mechanism: `steps` compositions, each with noise
/// standard deviation `noise_multiplier` x sensitivity and Poisson sampling rate `sampling_rate`.
struct DpMechanism {
  double noise_multiplier = 0;
  double sampling_rate = 1;
  std::int64_t steps = 1;
};

/// Everything the compiler and `clinflow plugins` know about a step type.
struct Manifest {
  std::string name;     ///< the name used in workflows, e.g. "read_table"
  std::string version;  ///< semantic version of this step type; enters the step key
  std::string summary;  ///< one line
  std::string doc;      ///< longer documentation, plain text
  std::vector<ParamSpec> params;
  std::vector<PortSpec> inputs;
  std::vector<PortSpec> outputs;
  /// Dotted metric names the step's kMetrics output holds, for `require` checks.
  /// A trailing ".*" admits any name below a prefix ("groups.*").
  std::vector<std::string> metrics;
  Safety safety;
};

/// One artifact: a typed byte string. Content-addressed by the engine.
struct Artifact {
  std::string type;
  std::string bytes;
};

using Inputs = std::vector<std::shared_ptr<const Artifact>>;
using Outputs = std::vector<Artifact>;

/// What the engine offers a running step.
class BOOST_SYMBOL_VISIBLE Context {
 public:
  virtual ~Context() = default;
  /// The step's seed: derived from the workflow seed and the step's name.
  virtual std::uint64_t seed() const = 0;
  /// The step's name in the workflow (its bound output names).
  virtual const std::string& step_name() const = 0;
  /// Report progress in [0, 1]; cheap, call it as often as you like.
  virtual void progress(double fraction) = 0;
  /// True once the run is being cancelled (Ctrl-C): return or throw soon.
  virtual bool cancelled() const = 0;
  /// A log line for the run's output. Never log patient-level data.
  virtual void log(const std::string& line) = 0;
};

/// Thrown by a step for bad input data or parameters it could only check at run time.
/// The message reaches the user with the step's name and workflow line.
class StepError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A step type.
class BOOST_SYMBOL_VISIBLE Plugin {
 public:
  virtual ~Plugin() = default;
  virtual const Manifest& manifest() const = 0;
  /// What the step spends of the privacy budget with these (checked) parameters.
  /// Called by the compiler; only for steps whose Safety says differentially_private.
  virtual std::vector<DpMechanism> privacy_spend(const Params& /*params*/) const { return {}; }
  /// Runs the step. `inputs` follow manifest().inputs; the result must follow
  /// manifest().outputs. Must be deterministic for the same inputs, params and ctx.seed().
  virtual Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const = 0;
};

/// Receives a library's step types.
class BOOST_SYMBOL_VISIBLE Registrar {
 public:
  virtual ~Registrar() = default;
  virtual void add(std::unique_ptr<Plugin> plugin) = 0;
};

/// A step type that keeps its manifest in a member: derive, fill `manifest_` in the
/// constructor, implement run().
class BOOST_SYMBOL_VISIBLE StepType : public Plugin {
 public:
  const Manifest& manifest() const final { return manifest_; }

 protected:
  Manifest manifest_;
};

/// Registers one object of each step type: `register_steps<ReadCsv, WriteCsv>(registrar)`.
template <class... Steps>
void register_steps(Registrar& registrar) {
  (registrar.add(std::make_unique<Steps>()), ...);
}

inline const char* to_string(ParamType type) {
  switch (type) {
    case ParamType::kInt:
      return "integer";
    case ParamType::kFloat:
      return "number";
    case ParamType::kBool:
      return "boolean";
    case ParamType::kString:
      return "string";
    case ParamType::kPath:
      return "path";
    case ParamType::kDuration:
      return "duration";
    case ParamType::kSymbol:
      return "symbol";
    case ParamType::kExpr:
      return "expression";
    case ParamType::kList:
      return "list";
    case ParamType::kInterval:
      return "interval";
    case ParamType::kAny:
      return "any";
  }
  return "?";
}

}  // namespace clinflow

/// The entry point every plugin library has: exports the ABI version and a registration
/// function. `register_fn` is a function `void(clinflow::Registrar&)`.
#define CLINFLOW_PLUGIN_ENTRY(register_fn)                                      \
  extern "C" {                                                                  \
  BOOST_SYMBOL_EXPORT int clinflow_abi_version = ::clinflow::kPluginAbiVersion; \
  }                                                                             \
  namespace clinflow_plugin_entry {                                             \
  inline void register_plugins(::clinflow::Registrar& registrar) {              \
    register_fn(registrar);                                                     \
  }                                                                             \
  }                                                                             \
  BOOST_DLL_ALIAS(clinflow_plugin_entry::register_plugins, clinflow_register)

/// The entry point of a library whose step types are default-constructible classes; name them
/// with their namespace: `CLINFLOW_PLUGIN_STEPS(my_team::UnitHarmonise)`.
#define CLINFLOW_PLUGIN_STEPS(...)                             \
  namespace clinflow_plugin_steps {                            \
  inline void register_all(::clinflow::Registrar& registrar) { \
    ::clinflow::register_steps<__VA_ARGS__>(registrar);        \
  }                                                            \
  }                                                            \
  CLINFLOW_PLUGIN_ENTRY(clinflow_plugin_steps::register_all)
