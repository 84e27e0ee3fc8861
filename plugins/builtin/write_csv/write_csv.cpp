// write_csv: writes a table to a CSV file, atomically, and passes its text on.
//
// Implementation notes: the input is checked to be a well-formed table and written in canonical
// form. The write goes to a temporary file beside the target and is renamed over it, so a
// reader (or a crash) never sees half a file. Declared `exports`: the compiler refuses PHI input.
#include <clinflow/plugin.hpp>

#include "csv.hpp"
#include "table.hpp"

namespace clinflow_write_csv {

using namespace clinflow;
using namespace clinflow::builtin;

class WriteCsv final : public StepType {
 public:
  WriteCsv() {
    manifest_.name = "write_csv";
    manifest_.version = "0.1.0";
    manifest_.summary = "Write a table to a CSV file (atomically)";
    manifest_.doc =
        "Writes the input table as CSV to `path`, creating parent folders. The file is written\n"
        "to a temporary name in the same folder and renamed, so it appears complete or not at\n"
        "all. The output artifact is the CSV text. This step exports data out of the project:\n"
        "the compiler refuses input that may carry PHI (aggregate or de-identify first).";
    manifest_.params = {required_param("path", ParamType::kString,
                                       "The file to write; an existing file is replaced.")};
    manifest_.inputs = {PortSpec{"in", types::kTable, "The table to write.", false}};
    manifest_.outputs = {PortSpec{"csv", types::kText, "The CSV text that was written.", false}};
    manifest_.safety.exports = true;
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const Value path_value = param(params, manifest_, "path");
    if (!path_value.is<std::string>()) throw StepError("write_csv: 'path' must be a string");
    const std::string text = to_csv(input_table(inputs, 0, "write_csv"));
    write_file_atomic(path_value.as<std::string>(), text);
    ctx.log("write_csv: wrote " + path_value.as<std::string>());
    return {Artifact{types::kText, text}};
  }
};

}  // namespace clinflow_write_csv

CLINFLOW_PLUGIN_STEPS(clinflow_write_csv::WriteCsv)
