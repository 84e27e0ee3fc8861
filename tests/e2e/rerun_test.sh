# `clinflow rerun` reproduces a run bit for bit with the cache off, refuses a changed plugin
# binary unless allowed, and names a changed data file and every differing artifact.
source "$E2E_DIR/lib.sh"
wf=$(workflow pipeline)
run_cf 0 run "$wf" --no-progress -j 2
run_cf 0 rerun 1 --no-progress -j 1
expect_in out "reproduced 8/8 artifacts of run 1"
expect_in out "run 2 succeeded: 7 ran, 0 cached"

# Same workflow at 1, 2 and 8 threads in fresh projects: identical artifacts.
for j in 1 2 8; do
  "$CLINFLOW" run "$wf" --no-progress -q -j $j --project "p$j" >/dev/null 2>&1 || fail "run -j $j"
  (cd "p$j/.clinflow/cache/objects" && ls */ | sort) > "objects$j"
done
cmp -s objects1 objects2 && cmp -s objects1 objects8 || fail "artifacts differ across thread counts"

# A plugin binary that changed: refused, then allowed.
printf '\0' >> plugins/libclinflow_test_plugins.so
run_cf 1 rerun 1 --no-progress
expect_in err "plugin changed: t_source"
expect_in err "refusing to rerun run 1"
run_cf 0 rerun 1 --no-progress --allow-plugin-change
expect_in out "reproduced 8/8"

# A data file whose content changed: named, and the artifacts that follow from it differ.
mkdir -p d && cp "$(workflow with_data)" d/ && printf 'a,b\n1,2\n' > d/data.csv
run_cf 0 run d/with_data.toml --no-progress --project d
printf 'a,b\n1,3\n' > d/data.csv
run_cf 1 rerun 1 --no-progress --project d
expect_in err "data changed: 'd/data.csv' (step 'raw')"
expect_in out "DIFFERS    raw.out"
expect_in out "reproduced 0/2 artifacts of run 1"
echo PASS
