# Bad input of every kind: a clear message, a non-zero exit, and a consistent database after.
source "$E2E_DIR/lib.sh"

printf '[workflow]\nname = "x\n' > broken.toml
run_cf 1 check broken.toml
expect_in err "broken.toml:2:"
expect_in err "error:"

run_cf 1 check does_not_exist.toml
expect_in err "does_not_exist.toml"

# A broken plugin file on the search path is named.
mkdir -p badplugins && printf 'not a library' > badplugins/libbroken.so
CLINFLOW_PLUGIN_PATH="$WORK/plugins:$WORK/badplugins" run_cf 2 check "$(workflow pipeline)"
expect_in err "libbroken.so"

# A database that cannot be created.
printf 'x' > afile
run_cf 2 run "$(workflow pipeline)" --no-progress --db afile/provenance.db
expect_in err "clinflow: error:"
expect_in err "afile/provenance.db"
# A cache folder that cannot be created.
run_cf 2 run "$(workflow pipeline)" --no-progress --cache afile/cache
expect_in err "clinflow: error: cannot create cache folder"

# A file that is not a database.
mkdir -p notdb/.clinflow && printf 'garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage' > notdb/.clinflow/provenance.db
run_cf 2 run "$(workflow pipeline)" --no-progress --project notdb
expect_in err "clinflow: error:"

# A database locked by another writer.
if command -v sqlite3 >/dev/null; then
  run_cf 0 run "$(workflow pipeline)" --no-progress
  (printf 'BEGIN EXCLUSIVE;\n'; sleep 6; printf 'ROLLBACK;\n') \
    | sqlite3 .clinflow/provenance.db >/dev/null 2>&1 &
  locker=$!
  sleep 0.5
  run_cf 2 run "$(workflow pipeline)" --no-progress
  expect_in err "locked"
  wait $locker
  run_cf 0 history --verify
fi

# Unknown run ids.
run_cf 1 rerun 99 --no-progress
expect_in err "no run 99"

# A database of an older provenance schema is refused by name, never written into.
mkdir old && cp .clinflow/provenance.db old/provenance.db && sqlite3 old/provenance.db "PRAGMA user_version = 1;"
before=$(sha256sum old/provenance.db)
run_cf 2 history --db old/provenance.db
expect_in err "written by an older clinflow (schema version 1"
[ "$before" = "$(sha256sum old/provenance.db)" ] || fail "the old database was changed"
echo PASS
