#!/bin/sh
# Smoke test of the spine generator at N=10 (fast; measures nothing): the files have the promised
# shape, and `clinflow check` accepts the workflows (with the bench's spine_pass step, which
# takes inputs on every build; whether the built-in noop does is run_spine.sh's concern).
# usage: smoke_test.sh GENERATOR CLINFLOW BENCH_PLUGIN_DIR WORK_DIR
set -eu
gen=$1 clinflow=$2 plugins=$3 work=$4
fail() { echo "bench_spine_smoke: FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"

for shape in chain fan; do
  dir=$work/$shape
  "$gen" "$shape" 10 "$dir" || fail "generator failed for $shape"
  steps=$(grep -c '= noop(' "$dir/workflow.toml") || true
  [ "$steps" = 10 ] || fail "$shape: expected 10 noop steps, found $steps"
  [ "$(grep -c '^rule ' "$dir/Snakefile")" = 3 ] || fail "$shape: expected 3 Snakemake rules"

  "$gen" --pass spine_pass "$shape" 10 "$dir-pass" || fail "generator --pass failed for $shape"
  [ "$(grep -c '= spine_pass(' "$dir-pass/workflow.toml")" = 9 ] || fail "$shape: expected 9 spine_pass steps"
  out=$("$clinflow" check --plugins "$plugins" "$dir-pass/workflow.toml" 2>&1) ||
    fail "$shape: clinflow check rejected it: $out"
  case $out in *"ok: 10 steps"*) ;; *) fail "$shape: unexpected check output: $out" ;; esac
done
# The fan's join takes every leaf (s1 .. s8); the chain ends in `end`.
grep -q '^join = noop(s1, s2, s3, s4, s5, s6, s7, s8)$' "$work/fan/workflow.toml" || fail "fan: join is wrong"
grep -q '^end = noop(s8)$' "$work/chain/workflow.toml" || fail "chain: end is wrong"
# Bad arguments are refused.
if "$gen" ring 10 "$work/x" 2>/dev/null; then fail "unknown shape accepted"; fi
if "$gen" chain 2 "$work/x" 2>/dev/null; then fail "N=2 accepted"; fi
echo "bench_spine_smoke: ok"
