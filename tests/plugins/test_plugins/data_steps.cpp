// Test steps that move tables: source, transform, de-identification, splits, join, concat, export.
//
// Implementation notes: payloads are short strings that record how they were made
// ("rows=10 seed=7|t"), so other modules' tests can assert on the path data took through a
// graph without a real table format. Every payload depends only on inputs, params and seed.
#include <fstream>
#include <iterator>
#include <sstream>

#include "test_step.hpp"

namespace clinflow_test {
namespace {

using namespace clinflow;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw StepError("cannot read '" + path + "'");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Manifest base(std::string name, std::string summary) {
  Manifest m;
  m.name = std::move(name);
  m.version = "1.0.0";
  m.summary = std::move(summary);
  m.doc = "A step of the clinflow test plugin library.";
  return m;
}

void add_source(Registrar& r) {
  Manifest m = base("t_source", "Emits a small table payload");
  ParamSpec rows = spec("rows", ParamType::kInt, 10);
  rows.min = 1;
  rows.max = 1000000;
  m.params = {rows, spec("path", ParamType::kPath)};
  m.outputs = {port("out", types::kTable)};
  m.safety.phi = PhiEffect::kIntroduces;
  auto run = [m](Context& ctx, const Inputs&, const Params& p) {
    std::string bytes = "rows=" + std::to_string(param(p, m, "rows").as<std::int64_t>()) +
                        " seed=" + std::to_string(ctx.seed());
    Value path = param(p, m, "path");
    if (path.is<std::string>()) bytes += read_file(path.as<std::string>());
    return Outputs{{types::kTable, bytes}};
  };
  r.add(std::make_unique<TestStep>(m, run));
}

void add_transform(Registrar& r) {
  Manifest m = base("t_transform", "Appends |t to a table payload");
  ParamSpec factor = spec("factor", ParamType::kFloat, 1.0);
  factor.min = 0;
  ParamSpec mode = spec("mode", ParamType::kSymbol, Symbol{"exact"});
  mode.choices = {"fast", "exact"};
  m.params = {factor, mode};
  m.inputs = {port("in", types::kTable)};
  m.outputs = {port("out", types::kTable)};
  r.add(std::make_unique<TestStep>(m, [](Context&, const Inputs& in, const Params&) {
    return Outputs{{types::kTable, input_bytes(in, 0) + "|t"}};
  }));
}

void add_deid(Registrar& r) {
  Manifest m = base("t_deid", "Pretends to de-identify a table");
  ParamSpec k = spec("k", ParamType::kInt, 5);
  k.min = 2;
  m.params = {k};
  m.inputs = {port("in", types::kTable)};
  m.outputs = {port("out", types::kTable)};
  m.safety.phi = PhiEffect::kClears;
  r.add(std::make_unique<TestStep>(m, [m](Context&, const Inputs& in, const Params& p) {
    return Outputs{{types::kTable, input_bytes(in, 0) + "|deid k=" +
                                       std::to_string(param(p, m, "k").as<std::int64_t>())}};
  }));
}

void add_splits(Registrar& r) {
  Manifest m = base("t_split", "Splits a table into train and test parts");
  ParamSpec fraction = spec("test_fraction", ParamType::kFloat, {}, true);
  fraction.min = 0;
  fraction.max = 1;
  ParamSpec by = spec("by", ParamType::kSymbol, Symbol{"patient"});
  by.choices = {"patient", "time", "group"};
  m.params = {fraction, by};
  m.inputs = {port("in", types::kTable)};
  m.outputs = {port("train", types::kTable), port("test", types::kTable)};
  m.safety.split_parts = {PartRole::kTrain, PartRole::kTest};
  r.add(std::make_unique<TestStep>(m, [](Context&, const Inputs& in, const Params&) {
    const std::string x = input_bytes(in, 0);
    return Outputs{{types::kTable, x + "|train"}, {types::kTable, x + "|test"}};
  }));

  Manifest m3 = base("t_split3", "Splits a table into train, validation and test parts");
  m3.inputs = {port("in", types::kTable)};
  m3.outputs = {port("train", types::kTable), port("valid", types::kTable),
                port("test", types::kTable)};
  m3.safety.split_parts = {PartRole::kTrain, PartRole::kValidation, PartRole::kTest};
  r.add(std::make_unique<TestStep>(m3, [](Context&, const Inputs& in, const Params&) {
    const std::string x = input_bytes(in, 0);
    return Outputs{
        {types::kTable, x + "|train"}, {types::kTable, x + "|valid"}, {types::kTable, x + "|test"}};
  }));
}

void add_join_concat(Registrar& r) {
  Manifest join = base("t_join", "Joins two tables");
  join.inputs = {port("left", types::kTable), port("right", types::kTable)};
  join.outputs = {port("out", types::kTable)};
  r.add(std::make_unique<TestStep>(join, [](Context&, const Inputs& in, const Params&) {
    return Outputs{{types::kTable, "join(" + input_bytes(in, 0) + "," + input_bytes(in, 1) + ")"}};
  }));

  Manifest concat = base("t_concat", "Concatenates one or more tables");
  concat.inputs = {port("in", types::kTable, true)};
  concat.outputs = {port("out", types::kTable)};
  r.add(std::make_unique<TestStep>(concat, [](Context&, const Inputs& in, const Params&) {
    std::string out = "concat(";
    for (std::size_t i = 0; i < in.size(); ++i) {
      if (i) out += ',';
      out += input_bytes(in, i);
    }
    return Outputs{{types::kTable, out + ")"}};
  }));
}

void add_export(Registrar& r) {
  Manifest m = base("t_export", "Exports an artifact as text, optionally to a file");
  m.params = {spec("path", ParamType::kString)};
  m.inputs = {port("in", types::kAny)};
  m.outputs = {port("out", types::kText)};
  m.safety.exports = true;
  r.add(std::make_unique<TestStep>(m, [m](Context&, const Inputs& in, const Params& p) {
    const std::string bytes = input_bytes(in, 0);
    Value path = param(p, m, "path");
    if (path.is<std::string>()) {
      std::ofstream out(path.as<std::string>(), std::ios::binary);
      if (!(out << bytes)) throw StepError("cannot write '" + path.as<std::string>() + "'");
    }
    return Outputs{{types::kText, bytes}};
  }));
}

}  // namespace

void register_data_steps(Registrar& r) {
  add_source(r);
  add_transform(r);
  add_deid(r);
  add_splits(r);
  add_join_concat(r);
  add_export(r);
}

}  // namespace clinflow_test
