# A step that throws fails the run (exit 1) with the step, its line and the plugin's message;
# its dependents are skipped, the independent branch still runs, provenance stays valid.
source "$E2E_DIR/lib.sh"
wf=$(workflow throws)
run_cf 1 run "$wf" --no-progress
expect_in err "throws.toml:8:1: error: step 'bad' (t_throw) failed: lab table has no rows"
expect_in out "run 1 failed: 2 ran, 0 cached, 1 failed, 1 skipped"
run_cf 0 show 1
expect_in out "input 'bad' failed"
run_cf 0 history --verify
echo PASS
