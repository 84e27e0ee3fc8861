#!/bin/sh
# The training benchmark, in one command: clinflow's `logistic` solver against scikit-learn's
# LogisticRegression(lbfgs) on the same matrices, and DP-SGD epochs against a streaming read of
# the same matrix, in the same run. Prints Markdown tables on stdout; progress goes to stderr.
#
#   bench/run_training.sh [BUILD_DIR]        default BUILD_DIR: <repo>/build-bench (Release)
#
# Data: (1) two generated 1M x 100 matrices with a planted logistic model (bench/training/
# training_bench.cpp `gen`, fixed seed), one with correlated columns and one with independent
# ones, written as raw float64 to $BENCH_DIR (never to the repository) and reused by later
# runs; (2) Diabetes 130-US from ../shared/data (skipped when
# absent): workflows/diabetes_readmission.toml cut after `train_x` is run in a project under
# $BENCH_DIR, and the bench writes train_x's sparse design (as `logistic` builds it; race
# excluded as in fair_plain) as CSR arrays.
#
# Environment knobs [defaults]:
#   BENCH_DIR [/tmp/clinflow-training-bench]   TRAIN_ROWS [1000000]   TRAIN_COLS [100]
#   TRAIN_REPS [3] repetitions (best wall time is reported)   TRAIN_SKLEARN [1] 0 skips sklearn
#   DP_EPOCHS [5] epochs per DP-SGD run   DP_Q [0.01] Poisson rate   PYTHON [/usr/bin/python3]
#
# Both losses are computed by the bench (penalised_loss: one formula, compensated sums) from
# each side's coefficients. clinflow runs with the plugin's defaults (l2 = 1, tol = 1e-10:
# relative gradient norm) and 2 threads; scikit-learn with C = 1 / l2, solver lbfgs, its default
# tol (1e-4) and max_iter raised to 10000 so it stops on tol; numpy's BLAS may use both cores.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
build=${1:-$repo/build-bench}
bench_dir=${BENCH_DIR:-/tmp/clinflow-training-bench}
rows=${TRAIN_ROWS:-1000000}
cols=${TRAIN_COLS:-100}
reps=${TRAIN_REPS:-3}
use_sklearn=${TRAIN_SKLEARN:-1}
epochs=${DP_EPOCHS:-5}
q=${DP_Q:-0.01}
python=${PYTHON:-/usr/bin/python3}
data=$repo/../shared/data/diabetes-130-us-hospitals

log() { echo "run_training: $*" >&2; }
calc() { awk "BEGIN { printf \"%.2f\", $1 }" 2>/dev/null || echo "?"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
fi
targets=clinflow_training_bench
if [ -f "$data/diabetic_data.csv.gz" ]; then
  targets="$targets clinflow clinflow_plugin_read_table clinflow_plugin_select_cohort \
    clinflow_plugin_label clinflow_plugin_deidentify clinflow_plugin_split clinflow_plugin_preprocess"
fi
# shellcheck disable=SC2086
cmake --build "$build" --target $targets -j2 >&2
bench=$build/bench/training/clinflow_training_bench

log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
gen_dir=$bench_dir/gen-${rows}x$cols
mkdir -p "$gen_dir"
if [ ! -s "$gen_dir/shape.txt" ]; then
  log "generating $gen_dir"
  "$bench" gen "$gen_dir" --rows "$rows" --cols "$cols" >&2
fi

echo "| data | rows x cols | clinflow s | iterations | rel. gradient | clinflow loss | sklearn s | sklearn iterations | sklearn loss | loss diff (sklearn - clinflow) | sklearn / clinflow time |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
run_logistic() {  # NAME DIR
  name=$1 dir=$2
  sk_s="-" sk_it="-" peer_loss="-" diff="-" ratio="-" peer=""
  if [ "$use_sklearn" = 1 ]; then
    log "$name: scikit-learn"
    sk=$("$python" "$here/training/sklearn_fit.py" "$dir" "$dir/sklearn_coef.txt" 1.0 "$reps")
    log "$name: $sk"
    sk_s=$(field "$sk" seconds) sk_it=$(field "$sk" iterations) peer="--peer $dir/sklearn_coef.txt"
  fi
  log "$name: clinflow"
  # shellcheck disable=SC2086
  out=$("$bench" logistic "$dir" --reps "$reps" $peer)
  log "$name: $(echo "$out" | tr '\n' ' ')"
  s=$(field "$out" seconds) loss=$(field "$out" loss)
  if [ -n "$peer" ]; then
    peer_loss=$(field "$out" peer_loss)
    diff=$(awk -v a="$peer_loss" -v b="$loss" 'BEGIN { printf "%.3g", a - b }')
    ratio=$(calc "$sk_s / $s")
  fi
  echo "| $name | $(field "$out" rows) x $(field "$out" cols) | $s | $(field "$out" iterations) | $(field "$out" relative_gradient) | $loss | $sk_s | $sk_it | $peer_loss | $diff | $ratio |"
}

run_logistic "generated, correlated columns (dense)" "$gen_dir"
indep_dir=$bench_dir/gen-${rows}x$cols-independent
mkdir -p "$indep_dir"
if [ ! -s "$indep_dir/shape.txt" ]; then
  log "generating $indep_dir"
  "$bench" gen "$indep_dir" --rows "$rows" --cols "$cols" --factors 0 >&2
fi
run_logistic "generated, independent columns (dense)" "$indep_dir"

diabetes_dir=$bench_dir/diabetes
if [ -f "$data/diabetic_data.csv.gz" ]; then
  if [ ! -s "$diabetes_dir/shape.txt" ]; then
    log "diabetes: running the workflow up to train_x"
    mkdir -p "$diabetes_dir/project"
    wf=$diabetes_dir/train_x.toml
    sed -n '1,/^train_x/p' "$repo/workflows/diabetes_readmission.toml" |
      sed "s|^root = .*|root = \"$data\"|" > "$wf"
    echo "'''" >> "$wf"
    "$build/cli/clinflow" run "$wf" --project "$diabetes_dir/project" -q --no-progress -j2 >&2
    run_id=$("$build/cli/clinflow" history --json --project "$diabetes_dir/project" |
      "$python" -c 'import json, sys; print(max(r["id"] for r in json.load(sys.stdin)["runs"]))')
    hash=$("$build/cli/clinflow" show "$run_id" --json --project "$diabetes_dir/project" |
      "$python" -c 'import json, sys; print([a["hash"] for a in json.load(sys.stdin)["artifacts"] if a.get("use", "").endswith(" by train_x") and a.get("type") == "table"][0])')
    object=$(find "$diabetes_dir/project/.clinflow/cache/objects" -name "$hash" | head -1)
    "$bench" design "$diabetes_dir" --table "$object" --exclude race >&2
  fi
  run_logistic "Diabetes 130-US train_x (sparse)" "$diabetes_dir"
else
  log "SKIP: ../shared/data absent (Diabetes 130-US)"
fi

echo
echo "| DP-SGD (q = $q, $epochs epochs, 1M x 100) | setup s | epoch s | epochs/s | streaming read s (GB/s) | epoch / streaming read |"
echo "|---|---:|---:|---:|---:|---:|"
log "dp: $epochs epochs"
out=$("$bench" dp "$gen_dir" --epochs "$epochs" --q "$q" --reps "$reps")
log "dp: $out"
echo "| train_dp_logistic | $(field "$out" setup_seconds) | $(field "$out" epoch_seconds) | $(field "$out" epochs_per_second) | $(field "$out" stream_seconds) ($(field "$out" stream_gb_per_s)) | $(field "$out" epoch_over_stream) |"
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores); $(date -u +%Y-%m-%dT%H:%MZ); commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
