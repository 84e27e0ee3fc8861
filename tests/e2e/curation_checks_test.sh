# The compiler's safety checks cover the curation plugins through their declared properties:
# PHI from read_table must be de-identified before it is exported, a fitted step must not learn
# from a test part, and the split parts are disjoint. Nothing runs: `clinflow check` only.
source "$E2E_DIR/lib.sh"
unset CLINFLOW_PLUGIN_PATH  # the built-in plugins only
touch stays.csv events.csv

# write_wf NAME STEPS : a workflow around the given step lines.
write_wf() {
  cat >"$1.toml" <<TOML
[workflow]
name = "$1"
version = "1.0.0"
seed = 1
[flow]
steps = '''
$2
'''
TOML
}

base='stays  = read_table(path: "stays.csv")
events = read_table(path: "events.csv")
cohort, attrition = select_cohort(stays, layout: generic, patient: pid, stay: sid)
labeled, outcome = label(cohort, outcome: expression, where: died == 1, prediction_time: 24h)
features = extract_features(labeled, events, time: t, item: item, value: v, window: [-24h, 0h])'

# The good shape checks clean.
write_wf good "$base
deid, deid_report = deidentify(features, quasi_identifiers: [age], k: 5)
train, test, split_check = split(deid, by: patient, test_fraction: 0.25)
prep = fit_preprocessing(train)
test_x = apply_preprocessing(test, prep)
report = curation_report(attrition, train, test, parts: [train, test], path: \"r.html\", json: \"r.json\")
s = summarize(test_x)
require split_check.patient_disjoint == 1
require s.rows >= 1
require deid_report.smallest_class >= 5
require outcome.rows >= 1"
run_cf 0 check good.toml

# PHI: the report is fed the identified feature table.
write_wf phi "$base
train, test, split_check = split(features, by: patient, test_fraction: 0.25)
report = curation_report(attrition, train, test, parts: [train, test], path: \"r.html\", json: \"r.json\")"
run_cf 1 check phi.toml
expect_in err "exports 'train', which carries protected health information"
expect_in err "read_table introduces PHI"

# The attrition table holds counts only: exporting it alone is allowed (no PHI).
write_wf counts "$base
deid, deid_report = deidentify(features, quasi_identifiers: [age], k: 5)
report = curation_report(attrition, deid, parts: [all], path: \"r.html\", json: \"r.json\")"
run_cf 0 check counts.toml

# Leakage: preprocessing fitted on the test part.
write_wf leak "$base
deid, deid_report = deidentify(features, quasi_identifiers: [age], k: 5)
train, test, split_check = split(deid, by: patient, test_fraction: 0.25)
prep = fit_preprocessing(test)
train_x = apply_preprocessing(train, prep)"
run_cf 1 check leak.toml
expect_in err "test"
echo PASS
