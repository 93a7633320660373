#!/usr/bin/env bash
# Runs every test of Mesh. On a fresh Debian machine with the .NET SDK it first installs what the tests
# need (see below); test fixtures start private servers on
# free loopback ports with temporary data dirs, and stop them afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests need from Debian: ClickHouse (store conformance, outage tests), PostgreSQL 15 (metadata
# conformance: a private cluster through initdb + pg_ctl), Chromium (web UI browser tests; never a downloaded
# browser). One apt-get update for all of them, only when something is missing.
need=()
command -v clickhouse-server >/dev/null 2>&1 || need+=(clickhouse-server clickhouse-client)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "==> installing test dependencies: ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Web UI (web/ui): npm packages come from package-lock.json. The .NET build would also run npm itself; doing it
# here first keeps its output apart.
command -v node >/dev/null 2>&1 || { echo "scripts/test.sh: Node.js 20.19+ is needed for the web UI (web/ui)" >&2; exit 1; }
echo "==> web UI: npm ci, build"
npm ci --no-audit --no-fund --loglevel=error
npm run build --workspace web/ui --silent

echo "==> building"
dotnet build Mesh.sln -c Release -nologo -v quiet

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "==> testing"
status=0
echo "==> web UI component tests (vitest)"
npm run test --workspace web/ui --silent -- --reporter=default --reporter=json --outputFile.json=dist-test/vitest.json || status=$?
node -e '
  const r = require("./web/ui/dist-test/vitest.json");
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numFailedTests ? "Failed!" : "Passed!"}  - Failed: ${r.numFailedTests}, Passed: ${r.numPassedTests}, Skipped: ${skipped}, Total: ${r.numTotalTests} - web/ui (vitest)`);
' | tee -a "$log" || status=1
dotnet test Mesh.sln -c Release --no-build -nologo -v quiet --logger "console;verbosity=minimal" -- RunConfiguration.TestSessionTimeout=1500000 2>&1 | tee -a "$log" || status=$?

# One closing line over every test project: 'N passed, N failed, N skipped'.
awk '
  /(Passed|Failed)!  - / {
    for (i = 1; i <= NF; i++) {
      gsub(",", "", $(i + 1))
      if ($i == "Failed:") f += $(i + 1)
      if ($i == "Passed:") p += $(i + 1)
      if ($i == "Skipped:") s += $(i + 1)
    }
    seen = 1
  }
  END { if (seen) printf "%d passed, %d failed, %d skipped\n", p, f, s; else print "no test results found" }
' "$log"
exit $status
