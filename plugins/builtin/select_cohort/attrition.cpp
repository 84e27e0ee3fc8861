// Patient counts, first stay per patient and the attrition JSON.
//
// Implementation notes. The first stay per patient is found by sorting the alive rows by
// (patient, admit time, stay id, row) and keeping the first row of each patient: O(n log n),
// deterministic, and every tie has a documented winner. The JSON is written with
// nlohmann::ordered_json so the keys keep the documented order.
#include "attrition.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <unordered_set>

namespace clinflow_select_cohort {

using namespace clinflow::builtin;

namespace {

/// Three-way comparison of two cells of one column; missing sorts last.
int compare_cells(const Column& c, std::size_t a, std::size_t b) {
  const bool ma = c.missing(a), mb = c.missing(b);
  if (ma || mb) return int(ma) - int(mb);
  switch (c.type) {
    case ColumnType::kString:
      return c.text(a).compare(c.text(b));
    case ColumnType::kFloat:
      return c.floats[a] < c.floats[b] ? -1 : c.floats[a] > c.floats[b];
    default:
      return c.ints[a] < c.ints[b] ? -1 : c.ints[a] > c.ints[b];
  }
}

}  // namespace

std::size_t count_rows(const Alive& alive) {
  return std::size_t(std::count(alive.begin(), alive.end(), std::uint8_t(1)));
}

std::size_t count_patients(const Column& patient, const Alive& alive) {
  // Only the size is read, so the unordered set cannot leak its order into an output.
  std::unordered_set<std::int64_t> seen;
  for (std::size_t r = 0; r < alive.size(); ++r) {
    if (!alive[r] || patient.missing(r)) continue;
    switch (patient.type) {
      case ColumnType::kString:
        seen.insert(patient.codes[r]);  // dictionary entries are distinct texts
        break;
      case ColumnType::kFloat: {
        const double x = patient.floats[r] == 0 ? 0.0 : patient.floats[r];
        std::int64_t bits;
        std::memcpy(&bits, &x, sizeof bits);
        seen.insert(bits);
        break;
      }
      default:
        seen.insert(patient.ints[r]);
    }
  }
  return seen.size();
}

void keep_first_stay(const Column& patient, const Column& admit_time, const Column& stay,
                     Alive& alive) {
  std::vector<std::uint32_t> rows;
  for (std::size_t r = 0; r < alive.size(); ++r) {
    if (!alive[r]) continue;
    alive[r] = 0;
    if (!patient.missing(r)) rows.push_back(std::uint32_t(r));
  }
  std::sort(rows.begin(), rows.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (int c = compare_cells(patient, a, b)) return c < 0;
    if (int c = compare_cells(admit_time, a, b)) return c < 0;
    if (int c = compare_cells(stay, a, b)) return c < 0;
    return a < b;
  });
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (i == 0 || compare_cells(patient, rows[i - 1], rows[i]) != 0) alive[rows[i]] = 1;
}

std::string attrition_json(const Attrition& a) {
  using Json = nlohmann::ordered_json;
  Json criteria = Json::array();
  for (const AttritionStep& s : a.steps)
    criteria.push_back(Json{{"criterion", s.criterion},
                            {"kind", s.kind},
                            {"rows", s.rows},
                            {"patients", s.patients},
                            {"excluded", s.excluded}});
  const Json out = {{"initial", {{"rows", a.initial_rows}, {"patients", a.initial_patients}}},
                    {"criteria", criteria},
                    {"final", {{"rows", a.final_rows}, {"patients", a.final_patients}}}};
  return out.dump();
}

}  // namespace clinflow_select_cohort
