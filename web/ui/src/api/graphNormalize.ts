import type { Graph, GraphEdge, GraphNode, Health, HealthState, NodeKind, Series, ServiceHealth } from "./graphTypes";

// The one place that knows the server's graph JSON. It reads the documented names first and a few obvious
// alternatives (camelCase variants, nested "metrics"/"health" objects) so small server-side renames do not
// blank the map; anything missing gets a neutral default instead of throwing.

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function pick(o: Json, keys: string[]): unknown {
  for (const key of keys) {
    if (key.includes(".")) {
      const [head, tail] = key.split(".", 2);
      const inner = o[head];
      if (isObject(inner) && inner[tail] !== undefined && inner[tail] !== null) return inner[tail];
    } else if (o[key] !== undefined && o[key] !== null) {
      return o[key];
    }
  }
  return undefined;
}

function num(o: Json, keys: string[], fallback = 0): number {
  const v = pick(o, keys);
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : fallback;
}

function str(o: Json, keys: string[]): string | undefined {
  const v = pick(o, keys);
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

function bool(o: Json, keys: string[]): boolean {
  const v = pick(o, keys);
  return v === true || v === "true" || (typeof v === "number" && v > 0);
}

const states: Record<string, HealthState> = {
  healthy: "healthy",
  degraded: "degraded",
  failing: "failing",
  unhealthy: "failing",
  "no-traffic": "no-traffic",
  notraffic: "no-traffic",
  no_traffic: "no-traffic",
  none: "no-traffic",
  idle: "no-traffic",
};

export function normalizeHealth(raw: unknown): Health {
  if (typeof raw === "string") return { score: null, state: states[raw.toLowerCase()] ?? "no-traffic", reasons: [] };
  if (!isObject(raw)) return { score: null, state: "no-traffic", reasons: [] };
  const state = str(raw, ["state", "status"])?.toLowerCase().replace(/\s+/g, "-") ?? "";
  const reasons = pick(raw, ["reasons", "reason"]);
  const score = pick(raw, ["score"]);
  return {
    score: typeof score === "number" ? score : null,
    state: states[state] ?? "no-traffic",
    reasons: Array.isArray(reasons)
      ? reasons.map((r) => (typeof r === "string" ? r : isObject(r) ? str(r, ["message", "text", "reason"]) ?? JSON.stringify(r) : String(r)))
      : typeof reasons === "string"
        ? [reasons]
        : [],
  };
}

const kinds: NodeKind[] = ["service", "database", "external", "ingress"];

export function normalizeNode(raw: unknown): GraphNode {
  const o = isObject(raw) ? raw : {};
  const service = str(o, ["service", "name", "id"]) ?? "unknown";
  const namespace = str(o, ["namespace", "ns"]) ?? "";
  const listed = pick(o, ["versions"]);
  const versions = Array.isArray(listed) ? listed.filter((v): v is string => typeof v === "string" && v !== "") : [];
  const single = str(o, ["version"]);
  if (single && !versions.includes(single)) versions.unshift(single);
  const version = versions.length === 1 ? versions[0] : null;
  const kind = (str(o, ["kind", "type"]) ?? "service").toLowerCase() as NodeKind;
  const endpoints = pick(o, ["endpoints", "operations"]);
  return {
    id: str(o, ["id"]) ?? [namespace, service, version].filter(Boolean).join("/"),
    service,
    namespace,
    version,
    versions,
    kind: kinds.includes(kind) ? kind : "service",
    endpoints: Array.isArray(endpoints)
      ? endpoints.map((e) => (typeof e === "string" ? e : isObject(e) ? str(e, ["name", "endpoint", "route"]) ?? "" : String(e))).filter(Boolean)
      : [],
    health: normalizeHealth(pick(o, ["health", "healthState"])),
    rps: num(o, ["rps", "metrics.rps", "requestsPerSecond"]),
    errorPercent: num(o, ["errorPercent", "errorRatePercent", "metrics.errorPercent", "errorPct"]),
    circuitBreaker: bool(o, ["circuitBreaker", "circuitBreakerOpen", "badges.circuitBreaker"]),
    fault: bool(o, ["fault", "faultInjection", "badges.fault"]),
    canary: bool(o, ["canary", "badges.canary"]),
  };
}

export function normalizeEdge(raw: unknown): GraphEdge {
  const o = isObject(raw) ? raw : {};
  const source = str(o, ["source", "from", "src"]) ?? "";
  const target = str(o, ["target", "to", "dst", "destination"]) ?? "";
  const canary = pick(o, ["canaryPercent", "canarySplitPercent", "badges.canaryPercent"]);
  const circuitBroken = num(o, ["circuitBroken", "circuitBrokenRequests"]);
  return {
    id: str(o, ["id"]) ?? `${source}->${target}`,
    source,
    target,
    rps: num(o, ["rps", "metrics.rps", "requestsPerSecond"]),
    errorPercent: num(o, ["errorPercent", "errorRatePercent", "metrics.errorPercent", "errorPct"]),
    p50Ms: num(o, ["p50Ms", "p50", "latency.p50Ms", "latency.p50"]),
    p95Ms: num(o, ["p95Ms", "p95", "latency.p95Ms", "latency.p95"]),
    p99Ms: num(o, ["p99Ms", "p99", "latency.p99Ms", "latency.p99"]),
    bytesIn: num(o, ["bytesIn", "requestBytes", "bytes.in"]),
    bytesOut: num(o, ["bytesOut", "responseBytes", "bytes.out"]),
    mtlsPercent: num(o, ["mtlsPercent", "mTlsPercent", "mtlsPct", "mtls"]),
    health: normalizeHealth(pick(o, ["health", "healthState"])),
    circuitBroken,
    circuitBreaker: circuitBroken > 0 || bool(o, ["circuitBreaker", "circuitBreakerOpen", "badges.circuitBreaker"]),
    fault: bool(o, ["fault", "faultInjection", "badges.fault"]),
    canaryPercent: typeof canary === "number" ? canary : null,
  };
}

export function normalizeGraph(raw: unknown): Graph {
  const o = isObject(raw) ? raw : {};
  const nodes = Array.isArray(o.nodes) ? o.nodes.map(normalizeNode) : [];
  const ids = new Set(nodes.map((n) => n.id));
  const byService = new Map(nodes.map((n) => [n.service, n.id]));
  // Edges may name nodes by id or by service name; resolve to ids so the map can draw them.
  const edges = (Array.isArray(o.edges) ? o.edges.map(normalizeEdge) : []).map((e) => ({
    ...e,
    source: ids.has(e.source) ? e.source : byService.get(e.source) ?? e.source,
    target: ids.has(e.target) ? e.target : byService.get(e.target) ?? e.target,
  }));
  return { start: str(o, ["start"]) ?? null, end: str(o, ["end"]) ?? null, nodes, edges };
}

export function normalizeSeries(raw: unknown, metric: string): Series {
  const o = isObject(raw) ? raw : {};
  const pts = pick(o, ["points", "series", "values", "data"]);
  const points = Array.isArray(pts)
    ? pts.map((p) => {
        if (Array.isArray(p)) return { t: toMillis(p[0]), v: Number(p[1]) };
        const q = isObject(p) ? p : {};
        return { t: toMillis(pick(q, ["t", "time", "timestamp", "start"])), v: num(q, ["v", "value", metric]) };
      })
    : [];
  return { metric: str(o, ["metric"]) ?? metric, stepSeconds: num(o, ["stepSeconds", "step"], 10), points: points.filter((p) => Number.isFinite(p.t)) };
}

export function normalizeServiceHealth(raw: unknown, service: string): ServiceHealth {
  const o = isObject(raw) ? raw : {};
  const ops = pick(o, ["topOperations", "operations", "endpoints"]);
  return {
    service: str(o, ["service", "name"]) ?? service,
    health: normalizeHealth(pick(o, ["health"]) ?? o),
    topOperations: Array.isArray(ops)
      ? ops.filter(isObject).map((op) => ({
          name: str(op, ["name", "operation", "endpoint"]) ?? "",
          rps: num(op, ["rps"]),
          errorPercent: num(op, ["errorPercent", "errorRatePercent"]),
          p99Ms: num(op, ["p99Ms", "p99"]),
        }))
      : [],
  };
}

function toMillis(v: unknown): number {
  if (typeof v === "number") return v > 1e14 ? v / 1e6 : v < 1e11 ? v * 1000 : v;
  if (typeof v === "string") return /^\d+$/.test(v) ? toMillis(Number(v)) : Date.parse(v);
  return NaN;
}

export interface GraphDelta extends Graph {
  /** A full snapshot replaces the graph; otherwise the nodes and edges update it. */
  full: boolean;
  removedNodes: string[];
  removedEdges: string[];
}

export function normalizeDelta(raw: unknown): GraphDelta {
  const o = isObject(raw) ? raw : {};
  // The hub's message: { type: "full" | "delta", start, end, nodes: { upserted, removed }, edges: { upserted, removed } }.
  if (isObject(o.nodes) || isObject(o.edges)) {
    const part = (v: unknown) => (isObject(v) ? v : {});
    const nodes = part(o.nodes);
    const edges = part(o.edges);
    const ids = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
    const g = normalizeGraph({ ...o, nodes: nodes.upserted ?? [], edges: edges.upserted ?? [] });
    return { ...g, full: o.type === "full", removedNodes: ids(nodes.removed), removedEdges: ids(edges.removed) };
  }
  const g = normalizeGraph(isObject(o.graph) ? o.graph : o);
  const list = (keys: string[]) => {
    const v = pick(o, keys);
    return Array.isArray(v) ? v.map(String) : [];
  };
  return {
    ...g,
    full: bool(o, ["full", "snapshot"]),
    removedNodes: list(["removedNodes", "nodesRemoved"]),
    removedEdges: list(["removedEdges", "edgesRemoved"]),
  };
}
