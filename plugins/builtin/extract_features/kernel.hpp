// The hot loops of extract_features: one pass over the events, accumulating per (row, item).
//
// Implementation notes: accessors (join key -> group, item -> selected index, value) are small
// function objects so each combination of column types compiles to a tight loop with no
// per-event type switch and no allocation. The accumulators are the output columns themselves
// (one array per item and aggregate, indexed by cohort row), so nothing is copied afterwards and
// events grouped by stay advance each array sequentially. The time test is the single
// place that enforces "never after the prediction time": an event is used only when
// prediction_time + start <= t <= prediction_time + end and t <= prediction_time.
// Ties for `last` (equal times) go to the later events row, so the result depends only on the
// input order, never on threads.
#pragma once

#include <sys/mman.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "cohort_keys.hpp"
#include "units.hpp"

namespace clinflow::builtin::features {

/// `v` resized to n copies of `x`, asking the kernel for huge pages first when it is big: events
/// in random order then update accumulators without a TLB miss per update (4 KB pages over a
/// gigabyte of accumulators miss on almost every access). Only a hint; harmless where ignored.
template <class T>
void resize_huge(std::vector<T>& v, std::size_t n, const T& x) {
  constexpr std::uintptr_t kHuge = std::uintptr_t(2) << 20;
  v.reserve(n);  // large blocks come from mmap and are not touched yet
#ifdef MADV_HUGEPAGE
  const auto begin = reinterpret_cast<std::uintptr_t>(v.data());
  const std::uintptr_t lo = (begin + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t hi = (begin + n * sizeof(T)) & ~(kHuge - 1);
  if (hi > lo) ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
#endif
  v.assign(n, x);
}

/// The running aggregates of one item for every cohort row: the output columns themselves,
/// filled in place (min/max/sum/last/last_time/count), finished by finish_item().
struct ItemAcc {
  std::vector<double> min, max, sum, last;
  std::vector<std::int64_t> last_time, count;

  explicit ItemAcc(std::size_t rows) {
    resize_huge(min, rows, std::numeric_limits<double>::infinity());
    resize_huge(max, rows, -std::numeric_limits<double>::infinity());
    resize_huge(sum, rows, 0.0);
    resize_huge(last, rows, std::numeric_limits<double>::quiet_NaN());
    resize_huge(last_time, rows, std::numeric_limits<std::int64_t>::min());
    resize_huge(count, rows, std::int64_t{0});
  }
};

/// Raw pointers into one ItemAcc, for the hot loop.
struct ItemSink {
  double *min, *max, *sum, *last;
  std::int64_t *last_time, *count;

  explicit ItemSink(ItemAcc& a)
      : min(a.min.data()),
        max(a.max.data()),
        sum(a.sum.data()),
        last(a.last.data()),
        last_time(a.last_time.data()),
        count(a.count.data()) {}

  __attribute__((always_inline)) void add(std::size_t r, double v, std::int64_t t) const {
    min[r] = v < min[r] ? v : min[r];
    max[r] = v > max[r] ? v : max[r];
    sum[r] += v;
    ++count[r];
    if (t >= last_time[r]) {
      last_time[r] = t;
      last[r] = v;
    }
  }
};

/// Per-event counters of the pass (see FeatureLog).
struct PassCounts {
  std::uint64_t not_in_cohort = 0, missing_time = 0, missing_value = 0, other_items = 0;
  std::uint64_t after_prediction = 0, outside_window = 0, used = 0;
};

/// The window, resolved against the cohort's prediction times.
struct WindowTest {
  const std::int64_t* prediction = nullptr;  ///< per cohort row; kMissingInt = no features
  std::int64_t start = 0, end = 0;           ///< relative seconds, end <= 0

  /// Calls use(row) for every cohort row of group g whose window holds time t.
  template <class Use>
  __attribute__((always_inline)) void visit(const CohortKeys& keys, std::int32_t g, std::int64_t t,
                                            PassCounts& n, Use&& use) const {
    auto one = [&](std::uint32_t r) {
      const std::int64_t p = prediction[r];
      if (p == kMissingInt) return;
      if (t > p) {
        ++n.after_prediction;  // never used, whatever the window says
      } else if (t < p + start || t > p + end) {
        ++n.outside_window;
      } else {
        ++n.used;
        use(r);
      }
    };
    if (keys.one_to_one()) return one(keys.first_row(g));
    for (const std::uint32_t* r = keys.rows_begin(g); r != keys.rows_end(g); ++r) one(*r);
  }
};

/// Join key of event i -> cohort group (or -1).
struct IntKeyOf {
  const CohortKeys* keys;
  const std::int64_t* col;
  std::int32_t operator()(std::size_t i) const { return keys->group_of_int(col[i]); }
};
struct CodeKeyOf {
  const CohortKeys* keys;
  const std::int32_t* col;
  std::int32_t operator()(std::size_t i) const { return keys->group_of_code(col[i]); }
};

/// Item of event i -> selected item index (or -1).
struct IntItemOf {
  const IntLookup* lookup;
  const std::int64_t* col;
  std::int32_t operator()(std::size_t i) const { return lookup->find(col[i]); }
};
struct CodeItemOf {
  const std::vector<std::int32_t>* table;
  const std::int32_t* col;
  std::int32_t operator()(std::size_t i) const {
    return col[i] < 0 ? -1 : (*table)[std::size_t(col[i])];
  }
};

/// Wide tables: every event row is item k (the value column's index).
struct ConstItemOf {
  std::int32_t k;
  std::int32_t operator()(std::size_t) const { return k; }
};

/// Value of event i (NaN when missing).
struct FloatValueOf {
  const double* col;
  double operator()(std::size_t i) const { return col[i]; }
};
struct IntValueOf {
  const std::int64_t* col;
  double operator()(std::size_t i) const {
    return col[i] == kMissingInt ? std::numeric_limits<double>::quiet_NaN() : double(col[i]);
  }
};

/// Unit conversion of selected item k from unit code u: table[k * stride + u + 1].
struct UnitTable {
  const std::int32_t* unit_col = nullptr;  ///< nullptr: no conversion
  std::size_t stride = 0;
  std::vector<Conversion> conv;
  std::vector<char> ok;
  std::vector<std::uint64_t> dropped;  ///< per item
  std::uint64_t unitless = 0;
};

/// The long-format pass: events x (key, time, item, value[, unit]) -> sinks[item] at the row.
template <class KeyOf, class ItemOf, class ValueOf>
void accumulate_long(std::size_t n_events, KeyOf key_of, const std::int64_t* time, ItemOf item_of,
                     ValueOf value_of, UnitTable& units, const CohortKeys& keys,
                     const WindowTest& window, const std::vector<ItemSink>& sinks, PassCounts& n) {
  // Cheapest tests first: the item (a small table) before the join key (a cohort-sized one).
  for (std::size_t i = 0; i < n_events; ++i) {
    const std::int32_t k = item_of(i);
    if (k < 0) {
      ++n.other_items;
      continue;
    }
    const std::int32_t g = key_of(i);
    if (g < 0) {
      ++n.not_in_cohort;
      continue;
    }
    const std::int64_t t = time[i];
    if (t == kMissingInt) {
      ++n.missing_time;
      continue;
    }
    double v = value_of(i);
    if (std::isnan(v)) {
      ++n.missing_value;
      continue;
    }
    if (units.unit_col) {
      const std::int32_t u = units.unit_col[i];
      const std::size_t slot = std::size_t(k) * units.stride + std::size_t(u + 1);
      if (!units.ok[slot]) {
        ++units.dropped[std::size_t(k)];
        continue;
      }
      units.unitless += u < 0;
      v = units.conv[slot].apply(v);
    }
    const ItemSink& sink = sinks[std::size_t(k)];
    window.visit(keys, g, t, n, [&](std::uint32_t r) { sink.add(r, v, t); });
  }
}

/// The counting pass for top_k: in-window cohort events with a value, per item slot.
template <class KeyOf, class SlotOf, class ValueOf>
void count_items(std::size_t n_events, KeyOf key_of, const std::int64_t* time, SlotOf slot_of,
                 ValueOf value_of, const CohortKeys& keys, const WindowTest& window,
                 std::vector<std::uint64_t>& counts) {
  PassCounts ignored;
  for (std::size_t i = 0; i < n_events; ++i) {
    const std::int32_t g = key_of(i);
    const std::int32_t s = slot_of(i);
    if (g < 0 || s < 0 || time[i] == kMissingInt || std::isnan(value_of(i))) continue;
    window.visit(keys, g, time[i], ignored, [&](std::uint32_t) { ++counts[std::size_t(s)]; });
  }
}

}  // namespace clinflow::builtin::features
