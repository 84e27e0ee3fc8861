// Cohort key resolution (see cohort_keys.hpp).
//
// Implementation notes: the cohort's (key, row) pairs are sorted by key (rows ascending within a
// key), which numbers the groups in key order and lays out their rows contiguously. Integer
// event keys go through an IntLookup (a flat array for the usual dense id ranges); text event
// keys are resolved once per dictionary entry, so the per-event cost is one array load.
#include "cohort_keys.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <string_view>

namespace clinflow::builtin::features {
namespace {

std::optional<std::int64_t> integer_text(std::string_view s) {
  std::int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

void require_key_type(const Column& c, const std::string& step, const char* which) {
  if (c.type == ColumnType::kFloat)
    throw StepError(step + ": join column '" + c.name + "' of the " + which +
                    " holds decimals; join keys must be integers or text");
}

}  // namespace

CohortKeys::CohortKeys(const Column& cohort_key, const Column& event_key, const std::string& step) {
  require_key_type(cohort_key, step, "cohort");
  require_key_type(event_key, step, "events");
  const std::size_t n = cohort_key.size();
  by_code_ = event_key.type == ColumnType::kString;

  if (cohort_key.type != ColumnType::kString || !by_code_) {
    // Integer keys (text cohort keys are parsed; those that are not integers never match).
    std::vector<std::pair<std::int64_t, std::uint32_t>> pairs;
    pairs.reserve(n);
    for (std::size_t r = 0; r < n; ++r) {
      std::optional<std::int64_t> k;
      if (cohort_key.type == ColumnType::kString) {
        if (cohort_key.codes[r] >= 0) k = integer_text(cohort_key.text(r));
      } else if (cohort_key.ints[r] != kMissingInt) {
        k = cohort_key.ints[r];
      }
      if (k) pairs.emplace_back(*k, std::uint32_t(r));
    }
    std::sort(pairs.begin(), pairs.end());
    std::vector<std::pair<std::int64_t, std::int32_t>> key_group;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      if (i == 0 || pairs[i].first != pairs[i - 1].first) {
        if (i) start_.push_back(std::uint32_t(i));
        key_group.emplace_back(pairs[i].first, std::int32_t(key_group.size()));
      } else {
        one_to_one_ = false;
      }
      rows_.push_back(pairs[i].second);
    }
    if (!pairs.empty()) start_.push_back(std::uint32_t(pairs.size()));
    if (one_to_one_)
      for (auto& [key, g] : key_group) g = std::int32_t(rows_[std::size_t(g)]);
    if (!by_code_) {
      ints_ = IntLookup(key_group);
      return;
    }
    // Text event keys against integer cohort keys: parse each dictionary entry once.
    IntLookup lookup(key_group);
    codes_.assign(event_key.dict.size(), -1);
    for (std::size_t c = 0; c < event_key.dict.size(); ++c)
      if (auto k = integer_text(event_key.dict[c])) codes_[c] = lookup.find(*k);
    return;
  }

  // Text keys on both sides.
  std::map<std::string_view, std::vector<std::uint32_t>> by_text;
  for (std::size_t r = 0; r < n; ++r)
    if (cohort_key.codes[r] >= 0) by_text[cohort_key.text(r)].push_back(std::uint32_t(r));
  std::map<std::string_view, std::int32_t> group_of;
  for (const auto& [text, rows] : by_text) {
    group_of[text] = std::int32_t(start_.size() - 1);
    one_to_one_ = one_to_one_ && rows.size() == 1;
    rows_.insert(rows_.end(), rows.begin(), rows.end());
    start_.push_back(std::uint32_t(rows_.size()));
  }
  if (one_to_one_)
    for (auto& [text, g] : group_of) g = std::int32_t(rows_[std::size_t(g)]);
  codes_.assign(event_key.dict.size(), -1);
  for (std::size_t c = 0; c < event_key.dict.size(); ++c)
    if (auto it = group_of.find(event_key.dict[c]); it != group_of.end()) codes_[c] = it->second;
}

}  // namespace clinflow::builtin::features
