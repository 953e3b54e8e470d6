#!/usr/bin/env bash
# Benchmarks softmax4j against the other contenders and writes a results directory:
#   environment.txt  CPU, vector features, JDK, the species softmax4j picked
#   accuracy.md      max ulp error per contender, distribution and size
#   jmh.json         raw JMH results (with -prof gc and CallAllocationProfiler);  jmh.log  JMH's full console output
#   results.csv      every number;  report.md  the tables;  throughput.png  elements/ns against n
# The terminal shows one line per benchmark (name, parameters, ETA of the whole run, then its score) and, at
# the end, the headline table with the targets checked (org.softmax4j.bench.BenchMain runs JMH and the report).
#
# Usage: scripts/bench.sh [--quick | --full | --smoke] [--bits 128|256|512] [--threads N] [--out DIR]
#                         [--filter REGEX] [--no-build] [-- extra JMH arguments]
#   --quick  (default) the headline's single-row shapes but 64, short iterations, one fork: about 13 minutes
#   --full   every shape, 3 forks x 5 x 1 s: the publishable run (about 80 minutes on 2 cores: ~32 s per benchmark)
#   --smoke  one 100 ms warm-up and one 100 ms iteration per benchmark on small shapes, for CI (about 1-2
#            minutes); writes to a temp dir unless --out
#   --bits   force softmax4j's vector width (-Dsoftmax4j.vectorBits) in every fork and in the accuracy run
#   --threads N  softmax4j's batch benchmark (BatchSoftmaxBenchmark) splits its rows across N threads (the Executor
#            overload); every other benchmark stays single-threaded and records N. ParallelRowsBenchmark measures
#            1 and 2 threads in every run.
#   --filter REGEX  run only the JMH benchmarks matching REGEX (default: all of org.softmax4j.bench)
set -euo pipefail
# The whole script is one brace group, read before it runs: bash reads a script as it goes, so editing this file
# during a long run (a git checkout, say) would otherwise make it run from a shifted offset when JMH returns.
{

root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/jdk.sh
source "$(dirname "$0")/lib/jdk.sh"

mode=quick
bits=""
threads=1
out=""
build=1
default_filter='org\.softmax4j\.bench\..*'
filter="$default_filter"
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --smoke) mode=smoke ;;
    --bits) bits="${2:?--bits needs 128, 256 or 512}"; shift ;;
    --bits=*) bits="${1#*=}" ;;
    --threads) threads="${2:?--threads needs a number}"; shift ;;
    --threads=*) threads="${1#*=}" ;;
    --out) out="${2:?--out needs a directory}"; shift ;;
    --out=*) out="${1#*=}" ;;
    --filter) filter="${2:?--filter needs a regular expression}"; shift ;;
    --filter=*) filter="${1#*=}" ;;
    --no-build) build=0 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^set /s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$bits" in
  ""|128|256|512) ;;
  *) echo "bench.sh: --bits must be 128, 256 or 512, not '$bits'" >&2; exit 2 ;;
esac
case "$threads" in
  ''|*[!0-9]*|0) echo "bench.sh: --threads must be a positive integer, not '$threads'" >&2; exit 2 ;;
esac

jar="$root/bench/target/benchmarks.jar"

# ---------------------------------------------------------------- build (only when sources are newer than the jar)
if [ "$build" = 1 ]; then
  if [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root/kernel/pom.xml" "$root/bench/pom.xml" \
        "$root/kernel/src/main" "$root/bench/src/main" -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
    echo "== building bench/target/benchmarks.jar"
    build_log="$(mktemp)"
    if ! (cd "$root" && mvn -B -q -DskipTests package -pl bench -am) >"$build_log" 2>&1; then
      cat "$build_log" >&2
      echo "bench.sh: build failed" >&2
      exit 1
    fi
    rm -f "$build_log"
  fi
fi
[ -f "$jar" ] || { echo "bench.sh: $jar is missing (run without --no-build)" >&2; exit 1; }

# ---------------------------------------------------------------- where results go
cpu_model="$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)"
[ -n "$cpu_model" ] || cpu_model="$(uname -m)"
# A VM may show only "AMD EPYC": family and model tell Zen 3 (25/1), Zen 4 (25/17) and Zen 5 (26/...) apart.
cpu_id="$(awk -F': *' '/^cpu family/ {f = $2} /^model[[:space:]]*:/ {m = $2} /^stepping/ {s = $2}
  END {if (f != "") printf "family %s, model %s, stepping %s", f, m, s}' /proc/cpuinfo 2>/dev/null || true)"
# Cache sizes from sysfs (a VM may expose none).
caches=""
for index in /sys/devices/system/cpu/cpu0/cache/index*; do
  [ -r "$index/size" ] || continue
  case "$(cat "$index/type" 2>/dev/null)" in Data) kind=d ;; Instruction) kind=i ;; *) kind="" ;; esac
  caches="${caches:+$caches, }L$(cat "$index/level" 2>/dev/null)$kind $(cat "$index/size")"
done
cpu_flags=" $(sed -n 's/^\(flags\|Features\)[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1) "
vector_features=""
for f in sse4_2 avx avx2 fma f16c avx512f avx512dq avx512bw avx512vl avx512_vnni avx512_bf16 avx512_fp16 asimd sve sve2; do
  case "$cpu_flags" in *" $f "*) vector_features="$vector_features $f" ;; esac
done
vector_features="${vector_features# }"
widest=""
case " $vector_features " in
  *" avx512f "*) widest=avx512 ;;
  *" avx2 "*) widest=avx2 ;;
  *" sve "*) widest=sve ;;
  *" asimd "*) widest=neon ;;
esac
slug="$(printf '%s' "$cpu_model" | tr '[:upper:]' '[:lower:]' \
  | sed -e 's/([rR])//g; s/(tm)//g; s/ cpu / /; s/@.*//; s/[^a-z0-9]\{1,\}/-/g; s/^-//; s/-$//')"
slug="${slug}${widest:+-$widest}${bits:+-bits$bits}"
[ "$threads" = 1 ] || slug="$slug-t$threads"

if [ -z "$out" ]; then
  if [ "$mode" = smoke ]; then
    out="$(mktemp -d "${TMPDIR:-/tmp}/softmax4j-bench-smoke.XXXXXX")"
  else
    out="$root/results/$(date +%Y-%m-%d-%H%M%S)-$slug"
  fi
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# ---------------------------------------------------------------- JVM and JMH arguments per mode
jvm_flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
[ -z "$bits" ] || jvm_flags+=("-Dsoftmax4j.vectorBits=$bits")

case "$mode" in
  smoke)
    # One warm-up iteration, so the numbers come from compiled code (without it the Vector API loops run
    # interpreted and box every vector). It costs 100 ms per benchmark; the JVM start costs more.
    jmh_args=(-f 1 -wi 1 -w 100ms -i 1 -r 100ms -foe true
              -p n=16,1024 -p shape=32x1024 -p elements=1048576 -p length=1048576
              -p pass=exp-store-sum -p rowLength=1024)
    accuracy_sizes="1024,32000"
    ;;
  quick)
    # 1 s warm-ups: the kernel's loops are large, and C2 takes longer than 3 x 400 ms to compile them on a busy
    # 2-core machine (measured: interpreted numbers in a 400 ms run)
    jmh_args=(-f 1 -wi 3 -w 1s -i 4 -r 500ms
              -p n=16,256,1024,4096,32000,128256,1048576,16777216 -p length=1048576,16777216)
    accuracy_sizes="1024,32000,128256,1048576"
    ;;
  full)
    jmh_args=(-f 3 -wi 5 -w 1s -i 5 -r 1s)
    accuracy_sizes="1024,32000,128256,1048576,16777216"
    ;;
esac
# -prof gc counts every thread, JMH's own per-iteration garbage too; the report's B/op is the calling threads' alone.
# CallAllocationProfiler first: JMH stops profilers in reverse order, so gc's window does not hold its bookkeeping.
jmh_args+=(-bm avgt -tu ns -prof org.softmax4j.bench.CallAllocationProfiler -prof gc -p "threads=$threads")
# -jvmArgsPrepend keeps the @Fork(jvmArgsAppend = --add-modules ...) of every benchmark intact.
[ -z "$bits" ] || jmh_args+=(-jvmArgsPrepend "-Dsoftmax4j.vectorBits=$bits")
jmh_args+=("${extra[@]+"${extra[@]}"}")

# ---------------------------------------------------------------- environment
if ! jvm_environment="$(java "${jvm_flags[@]}" -cp "$jar" org.softmax4j.bench.Environment 2>&1)"; then
  echo "$jvm_environment" >&2
  echo "bench.sh: the JVM could not load softmax4j from $jar" >&2
  exit 1
fi
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "mode: $mode${bits:+, vectorBits=$bits}, threads=$threads"
  echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo none)$(git -C "$root" status --porcelain 2>/dev/null | grep -q . && echo ' (working tree has changes)' || true)"
  echo "cpu: $cpu_model${cpu_id:+ ($cpu_id)}"
  echo "caches (cpu0, sysfs): ${caches:-not exposed}"
  echo "cpu vector features: ${vector_features:-none found}"
  echo "cpus: $(nproc 2>/dev/null || echo '?'), memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo '?')"
  echo "kernel: $(uname -sr)"
  printf '%s\n' "$jvm_environment" | grep -v 'Using incubator modules' || true
  echo "jmh: ${jmh_args[*]}"
} >"$out/environment.txt"
echo "== environment"
cat "$out/environment.txt"
[ "$threads" = 1 ] || echo "note: --threads $threads splits softmax4j's batch rows across $threads threads; other benchmarks stay single-threaded."

# ---------------------------------------------------------------- accuracy
echo
echo "== accuracy (sizes $accuracy_sizes)"
java "${jvm_flags[@]}" -Xmx4g -cp "$jar" org.softmax4j.bench.AccuracyReport \
  --sizes "$accuracy_sizes" --out "$out/accuracy.md" 2> >(grep -v 'Using incubator modules' >&2)

# ---------------------------------------------------------------- JMH and the report
echo
echo "== JMH ($mode): one line per benchmark; JMH's full output in $out/jmh.log"
command_line="scripts/bench.sh --$mode${bits:+ --bits $bits}$([ "$threads" = 1 ] || echo " --threads $threads")"
# an argument as the shell reads it back: bare when plain, else in single quotes
shell_word() {
  case "$1" in
    *[!A-Za-z0-9_.,=:/+-]* | '') printf "'%s'" "${1//\'/\'\\\'\'}" ;;
    *) printf '%s' "$1" ;;
  esac
}
[ "$filter" = "$default_filter" ] || command_line+=" --filter $(shell_word "$filter")"
if [ ${#extra[@]} != 0 ]; then
  command_line+=" --"
  for arg in "${extra[@]}"; do command_line+=" $(shell_word "$arg")"; done
fi
jmh_status=0
# JMH 1.37 uses sun.misc.Unsafe, which JDK 25 warns about on every start.
java -Djava.awt.headless=true --sun-misc-unsafe-memory-access=allow -cp "$jar" org.softmax4j.bench.BenchMain \
  --out "$out" --env "$out/environment.txt" --accuracy "$out/accuracy.md" --command "$command_line" \
  -- "$filter" "${jmh_args[@]}" || jmh_status=$?
if [ "$jmh_status" != 0 ] || [ ! -s "$out/jmh.json" ]; then
  [ ! -f "$out/jmh.log" ] || tail -n 60 "$out/jmh.log" >&2
  echo "bench.sh: JMH or the report failed (exit $jmh_status); see $out/jmh.log" >&2
  exit 1
fi
if grep -q '<failure>' "$out/jmh.log"; then
  echo "bench.sh: warning: some benchmarks failed, see <failure> in $out/jmh.log; the report covers the rest" >&2
fi

for f in environment.txt accuracy.md jmh.json jmh.log results.csv report.md throughput.png; do
  # The plot shows single-row softmax; a --filter without it has nothing to plot.
  if [ "$f" = throughput.png ] && ! grep -q 'RowSoftmaxBenchmark' "$out/jmh.json"; then continue; fi
  [ -s "$out/$f" ] || { echo "bench.sh: $out/$f was not written" >&2; exit 1; }
done
echo
echo "Results: $out"
exit 0
}
