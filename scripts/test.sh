#!/usr/bin/env bash
# Runs every test of Mesh. On a fresh Debian machine with the .NET SDK it first installs what the tests
# need (ClickHouse for the store conformance and outage tests); test fixtures start private servers on
# free loopback ports with temporary data dirs, and stop them afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v clickhouse-server >/dev/null 2>&1 || need+=(clickhouse-server clickhouse-client)
if [ ${#need[@]} -gt 0 ]; then
  echo "==> installing test dependencies: ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The metadata conformance suite runs against a private PostgreSQL 15 cluster (initdb + pg_ctl).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "==> installing test dependencies: postgresql"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
fi

echo "==> building"
dotnet build Mesh.sln -c Release -nologo -v quiet

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "==> testing"
status=0
dotnet test Mesh.sln -c Release --no-build -nologo -v quiet -- RunConfiguration.TestSessionTimeout=1500000 2>&1 | tee "$log" || status=$?

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
