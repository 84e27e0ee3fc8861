// The three ways of assigning rows to parts: by patient, by time, by group.
#pragma once

#include <cstdint>
#include <vector>

#include "keys.hpp"
#include "table.hpp"

namespace clinflow_split {

/// Parts in output order of split3; split has no validation part.
enum Part : std::uint8_t { kTrain = 0, kValidation = 1, kTest = 2, kRemoved = 3 };

struct Fractions {
  double test = 0.25;
  double validation = 0;  ///< 0 for split
};

/// The part of every row; kRemoved rows were dropped to keep the parts patient-disjoint.
struct Assignment {
  std::vector<Part> part_of_row;
  std::size_t removed_for_disjointness = 0;
};

/// Whole patients to parts. With `positive` (per patient), patients with and without a positive
/// row are shuffled and cut separately, so each part keeps the prevalence.
Assignment by_patient(const DenseKeys& patients, const std::vector<bool>* positive,
                      Fractions fractions, std::uint64_t seed);

/// Rows in admit-time order: the earliest go to train, then validation, the latest to test.
Assignment by_time(const clinflow::builtin::Column& admit_time, Fractions fractions);

/// Whole groups to parts in a seeded order, each part taking groups while that brings its row
/// count closer to its share.
Assignment by_group(const DenseKeys& groups, Fractions fractions, std::uint64_t seed);

/// Removes a patient's rows from every part after the first one it is in (train, validation,
/// test), counting them.
void make_patient_disjoint(Assignment& assignment, const DenseKeys& patients);

}  // namespace clinflow_split
