import type { Graph } from "../api/graphTypes";

// The live graph this tab saw last, in sessionStorage: a reload or a way back from the trace explorer draws the
// map at once, and the fresh graph replaces it a moment later. Older than a minute, it is not shown.

const KEY = "mesh.graph.";
const MAX_AGE_MS = 60_000;

export function cacheGraph(namespace: string, graph: Graph, now: number): void {
  try {
    sessionStorage.setItem(KEY + namespace, JSON.stringify({ at: now, graph }));
  } catch {
    // Storage full or disabled: the cache is only a head start.
  }
}

export function cachedGraph(namespace: string, now: number): Graph | null {
  try {
    const raw = sessionStorage.getItem(KEY + namespace);
    if (!raw) return null;
    const { at, graph } = JSON.parse(raw) as { at: number; graph: Graph };
    return now - at <= MAX_AGE_MS && Array.isArray(graph?.nodes) && Array.isArray(graph?.edges) ? graph : null;
  } catch {
    return null;
  }
}
