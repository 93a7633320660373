#!/usr/bin/env python3
"""Resource use of `mesh up --demo` (issue 6): startup to first data, then CPU and memory of the whole process
tree (mesh + every child) averaged over a window after a warm-up, read from /proc. The same run measures
`mesh up` alone (the platform without the demo) as the peer.

Startup is timed from the spawn of `mesh up` to: the platform answering /healthz, every demo child ready (mesh's own
"all N processes ready" line), the first stored span, every demo service listed by /api/v1/services, and a trace
through payment (the end of a checkout: first data visible across the whole store). `first_data_s` is the later of
the last two. Memory is reported twice: the sum of RSS (counts the runtime and framework pages every .NET process maps
from the same files once per process) and the sum of PSS (each shared page divided among the processes mapping it:
what the tree really holds), both from /proc/PID/smaps_rollup. CPU is user+system time of the tree over the window.

usage: bench/demo/measure.py [--runs 3] [--warmup 60] [--window 60] [--no-platform] [--startup-only]
                             [--env KEY=VALUE ...] [--mesh web/Mesh.Web/bin/Release/net10.0/mesh.dll]

With --runs N the demo is started N times; each run prints one JSON line, then a "median" line. --env sets variables
on `mesh up` (its children inherit them; the demo's own child settings still win): for experiments with runtime knobs.
"""
import argparse, json, os, re, shutil, signal, socket, statistics, subprocess, tempfile, threading, time, urllib.request

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
SERVICES = {"frontend", "auth", "catalog", "cart", "inventory", "payment", "shipping"}
TOKEN = "bench-admin-token-0123456789"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_base():
    for base in range(21000, 32000, 100):
        ok = True
        for p in range(base, base + 60):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", p))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise SystemExit("no free port range")


def tree(root):
    """root and every descendant, from /proc/*/stat parent links."""
    parents = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    parts = f.read().rsplit(")", 1)[1].split()
                parents[int(d)] = int(parts[1])
            except OSError:
                pass
    found, frontier = {root}, [root]
    while frontier:
        p = frontier.pop()
        for child, parent in parents.items():
            if parent == p and child not in found:
                found.add(child)
                frontier.append(child)
    return found


def sample(pids):
    """(cpu ticks, rss bytes, pss bytes) summed over pids."""
    cpu, rss, pss = 0, 0, 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                parts = f.read().rsplit(")", 1)[1].split()
            cpu += int(parts[11]) + int(parts[12])  # utime + stime
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
        except OSError:
            pass
    return cpu, rss, pss


def get(url):
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.load(r)


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def run(mesh, demo, warmup, window, startup_only, extra_env):
    data = tempfile.mkdtemp(prefix="mesh-bench-demo-")
    port, grpc, http = free_port(), free_port(), free_port()
    args = ["dotnet", mesh, "up", "--data-dir", data, "--port", str(port), "--otlp-grpc-port", str(grpc), "--otlp-http-port", str(http)]
    if demo:
        args += ["--demo", "--demo-base-port", str(free_base())]
    env = dict(os.environ, MESH_ADMIN_TOKEN=TOKEN, MESH_INGEST_TOKEN="bench-ingest-token-0123456789", **extra_env)
    load_start = loadavg()
    start = time.monotonic()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    phases = {}

    def mark(name):
        phases.setdefault(name, round(time.monotonic() - start, 1))

    def read_output():
        for line in proc.stdout:
            if re.search(r"demo: all \d+ processes ready", line):
                mark("children_ready_s")

    threading.Thread(target=read_output, daemon=True).start()
    api = f"http://127.0.0.1:{port}/api/v1"
    try:
        while time.monotonic() - start < 180:
            try:
                get(f"{api}/services")
                mark("platform_s")
                if not demo:
                    break
                services = set(get(f"{api}/services")["services"])
                if services:
                    mark("first_span_s")
                if SERVICES <= services:
                    mark("all_services_s")
                if "payment_trace_s" not in phases and get(f"{api}/traces?service=payment&limit=1")["traces"]:
                    mark("payment_trace_s")
                if "all_services_s" in phases and "payment_trace_s" in phases:
                    break
            except Exception:
                pass
            time.sleep(0.25)
        first_data = max(phases.get("all_services_s", 0), phases.get("payment_trace_s", 0)) if demo else phases.get("platform_s")
        result = {
            "what": "mesh up --demo" if demo else "mesh up",
            "first_data_s": first_data or None,
            **phases,
            "load_avg_1m_at_start": load_start,
        }
        startup_cpu, _, _ = sample(tree(proc.pid))
        result["startup_cpu_s"] = round(startup_cpu / TICKS, 1)
        if startup_only:
            result["load_avg_1m"] = loadavg()
            return result
        time.sleep(warmup)
        pids = tree(proc.pid)
        cpu0, _, _ = sample(pids)
        t0 = time.monotonic()
        rss, pss = [], []
        while time.monotonic() - t0 < window:
            time.sleep(5)
            _, r, p = sample(tree(proc.pid))
            rss.append(r)
            pss.append(p)
        cpu1, _, _ = sample(tree(proc.pid))
        elapsed = time.monotonic() - t0
        result.update({
            "processes": len(pids),
            "cpu_cores": round((cpu1 - cpu0) / TICKS / elapsed, 3),
            "rss_sum_mib": round(sum(rss) / len(rss) / 2**20),
            "pss_sum_mib": round(sum(pss) / len(pss) / 2**20),
            "load_avg_1m": loadavg(),
        })
        return result
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(data, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=60)
    ap.add_argument("--window", type=int, default=60)
    ap.add_argument("--no-platform", action="store_true", help="skip the platform-alone peer run")
    ap.add_argument("--startup-only", action="store_true", help="time the startup, skip the CPU/memory window")
    ap.add_argument("--env", action="append", default=[], help="KEY=VALUE for mesh up (and its children)")
    ap.add_argument("--mesh", default="web/Mesh.Web/bin/Release/net10.0/mesh.dll")
    a = ap.parse_args()
    extra_env = dict(kv.split("=", 1) for kv in a.env)
    if not a.no_platform:
        print(json.dumps(run(a.mesh, False, a.warmup, a.window, a.startup_only, extra_env)), flush=True)
    results = []
    for _ in range(a.runs):
        results.append(run(a.mesh, True, a.warmup, a.window, a.startup_only, extra_env))
        print(json.dumps(results[-1]), flush=True)
    if a.runs > 1:
        keys = [k for k in results[0] if k != "what" and all(isinstance(r.get(k), (int, float)) for r in results)]
        print(json.dumps({"what": f"median of {a.runs} runs of mesh up --demo", **{k: statistics.median(r[k] for r in results) for k in keys}}), flush=True)


if __name__ == "__main__":
    main()
