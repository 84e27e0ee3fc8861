// extract_features: the orchestration around the kernel passes (see extract.hpp, kernel.hpp).
//
// Implementation notes: at most three passes over the events, each sequential: (1) top_k only:
// count in-window cohort events per item; (2) unit harmonisation only: count units per selected
// item; (3) accumulate. Wide tables (`values:`) run pass 3 once per value column. The
// accumulators are per-item arrays indexed by cohort row, and min/max/mean/last are moved into
// the feature columns afterwards (a mean is its sum array divided in place), so the output
// costs no copy. Everything is single-threaded and in input order: the bytes depend only on the
// inputs and parameters (bench/features/RESULTS.md has the speed and what was tried).
#include "extract.hpp"

#include <algorithm>
#include <set>

#include "items.hpp"
#include "kernel.hpp"
#include "unit_plan.hpp"

namespace clinflow::builtin::features {
namespace {

constexpr const char* kAggNames[] = {"min", "max", "mean", "last", "count", "time_since_last"};

void check_spec(const FeatureSpec& spec) {
  if (spec.window_end > 0)
    throw StepError(spec.step + ": the window ends after the prediction time (end " +
                    std::to_string(spec.window_end) +
                    "s); features may only use events up to the prediction time");
  if (spec.window_start > spec.window_end)
    throw StepError(spec.step + ": the window starts after it ends");
  if (spec.aggregates.empty()) throw StepError(spec.step + ": 'aggregates' is empty");
  if (spec.top_k < 1) throw StepError(spec.step + ": 'top_k' must be at least 1");
  if (spec.prefix.empty()) throw StepError(spec.step + ": 'prefix' is empty");
}

const Column& time_column(const Table& t, const std::string& name, const std::string& step,
                          const char* which) {
  const Column& c = t.column(name, step);
  if (c.type != ColumnType::kTimestamp && c.type != ColumnType::kInt)
    throw StepError(step + ": " + which + " column '" + name + "' must hold timestamps, not " +
                    to_string(c.type));
  return c;
}

const Column& value_column(const Table& t, const std::string& name, const std::string& step) {
  const Column& c = t.column(name, step);
  if (c.type != ColumnType::kFloat && c.type != ColumnType::kInt)
    throw StepError(step + ": value column '" + name + "' must hold numbers, not " +
                    to_string(c.type));
  return c;
}

template <class F>
void with_key(const CohortKeys& keys, const Column& key, F&& f) {
  if (keys.by_code())
    f(CodeKeyOf{&keys, key.codes.data()});
  else
    f(IntKeyOf{&keys, key.ints.data()});
}

template <class F>
void with_value(const Column& value, F&& f) {
  if (value.type == ColumnType::kFloat)
    f(FloatValueOf{value.floats.data()});
  else
    f(IntValueOf{value.ints.data()});
}

/// Counts for top_k: in-window cohort events with a value, per distinct item.
ItemSelection choose_top_items(const Column& key, const Column& time, const Column& item,
                               const Column& value, const CohortKeys& keys,
                               const WindowTest& window, std::int64_t k) {
  const ItemSlots slots = item_slots(item);
  std::vector<std::uint64_t> counts(slots.slots, 0);
  with_key(keys, key, [&](auto key_of) {
    with_value(value, [&](auto value_of) {
      if (slots.by_code)
        count_items(item.size(), key_of, time.ints.data(),
                    CodeItemOf{&slots.code_to_slot, item.codes.data()}, value_of, keys, window,
                    counts);
      else
        count_items(item.size(), key_of, time.ints.data(),
                    IntItemOf{&slots.int_to_slot, item.ints.data()}, value_of, keys, window,
                    counts);
    });
  });
  return top_items(item, slots, counts, k);
}

/// The output skeleton: role and join columns (cohort order), then `keep` columns.
Table base_columns(const Table& cohort, const FeatureSpec& spec) {
  std::set<std::string> wanted{spec.on};
  for (const auto& [role, column] : cohort.roles) wanted.insert(column);
  Table out;
  for (const Column& c : cohort.columns)
    if (wanted.count(c.name)) out.columns.push_back(c);
  for (const std::string& name : spec.keep)
    if (!out.find(name)) out.columns.push_back(cohort.column(name, spec.step));
  for (const auto& [role, column] : cohort.roles)
    if (out.find(column)) out.roles[role] = column;
  return out;
}

/// Moves each item's accumulators into its output columns (item order, then aggregate order).
void add_feature_columns(Table& out, std::vector<ItemAcc>& accs,
                         const std::vector<std::string>& items, const std::int64_t* prediction,
                         const FeatureSpec& spec) {
  const std::size_t rows = out.rows();
  std::set<std::string> names;
  for (const Column& c : out.columns) names.insert(c.name);
  auto add = [&](const std::string& name, ColumnType type) -> Column& {
    if (!names.insert(name).second)
      throw StepError(spec.step + ": feature column '" + name +
                      "' clashes with another column; change 'prefix' or 'keep'");
    return out.add(name, type);
  };
  const double nan = missing_float();
  for (std::size_t k = 0; k < items.size(); ++k) {
    ItemAcc& a = accs[k];
    for (std::size_t r = 0; r < rows; ++r) {
      if (a.count[r]) {
        a.sum[r] /= double(a.count[r]);  // sum -> mean
      } else {
        a.min[r] = a.max[r] = a.sum[r] = nan;
      }
    }
    const std::string stem = spec.prefix + "_" + column_safe(items[k]) + "_";
    for (Agg agg : spec.aggregates) {
      const bool counts = agg == Agg::kCount;
      Column& c = add(stem + to_string(agg), counts ? ColumnType::kInt : ColumnType::kFloat);
      switch (agg) {
        case Agg::kMin:
          c.floats = std::move(a.min);
          break;
        case Agg::kMax:
          c.floats = std::move(a.max);
          break;
        case Agg::kMean:
          c.floats = std::move(a.sum);
          break;
        case Agg::kLast:
          c.floats = std::move(a.last);
          break;
        case Agg::kCount:
          c.ints = a.count;
          break;  // still needed below
        case Agg::kTimeSinceLast:
          c.floats.resize(rows);
          for (std::size_t r = 0; r < rows; ++r)
            c.floats[r] = a.count[r] ? double(prediction[r] - a.last_time[r]) / 3600.0 : nan;
          break;
      }
    }
    if (spec.missing_indicators) {
      Column& c = add(stem + "missing", ColumnType::kInt);
      c.ints.resize(rows);
      for (std::size_t r = 0; r < rows; ++r) c.ints[r] = a.count[r] == 0;
    }
    a = ItemAcc(0);  // release this item's memory before the next one's columns are made
  }
}

void log_counts(const PassCounts& n, FeatureLog& log) {
  log.not_in_cohort += n.not_in_cohort;
  log.missing_time += n.missing_time;
  log.missing_value += n.missing_value;
  log.other_items += n.other_items;
  log.after_prediction += n.after_prediction;
  log.outside_window += n.outside_window;
  log.used += n.used;
}

}  // namespace

const char* to_string(Agg agg) {
  return kAggNames[static_cast<int>(agg)];
}

std::optional<Agg> agg_named(const std::string& name) {
  for (int i = 0; i < 6; ++i)
    if (name == kAggNames[i]) return static_cast<Agg>(i);
  return std::nullopt;
}

Table extract_features(const Table& cohort, const Table& events, const FeatureSpec& spec,
                       FeatureLog& log) {
  check_spec(spec);
  cohort.check_shape(spec.step);
  events.check_shape(spec.step);
  const Column& prediction = cohort.require_role(roles::kPredictionTime, spec.step);
  if (prediction.type != ColumnType::kTimestamp && prediction.type != ColumnType::kInt)
    throw StepError(spec.step + ": prediction_time column '" + prediction.name +
                    "' must hold timestamps");
  const Column& cohort_key = cohort.column(spec.on, spec.step);
  const Column& event_key = events.column(spec.on, spec.step);
  const Column& time = time_column(events, spec.time, spec.step, "time");
  const CohortKeys keys(cohort_key, event_key, spec.step);
  const WindowTest window{prediction.ints.data(), spec.window_start, spec.window_end};
  log.events = events.rows();
  for (std::int64_t p : prediction.ints) log.rows_without_prediction_time += p == kMissingInt;

  std::vector<std::string> item_names;
  std::vector<ItemAcc> accs;
  std::vector<ItemSink> sinks;
  auto make_accumulators = [&](std::size_t items) {
    accs.reserve(items);
    for (std::size_t k = 0; k < items; ++k) accs.emplace_back(cohort.rows());
    for (ItemAcc& a : accs) sinks.emplace_back(a);
  };
  PassCounts counts;
  if (!spec.values.empty()) {  // wide: each value column is an item, every event row has all
    item_names = spec.values;
    make_accumulators(item_names.size());
    for (std::size_t k = 0; k < item_names.size(); ++k) {
      const Column& value = value_column(events, item_names[k], spec.step);
      UnitTable no_units;
      PassCounts n;
      with_key(keys, event_key, [&](auto key_of) {
        with_value(value, [&](auto value_of) {
          accumulate_long(events.rows(), key_of, time.ints.data(), ConstItemOf{std::int32_t(k)},
                          value_of, no_units, keys, window, sinks, n);
        });
      });
      // Per-event counters are per value cell here; keep the first column's (a row view).
      if (k == 0)
        log_counts(n, log);
      else
        log.used += n.used;
    }
  } else {
    const Column& item = events.column(spec.item, spec.step);
    const Column& value = value_column(events, spec.value, spec.step);
    require_item_column(item, spec.step);
    ItemSelection items =
        spec.items ? explicit_items(item, *spec.items, spec.step)
                   : choose_top_items(event_key, time, item, value, keys, window, spec.top_k);
    UnitTable units;
    if (!spec.unit.empty() && spec.unit_harmonise)
      units = plan_units(item, events.column(spec.unit, spec.step), items, spec.step, log.lines);
    make_accumulators(items.names.size());
    with_key(keys, event_key, [&](auto key_of) {
      with_value(value, [&](auto value_of) {
        if (items.by_code)
          accumulate_long(events.rows(), key_of, time.ints.data(),
                          CodeItemOf{&items.code_to_item, item.codes.data()}, value_of, units, keys,
                          window, sinks, counts);
        else
          accumulate_long(events.rows(), key_of, time.ints.data(),
                          IntItemOf{&items.int_to_item, item.ints.data()}, value_of, units, keys,
                          window, sinks, counts);
      });
    });
    log_counts(counts, log);
    log.unitless_kept = units.unitless;
    note_dropped(units, items, log.lines);
    item_names = std::move(items.names);
  }

  Table out = base_columns(cohort, spec);
  add_feature_columns(out, accs, item_names, prediction.ints.data(), spec);
  out.check_shape(spec.step);
  return out;
}

}  // namespace clinflow::builtin::features
