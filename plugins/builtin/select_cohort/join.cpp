// Many-to-one left joins: a hash map from the right table's key to its row.
//
// Implementation notes. A row's key is the bytes of its key cells (8 bytes per number, length +
// text per string), so one std::unordered_map serves every key type and arity. The map is only
// probed, never iterated, so the output order is the left table's, whatever the hash. Rows with
// a missing key cell never match (SQL semantics).
#include "join.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>

namespace clinflow_select_cohort {

using namespace clinflow;
using namespace clinflow::builtin;

namespace {

/// The key bytes of `row`, or nullopt when a key cell is missing.
std::optional<std::string> key_of(const std::vector<const Column*>& key, std::size_t row) {
  std::string out;
  for (const Column* c : key) {
    if (c->missing(row)) return std::nullopt;
    if (c->type == ColumnType::kString) {
      const std::string_view t = c->text(row);
      const auto n = std::uint32_t(t.size());
      out.append(reinterpret_cast<const char*>(&n), sizeof n);
      out.append(t);
    } else if (c->type == ColumnType::kFloat) {
      const double x = c->floats[row] == 0 ? 0.0 : c->floats[row];  // -0 joins 0
      out.append(reinterpret_cast<const char*>(&x), sizeof x);
    } else {
      out.append(reinterpret_cast<const char*>(&c->ints[row]), sizeof(std::int64_t));
    }
  }
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

void left_join(Table& left, const Table& right, const std::vector<std::string>& keys,
               std::size_t input) {
  const std::string where = "select_cohort: input " + std::to_string(input);
  std::vector<std::string> shared;
  std::vector<const Column*> left_key, right_key;
  for (const auto& k : keys) {
    const Column *l = left.find(k), *r = right.find(k);
    if (!l || !r) continue;
    if (l->type != r->type)
      throw StepError(where + ": key column '" + k + "' is " + to_string(r->type) + " but " +
                      to_string(l->type) + " in the inputs before it");
    shared.push_back(k);
    left_key.push_back(l);
    right_key.push_back(r);
  }
  if (shared.empty())
    throw StepError(where + " shares none of the join keys [" + joined(keys) +
                    "] with the inputs before it; set `keys:` to the columns that link them");
  for (const Column& c : right.columns) {
    const bool is_key = std::find(shared.begin(), shared.end(), c.name) != shared.end();
    if (!is_key && left.find(c.name))
      throw StepError(where + ": column '" + c.name +
                      "' is also in an earlier input but is not a join key; add it to `keys:` " +
                      "or drop it before the join");
  }

  std::unordered_map<std::string, std::uint32_t> row_of;
  row_of.reserve(right.rows());
  for (std::size_t r = 0; r < right.rows(); ++r) {
    auto key = key_of(right_key, r);
    if (!key) continue;
    auto [it, inserted] = row_of.emplace(std::move(*key), std::uint32_t(r));
    if (!inserted)
      throw StepError(where + " has two rows (data rows " + std::to_string(it->second + 1) +
                      " and " + std::to_string(r + 1) + ") with the same key (" + joined(shared) +
                      "); a joined table must hold at most one row per key");
  }

  constexpr std::uint32_t kNoMatch = ~std::uint32_t(0);
  std::vector<std::uint32_t> match(left.rows(), kNoMatch);
  for (std::size_t r = 0; r < left.rows(); ++r) {
    auto key = key_of(left_key, r);
    if (!key) continue;
    auto it = row_of.find(*key);
    if (it != row_of.end()) match[r] = it->second;
  }
  for (const Column& c : right.columns) {
    if (std::find(shared.begin(), shared.end(), c.name) != shared.end()) continue;
    Column out(c.name, c.type);
    out.reserve(match.size());
    for (std::uint32_t m : match) {
      if (m == kNoMatch)
        out.push_missing();
      else
        out.push_from(c, m);
    }
    left.columns.push_back(std::move(out));
  }
}

}  // namespace clinflow_select_cohort
