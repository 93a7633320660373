// The web UI's first view, measured in Debian's Chromium (playwright-core, never a downloaded browser):
// navigation start → the application map rendered and interactive, for the UI build Mesh serves and for a peer
// build (by default the previous UI, built from git), both served by the same small static server in front of
// the same Mesh, alternated run by run so machine load hits both alike.
//
//   node bench/webui/first-view.mjs --mesh http://127.0.0.1:8080 --token <admin token> \
//        [--peer-dist /tmp/ui-peer/dist] [--runs 15] [--feed --otlp http://127.0.0.1:4318 --ingest-token <t>]
//
// "Rendered and interactive": the map's list view and canvas are in the DOM (the graph arrived and React drew
// it), two animation frames later (layout done, painted), and then the main thread stays free of long tasks
// (≥ 50 ms) for 300 ms: interactive is the end of the last long task before that quiet spell, or the render
// time if later. Renderer CPU: the CPU time Chromium's renderer processes used from navigation to interactive
// (plus the probe's 300 ms quiet spell), the number that survives a loaded machine. Cold = a new browser context (empty HTTP cache and storage); warm = a reload in the same tab.
import { chromium } from "playwright-core";
import { createServer, request as httpRequest } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { connect } from "node:net";
import { feed } from "./feed.mjs";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const flag = (name) => args.includes(`--${name}`);
const mesh = new URL(opt("mesh", process.env.MESH_URL ?? "http://127.0.0.1:8080"));
const token = opt("token", process.env.MESH_TOKEN);
const runs = Number(opt("runs", "15"));
const root = resolve(new URL("../..", import.meta.url).pathname);
const dists = { current: resolve(opt("dist", join(root, "web/ui/dist"))) };
if (opt("peer-dist")) dists.peer = resolve(opt("peer-dist"));
if (!token) throw new Error("--token (or MESH_TOKEN) is required: the admin token mesh up printed");

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png" };

/** A static server for one dist (immutable /assets, index.html fallback) that proxies /api (and its WebSockets) to Mesh. */
function serve(dir) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname.startsWith("/api/")) {
      const up = httpRequest({ host: mesh.hostname, port: mesh.port, method: req.method, path: req.url, headers: { ...req.headers, host: mesh.host } }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on("error", () => res.writeHead(502).end());
      req.pipe(up);
      return;
    }
    let file = join(dir, decodeURIComponent(url.pathname));
    const isFile = await stat(file).then((s) => s.isFile(), () => false);
    if (!isFile || !file.startsWith(dir)) file = join(dir, "index.html");
    const body = await readFile(file);
    res.writeHead(200, {
      "Content-Type": types[extname(file)] ?? "application/octet-stream",
      "Cache-Control": url.pathname.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
    });
    res.end(body);
  });
  server.on("upgrade", (req, socket, head) => {
    const up = connect(Number(mesh.port), mesh.hostname, () => {
      up.write(`${req.method} ${req.url} HTTP/1.1\r\n${Object.entries({ ...req.headers, host: mesh.host }).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n`);
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on("error", () => socket.destroy());
    socket.on("error", () => up.destroy());
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

/**
 * Installed before any page script runs (and again on every navigation): waits for the map, then for a quiet
 * main thread, and resolves window.__firstView with the timings (ms from navigation start).
 */
function probe() {
  window.__firstView = new Promise((done) => {
    const longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e))).observe({ type: "longtask", buffered: true });
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const run = async () => {
      while (!(document.querySelector("details.list-view") && document.querySelector(".map-canvas canvas"))) await frame();
      await frame();
      await frame();
      const rendered = performance.now();
      // Quiet spell: 300 ms in which no new long task is reported.
      for (;;) {
        const before = longTasks.length;
        await new Promise((r) => setTimeout(r, 300));
        if (longTasks.length === before || performance.now() - rendered > 10_000) break;
      }
      const lastEnd = Math.max(0, ...longTasks.map((t) => t.startTime + t.duration));
      const nav = performance.getEntriesByType("navigation")[0];
      const resources = performance.getEntriesByType("resource");
      const scripts = resources.filter((r) => r.name.endsWith(".js"));
      const graph = resources.find((r) => r.name.includes("/api/v1/graph"));
      done({
        renderedMs: rendered,
        interactiveMs: Math.max(rendered, lastEnd),
        longTasks: longTasks.length,
        longTaskMs: longTasks.reduce((s, t) => s + t.duration, 0),
        domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : null,
        jsBytes: scripts.reduce((s, r) => s + (r.encodedBodySize || 0), 0),
        jsFiles: scripts.length,
        graphResponseEndMs: graph ? graph.responseEnd : null,
        nodes: document.querySelectorAll("details.list-view tr[data-node]").length,
      });
    };
    void run();
  });
}

/**
 * CPU seconds the renderer processes used (Chromium's own accounting, over CDP): unlike wall-clock times, the
 * CPU a first view costs barely moves with the machine's load, so it compares builds on a busy machine.
 */
const rendererCpu = async (cdp) => (await cdp.send("SystemInfo.getProcessInfo")).processInfo.filter((p) => p.type === "renderer").reduce((s, p) => s + p.cpuTime, 0);
const measure = async (page, cdp, go) => {
  const before = await rendererCpu(cdp);
  await go();
  const result = await page.evaluate(() => window.__firstView);
  return { ...result, rendererCpuMs: (await rendererCpu(cdp) - before) * 1000 };
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.9) - 1)];

const stopFeed = flag("feed") ? feed({ otlpUrl: opt("otlp", "http://127.0.0.1:4318"), ingestToken: opt("ingest-token", process.env.MESH_INGEST_TOKEN), perSecond: Number(opt("rate", "20")) }) : null;
if (stopFeed) await new Promise((r) => setTimeout(r, 15_000)); // some traffic on the map first

const targets = [{ name: "current via Mesh", url: `${mesh.origin}` }];
const servers = [];
for (const [name, dir] of Object.entries(dists)) {
  const s = await serve(dir);
  servers.push(s.server);
  targets.push({ name: `${name} via static server`, url: s.url });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const cdp = await browser.newBrowserCDPSession();
const results = Object.fromEntries(targets.map((t) => [t.name, { cold: [], warm: [] }]));
try {
  for (let i = 0; i < runs; i++) {
    for (const t of i % 2 ? [...targets].reverse() : targets) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      await context.addInitScript((tk) => localStorage.setItem("mesh.adminToken", tk), token);
      await context.addInitScript(probe);
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      results[t.name].cold.push(await measure(page, cdp, () => page.goto(`${t.url}/map`)));
      results[t.name].warm.push(await measure(page, cdp, () => page.reload()));
      if (errors.length) results[t.name].errors = [...(results[t.name].errors ?? []), ...errors];
      await context.close();
    }
  }
} finally {
  await browser.close();
  servers.forEach((s) => s.close());
}
const fed = stopFeed ? await stopFeed() : null;

const summary = {};
for (const [name, r] of Object.entries(results)) {
  for (const kind of ["cold", "warm"]) {
    const xs = r[kind];
    summary[`${name}, ${kind}`] = {
      runs: xs.length,
      renderedMedianMs: Math.round(median(xs.map((x) => x.renderedMs))),
      interactiveMedianMs: Math.round(median(xs.map((x) => x.interactiveMs))),
      interactiveP90Ms: Math.round(p90(xs.map((x) => x.interactiveMs))),
      graphResponseEndMedianMs: Math.round(median(xs.map((x) => x.graphResponseEndMs ?? NaN))),
      longTaskMedianMs: Math.round(median(xs.map((x) => x.longTaskMs))),
      rendererCpuMedianMs: Math.round(median(xs.map((x) => x.rendererCpuMs))),
      jsKiB: Math.round(median(xs.map((x) => x.jsBytes)) / 1024),
      jsFiles: median(xs.map((x) => x.jsFiles)),
      nodes: median(xs.map((x) => x.nodes)),
    };
  }
  if (r.errors) summary[`${name}, page errors`] = r.errors.slice(0, 5);
}
console.log(JSON.stringify({ date: new Date().toISOString(), runs, fed, summary }, null, 2));
