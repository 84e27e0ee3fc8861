# SIGINT cancels cleanly (exit 130, run recorded as cancelled); SIGKILL mid-run loses nothing:
# the next run reuses what finished, completes, and the provenance chain verifies.
source "$E2E_DIR/lib.sh"
wf=$(workflow slow_chain)

"$CLINFLOW" run "$wf" --no-progress >out 2>err &
pid=$!
sleep 1.2
kill -INT $pid
wait $pid
code=$?
[ "$code" = 130 ] || { cat out err; fail "SIGINT: exit $code, expected 130"; }
expect_in out "cancelled"
run_cf 0 history
expect_in out "cancelled"
run_cf 0 history --verify

"$CLINFLOW" run "$wf" --no-progress >out 2>err &
pid=$!
sleep 1.5
kill -KILL $pid
wait $pid 2>/dev/null
run_cf 0 run "$wf" --no-progress
expect_in out "succeeded"
grep -q "cached" out || fail "nothing was reused after SIGKILL"
run_cf 0 history
expect_in out "interrupted"
run_cf 0 history --verify
# No stray temporary files count as artifacts: every object's name is its content hash.
for f in .clinflow/cache/objects/*/*; do
  [ "$(sha256sum "$f" | cut -c1-64)" = "$(basename "$f")" ] || fail "artifact $f does not match its hash"
done
echo PASS
