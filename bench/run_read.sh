#!/bin/sh
# The reading benchmark, in one command: the read_table kernel (read_csv_file) against
# `zcat > /dev/null` and pandas.read_csv on the same files, in the same run. Prints a Markdown
# table on stdout; progress goes to stderr.
#
#   bench/run_read.sh [BUILD_DIR]        default BUILD_DIR: <repo>/build-bench (Release)
#
# Files: (1) Diabetes 130-US diabetic_data.csv.gz from ../shared/data (skipped when absent),
# (2) a generated lab-events-like CSV.gz (bench/read/gen_csv.cpp, deterministic, `gzip -1`),
# written to $BENCH_DIR, never to the repository, and reused by later runs.
#
# Environment knobs [defaults]:
#   BENCH_DIR [/tmp/clinflow-read-bench]   READ_ROWS [30000000] rows of the generated file (~1 GB gz)
#   READ_REPS [3]     repetitions on the small file (best wall time is reported); 1 on the big one
#   READ_PANDAS [1]   0 skips pandas       PYTHON [/usr/bin/python3]
#
# MB/s is uncompressed bytes / wall seconds for all three. "RSS/raw" is the reader's peak RSS
# growth over its start divided by the raw column bytes of the result (vector bytes + dictionary
# text bytes). pandas' figure is the same growth (ru_maxrss after read_csv minus after import).
# On a shared machine wall time includes waiting for a CPU: the load average is printed, and the
# reader's CPU seconds (both threads) are given next to its wall time.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
build=${1:-$repo/build-bench}
bench_dir=${BENCH_DIR:-/tmp/clinflow-read-bench}
rows=${READ_ROWS:-30000000}
reps=${READ_REPS:-3}
use_pandas=${READ_PANDAS:-1}
python=${PYTHON:-/usr/bin/python3}
data=$repo/../shared/data

log() { echo "run_read: $*" >&2; }
calc() { awk "BEGIN { printf \"%.2f\", $1 }" 2>/dev/null || echo "?"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
fi
cmake --build "$build" --target clinflow_read_bench clinflow_read_gen -j2 >&2
reader=$build/bench/read/clinflow_read_bench
gen=$build/bench/read/clinflow_read_gen

mkdir -p "$bench_dir"
big=$bench_dir/gen-$rows.csv.gz
if [ ! -s "$big" ]; then
  log "generating $big ($rows rows, gzip -1)"
  "$gen" "$rows" | gzip -1 > "$big.tmp"
  mv "$big.tmp" "$big"
fi

# wall seconds of `zcat FILE > /dev/null` (best of N)
time_zcat() {
  best=""
  i=0
  while [ "$i" -lt "$2" ]; do
    t=$( { /usr/bin/time -f "%e" zcat "$1" > /dev/null; } 2>&1 | tail -1)
    best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (a == "" || b < a) ? b : a }')
    i=$((i + 1))
  done
  echo "$best"
}

# "seconds rss_growth_mb" of pandas.read_csv on FILE (best of N), timing only read_csv
time_pandas() {
  "$python" - "$1" "$2" "$3" <<'EOF'
import resource, sys, time, warnings
warnings.simplefilter("ignore")  # DtypeWarning on mixed columns: timing only
import pandas
path, reps, missing = sys.argv[1], int(sys.argv[2]), sys.argv[3]
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
best = None
for _ in range(reps):
    t0 = time.perf_counter()
    frame = pandas.read_csv(path, na_values=[missing] if missing else None)
    t = time.perf_counter() - t0
    best = t if best is None else min(best, t)
    del frame
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) * 1024 / 1e6
print(f"{best:.3f} {grown:.1f}")
EOF
}

echo "| file | MB (uncompressed) | zcat s | zcat MB/s | clinflow s (CPU s) | clinflow MB/s | pandas s | pandas MB/s | clinflow/zcat | clinflow/pandas | rows x cols | raw MB | clinflow RSS MB (RSS/raw) | pandas RSS MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"
run_file() {  # NAME PATH REPS MISSING
  name=$1 path=$2 n=$3 missing=$4
  log "$name: zcat"
  zcat_s=$(time_zcat "$path" "$n")
  log "$name: clinflow"
  if [ -n "$missing" ]; then
    out=$("$reader" "$path" --repeat "$n" --missing "$missing")
  else
    out=$("$reader" "$path" --repeat "$n")
  fi
  log "$name: $out"
  s=$(field "$out" seconds) cpu=$(field "$out" cpu) mb=$(field "$out" mb)
  raw=$(field "$out" raw_mb) rss=$(field "$out" rss_growth_mb)
  p_s="-" p_rss="-" p_mbps="-" ratio_p="-"
  if [ "$use_pandas" = 1 ]; then
    log "$name: pandas"
    p=$(time_pandas "$path" "$n" "$missing") || p=""
    if [ -n "$p" ]; then
      p_s=${p% *} p_rss=${p#* }
      p_mbps=$(calc "$mb / $p_s") ratio_p=$(calc "$p_s / $s")
    fi
  fi
  echo "| $name | $mb | $zcat_s | $(calc "$mb / $zcat_s") | $s ($cpu) | $(calc "$mb / $s") | $p_s | $p_mbps | $(calc "$zcat_s / $s") | $ratio_p | $(field "$out" rows) x $(field "$out" columns) | $raw | $rss ($(calc "$rss / $raw")) | $p_rss |"
}

log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
diabetes=$data/diabetes-130-us-hospitals/diabetic_data.csv.gz
if [ -f "$diabetes" ]; then
  run_file "diabetic_data.csv.gz" "$diabetes" "$reps" "?"
else
  log "SKIP: ../shared/data absent"
fi
run_file "$(basename "$big") ($(($(stat -c %s "$big") / 1000000)) MB gz)" "$big" 1 ""
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores); $(date -u +%Y-%m-%dT%H:%MZ); commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
