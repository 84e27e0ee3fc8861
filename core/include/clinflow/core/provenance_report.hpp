// Text and JSON renderings of the provenance database for the command line: `clinflow history`,
// `clinflow show RUN` and `clinflow verify`. Text is for people (aligned columns, short hash
// prefixes, UTC times); JSON carries every field in full, for scripts.
#pragma once

#include <clinflow/core/provenance.hpp>
#include <cstdint>
#include <ostream>

namespace clinflow {

/// One line per run, newest first: id, status, start time (UTC), duration, step counts, workflow
/// name and file.
/// @code
///   print_history(*db, std::cout, /*json=*/false);
/// @endcode
void print_history(Provenance& db, std::ostream& out, bool json);

/// One run in full: the run record, its steps (status, reason, plugin, key prefix, times, CPU,
/// peak memory, error), the artifacts it read and wrote, its `require` results and, when it has
/// differentially private steps, its privacy ledger ("total eps X of budget Y (delta D)").
/// Throws ProvenanceError ("no run 42 in prov.db") for an unknown run id.
void print_run(Provenance& db, std::int64_t run, std::ostream& out, bool json);

/// The result of Provenance::verify(): a one-line verdict, then one line per problem.
void print_verify(const VerifyResult& result, std::ostream& out, bool json);

}  // namespace clinflow
