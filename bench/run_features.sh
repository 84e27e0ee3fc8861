#!/bin/sh
# The feature benchmark, in one command: the extract_features kernel on 50M generated events
# (1M stays x 50, 200 items, 20 selected, [-24h, 0h], min/max/mean/last/count) against pandas on
# the same bytes, for events grouped by stay (as clinical tables are stored) and shuffled.
# Prints a Markdown table on stdout; progress goes to stderr.
#
#   bench/run_features.sh [BUILD_DIR]        default BUILD_DIR: <repo>/build-bench (Release)
#
# Environment knobs [defaults]: FEATURES_STAYS [1000000]  FEATURES_PER_STAY [50]
#   FEATURES_ITEMS [200]  FEATURES_SELECT [20]  FEATURES_REPS [3]  FEATURES_ORDERS ["grouped shuffled"]
#   FEATURES_PANDAS [1] (0 skips pandas)  PYTHON [/usr/bin/python3]
# The generated columns are written once per order to a temporary folder (about 1.6 GB for 50M
# events; removed at the end) so pandas reads exactly the kernel's data with np.fromfile.
# Both sides time only the aggregation; both print the same checksums (total_count, sum_min),
# which the script compares.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
build=${1:-$repo/build-bench}
stays=${FEATURES_STAYS:-1000000}
per_stay=${FEATURES_PER_STAY:-50}
items=${FEATURES_ITEMS:-200}
select=${FEATURES_SELECT:-20}
reps=${FEATURES_REPS:-3}
orders=${FEATURES_ORDERS:-grouped shuffled}
use_pandas=${FEATURES_PANDAS:-1}
python=${PYTHON:-/usr/bin/python3}

log() { echo "run_features: $*" >&2; }
get() { sed -n "s/^$1=//p" "$2" | head -n 1; }

if [ ! -x "$build/bench/features/clinflow_features_bench" ]; then
  log "building clinflow_features_bench in $build"
  [ -f "$build/CMakeCache.txt" ] ||
    cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
  cmake --build "$build" --target clinflow_features_bench -j2 >&2
fi
if [ "$use_pandas" = 1 ] && ! "$python" -c 'import numpy, pandas' 2>/dev/null; then
  log "$python lacks numpy/pandas (apt-get install python3-pandas python3-numpy); skipping pandas"
  use_pandas=0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/clinflow-features-XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "| order | clinflow kernel s | clinflow events/s | pandas (merge) s | pandas (numpy join) s | ratio vs merge | ratio vs numpy join | clinflow peak RSS MB | pandas peak RSS MB | raw event columns MB | checksums |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for order in $orders; do
  mkdir -p "$work/$order"
  log "$order: clinflow kernel ($stays stays x $per_stay events, best of $reps)"
  "$build/bench/features/clinflow_features_bench" --stays "$stays" --per-stay "$per_stay" \
    --items "$items" --select "$select" --reps "$reps" --order "$order" \
    --write-raw "$work/$order" > "$work/$order.cpp"
  c_s=$(get kernel_seconds "$work/$order.cpp")
  c_eps=$(get events_per_second "$work/$order.cpp")
  c_rss=$(get peak_rss_mb "$work/$order.cpp")
  raw=$(get raw_event_column_mb "$work/$order.cpp")
  p_s="-"; pf_s="-"; ratio="-"; ratio_f="-"; p_rss="-"; sums="-"
  if [ "$use_pandas" = 1 ]; then
    log "$order: pandas (best of $reps per variant)"
    "$python" "$here/features/pandas_bench.py" "$work/$order" "$select" "$reps" > "$work/$order.py"
    p_s=$(get total_seconds "$work/$order.py")
    pf_s=$(get fast_total_seconds "$work/$order.py")
    p_rss=$(get peak_rss_mb "$work/$order.py")
    ratio=$(awk -v a="$p_s" -v b="$c_s" 'BEGIN { printf "%.1fx", a / b }')
    ratio_f=$(awk -v a="$pf_s" -v b="$c_s" 'BEGIN { printf "%.1fx", a / b }')
    if [ "$(get total_count "$work/$order.cpp")" = "$(get total_count "$work/$order.py")" ] &&
      awk -v a="$(get sum_min "$work/$order.cpp")" -v b="$(get sum_min "$work/$order.py")" \
        'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-9 * (a < 0 ? -a : a) + 1e-6) }'; then
      sums="agree"
    else
      sums="DIFFER"
    fi
  fi
  rm -rf "${work:?}/$order"
  echo "| $order | $c_s | $c_eps | $p_s | $pf_s | $ratio | $ratio_f | $c_rss | $p_rss | $raw | $sums |"
done
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; $(date -u +%Y-%m-%dT%H:%MZ)"
