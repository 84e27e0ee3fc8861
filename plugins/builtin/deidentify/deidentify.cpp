// deidentify: HIPAA Safe Harbor style de-identification of one table, with a report.
//
// Implementation notes: the steps run in a fixed order on a typed table: dates read as text are
// typed; per-patient date offsets are derived from the ORIGINAL patient ids (before they are
// pseudonymised, so another table with the same shift_seed gets the same offsets); direct
// identifiers are dropped; join keys pseudonymised; timestamps shifted; ages capped; then
// k-anonymity. Pseudonyms and offsets share one key (shift_seed, else the step's seed), which is
// why two tables deidentified with the same shift_seed still join and line up in time. The
// key is in the workflow text: pseudonyms stop casual re-identification, not someone who holds
// both the workflow and a list of candidate ids (they can hash them), so the output must still
// be handled as a limited data set. The report names columns only, never values.
#include <algorithm>
#include <clinflow/plugin.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "csv.hpp"
#include "identifiers.hpp"
#include "k_anonymity.hpp"
#include "table.hpp"
#include "transforms.hpp"

namespace clinflow_deidentify {

using namespace clinflow;
using namespace clinflow::builtin;
using Json = nlohmann::ordered_json;

namespace {

/// The column that identifies the patient: the patient role, else a known patient id name.
const Column* patient_column(const Table& table) {
  if (const Column* c = table.role(roles::kPatient)) return c;
  for (const std::string& name : patient_key_names())
    for (const Column& c : table.columns)
      if (lower(c.name) == name) return &c;
  return nullptr;
}

bool is_role_id(const Table& table, const std::string& column) {
  for (const char* role : {roles::kPatient, roles::kStay}) {
    auto it = table.roles.find(role);
    if (it != table.roles.end() && it->second == column) return true;
  }
  return false;
}

/// Columns to drop, in table order: explicit `drop` plus direct identifiers (never the
/// patient or stay role column, which is pseudonymised instead, unless dropped explicitly).
std::vector<std::string> columns_to_drop(const Table& table, const std::vector<std::string>& drop) {
  for (const std::string& name : drop)
    if (!table.find(name))
      throw StepError("deidentify: `drop` names column '" + name +
                      "', which the table does not have");
  std::vector<std::string> out;
  for (const Column& c : table.columns) {
    const bool listed = std::find(drop.begin(), drop.end(), c.name) != drop.end();
    if (listed || (is_direct_identifier(c.name) && !is_role_id(table, c.name)))
      out.push_back(c.name);
  }
  return out;
}

void remove_columns(Table& table, const std::vector<std::string>& names) {
  const std::set<std::string> gone(names.begin(), names.end());
  std::erase_if(table.columns, [&](const Column& c) { return gone.count(c.name) > 0; });
  std::erase_if(table.roles, [&](const auto& role) { return gone.count(role.second) > 0; });
}

}  // namespace

class Deidentify final : public StepType {
 public:
  Deidentify() {
    manifest_.name = "deidentify";
    manifest_.version = "0.1.0";
    manifest_.summary =
        "De-identify a table: drop identifiers, pseudonymise ids, shift dates, "
        "cap ages, k-anonymity";
    manifest_.doc =
        "In this order:\n"
        "1. Drops direct identifiers (HIPAA Safe Harbor), matched on the whole column name,\n"
        "   case-insensitively: " +
        direct_identifier_list() +
        "; plus the columns in `drop`.\n"
        "2. Replaces patient and stay ids (the patient and stay role columns and the join keys\n"
        "   " +
        join_key_list() +
        ") by pseudonyms: a keyed SHA-256 of the id, as a\n"
        "   63-bit integer. The same id and key always give the same pseudonym.\n"
        "3. With shift_dates, shifts every timestamp column (and every text column whose cells\n"
        "   are all dates) by one offset per patient: whole days in [-max_shift, +max_shift]\n"
        "   from a keyed hash of the patient id (the patient role, else subject_id, uniquepid,\n"
        "   patient_nbr, patient_id ...). Intervals within a patient are preserved. Give two\n"
        "   deidentify steps the same `shift_seed` to keep their tables aligned: the same\n"
        "   patient then gets the same pseudonym and the same offset in both. Without\n"
        "   shift_seed the step's own seed is the key. shift_dates: false leaves dates as they\n"
        "   are: only for dates already shifted at the source (MIMIC).\n"
        "4. Ages (column `age`) above cap_age become cap_age + 1; text ages such as \"> 89\"\n"
        "   are read as numbers. Already banded text ages are left as categories.\n"
        "5. k-anonymity over quasi_identifiers: categories with fewer than k rows become\n"
        "   \"other\", then ages go to 5-, 10-, 20-year bands (\"60-69\", \"90+\"), one rung at\n"
        "   a time until every class of equal quasi-identifiers has >= k rows; rows in classes\n"
        "   still smaller are suppressed. With the default list, absent columns are skipped.\n"
        "   max_suppression (a share of rows, default 0) stops the climb early once at most\n"
        "   that share of rows sits in classes below k: a few outliers are then suppressed\n"
        "   instead of coarsening everyone's age.\n"
        "The report: {dropped_columns, pseudonymised, dates_shifted {columns, max_days},\n"
        "ages_capped, k, quasi_identifiers, generalisation {column: level}, suppressed_rows,\n"
        "smallest_class, rows_in, rows_out}; column names only, never values.";
    ParamSpec qis = list_param("quasi_identifiers", ParamType::kSymbol,
                               List{Symbol{"age"}, Symbol{"gender"}, Symbol{"race"}},
                               "Columns an attacker may know; k-anonymity is enforced over them.");
    ParamSpec k = optional_param("k", ParamType::kInt, 5, "Smallest allowed equivalence class.");
    k.min = 1;
    ParamSpec shift =
        optional_param("shift_dates", ParamType::kBool, true, "Shift dates per patient.");
    ParamSpec max_shift =
        optional_param("max_shift", ParamType::kDuration, Duration{std::int64_t{365} * 86400},
                       "Largest date shift, in whole days (e.g. 365d).");
    ParamSpec cap =
        optional_param("cap_age", ParamType::kInt, 89, "Ages above it become cap_age + 1.");
    cap.min = 0;
    ParamSpec drop = list_param("drop", ParamType::kSymbol, List{}, "More columns to drop.");
    ParamSpec seed =
        optional_param("shift_seed", ParamType::kInt, Value{},
                       "Key of pseudonyms and date offsets; default: the step's seed.");
    ParamSpec age = optional_param("age", ParamType::kSymbol, Symbol{"age"}, "The age column.");
    ParamSpec max_suppression =
        optional_param("max_suppression", ParamType::kFloat, 0.0,
                       "Share of rows that may be suppressed instead of generalising further.");
    max_suppression.min = 0;
    max_suppression.max = 1;
    manifest_.params = {qis, k, shift, max_shift, cap, drop, seed, age, max_suppression};
    manifest_.inputs = {PortSpec{"in", types::kTable, "The table to de-identify.", false}};
    PortSpec out{"out", types::kTable, "The de-identified table.", false};
    PortSpec report{"report", types::kMetrics, "What was done (JSON); no values.", false};
    report.aggregate_only = true;
    manifest_.outputs = {out, report};
    manifest_.metrics = {"ages_capped", "k",        "suppressed_rows",       "smallest_class",
                         "rows_in",     "rows_out", "dates_shifted.max_days"};
    manifest_.safety.phi = PhiEffect::kClears;
  }

  Outputs run(Context& ctx, const Inputs& inputs, const Params& params) const override {
    Table table = input_table(inputs, 0, "deidentify");
    table.check_shape("deidentify");
    const std::size_t rows_in = table.rows();
    const Value seed = param(params, manifest_, "shift_seed");
    const std::uint64_t key = seed.is_none() ? ctx.seed() : std::uint64_t(seed.as<std::int64_t>());
    const bool shift_dates = param(params, manifest_, "shift_dates").as<bool>();
    const std::int64_t max_days = max_shift_days(params);
    Json report;

    // Offsets come from the original ids, before anything is pseudonymised.
    std::vector<std::int64_t> offsets;
    if (shift_dates) {
      for (Column& c : table.columns)
        if (auto typed = as_timestamps(c)) c = std::move(*typed);
      if (has_timestamps(table)) offsets = offsets_for(table, key, max_days);
    }

    const auto dropped = columns_to_drop(table, symbol_list(param(params, manifest_, "drop")));
    remove_columns(table, dropped);
    report["dropped_columns"] = dropped;

    Json pseudonymised = Json::array();
    for (Column& c : table.columns)
      if (is_role_id(table, c.name) || is_join_key(c.name)) {
        c = clinflow_deidentify::pseudonymised(c, key);
        pseudonymised.push_back(c.name);
      }
    report["pseudonymised"] = pseudonymised;

    Json shifted = Json::array();
    if (!offsets.empty())
      for (Column& c : table.columns)
        if (c.type == ColumnType::kTimestamp) {
          shift(c, offsets);
          shifted.push_back(c.name);
        }
    report["dates_shifted"] = {{"columns", shifted}, {"max_days", shift_dates ? max_days : 0}};

    const std::int64_t cap = param(params, manifest_, "cap_age").as<std::int64_t>();
    const std::string age_name = param(params, manifest_, "age").as<Symbol>().name;
    bool age_numeric = false;
    std::size_t capped = 0;
    if (Column* age = table.find(age_name)) {
      if (auto ages = capped_ages(*age, double(cap))) {
        *age = std::move(ages->column);
        capped = ages->capped;
        age_numeric = true;
      }
    } else if (params.count("age")) {
      table.column(age_name, "deidentify");  // throws, naming the table's columns
    }
    report["ages_capped"] = capped;

    const std::int64_t k = param(params, manifest_, "k").as<std::int64_t>();
    std::vector<QuasiIdentifier> qis;
    for (const std::string& name : quasi_identifiers(table, params, dropped))
      qis.push_back({name, age_numeric && name == age_name});
    const double max_suppression = param(params, manifest_, "max_suppression").number();
    const auto max_suppressed = std::size_t(std::floor(max_suppression * double(table.rows())));
    const KAnonymity anon = k_anonymise(table, qis, std::size_t(k), cap + 1, max_suppressed);
    report["k"] = k;
    report["quasi_identifiers"] = Json::array();
    report["generalisation"] = Json::object();
    for (const auto& [name, level] : anon.levels) {
      report["quasi_identifiers"].push_back(name);
      report["generalisation"][name] = level;
    }
    report["suppressed_rows"] = anon.suppressed;
    report["smallest_class"] = anon.smallest_class;
    report["rows_in"] = rows_in;
    report["rows_out"] = table.rows();

    ctx.log("deidentify: " + std::to_string(dropped.size()) + " columns dropped, " +
            std::to_string(pseudonymised.size()) + " pseudonymised, " +
            std::to_string(shifted.size()) + " date columns shifted, " + std::to_string(capped) +
            " ages capped, " + std::to_string(anon.suppressed) +
            " rows suppressed for k=" + std::to_string(k));
    return {table_artifact(table), Artifact{types::kMetrics, report.dump()}};
  }

 private:
  std::int64_t max_shift_days(const Params& params) const {
    const Value v = param(params, manifest_, "max_shift");
    const std::int64_t seconds = v.is<Duration>() ? v.as<Duration>().seconds : -1;
    if (seconds < 0 || seconds % 86400 != 0)
      throw StepError("deidentify: max_shift must be a whole number of days (e.g. 365d)");
    return seconds / 86400;
  }

  static bool has_timestamps(const Table& table) {
    return std::any_of(table.columns.begin(), table.columns.end(),
                       [](const Column& c) { return c.type == ColumnType::kTimestamp; });
  }

  static std::vector<std::int64_t> offsets_for(const Table& table, std::uint64_t key,
                                               std::int64_t max_days) {
    const Column* patient = patient_column(table);
    if (!patient)
      throw StepError(
          "deidentify: shifting dates needs a patient column: set the patient role or have a "
          "column named subject_id, uniquepid, patient_nbr or patient_id (or pass "
          "shift_dates: false)");
    return row_offsets(*patient, key, max_days);
  }

  /// The quasi-identifiers to use: all of an explicit list (an absent one is an error), or
  /// those of the default list that the table has. Dropped columns are gone already.
  std::vector<std::string> quasi_identifiers(const Table& table, const Params& params,
                                             const std::vector<std::string>& dropped) const {
    const bool explicit_list = params.count("quasi_identifiers") > 0;
    std::vector<std::string> out;
    for (const std::string& name : symbol_list(param(params, manifest_, "quasi_identifiers"))) {
      if (std::find(dropped.begin(), dropped.end(), name) != dropped.end()) continue;
      if (table.find(name))
        out.push_back(name);
      else if (explicit_list)
        table.column(name, "deidentify: quasi-identifier");  // throws, naming the columns
    }
    return out;
  }
};

}  // namespace clinflow_deidentify

CLINFLOW_PLUGIN_STEPS(clinflow_deidentify::Deidentify)
