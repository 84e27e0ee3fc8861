// The safety analyses over plugin-declared Safety properties: leakage between split parts and
// models, PHI reaching an exporting step, and the composed differential-privacy spend.
// They run on a checked graph without errors (all inputs resolved, no cycles).
#pragma once

#include "check.hpp"
#include "workflow.hpp"

namespace clinflow::dsl {

void check_leakage(const Graph& graph, const std::string& file, Diagnostics& diags);
void check_phi(const Graph& graph, const std::string& file, Diagnostics& diags);
void check_privacy(const Graph& graph, const Document& doc, const std::string& file,
                   Diagnostics& diags);

}  // namespace clinflow::dsl
