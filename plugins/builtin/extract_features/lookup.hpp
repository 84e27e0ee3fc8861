// A map from 64-bit integer keys to small indexes, tuned for one lookup per event.
//
// Implementation notes: when the keys span a modest range (MIMIC hadm_ids, eICU stay ids, item
// ids) a flat array indexed by key - min answers in one load; otherwise an unordered_map does.
// The choice is made once, so the per-event branch is perfectly predictable.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace clinflow::builtin::features {

class IntLookup {
 public:
  /// Largest key range held in a flat array (4M entries: 16 MB).
  static constexpr std::uint64_t kMaxDenseRange = std::uint64_t(1) << 22;

  /// Builds the lookup from (key, index) pairs; later pairs win for equal keys.
  explicit IntLookup(const std::vector<std::pair<std::int64_t, std::int32_t>>& pairs = {}) {
    if (pairs.empty()) return;
    std::int64_t lo = pairs.front().first, hi = lo;
    for (const auto& [k, v] : pairs) {
      lo = k < lo ? k : lo;
      hi = k > hi ? k : hi;
    }
    const std::uint64_t range = std::uint64_t(hi) - std::uint64_t(lo) + 1;
    if (range <= kMaxDenseRange && range <= 8 * pairs.size() + 4096) {
      dense_ = true;
      min_ = lo;
      table_.assign(range, -1);
      for (const auto& [k, v] : pairs) table_[std::uint64_t(k) - std::uint64_t(lo)] = v;
    } else {
      map_.reserve(pairs.size() * 2);
      for (const auto& [k, v] : pairs) map_[k] = v;
    }
  }

  /// The index of `key`, or -1.
  __attribute__((always_inline)) std::int32_t find(std::int64_t key) const {
    if (dense_) {
      const std::uint64_t off = std::uint64_t(key) - std::uint64_t(min_);
      return off < table_.size() ? table_[off] : -1;
    }
    return find_hashed(key);
  }

 private:
  __attribute__((noinline)) std::int32_t find_hashed(std::int64_t key) const {
    auto it = map_.find(key);
    return it == map_.end() ? -1 : it->second;
  }

  bool dense_ = false;
  std::int64_t min_ = 0;
  std::vector<std::int32_t> table_;
  std::unordered_map<std::int64_t, std::int32_t> map_;
};

}  // namespace clinflow::builtin::features
