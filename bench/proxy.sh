#!/usr/bin/env bash
# Proxy benchmark: mesh proxy (telemetry on and off) vs nginx (proxy_pass + upstream keepalive) and HAProxy
# (http-reuse always), all in front of the same trivial upstream (nginx returning a fixed 2-byte body), measured in
# one run. wrk (closed loop) gives throughput; hey at a fixed 1,000 rps gives latency added over direct, proxy RSS
# and CPU. Ends printing `proxy/nginx: <ratio>` (telemetry on). Usage: bench/proxy.sh [seconds-per-run] (default 15).
#
# Telemetry on is measured twice. mesh-on: every request's span and access log encoded and POSTed as OTLP/HTTP to a
# receiver that answers 200 and discards the body (nginx) — the proxy pays its whole telemetry cost, nobody else's;
# this is the ratio printed last. mesh-ingest: the same, exported to a real `mesh up` ingest (SQLite) on the same two
# cores, so the ingest's CPU (decode + store of two records per request) competes with the proxy under test; in a
# deployment the ingest runs elsewhere. Both print their exporter counters (records dropped must be 0).
set -euo pipefail
DUR=${1:-15}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/mesh-proxy-bench.XXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

need() { command -v "$1" >/dev/null 2>&1 || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null; }; }
need wrk wrk; need hey hey; need haproxy haproxy; [ -x /usr/sbin/nginx ] || need nginx nginx-light

port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
UP=$(port); NGX=$(port); HAP=$(port); SINK=$(port); API=$(port); OG=$(port); OH=$(port)
declare -A PORT ADMIN; for m in on ingest off; do PORT[$m]=$(port); ADMIN[$m]=$(port); done

# Upstream and nginx proxy: one nginx, two servers, one worker each (the machine has 2 cores).
cat > "$WORK/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $WORK/nginx.pid; error_log $WORK/nginx.err;
events { worker_connections 4096; }
http {
  access_log off;
  client_max_body_size 64m;
  upstream up { server 127.0.0.1:$UP; keepalive 64; }
  server { listen 127.0.0.1:$UP; location / { return 200 "ok"; } }
  server { listen 127.0.0.1:$SINK; location / { return 200 ""; } }
  server { listen 127.0.0.1:$NGX; location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
CONF
/usr/sbin/nginx -c "$WORK/nginx.conf" -p "$WORK" & NGINX_PID=$!; PIDS+=($!)

cat > "$WORK/haproxy.cfg" <<CONF
global
  nbthread 1
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend fe
  bind 127.0.0.1:$HAP
  default_backend be
backend be
  server s1 127.0.0.1:$UP
CONF
haproxy -f "$WORK/haproxy.cfg" -db & HAPROXY_PID=$!; PIDS+=($!)

# The ingest the proxy exports to (telemetry on), and the proxy twice: telemetry on and off.
# MESH_BENCH_NO_BUILD=1 uses the mesh.dll already built (a build takes minutes on a loaded machine).
[ -n "${MESH_BENCH_NO_BUILD:-}" ] || dotnet build "$ROOT/web/Mesh.Web" -c Release -v q -nologo >/dev/null
MESH="$ROOT/web/Mesh.Web/bin/Release/net10.0/mesh.dll"
DOTNET_gcServer=0 MESH_INGEST_TOKEN=bench-ingest-token MESH_ADMIN_TOKEN=bench-admin-token \
  dotnet "$MESH" up --data-dir "$WORK/mesh" --port "$API" --otlp-grpc-port "$OG" --otlp-http-port "$OH" >"$WORK/up.log" 2>&1 & PIDS+=($!)
PROXY_RUNTIME_ENV=${PROXY_RUNTIME_ENV:-DOTNET_gcServer=0 DOTNET_gcConcurrent=0 DOTNET_GCgen0size=0x400000 DOTNET_TieredPGO=0}
for mode in on ingest off; do
  P=${PORT[$mode]}
  case $mode in
    on) TEL="telemetry: { otlpEndpoint: \"http://127.0.0.1:$SINK\" }" ;;
    ingest) TEL="telemetry: { otlpEndpoint: \"http://127.0.0.1:$OH\", token: bench-ingest-token }" ;;
    off) TEL="telemetry: {}" ;;
  esac
  cat > "$WORK/proxy-$mode.yaml" <<CONF
service: { name: bench }
listeners: [{ name: main, port: $P }]
admin: { port: ${ADMIN[$mode]} }
routes: [{ name: all, cluster: up }]
clusters: [{ name: up, endpoints: [{ address: 127.0.0.1, port: $UP }] }]
$TEL
CONF
  # The runtime settings docs/benchmarks.md recommends for `mesh proxy` (workstation non-concurrent GC, 4 MB gen0
  # budget, no PGO instrumentation): they keep a sidecar's RSS down at no measurable throughput cost.
  env $PROXY_RUNTIME_ENV dotnet "$MESH" proxy --config "$WORK/proxy-$mode.yaml" >"$WORK/proxy-$mode.log" 2>&1 & PIDS+=($!)
  eval "PID_$mode=$!"
done
# Wait (up to 180 s: start-up is slow on a loaded machine) until everything answers.
for p in $UP $NGX $HAP ${PORT[on]} ${PORT[ingest]} ${PORT[off]}; do
  for i in $(seq 1 360); do curl -sf "http://127.0.0.1:$p/" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$p/" >/dev/null || { echo "port $p not answering"; exit 1; }
done

rps() { wrk -t1 -c32 -d"${DUR}s" "http://127.0.0.1:$1/" | awk '/Requests\/sec/ {print $2}'; }
cpu_ticks() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $t; }
# hey at 1,000 rps: 20 workers x 50 q/s; prints p50 and p99 in ms.
fixed() { hey -z "${DUR}s" -c 20 -q 50 "http://127.0.0.1:$1/" | awk '/ 50% in/ {p50=$3*1000} / 99% in/ {p99=$3*1000} END {printf "%.3f %.3f", p50, p99}'; }

echo "warming up"; for p in $NGX $HAP ${PORT[on]} ${PORT[ingest]} ${PORT[off]}; do wrk -t1 -c16 -d3s "http://127.0.0.1:$p/" >/dev/null; done
declare -A R
# CPU per request of the process under test during its wrk run (the robust number on a busy machine). nginx's one
# worker also serves the upstream, so its figure includes the upstream's work (direct shows that part alone).
declare -A CPUPIDS=([direct]="$(pgrep -P $NGINX_PID | tr '\n' ' ')" [nginx]="$(pgrep -P $NGINX_PID | tr '\n' ' ')" [haproxy]=$HAPROXY_PID
  [mesh-on]=$PID_on [mesh-ingest]=$PID_ingest [mesh-off]=$PID_off)
for name in direct:$UP nginx:$NGX haproxy:$HAP mesh-on:${PORT[on]} mesh-ingest:${PORT[ingest]} mesh-off:${PORT[off]}; do
  n=${name%%:*}; t0=$(cpu_ticks ${CPUPIDS[$n]}); R[$n]=$(rps ${name##*:}); t1=$(cpu_ticks ${CPUPIDS[$n]})
  echo "wrk $n: ${R[$n]} req/s, $(awk -v a=$t0 -v b=$t1 -v r=${R[$n]} -v d=$DUR -v hz=$(getconf CLK_TCK) 'BEGIN {printf "%.1f µs CPU/request, %.2f cores", (b-a)/hz/(r*d)*1e6, (b-a)/hz/d}')"
done
declare -A L
for name in direct:$UP nginx:$NGX haproxy:$HAP; do L[${name%%:*}]=$(fixed ${name##*:}); echo "hey 1000rps ${name%%:*}: p50/p99 ${L[${name%%:*}]} ms"; done
for mode in on ingest off; do
  P=${PORT[$mode]}; PID=$(eval echo \$PID_$mode)
  t0=$(cpu_ticks $PID); L[mesh-$mode]=$(fixed $P); t1=$(cpu_ticks $PID)
  eval "RSS_$mode=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$PID/status)"
  eval "CPU_$mode=$(awk -v a=$t0 -v b=$t1 -v d=$DUR -v hz=$(getconf CLK_TCK) 'BEGIN {printf "%.1f", (b-a)/hz/d*100}')"
  echo "hey 1000rps mesh-$mode: p50/p99 ${L[mesh-$mode]} ms, RSS $(eval echo \$RSS_$mode) MB, CPU $(eval echo \$CPU_$mode)% of a core"
done
read d50 d99 <<<"${L[direct]}"
added() { read a b <<<"$1"; awk -v a=$a -v b=$b -v c=$d50 -v d=$d99 'BEGIN {printf "+%.3f / +%.3f", a-c, b-d}'; }
RATIO=$(awk -v a=${R[mesh-on]} -v b=${R[nginx]} 'BEGIN {printf "%.2f", a/b}')
RATIO_INGEST=$(awk -v a=${R[mesh-ingest]} -v b=${R[nginx]} 'BEGIN {printf "%.2f", a/b}')
RATIO_OFF=$(awk -v a=${R[mesh-off]} -v b=${R[nginx]} 'BEGIN {printf "%.2f", a/b}')
{
  echo "| target | wrk req/s (c=32) | added p50 / p99 at 1,000 rps (ms) |"
  echo "|---|---|---|"
  echo "| direct | ${R[direct]} | (p50 $d50, p99 $d99) |"
  for n in nginx haproxy mesh-on mesh-ingest mesh-off; do echo "| $n | ${R[$n]} | $(added "${L[$n]}") |"; done
  echo
  echo "mesh proxy at 1,000 rps: telemetry on RSS ${RSS_on} MB, CPU ${CPU_on}% of a core per 1,000 rps; to the ingest RSS ${RSS_ingest} MB, CPU ${CPU_ingest}%; telemetry off RSS ${RSS_off} MB, CPU ${CPU_off}%."
  for mode in on ingest; do
    echo "mesh-$mode exporter: $(curl -s "http://127.0.0.1:${ADMIN[$mode]}/metrics" | grep -E '^mesh_proxy_telemetry_[a-z_]+(_total)? ' | tr '\n' ' ')"
  done
  echo "ingest received: $(curl -s -H 'Authorization: Bearer bench-admin-token' "http://127.0.0.1:$API/metrics" | grep -E '^mesh_ingest_(accepted|written)_items_total' | tr '\n' ' ' || true)"
  echo "proxy/nginx (telemetry off): $RATIO_OFF"
  echo "proxy/nginx (telemetry on, exported to the ingest on the same 2 cores): $RATIO_INGEST"
} | tee "$WORK/summary.md"
echo "proxy/nginx: $RATIO"
