# Helpers for the end-to-end tests. Sourced; each test runs in its own temporary project folder.
set -uo pipefail
: "${CLINFLOW:?}" "${SOURCE_DIR:?}" "${TEST_PLUGIN_DIR:?}" "${E2E_DIR:?}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/clinflow-e2e-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# The test plugins are copied so a test can change a plugin binary without touching the build.
mkdir -p "$WORK/plugins"
cp "$TEST_PLUGIN_DIR/libclinflow_test_plugins.so" "$WORK/plugins/"
export CLINFLOW_PLUGIN_PATH="$WORK/plugins"
cd "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }

# run_cf EXPECTED_EXIT ARGS... : runs clinflow, keeps stdout/stderr in $WORK/out and $WORK/err.
run_cf() {
  local expected=$1; shift
  "$CLINFLOW" "$@" >"$WORK/out" 2>"$WORK/err"
  local code=$?
  if [ "$code" != "$expected" ]; then
    echo "--- stdout"; cat "$WORK/out"; echo "--- stderr"; cat "$WORK/err"
    fail "clinflow $* exited $code, expected $expected"
  fi
}

# expect_in FILE TEXT : the file (out or err) contains the text.
expect_in() {
  grep -qF -- "$2" "$WORK/$1" || { echo "--- $1:"; cat "$WORK/$1"; fail "expected in $1: $2"; }
}
expect_not_in() {
  if grep -qF -- "$2" "$WORK/$1"; then echo "--- $1:"; cat "$WORK/$1"; fail "not expected in $1: $2"; fi
}

# workflow NAME : copies tests/e2e/workflows/NAME.toml into the project and prints its path.
workflow() { cp "$E2E_DIR/workflows/$1.toml" "$WORK/$1.toml"; echo "$1.toml"; }
