import type { Span } from "../api/types";

// A trace as a tree of spans, with times as milliseconds relative to the trace start (nanosecond strings are
// converted with BigInt so microsecond detail survives even for traces far from the epoch).

export interface SpanNode {
  span: Span;
  /** ms from trace start. */
  start: number;
  end: number;
  depth: number;
  children: SpanNode[];
  parent: SpanNode | null;
  /** The parent id named a span that is not in the trace (lost or not yet arrived). */
  orphan: boolean;
}

export interface TraceTree {
  roots: SpanNode[];
  byId: Map<string, SpanNode>;
  startNanos: bigint;
  durationMs: number;
  services: string[];
}

export function nanosToMs(nanos: string, origin: bigint): number {
  return Number(BigInt(nanos) - origin) / 1e6;
}

export function buildTree(spans: Span[]): TraceTree {
  if (spans.length === 0) return { roots: [], byId: new Map(), startNanos: 0n, durationMs: 0, services: [] };
  let origin = BigInt(spans[0].startTimeUnixNano);
  for (const s of spans) {
    const t = BigInt(s.startTimeUnixNano);
    if (t < origin) origin = t;
  }
  const byId = new Map<string, SpanNode>();
  for (const span of spans) {
    // A duplicated span id (a retried export) keeps the first copy.
    if (byId.has(span.spanId)) continue;
    const start = nanosToMs(span.startTimeUnixNano, origin);
    const end = Math.max(start, nanosToMs(span.endTimeUnixNano, origin));
    byId.set(span.spanId, { span, start, end, depth: 0, children: [], parent: null, orphan: false });
  }
  const roots: SpanNode[] = [];
  for (const node of byId.values()) {
    const parentId = node.span.parentSpanId;
    const parent = parentId ? byId.get(parentId) : undefined;
    if (parent && parent !== node) {
      node.parent = parent;
      parent.children.push(node);
    } else {
      node.orphan = !!parentId;
      roots.push(node);
    }
  }
  const byStart = (a: SpanNode, b: SpanNode) => a.start - b.start || a.span.name.localeCompare(b.span.name);
  roots.sort(byStart);
  let durationMs = 0;
  const services = new Set<string>();
  // Iterative walk: deep traces must not overflow the stack.
  const stack = roots.map((r) => ({ node: r, depth: 0 }));
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    node.depth = depth;
    node.children.sort(byStart);
    durationMs = Math.max(durationMs, node.end);
    services.add(node.span.service);
    for (const c of node.children) stack.push({ node: c, depth: depth + 1 });
  }
  return { roots, byId, startNanos: origin, durationMs, services: [...services].sort() };
}

/** Spans in display order (depth first, by start), skipping the subtrees of collapsed spans. */
export function visibleRows(tree: TraceTree, collapsed: ReadonlySet<string>): SpanNode[] {
  const rows: SpanNode[] = [];
  const stack = [...tree.roots].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    rows.push(node);
    if (!collapsed.has(node.span.spanId)) {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
  }
  return rows;
}

export interface Segment {
  spanId: string;
  start: number;
  end: number;
}

/**
 * The critical path: the chain of work that determined when the trace finished. Walking back from the end of
 * a span, the child that finished last (by the cursor) is on the path, then the one that finished last before
 * that child started, and so on; the parent's own time between them is on it too. Children that overran their
 * parent are clipped to it.
 */
export function criticalPath(tree: TraceTree): Segment[] {
  const root = tree.roots.reduce<SpanNode | null>((best, r) => (!best || r.end - r.start > best.end - best.start ? r : best), null);
  if (!root) return [];
  const segments: Segment[] = [];
  const work: { node: SpanNode; limit: number }[] = [{ node: root, limit: root.end }];
  while (work.length) {
    const { node, limit } = work.pop()!;
    const nodeEnd = Math.min(node.end, limit);
    let cursor = nodeEnd;
    const pending = [...node.children];
    for (;;) {
      let bestIndex = -1;
      let bestEnd = -Infinity;
      for (let i = 0; i < pending.length; i++) {
        const c = pending[i];
        // Only a child that had finished by the cursor can have held it up; one still running then ran in
        // parallel with the work already on the path.
        const e = Math.min(c.end, nodeEnd);
        if (c.start >= cursor || e > cursor) continue;
        if (e > bestEnd) {
          bestEnd = e;
          bestIndex = i;
        }
      }
      if (bestIndex < 0) break;
      const child = pending.splice(bestIndex, 1)[0];
      if (bestEnd < cursor) segments.push({ spanId: node.span.spanId, start: bestEnd, end: cursor });
      work.push({ node: child, limit: bestEnd });
      cursor = Math.max(child.start, node.start);
      if (cursor <= node.start) break;
    }
    if (cursor > node.start) segments.push({ spanId: node.span.spanId, start: node.start, end: cursor });
  }
  return segments.sort((a, b) => a.start - b.start);
}

export interface ServiceCall {
  from: string;
  to: string;
  count: number;
  errors: number;
}

/** Calls between services inside one trace: a span whose parent belongs to another service. */
export function serviceCalls(tree: TraceTree): ServiceCall[] {
  const calls = new Map<string, ServiceCall>();
  for (const node of tree.byId.values()) {
    const parent = node.parent;
    if (!parent || parent.span.service === node.span.service) continue;
    const key = `${parent.span.service}\u0000${node.span.service}`;
    const call = calls.get(key) ?? { from: parent.span.service, to: node.span.service, count: 0, errors: 0 };
    call.count++;
    if (node.span.status.code === "ERROR") call.errors++;
    calls.set(key, call);
  }
  return [...calls.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

/** Self time of a span: its duration less the union of its children's (clipped) intervals. */
export function selfTime(node: SpanNode): number {
  const intervals = node.children
    .map((c) => [Math.max(c.start, node.start), Math.min(c.end, node.end)] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let curS = -Infinity;
  let curE = -Infinity;
  for (const [s, e] of intervals) {
    if (s > curE) {
      if (curE > curS) covered += curE - curS;
      curS = s;
      curE = e;
    } else {
      curE = Math.max(curE, e);
    }
  }
  if (curE > curS) covered += curE - curS;
  return node.end - node.start - covered;
}
