// extract_features: windowed per-item aggregates of an events table, one row per cohort row.
//
// Implementation notes: this file only turns parameters into a FeatureSpec, runs the kernel
// (extract.cpp) and logs counts. The no-look-ahead rule lives in one place, WindowTest in
// kernel.hpp; the window's end is checked here too so a workflow cannot ask for the future.
#include <clinflow/plugin.hpp>
#include <cmath>

#include "csv.hpp"
#include "extract.hpp"
#include "table.hpp"

namespace clinflow_extract_features {

using namespace clinflow;
using namespace clinflow::builtin;
namespace cf = clinflow::builtin::features;

std::string item_text(const Value& v) {
  if (v.is<std::int64_t>()) return std::to_string(v.as<std::int64_t>());
  if (v.is<std::string>()) return v.as<std::string>();
  if (v.is<Symbol>()) return v.as<Symbol>().name;
  if (v.is<double>() && std::floor(v.as<double>()) == v.as<double>())
    return std::to_string(static_cast<std::int64_t>(v.as<double>()));
  throw StepError("extract_features: 'items' holds " + to_text(v) +
                  "; items are integers or strings");
}

class ExtractFeatures final : public StepType {
 public:
  ExtractFeatures() {
    manifest_.name = "extract_features";
    manifest_.version = "0.1.0";
    manifest_.summary = "Windowed aggregates of events (labs, vitals) per cohort row";
    manifest_.doc =
        "Input 1 is the labelled cohort (one row per stay, with a prediction_time role); input 2\n"
        "holds events joined on `on` (default: the cohort's stay column). Long events have\n"
        "`item`, `value`, optional `unit` columns; a wide table lists its value columns in\n"
        "`values` instead (each column is an item). An event counts for a row when\n"
        "prediction_time + window[0] <= time <= prediction_time + window[1], and never when it\n"
        "is later than the prediction time; window[1] > 0 is an error. Events with a missing\n"
        "time or value are skipped and counted. Items are `items` (in that order) or the\n"
        "`top_k` most frequent among in-window cohort events (ties: smaller item first).\n"
        "Columns: `<prefix>_<item>_<aggregate>` per item and aggregate in the given orders, then\n"
        "`<prefix>_<item>_missing` (1 when the row has no in-window value). Aggregates: min,\n"
        "max, mean, last (latest time; ties: later events row), count (0 when none, never\n"
        "missing), time_since_last (hours before the prediction time). With unit_harmonise\n"
        "each item's values are converted to its most frequent unit among all its events\n"
        "(built-in factors: g/dL, mg/dL, mmol/L, umol/L, mEq/L for known analytes such as\n"
        "glucose, BUN, creatinine, electrolytes; degF -> degC; lb -> kg; in -> cm; kPa ->\n"
        "mmHg); rows in a unit it cannot convert are dropped and counted per item; rows\n"
        "without a unit are taken as in the target unit. Output: the cohort's role columns\n"
        "and `on`, then `keep`, then the features, in cohort row order, roles kept.";
    ParamSpec top_k =
        optional_param("top_k", ParamType::kInt, 20,
                       "Without `items`: how many of the most frequent items to use.");
    top_k.min = 1;
    ParamSpec aggregates = list_param(
        "aggregates", ParamType::kSymbol,
        List{Symbol{"min"}, Symbol{"max"}, Symbol{"mean"}, Symbol{"last"}, Symbol{"count"}},
        "Aggregates per item, in column order.");
    aggregates.choices = {"min", "max", "mean", "last", "count", "time_since_last"};
    ParamSpec values = list_param("values", ParamType::kSymbol, Value(),
                                  "Wide events: the value columns (items).");
    ParamSpec items =
        list_param("items", ParamType::kAny, Value(), "Explicit items (integers or strings).");
    manifest_.params = {
        optional_param("on", ParamType::kSymbol, Value(),
                       "Join column in both tables (default: stay role)."),
        optional_param("time", ParamType::kSymbol, Symbol{"charttime"}, "Event time column."),
        optional_param("item", ParamType::kSymbol, Symbol{"itemid"}, "Item column (long events)."),
        optional_param("value", ParamType::kSymbol, Symbol{"valuenum"},
                       "Value column (long events)."),
        optional_param("unit", ParamType::kSymbol, Value(), "Unit column (long events; optional)."),
        values,
        list_param("window", ParamType::kDuration,
                   List{Duration{std::int64_t{-24} * 3600}, Duration{0}},
                   "[start, end] relative to the prediction time; end <= 0h."),
        aggregates,
        items,
        top_k,
        optional_param("unit_harmonise", ParamType::kBool, true, "Convert each item to one unit."),
        optional_param("missing_indicators", ParamType::kBool, true,
                       "Add `<prefix>_<item>_missing` columns."),
        optional_param("prefix", ParamType::kString, "f", "Feature column prefix."),
        list_param("keep", ParamType::kSymbol, List{}, "Cohort columns to carry over (age, ...)."),
    };
    manifest_.inputs = {PortSpec{"cohort", types::kTable, "One row per stay (labelled).", false},
                        PortSpec{"events", types::kTable, "Long or wide events.", false}};
    manifest_.outputs = {
        PortSpec{"features", types::kTable, "Cohort keys, kept columns, features.", false}};
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    const Table cohort = input_table(inputs, 0, "extract_features");
    const Table events = input_table(inputs, 1, "extract_features");
    const cf::FeatureSpec spec = spec_from(params, cohort);
    cf::FeatureLog log;
    const Table out = cf::extract_features(cohort, events, spec, log);
    ctx.log("extract_features: " + std::to_string(out.rows()) + " rows, " +
            std::to_string(out.columns.size()) + " columns from " + std::to_string(log.events) +
            " events: " + std::to_string(log.used) + " values used, " +
            std::to_string(log.after_prediction) + " after the prediction time, " +
            std::to_string(log.outside_window) + " outside the window, " +
            std::to_string(log.not_in_cohort) + " not in the cohort, " +
            std::to_string(log.other_items) + " other items, " + std::to_string(log.missing_time) +
            " without a time, " + std::to_string(log.missing_value) + " without a value");
    if (log.rows_without_prediction_time)
      ctx.log("extract_features: " + std::to_string(log.rows_without_prediction_time) +
              " cohort rows have no prediction time (all features missing)");
    if (log.unitless_kept)
      ctx.log("extract_features: " + std::to_string(log.unitless_kept) +
              " rows without a unit taken as in their item's usual unit");
    for (const std::string& line : log.lines) ctx.log("extract_features: " + line);
    return {table_artifact(out)};
  }

 private:
  cf::FeatureSpec spec_from(const Params& params, const Table& cohort) const {
    auto get = [&](const char* name) { return param(params, manifest_, name); };
    cf::FeatureSpec spec;
    const Value on = get("on");
    if (!on.is_none()) {
      spec.on = symbol_list(on).front();
    } else if (auto it = cohort.roles.find(roles::kStay); it != cohort.roles.end()) {
      spec.on = it->second;
    } else {
      throw StepError("extract_features: give `on:` (the cohort has no stay role to join on)");
    }
    spec.time = symbol_list(get("time")).front();
    spec.item = symbol_list(get("item")).front();
    spec.value = symbol_list(get("value")).front();
    if (const Value u = get("unit"); !u.is_none()) spec.unit = symbol_list(u).front();
    spec.values = symbol_list(get("values"));
    const Value window = get("window");
    if (!window.is<List>() || window.as<List>().size() != 2 ||
        !window.as<List>()[0].is<Duration>() || !window.as<List>()[1].is<Duration>())
      throw StepError("extract_features: 'window' must be [start, end] durations, e.g. [-24h, 0h]");
    spec.window_start = window.as<List>()[0].as<Duration>().seconds;
    spec.window_end = window.as<List>()[1].as<Duration>().seconds;
    spec.aggregates.clear();
    for (const std::string& name : symbol_list(get("aggregates"))) {
      auto agg = cf::agg_named(name);
      if (!agg) throw StepError("extract_features: unknown aggregate '" + name + "'");
      spec.aggregates.push_back(*agg);
    }
    if (const Value items = get("items"); !items.is_none()) {
      spec.items.emplace();
      const List list = items.is<List>() ? items.as<List>() : List{items};
      for (const Value& v : list) spec.items->push_back(item_text(v));
    }
    spec.top_k = get("top_k").as<std::int64_t>();
    spec.unit_harmonise = get("unit_harmonise").as<bool>();
    spec.missing_indicators = get("missing_indicators").as<bool>();
    spec.prefix = get("prefix").as<std::string>();
    spec.keep = symbol_list(get("keep"));
    return spec;
  }
};

}  // namespace clinflow_extract_features

CLINFLOW_PLUGIN_STEPS(clinflow_extract_features::ExtractFeatures)
