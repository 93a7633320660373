import type { EdgeMetric, Series } from "../api/graphTypes";

/**
 * Combines per-edge series into one for a node: request rates add; error percentages are weighted by nothing
 * better than the mean we can form without counts (so the mean of the edges); p99 takes the worst edge.
 */
export function combineSeries(all: Series[], metric: EdgeMetric): Series {
  if (all.length === 1) return all[0];
  const byT = new Map<number, number[]>();
  for (const s of all) for (const p of s.points) byT.set(p.t, [...(byT.get(p.t) ?? []), p.v]);
  const points = [...byT.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, vs]) => ({
      t,
      v: metric === "rps" ? vs.reduce((x, y) => x + y, 0) : metric === "p99" ? Math.max(...vs) : vs.reduce((x, y) => x + y, 0) / vs.length,
    }));
  return { metric, stepSeconds: all[0]?.stepSeconds ?? 10, points };
}
