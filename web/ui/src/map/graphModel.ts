import type { EdgeMetric, Graph, GraphEdge, GraphNode, HealthState } from "../api/graphTypes";
import { formatMs, formatPercent, formatRate } from "../charts/format";

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

/** Seconds for one dash cycle of the traffic animation: faster with more traffic, never frozen nor frantic. */
export function animationPeriod(rps: number): number {
  if (rps <= 0) return 0;
  return Math.min(8, Math.max(0.4, 4 / Math.log10(10 + rps)));
}

/** Edge width grows with the log of the traffic. */
export function edgeWidth(rps: number): number {
  return rps <= 0 ? 1 : Math.min(9, 1.5 + Math.log10(1 + rps) * 2);
}

export function nodeTooltip(n: GraphNode): string {
  const lines = [`${n.service}${n.version ? ` (${n.version})` : ""} · ${n.kind}`, `health: ${n.health.state}${n.health.score !== null ? ` (${n.health.score})` : ""}`];
  for (const r of n.health.reasons) lines.push(`• ${r}`);
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

export function badgesOf(n: GraphNode, edges: GraphEdge[]): string[] {
  const b: string[] = [];
  const incoming = edges.filter((e) => e.target === n.id);
  if (incoming.length && incoming.every((e) => e.mtlsPercent >= 99.5)) b.push("mTLS");
  if (n.circuitBreaker || incoming.some((e) => e.circuitBreaker)) b.push("CB open");
  if (n.fault || incoming.some((e) => e.fault)) b.push("fault");
  if (n.canary || incoming.some((e) => e.canaryPercent !== null)) b.push("canary");
  return b;
}

export function matches(n: GraphNode, filter: string): boolean {
  if (!filter) return true;
  const f = filter.toLowerCase();
  return [n.service, n.namespace, n.version ?? "", n.id].some((s) => s.toLowerCase().includes(f));
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
    const badges = badgesOf(n, edges);
    out.push({
      group: "nodes",
      data: {
        id: n.id,
        parent: n.namespace ? `ns:${n.namespace}` : undefined,
        label: `${n.service}${n.version ? `\n${n.version}` : ""}${badges.length ? `\n[${badges.join("] [")}]` : ""}`,
        tooltip: nodeTooltip(n),
        kind: n.kind,
        health: n.health.state,
      },
      classes: [n.kind, healthClass[n.health.state], options.filter && matches(n, options.filter) ? "hit" : ""].filter(Boolean).join(" "),
    });
  }

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
        width: edgeWidth(e.rps),
        period: animationPeriod(e.rps),
        tooltip: edgeTooltip(e, byId),
        health: e.health.state,
      },
      classes: [healthClass[e.health.state], e.rps > 0 ? "traffic" : "", e.mtlsPercent >= 99.5 ? "mtls" : ""].filter(Boolean).join(" "),
    });
  }
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
