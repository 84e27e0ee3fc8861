// Part assignment.
//
// Implementation notes: part sizes are rounded per stratum (llround of count x fraction), test
// first, then validation; the rest is train. Everything is decided on dense keys numbered by
// value (keys.hpp), so the same rows in another order split the same way. by_time sorts with the
// row index as tie-break, which keeps equal admit times in input order.
#include "assign.hpp"

#include <algorithm>
#include <clinflow/plugin.hpp>
#include <cmath>
#include <numeric>

#include "shuffle.hpp"

namespace clinflow_split {

using namespace clinflow::builtin;

namespace {

/// How many of `n` go to test and to validation.
std::pair<std::size_t, std::size_t> cut(std::size_t n, Fractions f) {
  const std::size_t test = std::size_t(std::llround(double(n) * f.test));
  const std::size_t validation =
      std::min(n - test, std::size_t(std::llround(double(n) * f.validation)));
  return {test, validation};
}

}  // namespace

Assignment by_patient(const DenseKeys& patients, const std::vector<bool>* positive,
                      Fractions fractions, std::uint64_t seed) {
  std::vector<Part> part_of_patient(patients.count, kTrain);
  const int strata = positive ? 2 : 1;
  for (int s = 0; s < strata; ++s) {
    std::vector<std::uint32_t> members;
    for (std::uint32_t p = 0; p < patients.count; ++p)
      if (!positive || (*positive)[p] == (s == 1)) members.push_back(p);
    std::mt19937_64 rng = generator(seed, std::uint64_t(s));
    shuffle(members, rng);
    const auto [test, validation] = cut(members.size(), fractions);
    for (std::size_t i = 0; i < test; ++i) part_of_patient[members[i]] = kTest;
    for (std::size_t i = test; i < test + validation; ++i)
      part_of_patient[members[i]] = kValidation;
  }
  Assignment out;
  out.part_of_row.reserve(patients.of_row.size());
  for (std::uint32_t p : patients.of_row) out.part_of_row.push_back(part_of_patient[p]);
  return out;
}

Assignment by_time(const Column& admit_time, Fractions fractions) {
  const std::size_t rows = admit_time.size();
  for (std::size_t r = 0; r < rows; ++r)
    if (admit_time.missing(r))
      throw clinflow::StepError("split: admit time column '" + admit_time.name +
                                "' is missing at row " + std::to_string(r + 1));
  if (admit_time.type == ColumnType::kString)
    throw clinflow::StepError("split: admit time column '" + admit_time.name +
                              "' must be a timestamp or a number");
  std::vector<std::uint32_t> order(rows);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return admit_time.number(a) < admit_time.number(b);
  });
  const auto [test, validation] = cut(rows, fractions);
  const std::size_t train = rows - test - validation;
  Assignment out;
  out.part_of_row.assign(rows, kTest);
  for (std::size_t i = 0; i < train; ++i) out.part_of_row[order[i]] = kTrain;
  for (std::size_t i = train; i < train + validation; ++i) out.part_of_row[order[i]] = kValidation;
  return out;
}

Assignment by_group(const DenseKeys& groups, Fractions fractions, std::uint64_t seed) {
  const std::vector<std::size_t> size = groups.sizes();
  std::vector<std::uint32_t> order(groups.count);
  std::iota(order.begin(), order.end(), 0u);
  std::mt19937_64 rng = generator(seed, 0x67726f7570);  // "group"
  shuffle(order, rng);
  const double rows = double(groups.of_row.size());
  const double target[] = {0, rows * fractions.validation, rows * fractions.test};
  double taken[] = {0, 0, 0};
  auto closer = [&](Part p, std::size_t n) {
    return std::abs(taken[p] + double(n) - target[p]) < std::abs(taken[p] - target[p]);
  };
  std::vector<Part> part_of_group(groups.count, kTrain);
  for (std::uint32_t g : order) {
    for (Part p : {kTest, kValidation})
      if (closer(p, size[g])) {
        part_of_group[g] = p;
        taken[p] += double(size[g]);
        break;
      }
  }
  Assignment out;
  out.part_of_row.reserve(groups.of_row.size());
  for (std::uint32_t g : groups.of_row) out.part_of_row.push_back(part_of_group[g]);
  return out;
}

void make_patient_disjoint(Assignment& assignment, const DenseKeys& patients) {
  std::vector<Part> first(patients.count, kRemoved);  // the earliest part each patient is in
  for (std::size_t r = 0; r < assignment.part_of_row.size(); ++r)
    first[patients.of_row[r]] = std::min(first[patients.of_row[r]], assignment.part_of_row[r]);
  for (std::size_t r = 0; r < assignment.part_of_row.size(); ++r) {
    Part& part = assignment.part_of_row[r];
    if (part != kRemoved && part != first[patients.of_row[r]]) {
      part = kRemoved;
      ++assignment.removed_for_disjointness;
    }
  }
}

}  // namespace clinflow_split
