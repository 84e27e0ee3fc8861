# `history --verify` detects a provenance row changed, or deleted, behind clinflow's back.
source "$E2E_DIR/lib.sh"
command -v sqlite3 >/dev/null || { echo "SKIP: sqlite3 command-line tool not installed"; exit 0; }
wf=$(workflow pipeline)
run_cf 0 run "$wf" --no-progress
run_cf 0 history --verify

sqlite3 .clinflow/provenance.db "UPDATE steps SET status='failed', error='edited' WHERE name='model';" || fail "sqlite3 update"
run_cf 1 history --verify
grep -qi "steps" out err || fail "verify does not name the table"


# A deleted row is detected too.
"$CLINFLOW" run "$wf" --no-progress -q --project p2 >/dev/null 2>&1 || fail "second project run"
sqlite3 p2/.clinflow/provenance.db "DELETE FROM edges WHERE rowid = (SELECT max(rowid) FROM edges);" || fail "sqlite3 delete"
run_cf 1 history --verify --project p2
echo PASS
