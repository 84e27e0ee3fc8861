# The privacy ledger end to end: the MIMIC-IV workflow on `clinflow synth` data records what its
# differentially private steps spent, `show` prints it (text and JSON) within the workflow's
# budget, the chain verifies, and a cached rerun still shows the spend, flagged cached.
source "$E2E_DIR/lib.sh"
unset CLINFLOW_PLUGIN_PATH  # the built-in plugins only
WF="$SOURCE_DIR/workflows"

run_cf 0 synth "$WORK/synth" --patients 400 --seed 3
mimic() { run_cf 0 run "$WF/mimic_iv_mortality.toml" --project p --no-progress -j 2 \
  --set data.root="$WORK/synth" --set data.out="$WORK/report"; }

mimic
expect_in out "run 1 succeeded"
run_cf 0 show 1 --project p
expect_in out "privacy ledger (2 steps, rdp-subsampled-gaussian/1"
expect_in out "dp_logit"
expect_in out "dp_net"
expect_in out "of budget 4 (delta 1e-05)"
total=$(sed -n 's/^ *total eps \([^ ]*\) of budget.*/\1/p' "$WORK/out")
[ -n "$total" ] || fail "show printed no ledger total"
awk -v t="$total" 'BEGIN { exit !(t > 0 && t <= 4.0) }' || fail "ledger total $total is not in (0, 4]"

run_cf 0 show 1 --project p --json
json_total=$(sqlite3 :memory: "SELECT json_extract(CAST(readfile('out') AS TEXT), '$.privacy_ledger.total_epsilon');")
awk -v t="$json_total" 'BEGIN { exit !(t > 0 && t <= 4.0) }' || fail "JSON ledger total '$json_total' is not in (0, 4]"
rows=$(sqlite3 :memory: "SELECT json_array_length(CAST(readfile('out') AS TEXT), '$.privacy_ledger.rows');")
[ "$rows" = 2 ] || fail "expected 2 ledger rows in JSON, got '$rows'"

run_cf 0 history --verify --project p
expect_in out "provenance chain intact"

# A cached rerun: the DP model is reused, its spend is still on this run's ledger, flagged.
mimic
expect_in out "run 2 succeeded"
run_cf 0 show 2 --project p
expect_in out "(cached: spent when its artifact was trained)"
expect_in out "total eps $total of budget 4"

# The ledger is in the chain: lowering a recorded spend by hand is detected.
sqlite3 p/.clinflow/provenance.db "UPDATE privacy_ledger SET cumulative_epsilon = 0.01 WHERE id = 1" \
  || fail "could not edit the database"
run_cf 1 history --verify --project p
expect_in out "privacy_ledger row 1"
expect_in out "content changed"
echo "PASS"
