import { decode, request } from "../api/client";
import { normalizeGraph } from "../api/graphNormalize";
import type { Graph } from "../api/graphTypes";
import { getToken } from "../app/token";

// The first view's critical path is HTML → app bundle → graph JSON → map chunk → layout. boot.js (inlined in
// index.html) starts the graph request before the app bundle loads; main.tsx calls prefetchLiveGraph(), which
// adopts that request (or starts one, when the page was not built with the boot script); useGraph takes the
// response instead of starting its own. Only the live view is prefetched (its window is "the last five minutes",
// so a response a moment old is as good as a new one).

interface BootGraph {
  namespace: string;
  at: number;
  token: string;
  response: Promise<Response>;
}
declare global {
  interface Window {
    __meshBoot?: { graph?: BootGraph };
  }
}

export const LIVE_WINDOW_MS = 5 * 60_000;
const MAX_AGE_MS = 10_000;

let pending: { namespace: string; at: number; response: Promise<Response> } | null = null;

export function liveWindow(now: number): { start: string; end: string } {
  return { start: new Date(now - LIVE_WINDOW_MS).toISOString(), end: new Date(now).toISOString() };
}

/** Starts the live graph request for the map URL being opened, if that is where we are and we have a token. */
export function prefetchLiveGraph(loc: Location = window.location, now = Date.now()): void {
  const path = loc.pathname.replace(/\/+$/, "");
  if (path !== "" && path !== "/map") return;
  const q = new URLSearchParams(loc.search);
  if (q.get("start") || !getToken()) return;
  const namespace = q.get("ns") ?? "";
  const boot = window.__meshBoot?.graph;
  if (window.__meshBoot) window.__meshBoot.graph = undefined;
  if (boot && boot.namespace === namespace && boot.token === getToken() && now - boot.at <= MAX_AGE_MS) {
    pending = boot;
    return;
  }
  pending = { namespace, at: now, response: request("/graph", { ...liveWindow(now), namespace: namespace || undefined }) };
  // An unused or failed prefetch must not surface as an unhandled rejection.
  pending.response.catch(() => undefined);
}

/** The prefetched live graph for this namespace (once: the next call starts afresh), or null. */
export function takeLiveGraph(namespace: string, now = Date.now()): Promise<Graph> | null {
  const p = pending;
  pending = null;
  if (!p || p.namespace !== namespace || now - p.at > MAX_AGE_MS) return null;
  return p.response.then((r) => decode<unknown>(r)).then(normalizeGraph);
}
