#!/usr/bin/env bash
# Runs Mesh's whole-system benchmarks and writes their results into docs/benchmarks.md.
#
#   bench/run.sh                 # the full benchmark: 60 s ingest runs, 10,000,000-span query stores
#   bench/run.sh --short         # a quick development run (10 s, 300,000 spans); labelled as such in the docs
#   bench/run.sh --only query-sqlite --spans 1000000
#
# Options (environment variable in brackets):
#   --seconds N     measured ingest load per store            [BENCH_SECONDS, default 60]
#   --clients N     concurrent OTLP/HTTP clients               [BENCH_CLIENTS, default 8]
#   --spans N       spans in each query benchmark's store      [BENCH_SPANS, default 10000000]
#   --iterations N  timed calls of each query                  [BENCH_ITERATIONS, default 300]
#   --only LIST     comma-separated subset of ingest-sqlite,ingest-clickhouse,query-sqlite,query-clickhouse [BENCH_ONLY]
#   --short         --seconds 10 --spans 300000 --iterations 200
#   --append        keep earlier results in docs/benchmarks.md below the new ones (default: replace them)
#   --no-docs       print the results, leave docs/benchmarks.md alone
#
# Every process the run starts (the bench, mesh up, clickhouse-server, the vendor tools) lives under one
# temporary directory; on exit, whatever way it comes, those processes are stopped and the directory removed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
docs="$root/docs/benchmarks.md"
invocation="bench/run.sh${*:+ $*}"

seconds="${BENCH_SECONDS:-60}"
clients="${BENCH_CLIENTS:-8}"
spans="${BENCH_SPANS:-10000000}"
iterations="${BENCH_ITERATIONS:-300}"
only="${BENCH_ONLY:-ingest-sqlite,ingest-clickhouse,query-sqlite,query-clickhouse}"
append=0
write_docs=1

usage() { sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --spans) spans="$2"; shift 2 ;;
    --iterations) iterations="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --short) seconds=10; spans=300000; iterations=200; shift ;;
    --append) append=1; shift ;;
    --no-docs) write_docs=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

for measurement in ${only//,/ }; do
  case "$measurement" in
    ingest-sqlite|ingest-clickhouse|query-sqlite|query-clickhouse) ;;
    *) echo "run.sh: --only: '$measurement' is not one of ingest-sqlite, ingest-clickhouse, query-sqlite, query-clickhouse" >&2; exit 2 ;;
  esac
done

# --- tools -----------------------------------------------------------------------------------------
have() { command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/sbin/$1" ]]; }
missing=()
for tool in clickhouse-server clickhouse-client sqlite3; do
  have "$tool" || missing+=("$tool")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing ${missing[*]}"
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${missing[@]}"
fi

# --- cleanup ---------------------------------------------------------------------------------------
# The bench and everything it starts run with TMPDIR set to this directory and keep their data under it:
# that is how cleanup finds the processes of this run (by id), and nothing else.
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/mesh-bench-run.XXXXXX")"
bench_pid=""

processes_of_run() {
  local dir pid
  for dir in /proc/[0-9]*; do
    pid="${dir#/proc/}"
    [[ "$pid" != "$$" ]] || continue
    # Children inherit TMPDIR even when their command line does not name the directory.
    if { tr '\0' '\n' <"$dir/environ" | grep -qxF -- "TMPDIR=$run_dir"; } 2>/dev/null \
      || { tr '\0' ' ' <"$dir/cmdline" | grep -qF -- "$run_dir"; } 2>/dev/null; then
      echo "$pid"
    fi
  done
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$bench_pid" ]] && kill -0 "$bench_pid" 2>/dev/null; then
    # A graceful stop lets the bench stop mesh up and clickhouse-server itself.
    kill -TERM "$bench_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$bench_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$bench_pid" 2>/dev/null || true
  fi
  local left
  left="$(processes_of_run)"
  if [[ -n "$left" ]]; then
    echo "stopping processes left by the run: $(echo $left)" >&2
    kill -KILL $left 2>/dev/null || true
  fi
  rm -rf "$run_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- build -----------------------------------------------------------------------------------------
echo "building the bench (Release)"
dotnet build "$root/bench/Mesh.Bench/Mesh.Bench.csproj" -c Release -nologo -v quiet
bench_dll="$root/bench/Mesh.Bench/bin/Release/net10.0/Mesh.Bench.dll"

# --- machine ---------------------------------------------------------------------------------------
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
cpu_model="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)"
memory="$(free -h | awk '/^Mem:/ { print $2 " total, " $7 " available" }')"
clickhouse_version="$(clickhouse-client --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+)+' | head -1 || echo unknown)"
sqlite_version="$(sqlite3 --version | cut -d' ' -f1)"
dotnet_version="$(dotnet --version)"
load_average="$(cut -d' ' -f1-3 /proc/loadavg)"

full=1
if [[ "$seconds" -lt 60 || "$spans" -lt 10000000 ]]; then
  full=0
fi

results="$run_dir/results.md"
: >"$results"

run_bench() {
  local -a command=(dotnet "$bench_dll" "$@" --markdown "$results")
  echo
  echo "=== ${command[*]:0:${#command[@]}-2}"
  {
    echo
    echo "Command: \`dotnet bench/Mesh.Bench/bin/Release/net10.0/Mesh.Bench.dll $*\`"
    echo
  } >>"$results"
  TMPDIR="$run_dir" "${command[@]}" &
  bench_pid=$!
  local status=0
  wait "$bench_pid" || status=$?
  bench_pid=""
  if [[ $status -ne 0 ]]; then
    echo "**Failed** (exit code $status); see the console output of the run." >>"$results"
    failures=$((failures + 1))
  fi
}

failures=0

for measurement in ${only//,/ }; do
  case "$measurement" in
    ingest-sqlite) run_bench ingest --store sqlite --seconds "$seconds" --clients "$clients" ;;
    ingest-clickhouse) run_bench ingest --store clickhouse --seconds "$seconds" --clients "$clients" ;;
    query-sqlite) run_bench query --store sqlite --spans "$spans" --iterations "$iterations" ;;
    query-clickhouse) run_bench query --store clickhouse --spans "$spans" --iterations "$iterations" ;;
  esac
done

# --- docs ------------------------------------------------------------------------------------------
section="$run_dir/section.md"
{
  if [[ $full -eq 1 ]]; then
    echo "### Run of $started"
  else
    echo "### Short development run of $started (${seconds} s ingest, ${spans} spans: not the benchmark's sizes; checks the machinery, not for quoting)"
  fi
  echo
  echo "- Command: \`$invocation\`"
  echo "- Machine: $(nproc) cores ($cpu_model), memory $memory, load average at start $load_average"
  echo "- Software: ClickHouse $clickhouse_version, sqlite3 $sqlite_version, .NET SDK $dotnet_version, Linux $(uname -r)"
  cat "$results"
} >"$section"

echo
cat "$section"

if [[ $failures -gt 0 ]]; then
  echo "run.sh: $failures measurement(s) failed; docs/benchmarks.md left alone" >&2
  exit 1
fi

if [[ $write_docs -eq 0 ]]; then
  exit 0
fi

begin='<!-- bench/run.sh results: begin -->'
end='<!-- bench/run.sh results: end -->'
if [[ ! -f "$docs" ]] || ! grep -qF -- "$begin" "$docs" || ! grep -qF -- "$end" "$docs"; then
  echo "run.sh: $docs has no results markers ('$begin' … '$end'); results are above, docs left alone" >&2
  exit 1
fi

# Replace what is between the markers with this run (and, with --append, the earlier runs after it).
awk -v begin="$begin" -v end="$end" -v section="$section" -v append="$append" '
  $0 == begin { print; print ""; while ((getline line < section) > 0) print line; inside = 1; next }
  $0 == end   { inside = 0; print; next }
  inside && append == 1 { print; next }
  inside { next }
  { print }
' "$docs" >"$run_dir/benchmarks.md"
cp "$run_dir/benchmarks.md" "$docs"
echo "results written to docs/benchmarks.md"
