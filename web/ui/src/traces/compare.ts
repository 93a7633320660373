import type { SpanNode, TraceTree } from "./tree";

// Aligns two traces span by span. Spans match when they sit at the same structural position: the same chain
// of service:operation from the root, and the same occurrence index among equally named siblings.

export type DiffKind = "both" | "onlyA" | "onlyB";

export interface DiffRow {
  key: string;
  depth: number;
  service: string;
  name: string;
  kind: DiffKind;
  a: SpanNode | null;
  b: SpanNode | null;
  /** b - a duration in ms when both exist. */
  deltaMs: number | null;
  /** Relative change (b - a) / a, when a has a duration. */
  deltaRatio: number | null;
}

const label = (n: SpanNode) => `${n.span.service}:${n.span.name}`;

function keyed(children: SpanNode[]): { key: string; node: SpanNode }[] {
  const seen = new Map<string, number>();
  return children.map((node) => {
    const l = label(node);
    const i = seen.get(l) ?? 0;
    seen.set(l, i + 1);
    return { key: `${l}#${i}`, node };
  });
}

export function compareTrees(a: TraceTree, b: TraceTree): DiffRow[] {
  const rows: DiffRow[] = [];
  const walk = (as: SpanNode[], bs: SpanNode[], prefix: string, depth: number) => {
    const ka = keyed(as);
    const kb = keyed(bs);
    const bMap = new Map(kb.map((x) => [x.key, x.node]));
    const used = new Set<string>();
    const emit = (key: string, na: SpanNode | null, nb: SpanNode | null) => {
      const n = (na ?? nb)!;
      const da = na ? na.end - na.start : null;
      const db = nb ? nb.end - nb.start : null;
      rows.push({
        key: prefix + key,
        depth,
        service: n.span.service,
        name: n.span.name,
        kind: na && nb ? "both" : na ? "onlyA" : "onlyB",
        a: na,
        b: nb,
        deltaMs: da !== null && db !== null ? db - da : null,
        deltaRatio: da !== null && db !== null && da > 0 ? (db - da) / da : null,
      });
      walk(na?.children ?? [], nb?.children ?? [], `${prefix}${key}/`, depth + 1);
    };
    for (const { key, node } of ka) {
      const match = bMap.get(key) ?? null;
      if (match) used.add(key);
      emit(key, node, match);
    }
    for (const { key, node } of kb) if (!used.has(key)) emit(key, null, node);
  };
  walk(a.roots, b.roots, "", 0);
  return rows;
}

export interface DiffSummary {
  matched: number;
  onlyA: number;
  onlyB: number;
  /** The matched rows with the largest absolute latency change, largest first. */
  biggest: DiffRow[];
}

export function summarize(rows: DiffRow[], top = 5): DiffSummary {
  const matched = rows.filter((r) => r.kind === "both");
  return {
    matched: matched.length,
    onlyA: rows.filter((r) => r.kind === "onlyA").length,
    onlyB: rows.filter((r) => r.kind === "onlyB").length,
    biggest: [...matched].sort((x, y) => Math.abs(y.deltaMs ?? 0) - Math.abs(x.deltaMs ?? 0)).slice(0, top),
  };
}
