// Patient-disjointness check and report.
//
// Implementation notes: the check hashes each part's patient ids (unordered sets are only
// queried, never iterated into an output) and compares every later part with every earlier one.
// It is deliberately independent of the assignment code: a bug there becomes a StepError, never
// a silently leaking split. The message gives counts and part names, no ids.
#include "split_report.hpp"

#include <clinflow/plugin.hpp>
#include <unordered_set>

namespace clinflow_split {

using namespace clinflow::builtin;

namespace {

std::string id_key(const Column& c, std::size_t row) {
  if (c.type == ColumnType::kString) return std::string(c.text(row));
  if (c.type == ColumnType::kFloat) return c.format(row);
  return std::to_string(c.ints[row]);
}

bool positive(const Column& label, std::size_t row) {
  return !label.missing(row) && label.number(row) != 0;
}

}  // namespace

std::vector<std::size_t> verify_patient_disjoint(const std::vector<NamedPart>& parts,
                                                 const std::string& patient_column) {
  std::vector<std::unordered_set<std::string>> ids(parts.size());
  std::vector<std::size_t> distinct;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const Column& c = parts[p].table->column(patient_column, "split");
    for (std::size_t r = 0; r < c.size(); ++r) ids[p].insert(id_key(c, r));
    distinct.push_back(ids[p].size());
    for (std::size_t q = 0; q < p; ++q) {
      std::size_t shared = 0;
      for (const std::string& id : ids[p]) shared += ids[q].count(id);
      if (shared > 0)
        throw clinflow::StepError("split: " + std::to_string(shared) +
                                  " patients occur in both the " + parts[q].name + " and the " +
                                  parts[p].name + " part; refusing a leaking split");
    }
  }
  return distinct;
}

nlohmann::ordered_json split_report(const std::string& by, const std::vector<NamedPart>& parts,
                                    const std::vector<std::size_t>& patients,
                                    const std::string& label_column, std::size_t removed,
                                    std::uint64_t seed) {
  nlohmann::ordered_json out;
  out["by"] = by;
  out["parts"] = nlohmann::ordered_json::object();
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const Table& t = *parts[p].table;
    nlohmann::ordered_json stats;
    stats["rows"] = t.rows();
    stats["patients"] = patients[p];
    stats["positives"] = nullptr;
    stats["prevalence"] = nullptr;
    if (const Column* label = label_column.empty() ? nullptr : t.find(label_column)) {
      std::size_t n = 0;
      for (std::size_t r = 0; r < t.rows(); ++r) n += positive(*label, r);
      stats["positives"] = n;
      if (t.rows() > 0) stats["prevalence"] = double(n) / double(t.rows());
    }
    out["parts"][parts[p].name] = stats;
  }
  out["patient_disjoint"] = 1;
  out["removed_for_disjointness"] = removed;
  out["seed"] = seed;
  return out;
}

}  // namespace clinflow_split
