#!/usr/bin/env python3
"""Resource use of `mesh up --demo` (issue 6): startup to first data, then CPU and memory of the whole process
tree (mesh + every child) averaged over a window after a warm-up, read from /proc. The same run measures
`mesh up` alone (the platform without the demo) as the peer.

usage: bench/demo/measure.py [--warmup 60] [--window 60] [--mesh web/Mesh.Web/bin/Release/net10.0/mesh.dll]
"""
import argparse, json, os, shutil, signal, socket, subprocess, tempfile, time, urllib.request

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
    cpu, rss = 0, 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                parts = f.read().rsplit(")", 1)[1].split()
            cpu += int(parts[11]) + int(parts[12])  # utime + stime
            rss += int(parts[21]) * PAGE
        except OSError:
            pass
    return cpu, rss


def get(url):
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.load(r)


def run(mesh, demo, warmup, window):
    data = tempfile.mkdtemp(prefix="mesh-bench-demo-")
    port, grpc, http = free_port(), free_port(), free_port()
    args = ["dotnet", mesh, "up", "--data-dir", data, "--port", str(port), "--otlp-grpc-port", str(grpc), "--otlp-http-port", str(http)]
    if demo:
        args += ["--demo", "--demo-base-port", str(free_base())]
    env = dict(os.environ, MESH_ADMIN_TOKEN=TOKEN, MESH_INGEST_TOKEN="bench-ingest-token-0123456789")
    start = time.monotonic()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    api = f"http://127.0.0.1:{port}/api/v1"
    first_data = None
    try:
        while time.monotonic() - start < 180:
            try:
                if not demo:
                    get(f"{api}/services")
                    first_data = time.monotonic() - start
                    break
                services = set(get(f"{api}/services")["services"])
                if SERVICES <= services and get(f"{api}/traces?service=payment&limit=1")["traces"]:
                    first_data = time.monotonic() - start
                    break
            except Exception:
                pass
            time.sleep(0.25)
        time.sleep(warmup)
        pids = tree(proc.pid)
        cpu0, _ = sample(pids)
        t0 = time.monotonic()
        rss = []
        while time.monotonic() - t0 < window:
            time.sleep(5)
            rss.append(sample(tree(proc.pid))[1])
        cpu1, _ = sample(tree(proc.pid))
        elapsed = time.monotonic() - t0
        with open("/proc/loadavg") as f:
            load = f.read().split()[0]
        return {
            "what": "mesh up --demo" if demo else "mesh up",
            "processes": len(pids),
            "first_data_s": round(first_data, 1) if first_data else None,
            "cpu_cores": round((cpu1 - cpu0) / TICKS / elapsed, 3),
            "rss_mib": round(sum(rss) / len(rss) / 2**20),
            "load_avg_1m": load,
        }
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(data, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--warmup", type=int, default=60)
    ap.add_argument("--window", type=int, default=60)
    ap.add_argument("--mesh", default="web/Mesh.Web/bin/Release/net10.0/mesh.dll")
    a = ap.parse_args()
    for demo in (False, True):
        print(json.dumps(run(a.mesh, demo, a.warmup, a.window)), flush=True)


if __name__ == "__main__":
    main()
