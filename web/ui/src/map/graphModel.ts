import type { EdgeMetric, Graph, GraphEdge, GraphNode, HealthState } from "../api/graphTypes";
import { formatMs, formatPercent, formatRate } from "../charts/format";
import { configOf, type MeshConfig, type ServiceConfig } from "./meshConfig";

// Turns the graph API's nodes and edges into cytoscape elements: namespaces become compound parents, the
// filter keeps matching nodes plus their direct neighbours (filter-first, so a 200-service mesh stays readable),
// and every visual property (color, width, label, animation speed) is precomputed data the stylesheet reads.

export interface ElementData {
  id: string;
  [key: string]: unknown;
}

export interface Element {
  group: "nodes" | "edges";
  data: ElementData;
  classes?: string;
}

export interface MapOptions {
  metric: EdgeMetric;
  /** Case-insensitive substring over service, namespace and version. */
  filter: string;
  namespace: string;
  /** Services shown with their versions and endpoints inside (node ids). */
  expanded?: ReadonlySet<string>;
  /** Route config from the control plane, for the fault, canary and circuit-breaker badges. */
  config?: MeshConfig | null;
}

export const healthClass: Record<HealthState, string> = {
  healthy: "healthy",
  degraded: "degraded",
  failing: "failing",
  "no-traffic": "idle",
};

export function edgeLabel(e: GraphEdge, metric: EdgeMetric): string {
  switch (metric) {
    case "rps":
      return formatRate(e.rps);
    case "errors":
      return formatPercent(e.errorPercent);
    case "p99":
      return formatMs(e.p99Ms);
  }
}

/** Pixels per second the dashes of the busiest edge move at; others move proportionally slower. */
export const MAX_DASH_SPEED = 120;
/** Any traffic at all stays visibly moving. */
export const MIN_DASH_SPEED = 3;

/** Dash speed (px/s) of the traffic animation: proportional to the edge's rps, relative to the busiest edge. */
export function dashSpeed(rps: number, maxRps: number): number {
  if (rps <= 0 || maxRps <= 0) return 0;
  return Math.max(MIN_DASH_SPEED, (MAX_DASH_SPEED * rps) / maxRps);
}

/** Edge width grows with the log of the traffic. */
export function edgeWidth(rps: number): number {
  return rps <= 0 ? 1 : Math.min(9, 1.5 + Math.log10(1 + rps) * 2);
}

export function nodeTooltip(n: GraphNode, badges: Badge[] = []): string {
  const versions = n.versions.length ? ` (${n.versions.join(", ")})` : "";
  const lines = [`${n.service}${versions} · ${n.kind}`, `health: ${n.health.state}${n.health.score !== null ? ` (${n.health.score})` : ""}`];
  for (const r of n.health.reasons) lines.push(`• ${r}`);
  for (const b of badges) lines.push(`[${b.label}] ${b.detail}`);
  if (n.rps) lines.push(`${formatRate(n.rps)}, ${formatPercent(n.errorPercent)} errors`);
  return lines.join("\n");
}

export function edgeTooltip(e: GraphEdge, nodes: Map<string, GraphNode>): string {
  const name = (id: string) => nodes.get(id)?.service ?? id;
  const lines = [
    `${name(e.source)} → ${name(e.target)}`,
    `${formatRate(e.rps)} · ${formatPercent(e.errorPercent)} errors · p50 ${formatMs(e.p50Ms)} p95 ${formatMs(e.p95Ms)} p99 ${formatMs(e.p99Ms)}`,
    `mTLS ${formatPercent(e.mtlsPercent)} · health: ${e.health.state}`,
  ];
  for (const r of e.health.reasons) lines.push(`• ${r}`);
  return lines.join("\n");
}

export interface Badge {
  /** Short text on the node: "mTLS", "CB", "CB open", "fault", "canary". */
  label: string;
  /** What it means, for the tooltip and the side panel. */
  detail: string;
}

/**
 * A node's badges, from its incoming edges (what the proxies observed) and from its Route config (what the
 * control plane asks for): all calls over mutual TLS, a circuit breaker (configured, or refusing calls),
 * fault injection, a canary split (a weighted split, or several versions taking traffic).
 */
export function badgesOf(n: GraphNode, edges: GraphEdge[], config?: ServiceConfig): Badge[] {
  const b: Badge[] = [];
  const incoming = edges.filter((e) => e.target === n.id);
  if (incoming.length && incoming.every((e) => e.mtlsPercent >= 99.5)) b.push({ label: "mTLS", detail: "every call to it is mutual TLS" });
  const broken = incoming.reduce((s, e) => s + e.circuitBroken, 0);
  if (n.circuitBreaker || broken > 0 || incoming.some((e) => e.circuitBreaker))
    b.push({ label: "CB open", detail: `circuit breaker open${broken ? `: ${broken} calls refused` : ""}` });
  else if (config?.circuitBreaker) b.push({ label: "CB", detail: "circuit breaker configured (closed)" });
  if (n.fault || incoming.some((e) => e.fault) || config?.faults.length)
    b.push({ label: "fault", detail: `fault injection${config?.faults.length ? `: ${config.faults.join(", ")}` : ""}` });
  const split = config?.split ?? [];
  const percent = incoming.find((e) => e.canaryPercent !== null)?.canaryPercent;
  if (n.canary || split.length >= 2 || percent != null || n.versions.length >= 2)
    b.push({
      label: "canary",
      detail: split.length >= 2 ? `canary split: ${split.map((a) => `${a.version} ${a.weight}%`).join(", ")}` : `versions taking traffic: ${n.versions.join(", ") || "?"}`,
    });
  return b;
}

export function matches(n: GraphNode, filter: string): boolean {
  if (!filter) return true;
  const f = filter.toLowerCase();
  return [n.service, n.namespace, ...n.versions, n.id].some((s) => s.toLowerCase().includes(f));
}

export function toElements(graph: Graph, options: MapOptions): Element[] {
  const nodes = graph.nodes.filter((n) => !options.namespace || n.namespace === options.namespace);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = graph.edges.filter((e) => byId.has(e.source) && byId.has(e.target));

  let keep: Set<string>;
  if (options.filter) {
    const hits = new Set(nodes.filter((n) => matches(n, options.filter)).map((n) => n.id));
    keep = new Set(hits);
    for (const e of edges) {
      if (hits.has(e.source)) keep.add(e.target);
      if (hits.has(e.target)) keep.add(e.source);
    }
  } else {
    keep = new Set(byId.keys());
  }

  const out: Element[] = [];
  const namespaces = [...new Set(nodes.filter((n) => keep.has(n.id) && n.namespace).map((n) => n.namespace))].sort();
  for (const ns of namespaces) out.push({ group: "nodes", data: { id: `ns:${ns}`, label: ns }, classes: "namespace" });

  for (const n of nodes) {
    if (!keep.has(n.id)) continue;
    const config = configOf(options.config ?? null, n.namespace, n.service);
    const badges = badgesOf(n, edges, config);
    const expanded = !!options.expanded?.has(n.id) && n.kind === "service";
    const tags = badges.length ? `[${badges.map((b) => b.label).join("] [")}]` : "";
    out.push({
      group: "nodes",
      data: {
        id: n.id,
        parent: n.namespace ? `ns:${n.namespace}` : undefined,
        label: [n.service, expanded ? "" : n.version ?? (n.versions.length > 1 ? `${n.versions.length} versions` : ""), tags].filter(Boolean).join("\n"),
        tooltip: nodeTooltip(n, badges),
        kind: n.kind,
        health: n.health.state,
        badges: badges.map((b) => b.label).join(" "),
      },
      classes: [n.kind, healthClass[n.health.state], expanded ? "expanded" : "", options.filter && matches(n, options.filter) ? "hit" : ""].filter(Boolean).join(" "),
    });
    if (expanded) out.push(...childrenOf(n, config));
  }

  const maxRps = Math.max(0, ...edges.filter((e) => keep.has(e.source) && keep.has(e.target)).map((e) => e.rps));
  for (const e of edges) {
    if (!keep.has(e.source) || !keep.has(e.target)) continue;
    out.push({
      group: "edges",
      data: {
        id: `e:${e.id}`,
        edgeId: e.id,
        source: e.source,
        target: e.target,
        label: edgeLabel(e, options.metric),
        rps: e.rps,
        width: edgeWidth(e.rps),
        speed: dashSpeed(e.rps, maxRps),
        tooltip: edgeTooltip(e, byId),
        health: e.health.state,
      },
      classes: [healthClass[e.health.state], e.rps > 0 ? "traffic" : "", e.mtlsPercent >= 99.5 ? "mtls" : ""].filter(Boolean).join(" "),
    });
  }
  return out;
}

/** Id prefixes of an expanded service's children: one node per version and per endpoint. */
export const VERSION_PREFIX = "v:";
export const ENDPOINT_PREFIX = "ep:";

/** The service a child node (version, endpoint) belongs to, or null for any other id. */
export function ownerOf(id: string): string | null {
  for (const p of [VERSION_PREFIX, ENDPOINT_PREFIX]) if (id.startsWith(p)) return id.slice(p.length, id.lastIndexOf("|"));
  return null;
}

function childrenOf(n: GraphNode, config?: ServiceConfig): Element[] {
  const weights = new Map((config?.split ?? []).map((a) => [a.version, a.weight]));
  const versions = n.versions.length ? n.versions : ["(no version)"];
  const out: Element[] = versions.map((v) => ({
    group: "nodes",
    data: {
      id: `${VERSION_PREFIX}${n.id}|${v}`,
      parent: n.id,
      label: weights.has(v) ? `${v} · ${weights.get(v)}%` : v,
      tooltip: `${n.service} version ${v}${weights.has(v) ? `, ${weights.get(v)}% of the traffic by its route` : ""}`,
    },
    classes: "version",
  }));
  for (const ep of n.endpoints)
    out.push({ group: "nodes", data: { id: `${ENDPOINT_PREFIX}${n.id}|${ep}`, parent: n.id, label: ep, tooltip: `${n.service} endpoint ${ep}` }, classes: "endpoint" });
  return out;
}

export function namespacesOf(graph: Graph): string[] {
  return [...new Set(graph.nodes.map((n) => n.namespace).filter(Boolean))].sort();
}

/** Applies a live delta: nodes/edges in the delta replace those with the same id; "removed" ids are dropped. */
export function applyDelta(graph: Graph, delta: Graph & { removedNodes?: string[]; removedEdges?: string[] }): Graph {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const edges = new Map(graph.edges.map((e) => [e.id, e]));
  delta.nodes.forEach((n) => nodes.set(n.id, n));
  delta.edges.forEach((e) => edges.set(e.id, e));
  delta.removedNodes?.forEach((id) => nodes.delete(id));
  delta.removedEdges?.forEach((id) => edges.delete(id));
  return { start: delta.start ?? graph.start, end: delta.end ?? graph.end, nodes: [...nodes.values()], edges: [...edges.values()] };
}

/**
 * Whether two graphs show the same nodes and edges with the same numbers (their windows may differ): the live
 * hub's first message repeats the graph the page just drew, and keeping the drawn one spares a full re-render.
 */
export function sameGraph(a: Graph, b: Graph): boolean {
  return a.nodes.length === b.nodes.length && a.edges.length === b.edges.length && JSON.stringify(a.nodes) === JSON.stringify(b.nodes) && JSON.stringify(a.edges) === JSON.stringify(b.edges);
}
