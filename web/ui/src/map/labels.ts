// Edge label placement for the map. Labels sit on their edge (rotated along it, on a background in the canvas
// color); where two labels would overlap, only the more important one is drawn and the other waits for hover,
// selection or a zoom that pulls them apart. Importance: failing before degraded before healthy, then traffic.

export interface LabelBox {
  id: string;
  /** Higher wins an overlap. */
  priority: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** An obstacle (a node and its label): always drawn, never reported, and labels give way to it. */
  fixed?: boolean;
}

/** An edge label's priority: its health first, then its traffic (rps). */
export function labelPriority(health: string, rps: number): number {
  const rank = health === "failing" ? 3 : health === "degraded" ? 2 : health === "healthy" ? 1 : 0;
  return rank * 1e9 + Math.min(Math.max(rps, 0), 1e9 - 1);
}

/**
 * The labels to hide so that no two drawn labels overlap (boxes in model coordinates, so the answer holds at every
 * zoom, where labels and distances scale alike): greedy by priority, a label is drawn when it overlaps none of the
 * labels already drawn (with `gap` px of room around each), and hidden otherwise.
 */
export function overlappingLabels(boxes: LabelBox[], gap = 2): Set<string> {
  const order = [...boxes].sort((a, b) => Number(!!b.fixed) - Number(!!a.fixed) || b.priority - a.priority || a.id.localeCompare(b.id));
  const kept: LabelBox[] = [];
  const hidden = new Set<string>();
  for (const b of order) {
    if (b.x2 <= b.x1 || b.y2 <= b.y1) continue; // an empty label collides with nothing
    const hit = kept.some((k) => b.x1 < k.x2 + gap && k.x1 < b.x2 + gap && b.y1 < k.y2 + gap && k.y1 < b.y2 + gap);
    if (hit && !b.fixed) hidden.add(b.id);
    else kept.push(b);
  }
  return hidden;
}
