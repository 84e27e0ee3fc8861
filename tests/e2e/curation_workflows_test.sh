# The curation workflows in workflows/, run as a user runs them: the main example on `clinflow synth`
# data (everywhere), and the three real-data workflows on ../shared/data (skipped when absent).
# Checks: they run end to end, the attrition table and the split check are in provenance, the
# curation report is written, reruns are cached, and artifacts are identical at 1 and 2 threads.
source "$E2E_DIR/lib.sh"
unset CLINFLOW_PLUGIN_PATH  # the built-in plugins only
WF="$SOURCE_DIR/workflows"

# Artifact hashes of a run, one per line, from `show --json` (sorted: order is not the point).
hashes() { sqlite3 :memory: "SELECT json_extract(value, '$.hash') FROM json_each(CAST(readfile('out') AS TEXT), '$.artifacts') ORDER BY 1;"; }

run_cf 0 synth "$WORK/synth" --patients 400 --seed 3
[ -f "$WORK/synth/hosp/labevents.csv.gz" ] || fail "synth wrote no labevents"
grep -q SYNTHETIC "$WORK/synth/README.txt" || fail "synth README does not say SYNTHETIC"

mimic() { run_cf 0 run "$WF/mimic_iv_mortality.toml" --project "$1" --no-progress -j "$2" \
  --set data.root="$WORK/synth" --set data.out="$WORK/report"; }
mimic p1 1
expect_in out "run 1 succeeded"
[ -s "$WORK/report/curation.html" ] || fail "no curation report"
[ -s "$WORK/report/curation.json" ] || fail "no curation JSON"
cp "$WORK/report/curation.json" "$WORK/curation-p1.json"
run_cf 0 show 1 --project p1
expect_in out "written as attrition by cohort"
expect_in out '"criterion":"age >= 18"'
expect_in out '"patient_disjoint":1'
run_cf 0 show 1 --project p1 --json
first=$(hashes)

mimic p1 2
expect_in out "run 2 succeeded"
expect_in out "1 ran, 26 cached"  # only the exporting report runs again
mimic p2 2
run_cf 0 show 1 --project p2 --json
[ "$first" = "$(hashes)" ] || fail "artifacts differ between -j 1 and -j 2"
cmp -s "$WORK/report/curation.json" "$WORK/curation-p1.json" || fail "curation JSON differs"

SHARED="$SOURCE_DIR/../shared/data"
if [ -n "${CLINFLOW_E2E_SKIP_REAL_DATA:-}" ]; then
  echo "SKIP: CLINFLOW_E2E_SKIP_REAL_DATA is set (the sanitizer pass): the real-data workflows run in the release pass"
  echo PASS
  exit 0
fi
if [ ! -d "$SHARED" ]; then
  echo "SKIP: $SHARED absent: the real-data workflows (MIMIC-IV demo, eICU demo, Diabetes 130-US) were not run"
  echo PASS
  exit 0
fi
run_cf 0 run "$WF/mimic_iv_mortality.toml" --project real --no-progress \
  --set data.root="$SHARED/mimic-iv-demo-2.2" --set data.out="$WORK/out-real-mimic"
expect_in out "succeeded"
for wf in eicu_mortality diabetes_readmission; do
  run_cf 0 run "$WF/$wf.toml" --project real --no-progress --set data.out="$WORK/out-real-$wf"
  expect_in out "succeeded"
  [ -s "$WORK/out-real-$wf/curation.html" ] || fail "$wf wrote no curation report"
done
run_cf 0 history --verify --project real
echo PASS
