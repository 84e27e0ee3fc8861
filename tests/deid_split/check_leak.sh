# `clinflow check` treats split's parts as disjoint: fitting on the test part is refused before
# anything runs, fitting on train and evaluating on test is accepted. Needs CLINFLOW (the binary)
# and TEST_PLUGIN_DIR (the test plugins t_source, t_fit, t_eval); split is a built-in plugin.
set -uo pipefail
: "${CLINFLOW:?}" "${TEST_PLUGIN_DIR:?}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/clinflow-deid-split-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
export CLINFLOW_PLUGIN_PATH="$TEST_PLUGIN_DIR"
fail() { echo "FAIL: $*" >&2; cat err >&2; exit 1; }

write() {  # write NAME FIT_ON
  cat > "$1.toml" <<TOML
[workflow]
name = "$1"
[flow]
steps = '''
raw = t_source()
train, test, split_report = split(raw, by: patient, test_fraction: 0.25)
model = t_fit($2)
e = t_eval(model, test)
require split_report.patient_disjoint == 1
'''
TOML
}

write leak test
"$CLINFLOW" check leak.toml >out 2>err && fail "check accepted fitting on the test part"
grep -qF "leak.toml:7:15: error: fitting 'model' on test part 'test' of split" err ||
  fail "expected the leakage error"

write ok train
"$CLINFLOW" check ok.toml >out 2>err || fail "check refused fitting on train"
echo "PASS"
