// Test steps that misbehave on purpose: throw, crash, sleep (cancellable), return too many outputs.
//
// Implementation notes: t_sleep sleeps in 5 ms slices so a cancellation test finishes quickly;
// the "any" steps pass their input through with its own type.
#include <chrono>
#include <thread>

#include "test_step.hpp"

namespace clinflow_test {
namespace {

using namespace clinflow;

Manifest base(std::string name, std::string summary) {
  Manifest m;
  m.name = std::move(name);
  m.version = "1.0.0";
  m.summary = std::move(summary);
  m.doc = "A step of the clinflow test plugin library.";
  return m;
}

Artifact pass_through(const Inputs& in) {
  if (in.empty() || !in[0]) return Artifact{types::kText, ""};
  return *in[0];
}

void add_throwers(Registrar& r) {
  Manifest t = base("t_throw", "Throws a StepError with the given message");
  t.params = {spec("message", ParamType::kString, "boom")};
  t.inputs = {port("in", types::kAny)};
  t.outputs = {port("out", types::kAny)};
  r.add(std::make_unique<TestStep>(t, [t](Context&, const Inputs&, const Params& p) -> Outputs {
    throw StepError(param(p, t, "message").as<std::string>());
  }));

  Manifest c = base("t_crash_std", "Throws std::runtime_error (an unexpected failure)");
  c.inputs = {port("in", types::kAny)};
  c.outputs = {port("out", types::kAny)};
  r.add(std::make_unique<TestStep>(c, [](Context&, const Inputs&, const Params&) -> Outputs {
    throw std::runtime_error("unexpected");
  }));
}

void add_sleep(Registrar& r) {
  Manifest m = base("t_sleep", "Sleeps, reporting progress, until done or cancelled");
  m.params = {spec("ms", ParamType::kInt, 100)};
  m.inputs = {port("in", types::kAny)};
  m.outputs = {port("out", types::kAny)};
  r.add(std::make_unique<TestStep>(m, [m](Context& ctx, const Inputs& in, const Params& p) {
    const std::int64_t ms = param(p, m, "ms").as<std::int64_t>();
    for (std::int64_t slept = 0; slept < ms; slept += 5) {
      if (ctx.cancelled()) throw StepError("cancelled");
      ctx.progress(double(slept) / double(ms));
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (ctx.cancelled()) throw StepError("cancelled");
    ctx.progress(1.0);
    return Outputs{pass_through(in)};
  }));
}

void add_bad_outputs(Registrar& r) {
  Manifest m = base("t_bad_outputs", "Declares one output but returns two");
  m.outputs = {port("out", types::kTable)};
  r.add(std::make_unique<TestStep>(m, [](Context&, const Inputs&, const Params&) {
    return Outputs{{types::kTable, "one"}, {types::kTable, "two"}};
  }));
}

}  // namespace

void register_misc_steps(Registrar& r) {
  add_throwers(r);
  add_sleep(r);
  add_bad_outputs(r);
}

}  // namespace clinflow_test
