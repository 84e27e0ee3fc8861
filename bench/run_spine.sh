#!/bin/sh
# The spine benchmarks, in one command: compile time and run time of generated noop workflows
# (chains and wide fans of 1k, 10k, 100k steps), and Snakemake on the same DAG, in the same run.
# Prints Markdown tables on stdout; progress goes to stderr.
#
#   bench/run_spine.sh [BUILD_DIR]        default BUILD_DIR: <repo>/build-bench (Release)
#
# Environment knobs [defaults]:
#   SPINE_SIZES ["1000 10000 100000"]  SPINE_SHAPES ["chain fan"]  SPINE_THREADS [2]
#   SPINE_REPS [5]        compile_file repetitions (best is reported); `clinflow check`: best of 3
#   SPINE_RUN_REPS [3]    fresh-project run pairs per size up to 10k (best is reported); 1 at 100k
#   SPINE_SNAKEMAKE [1]   0 skips the Snakemake peer
#   SPINE_SNAKEMAKE_SIZES ["1000 10000"]   SPINE_SNAKEMAKE_LIMIT [600] seconds per Snakemake run
#   SPINE_KEEP [0]        1 keeps the work folder (generated files, projects, logs)
#   SPINE_REPORT [unset]  a kept work folder: print its report again, measure nothing
#
# Each command runs under clinflow_bench_timeit (bench/spine/timeit.cpp): wall time, and CPU time
# (user + sys of the command and the children it waited for) in microseconds. "engine" columns are the `clinflow run` figure minus the best `clinflow check`
# figure for the same file minus the per-run fixed cost (measured on a 3-step chain): what each
# step adds, without process start, plugin loading, compiling and creating the project. On a
# shared machine wall time includes waiting for the CPU; the
# load average is printed with the results for that reason, and CPU time is the steadier figure.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
build=${1:-$repo/build-bench}
sizes=${SPINE_SIZES:-1000 10000 100000}
shapes=${SPINE_SHAPES:-chain fan}
threads=${SPINE_THREADS:-2}
reps=${SPINE_REPS:-5}
run_reps=${SPINE_RUN_REPS:-3}
use_snakemake=${SPINE_SNAKEMAKE:-1}
smk_sizes=${SPINE_SNAKEMAKE_SIZES:-1000 10000}
smk_limit=${SPINE_SNAKEMAKE_LIMIT:-600}
snakemake=${SNAKEMAKE:-/usr/bin/snakemake}

log() { echo "run_spine: $*" >&2; }
# calc EXPR VAR=VALUE...: an awk expression, or "?" when a value is missing or not a number.
calc() {
  expr=$1
  shift
  for kv in "$@"; do
    case ${kv#*=} in '' | *[!0-9.e+-]*) echo "?"; return ;; esac
  done
  awk "BEGIN { $(for kv in "$@"; do printf '%s; ' "$kv"; done) printf \"%.9g\", $expr }" 2>/dev/null || echo "?"
}
fmt() { awk -v x="$1" -v f="$2" 'BEGIN { if (x == "" || x == "?") print "-"; else printf f, x }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || a == "?") print b; else if (b == "" || b == "?") print a; else print (b < a) ? b : a }'; }

# measure LOG CMD...: runs CMD (output to LOG); sets m_wall and m_cpu (seconds, "?" on failure)
# and m_rc (CMD's exit status).
measure() {
  mlog=$1
  shift
  m_rc=0
  "$timeit" "$mlog.time" "$@" >"$mlog" 2>&1 || m_rc=$?
  if [ "$m_rc" = 0 ]; then
    m_wall=$(cut -d' ' -f1 "$mlog.time")
    m_cpu=$(cut -d' ' -f2 "$mlog.time")
    return 0
  fi
  m_wall="?" m_cpu="?"
  return 1
}

# All measurements, into $work/results.txt.
measure_all() {
  # ---- build -----------------------------------------------------------------------------------
  if [ ! -f "$build/build.ninja" ]; then
    log "configuring $build (Release)"
    cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
  fi
  log "building clinflow and the benchmark tools in $build"
  cmake --build "$build" --target clinflow clinflow_spine_gen clinflow_compile_bench \
    clinflow_bench_spine_pass clinflow_bench_timeit >&2
  clinflow=$build/cli/clinflow
  gen=$build/bench/spine/clinflow_spine_gen
  timeit=$build/bench/spine/clinflow_bench_timeit
  compile_bench=$build/bench/spine/clinflow_compile_bench
  bench_plugins=$build/bench/plugins

  work=$(mktemp -d "${TMPDIR:-/tmp}/clinflow-spine.XXXXXX")
  if [ "${SPINE_KEEP:-0}" = 1 ]; then log "work folder: $work (kept)"; else trap 'rm -rf "$work"' EXIT; fi
  results=$work/results.txt
  : >"$results"
  put meta 0 when "$(date -u '+%Y-%m-%d_%H:%M_UTC')"
  put meta 0 commit "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
  put meta 0 load_before "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"

  # ---- which step type chains? ------------------------------------------------------------------
  # The built-in noop is the step to measure; if the compiler refuses to give it inputs, the steps
  # that take inputs use the bench's spine_pass (same work: return the first input) instead.
  pass=noop
  "$gen" chain 10 "$work/probe"
  if ! "$clinflow" check "$work/probe/workflow.toml" >"$work/probe/check.out" 2>&1; then
    pass=spine_pass
    log "the built-in noop does not accept inputs here ($(grep -m1 'error:' "$work/probe/check.out" | sed 's/.*error: //')); using spine_pass"
  fi
  plugin_args="--plugins $bench_plugins"
  put meta 0 pass "$pass"

  # ---- generate and compile ----------------------------------------------------------------------
  for shape in $shapes; do
    for n in $sizes; do
      "$gen" --pass "$pass" "$shape" "$n" "$work/$shape-$n"
      wf=$work/$shape-$n/workflow.toml
      log "compile_file x$reps and clinflow check x3: $shape $n"
      # shellcheck disable=SC2086
      if line=$("$compile_bench" $plugin_args --reps "$reps" "$wf" 2>"$work/$shape-$n/compile.err"); then
        put "$shape" "$n" compile_best "$(echo "$line" | cut -f3)"
      else
        put "$shape" "$n" compile_best "?"
        log "compile failed for $shape $n: $(head -c 400 "$work/$shape-$n/compile.err")"
      fi
      wall="?" cpu="?"
      for _ in 1 2 3; do
        # shellcheck disable=SC2086
        if measure "$work/$shape-$n/check.log" "$clinflow" check $plugin_args "$wf"; then
          wall=$(min "$wall" "$m_wall") cpu=$(min "$cpu" "$m_cpu")
        fi
      done
      put "$shape" "$n" check_wall "$wall"
      put "$shape" "$n" check_cpu "$cpu"
    done
  done

  # ---- run: first (all steps run) and second (all cached), fresh project each --------------------
  # run_in PROJECT WORKFLOW LOG: one `clinflow run`, measured; false (and a message) when it failed.
  run_in() {
    # shellcheck disable=SC2086
    measure "$3" "$clinflow" run -q --no-progress -j "$threads" $plugin_args --project "$1" "$2" && return 0
    log "clinflow run failed ($3): $(tail -c 400 "$3")"
    return 1
  }

  # The per-run fixed cost: a 3-step chain (process start, plugin loading, creating or opening the
  # project's database and cache, opening and closing the run). Best of 5, for check, for a first
  # run in a fresh project and for a second run in the same project.
  "$gen" --pass "$pass" chain 3 "$work/fixed"
  fixed_check_wall="?" fixed_check_cpu="?" fixed_run_wall="?" fixed_run_cpu="?"
  fixed_run2_wall="?" fixed_run2_cpu="?"
  for r in 1 2 3 4 5; do
    # shellcheck disable=SC2086
    if measure "$work/fixed/check.log" "$clinflow" check $plugin_args "$work/fixed/workflow.toml"; then
      fixed_check_wall=$(min "$fixed_check_wall" "$m_wall") fixed_check_cpu=$(min "$fixed_check_cpu" "$m_cpu")
    fi
    mkdir -p "$work/fixed/project-$r"
    if run_in "$work/fixed/project-$r" "$work/fixed/workflow.toml" "$work/fixed/run-$r.log"; then
      fixed_run_wall=$(min "$fixed_run_wall" "$m_wall") fixed_run_cpu=$(min "$fixed_run_cpu" "$m_cpu")
    fi
    if run_in "$work/fixed/project-$r" "$work/fixed/workflow.toml" "$work/fixed/run2-$r.log"; then
      fixed_run2_wall=$(min "$fixed_run2_wall" "$m_wall") fixed_run2_cpu=$(min "$fixed_run2_cpu" "$m_cpu")
    fi
  done
  # What a run adds to a check, whatever the number of steps.
  put meta 0 fixed_wall "$(calc "r - c" "r=$fixed_run_wall" "c=$fixed_check_wall")"
  put meta 0 fixed_cpu "$(calc "r - c" "r=$fixed_run_cpu" "c=$fixed_check_cpu")"
  put meta 0 fixed2_wall "$(calc "r - c" "r=$fixed_run2_wall" "c=$fixed_check_wall")"
  put meta 0 fixed2_cpu "$(calc "r - c" "r=$fixed_run2_cpu" "c=$fixed_check_cpu")"
  put meta 0 fixed_check_wall "$fixed_check_wall"
  for shape in $shapes; do
    for n in $sizes; do
      wf=$work/$shape-$n/workflow.toml
      reps_here=$run_reps
      [ "$n" -gt 10000 ] && reps_here=1
      log "clinflow run -j$threads x$reps_here: $shape $n (first, then cached)"
      run1_wall="?" run1_cpu="?" run2_wall="?" run2_cpu="?"
      r=0
      while [ "$r" -lt "$reps_here" ]; do
        r=$((r + 1))
        proj=$work/$shape-$n/project-$r
        mkdir -p "$proj"
        if run_in "$proj" "$wf" "$work/$shape-$n/run1-$r.log"; then
          run1_wall=$(min "$run1_wall" "$m_wall") run1_cpu=$(min "$run1_cpu" "$m_cpu")
        fi
        if run_in "$proj" "$wf" "$work/$shape-$n/run2-$r.log"; then
          run2_wall=$(min "$run2_wall" "$m_wall") run2_cpu=$(min "$run2_cpu" "$m_cpu")
        fi
        put "$shape" "$n" db_bytes "$(stat -c %s "$proj/.clinflow/provenance.db" 2>/dev/null || echo '?')"
        [ "${SPINE_KEEP:-0}" = 1 ] || rm -rf "$proj"
      done
      put "$shape" "$n" run1_wall "$run1_wall"
      put "$shape" "$n" run1_cpu "$run1_cpu"
      put "$shape" "$n" run2_wall "$run2_wall"
      put "$shape" "$n" run2_cpu "$run2_cpu"
    done
  done

  # ---- Snakemake on the same DAG -----------------------------------------------------------------
  # The larger size runs only when the smaller one's time per job, scaled linearly, fits the limit;
  # it is stopped at the limit anyway (Snakemake's DAG building grows faster than linearly).
  smk_version=$("$snakemake" --version 2>/dev/null || echo "not found")
  put meta 0 smk_version "$smk_version"
  if [ "$use_snakemake" = 1 ] && [ -x "$snakemake" ]; then
    for shape in $shapes; do
      per_job=""
      for n in $smk_sizes; do
        [ -f "$work/$shape-$n/Snakefile" ] || "$gen" --pass "$pass" "$shape" "$n" "$work/$shape-$n"
        dir=$work/$shape-$n/snakemake
        mkdir -p "$dir"
        cp "$work/$shape-$n/Snakefile" "$dir/"
        if [ -n "$per_job" ]; then
          estimate=$(calc "p * n" "p=$per_job" "n=$n")
          if awk -v e="$estimate" -v l="$smk_limit" 'BEGIN { exit !(e > l) }'; then
            log "snakemake $shape $n skipped: about $(fmt "$estimate" %.0f) s expected from the smaller run, over the $smk_limit s limit"
            put "$shape" "$n" smk_skip "$(fmt "$estimate" %.0f)"
            continue
          fi
        fi
        log "snakemake -j$threads --quiet: $shape $n (stopped after $smk_limit s)"
        final=$([ "$shape" = chain ] && echo end || echo join)
        # Snakemake can take minutes to act on SIGTERM (seen at fan 10k): -k kills it 30 s later.
        if measure "$dir/snakemake.log" timeout -k 30 "$smk_limit" env -C "$dir" "$snakemake" -j "$threads" --quiet &&
          [ -f "$dir/out/$final" ]; then
          put "$shape" "$n" smk_wall "$m_wall"
          put "$shape" "$n" smk_cpu "$m_cpu"
          per_job=$(calc "t / n" "t=$m_wall" "n=$n")
        elif [ "$m_rc" = 124 ] || [ "$m_rc" = 137 ]; then
          put "$shape" "$n" smk_timeout "$smk_limit"
          put "$shape" "$n" smk_done "$(find "$dir/out" -type f 2>/dev/null | wc -l)"
          log "snakemake $shape $n did not finish within $smk_limit s"
        else
          log "snakemake $shape $n failed (exit $m_rc): $(tail -c 400 "$dir/snakemake.log")"
        fi
      done
    done
  else
    log "Snakemake peer skipped (SPINE_SNAKEMAKE=$use_snakemake, $snakemake: $smk_version)"
  fi
  put meta 0 load_after "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"
}

# results.txt holds one figure a line: "shape n key value" (shape "meta" for the run's facts).
put() { echo "$1 $2 $3 $4" >>"$results"; }
get() { awk -v s="$1" -v n="$2" -v k="$3" '$1 == s && $2 == n && $3 == k { v = $4 } END { print (v == "" ? "?" : v) }' "$results"; }

if [ -n "${SPINE_REPORT:-}" ]; then
  work=$SPINE_REPORT
  results=$work/results.txt
  [ -f "$results" ] || { log "no results.txt in '$work'"; exit 2; }
else
  measure_all
fi
pass=$(get meta 0 pass)
fixed_wall=$(get meta 0 fixed_wall)
fixed_cpu=$(get meta 0 fixed_cpu)
fixed2_wall=$(get meta 0 fixed2_wall)
fixed2_cpu=$(get meta 0 fixed2_cpu)
fixed_check_wall=$(get meta 0 fixed_check_wall)
smk_version=$(get meta 0 smk_version)

# ---- report ------------------------------------------------------------------------------------
us_per() { fmt "$(calc "x * 1e6 / n" "x=$1" "n=$2")" %.1f; }
# engine_us RUN CHECK FIXED N: per step, what a run costs beyond its compile and the per-run fixed cost.
engine_us() { fmt "$(calc "(x - c - f) * 1e6 / n" "x=$1" "c=$2" "f=$3" "n=$4")" %.1f; }

echo "## clinflow spine benchmark"
echo
echo "- when: $(get meta 0 when | tr _ ' '); host $(uname -n), $(nproc) cores; working tree at commit $(get meta 0 commit) (plus uncommitted work)"
echo "- load average (1/5/15 min) before: $(get meta 0 load_before | tr / ' '); after: $(get meta 0 load_after | tr / ' ')"
echo "- steps with inputs use: \`$pass\`$([ "$pass" = noop ] || echo " (the built-in noop takes no inputs in this build)")"
echo
echo "### Compile"
echo
echo "\`dsl::compile_file\`: best of $reps in one process (plugins loaded beforehand). \`clinflow check\`: best of 3, whole process (start, plugin loading, compile, exit)."
echo
echo "| shape | steps | compile_file ms | µs/step | check wall ms | check CPU ms | target: 100k < 1 s |"
echo "|---|---:|---:|---:|---:|---:|---|"
for shape in $shapes; do
  for n in $sizes; do
    c=$(get "$shape" "$n" compile_best)
    verdict="-"
    if [ "$n" = 100000 ] && [ "$c" != "?" ]; then
      verdict=$(awk -v c="$c" 'BEGIN { if (c < 1) print "met"; else printf "missed by %.0f%%", (c - 1) * 100 }')
    fi
    echo "| $shape | $n | $(fmt "$(calc "c * 1000" "c=$c")" %.1f) | $(us_per "$c" "$n") |" \
      "$(fmt "$(calc "k * 1000" "k=$(get "$shape" "$n" check_wall)")" %.0f) |" \
      "$(fmt "$(calc "k * 1000" "k=$(get "$shape" "$n" check_cpu)")" %.0f) | $verdict |"
  done
done
echo
echo "### Run (\`clinflow run -q --no-progress -j$threads\`, fresh project, provenance on)"
echo
echo "Best of $run_reps fresh projects (1 at 100k). \"whole\": the command's time per step. \"engine\": per step,"
echo "the run minus the check of the same file minus the per-run fixed cost, i.e. what each step adds"
echo "(run, cache, provenance). Target: under 20 µs per step including provenance."
echo
echo "Per-run fixed cost (3-step chain; run minus check): first run in a fresh project" \
  "$(fmt "$(calc "f * 1000" "f=$fixed_wall")" %.1f) ms wall, $(fmt "$(calc "f * 1000" "f=$fixed_cpu")" %.1f) ms CPU;" \
  "second run $(fmt "$(calc "f * 1000" "f=$fixed2_wall")" %.1f) ms wall, $(fmt "$(calc "f * 1000" "f=$fixed2_cpu")" %.1f) ms CPU." \
  "\`clinflow check\` of it: $(fmt "$(calc "f * 1000" "f=$fixed_check_wall")" %.1f) ms wall."
echo
echo "| shape | steps | 1st run s | 1st whole µs/step | 1st engine wall µs/step | 1st engine CPU µs/step | 2nd (cached) s | 2nd engine wall µs/step | 2nd engine CPU µs/step | provenance.db MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for shape in $shapes; do
  for n in $sizes; do
    r1w=$(get "$shape" "$n" run1_wall) r1c=$(get "$shape" "$n" run1_cpu)
    r2w=$(get "$shape" "$n" run2_wall) r2c=$(get "$shape" "$n" run2_cpu)
    kw=$(get "$shape" "$n" check_wall) kc=$(get "$shape" "$n" check_cpu)
    echo "| $shape | $n | $(fmt "$r1w" %.2f) | $(us_per "$r1w" "$n") | $(engine_us "$r1w" "$kw" "$fixed_wall" "$n") |" \
      "$(engine_us "$r1c" "$kc" "$fixed_cpu" "$n") | $(fmt "$r2w" %.2f) | $(engine_us "$r2w" "$kw" "$fixed2_wall" "$n") |" \
      "$(engine_us "$r2c" "$kc" "$fixed2_cpu" "$n") | $(fmt "$(calc "d / 1048576" "d=$(get "$shape" "$n" db_bytes)")" %.1f) |"
  done
done
if [ "$use_snakemake" = 1 ]; then
  echo
  echo "### Snakemake $smk_version on the same DAG (\`snakemake -j$threads --quiet\`, every job \`touch\`es its output)"
  echo
  echo "Whole commands, per step: clinflow's first run above against the Snakemake run, both measured"
  echo "here. Wall ratio = Snakemake wall / clinflow wall; CPU ratio likewise with user + sys time"
  echo "(Snakemake's includes its job shells). Target: ratio >= 1000."
  echo
  echo "| shape | steps | Snakemake s | Snakemake ms/job | clinflow µs/step | wall ratio | Snakemake CPU s | clinflow CPU s | CPU ratio |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for shape in $shapes; do
    for n in $smk_sizes; do
      r1w=$(get "$shape" "$n" run1_wall) r1c=$(get "$shape" "$n" run1_cpu)
      cf=$(us_per "$r1w" "$n")
      s=$(get "$shape" "$n" smk_wall) sc=$(get "$shape" "$n" smk_cpu)
      if [ "$s" != "?" ]; then
        echo "| $shape | $n | $(fmt "$s" %.1f) | $(fmt "$(calc "s * 1000 / n" "s=$s" "n=$n")" %.1f) | $cf |" \
          "$(fmt "$(calc "s / r" "s=$s" "r=$r1w")" %.0f) | $(fmt "$sc" %.1f) | $(fmt "$r1c" %.2f) |" \
          "$(fmt "$(calc "s / r" "s=$sc" "r=$r1c")" %.0f) |"
      elif [ "$(get "$shape" "$n" smk_timeout)" != "?" ]; then
        echo "| $shape | $n | > $smk_limit (stopped, $(get "$shape" "$n" smk_done) jobs done) |" \
          "> $(fmt "$(calc "l * 1000 / n" "l=$smk_limit" "n=$n")" %.1f) |" \
          "$cf | > $(fmt "$(calc "l / r" "l=$smk_limit" "r=$r1w")" %.0f) | - | $(fmt "$r1c" %.2f) | - |"
      elif [ "$(get "$shape" "$n" smk_skip)" != "?" ]; then
        echo "| $shape | $n | skipped: ~$(get "$shape" "$n" smk_skip) s expected | - | $cf | - | - | $(fmt "$r1c" %.2f) | - |"
      else
        echo "| $shape | $n | failed (see the log) | - | $cf | - | - | $(fmt "$r1c" %.2f) | - |"
      fi
    done
  done
fi
