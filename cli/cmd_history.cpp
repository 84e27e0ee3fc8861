// `clinflow history [--verify]` and `clinflow show RUN`: read the provenance database.
#include <clinflow/core/provenance_report.hpp>
#include <filesystem>
#include <iostream>

#include "cli_common.hpp"

namespace clinflow::cli {

namespace {
std::unique_ptr<Provenance> open_existing(const GlobalOptions& options) {
  const std::string path = db_path(options);
  if (!std::filesystem::exists(path))
    throw ProvenanceError("no provenance database at '" + path +
                          "' (run a workflow first, or pass --project)");
  return Provenance::open(path);
}
}  // namespace

int cmd_history(const GlobalOptions& options, bool verify) {
  auto db = open_existing(options);
  if (!verify) {
    print_history(*db, std::cout, options.json);
    return 0;
  }
  VerifyResult result = db->verify();
  print_verify(result, std::cout, options.json);
  return result.ok ? 0 : kExitFailed;
}

int cmd_show(const GlobalOptions& options, std::int64_t run) {
  auto db = open_existing(options);
  print_run(*db, run, std::cout, options.json);
  return 0;
}

}  // namespace clinflow::cli
