// A layered (left-to-right) layout for the application map, computed in one pass with no layout library:
// callers to the left of what they call (longest-path ranks, cycles broken at back edges), the order within a
// column refined by barycenter sweeps to cut crossings, and every namespace in its own horizontal band so the
// namespace boxes never overlap. It is linear-ish in nodes + edges, so the first view does not wait for dagre.

export interface LayoutNode {
  id: string;
  /** Nodes of one group (a namespace) share a band; "" is the band of databases, externals and the unnamespaced. */
  group: string;
  /** Vertical room the node needs (px): more for an expanded service with its versions and endpoints inside. */
  height: number;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface Slot {
  x: number;
  /** Top of the node's vertical room; its center is top + height / 2. */
  top: number;
  height: number;
}

export interface LayeredOptions {
  rankSep?: number;
  /** Gap between nodes of one column. */
  nodeSep?: number;
  /** Gap between namespace bands (room for the box borders and labels). */
  bandSep?: number;
  sweeps?: number;
}

export function layered(nodes: LayoutNode[], edges: LayoutEdge[], options: LayeredOptions = {}): Map<string, Slot> {
  const { rankSep = 190, nodeSep = 22, bandSep = 56, sweeps = 4 } = options;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out = new Map<string, string[]>();
  const inc = new Map<string, string[]>();
  for (const n of nodes) {
    out.set(n.id, []);
    inc.set(n.id, []);
  }
  for (const e of edges) {
    if (e.source === e.target || !byId.has(e.source) || !byId.has(e.target)) continue;
    out.get(e.source)!.push(e.target);
    inc.get(e.target)!.push(e.source);
  }

  const rank = ranks(nodes, out);
  const columns: string[][] = [];
  for (const n of nodes) (columns[rank.get(n.id)!] ??= []).push(n.id);

  // Bands: named namespaces first (alphabetically, stable across refreshes), the unnamespaced last.
  const groups = [...new Set(nodes.map((n) => n.group))].sort((a, b) => (a === "" ? 1 : b === "" ? -1 : a.localeCompare(b)));
  const groupIndex = new Map(groups.map((g, i) => [g, i]));
  const order = new Map<string, number>();
  const sortColumn = (col: string[], key: (id: string) => number) => {
    col.sort((a, b) => groupIndex.get(byId.get(a)!.group)! - groupIndex.get(byId.get(b)!.group)! || key(a) - key(b) || a.localeCompare(b));
    col.forEach((id, i) => order.set(id, i));
  };
  for (const col of columns) if (col) sortColumn(col, () => 0);
  const barycenter = (neighbours: string[], id: string) =>
    neighbours.length ? neighbours.reduce((s, m) => s + order.get(m)!, 0) / neighbours.length : order.get(id)!;
  for (let s = 0; s < sweeps; s++) {
    const down = s % 2 === 0;
    const seq = down ? columns : [...columns].reverse();
    for (const col of seq) if (col) sortColumn(col, (id) => barycenter((down ? inc : out).get(id)!, id));
  }

  // Band heights: the tallest column of each group; columns are centered in their band.
  const used = (col: string[], g: string) => {
    const ids = col.filter((id) => byId.get(id)!.group === g);
    return { ids, height: ids.reduce((h, id) => h + byId.get(id)!.height, 0) + Math.max(0, ids.length - 1) * nodeSep };
  };
  const slots = new Map<string, Slot>();
  let bandTop = 0;
  for (const g of groups) {
    const bandHeight = Math.max(0, ...columns.map((col) => (col ? used(col, g).height : 0)));
    columns.forEach((col, r) => {
      if (!col) return;
      const { ids, height } = used(col, g);
      let top = bandTop + (bandHeight - height) / 2;
      for (const id of ids) {
        const h = byId.get(id)!.height;
        slots.set(id, { x: r * rankSep, top, height: h });
        top += h + nodeSep;
      }
    });
    bandTop += bandHeight + bandSep;
  }
  return slots;
}

/** Longest-path ranks over the graph without its back edges (found by an iterative DFS). */
function ranks(nodes: LayoutNode[], out: Map<string, string[]>): Map<string, number> {
  const state = new Map<string, 1 | 2>(); // 1 on the stack, 2 done
  const forward = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  const post: string[] = [];
  for (const start of nodes) {
    if (state.has(start.id)) continue;
    const stack: [string, number][] = [[start.id, 0]];
    state.set(start.id, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const next = out.get(top[0])!;
      if (top[1] < next.length) {
        const m = next[top[1]++];
        const s = state.get(m);
        if (s === 1) continue; // back edge: a cycle, ignored for ranking
        forward.get(top[0])!.push(m);
        if (!s) {
          state.set(m, 1);
          stack.push([m, 0]);
        }
      } else {
        state.set(top[0], 2);
        post.push(top[0]);
        stack.pop();
      }
    }
  }
  const rank = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  // Reverse post-order is a topological order of the forward edges.
  for (let i = post.length - 1; i >= 0; i--) {
    const id = post[i];
    for (const m of forward.get(id)!) rank.set(m, Math.max(rank.get(m)!, rank.get(id)! + 1));
  }
  return rank;
}
