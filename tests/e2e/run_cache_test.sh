# A workflow runs end to end, is reused from the cache on the second run, explains why, and
# records everything in provenance (history, show, --json, --verify).
source "$E2E_DIR/lib.sh"
wf=$(workflow pipeline)

run_cf 0 check "$wf"
expect_in out "ok: 7 steps, 1 require gates"

run_cf 0 run "$wf" --no-progress
expect_in out "run 1 succeeded: 7 ran, 0 cached"
[ -f .clinflow/provenance.db ] || fail "no provenance database"

run_cf 0 run "$wf" --no-progress --explain
expect_in out "run 2 succeeded: 1 ran, 6 cached"
expect_in out "up to date: key"
expect_in out "exporting step: always runs"

# A changed value reruns the steps downstream of it, and says why.
run_cf 0 run "$wf" --no-progress --explain --set data.rows=120
expect_in out "ran      raw"
expect_in out "parameters changed"
expect_in out "input 'raw' changed"

run_cf 0 history
expect_in out "succeeded"
run_cf 0 history --json
[ "$(sqlite3 :memory: "SELECT json_valid(CAST(readfile('out') AS TEXT));")" = 1 ] || fail "history --json is not valid JSON"
run_cf 0 show 1
expect_in out "t_fit"
# Metrics artifacts are kept in provenance itself, not only their hashes.
expect_in out "metrics (recorded content):"
expect_in out "written as metrics by eval"
expect_in out '"auroc"'
run_cf 0 show 1 --json
[ "$(sqlite3 :memory: "SELECT json_valid(CAST(readfile('out') AS TEXT));")" = 1 ] || fail "show --json is not valid JSON"
[ "$(sqlite3 :memory: "SELECT count(*) FROM json_each(CAST(readfile('out') AS TEXT), '$.artifacts') WHERE json_extract(value, '$.content.auroc') IS NOT NULL;")" = 1 ] || fail "show --json lacks the metrics content"
run_cf 0 history --verify

# The plan as DOT.
run_cf 0 graph "$wf"
expect_in out "digraph"
expect_in out "t_split"
echo PASS
