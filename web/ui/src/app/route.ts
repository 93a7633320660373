// Every view's state lives in the URL (path + query), so any screen can be bookmarked, shared and reloaded.
// parseRoute and routeToUrl are inverses for every state the UI can reach.

import type { EdgeMetric } from "../api/graphTypes";

export interface TraceSearchState {
  service: string;
  operation: string;
  minMs: string;
  maxMs: string;
  status: "" | "ok" | "error";
  attrs: string[];
  /** A relative window ("15m", "1h", …) or "custom" with start/end. */
  lookback: string;
  start: string;
  end: string;
  limit: number;
}

/** layered: the built-in one (the default, instant); dagre: loaded on demand; force: cytoscape's cose. */
export type MapLayout = "layered" | "dagre" | "force";
const layouts: MapLayout[] = ["layered", "dagre", "force"];

export interface MapState {
  metric: EdgeMetric;
  namespace: string;
  filter: string;
  layout: MapLayout;
  live: boolean;
  /** Past window (replay or custom): start/end as RFC 3339; empty for "now". */
  start: string;
  end: string;
  selected: string;
  /** Services expanded into their versions and endpoints. */
  expanded: string[];
}

export type Route =
  | { page: "map"; map: MapState }
  | { page: "traces"; search: TraceSearchState }
  | { page: "trace"; traceId: string; span: string; collapsed: string[] }
  | { page: "compare"; a: string; b: string };

export const defaultSearch: TraceSearchState = {
  service: "",
  operation: "",
  minMs: "",
  maxMs: "",
  status: "",
  attrs: [],
  lookback: "1h",
  start: "",
  end: "",
  limit: 20,
};

export const defaultMap: MapState = {
  metric: "rps",
  namespace: "",
  filter: "",
  layout: "layered",
  live: true,
  start: "",
  end: "",
  selected: "",
  expanded: [],
};

const metrics: EdgeMetric[] = ["rps", "errors", "p99"];

export function parseRoute(pathname: string, search: string): Route {
  const q = new URLSearchParams(search);
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "traces" && parts[1]) {
    return { page: "trace", traceId: parts[1], span: q.get("span") ?? "", collapsed: splitList(q.get("collapsed")) };
  }
  if (parts[0] === "traces") {
    const status = q.get("status");
    const limit = Number(q.get("limit"));
    return {
      page: "traces",
      search: {
        service: q.get("service") ?? "",
        operation: q.get("operation") ?? "",
        minMs: q.get("minMs") ?? "",
        maxMs: q.get("maxMs") ?? "",
        status: status === "ok" || status === "error" ? status : "",
        attrs: q.getAll("attr"),
        lookback: q.get("lookback") ?? (q.get("start") ? "custom" : defaultSearch.lookback),
        start: q.get("start") ?? "",
        end: q.get("end") ?? "",
        limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, 1000) : defaultSearch.limit,
      },
    };
  }
  if (parts[0] === "compare") {
    return { page: "compare", a: q.get("a") ?? "", b: q.get("b") ?? "" };
  }
  const metric = q.get("metric") as EdgeMetric | null;
  return {
    page: "map",
    map: {
      metric: metric && metrics.includes(metric) ? metric : defaultMap.metric,
      namespace: q.get("ns") ?? "",
      filter: q.get("filter") ?? "",
      layout: layouts.find((l) => l === q.get("layout")) ?? "layered",
      live: q.get("live") !== "0" && !q.get("start"),
      start: q.get("start") ?? "",
      end: q.get("end") ?? "",
      selected: q.get("sel") ?? "",
      expanded: q.getAll("exp"),
    },
  };
}

export function routeToUrl(route: Route): string {
  const q = new URLSearchParams();
  switch (route.page) {
    case "trace":
      if (route.span) q.set("span", route.span);
      if (route.collapsed.length) q.set("collapsed", route.collapsed.join(","));
      return withQuery(`/traces/${encodeURIComponent(route.traceId)}`, q);
    case "compare":
      if (route.a) q.set("a", route.a);
      if (route.b) q.set("b", route.b);
      return withQuery("/compare", q);
    case "traces": {
      const s = route.search;
      if (s.service) q.set("service", s.service);
      if (s.operation) q.set("operation", s.operation);
      if (s.minMs) q.set("minMs", s.minMs);
      if (s.maxMs) q.set("maxMs", s.maxMs);
      if (s.status) q.set("status", s.status);
      s.attrs.forEach((a) => q.append("attr", a));
      if (s.lookback === "custom") {
        if (s.start) q.set("start", s.start);
        if (s.end) q.set("end", s.end);
      } else if (s.lookback !== defaultSearch.lookback) {
        q.set("lookback", s.lookback);
      }
      if (s.limit !== defaultSearch.limit) q.set("limit", String(s.limit));
      return withQuery("/traces", q);
    }
    case "map": {
      const m = route.map;
      if (m.metric !== defaultMap.metric) q.set("metric", m.metric);
      if (m.namespace) q.set("ns", m.namespace);
      if (m.filter) q.set("filter", m.filter);
      if (m.layout !== defaultMap.layout) q.set("layout", m.layout);
      if (m.start) q.set("start", m.start);
      if (m.end) q.set("end", m.end);
      if (!m.live && !m.start) q.set("live", "0");
      if (m.selected) q.set("sel", m.selected);
      m.expanded.forEach((id) => q.append("exp", id));
      return withQuery("/map", q);
    }
  }
}

const lookbacks: Record<string, number> = { "5m": 5, "15m": 15, "1h": 60, "6h": 360, "24h": 1440, "7d": 10080 };
export const lookbackChoices = Object.keys(lookbacks);

/** The absolute window a search state means, at time `now` (ms). */
export function searchWindow(s: TraceSearchState, now: number): { start: string; end: string } {
  if (s.lookback === "custom" && s.start) {
    return { start: new Date(s.start).toISOString(), end: s.end ? new Date(s.end).toISOString() : new Date(now).toISOString() };
  }
  const minutes = lookbacks[s.lookback] ?? 60;
  return { start: new Date(now - minutes * 60_000).toISOString(), end: new Date(now).toISOString() };
}

function splitList(v: string | null): string[] {
  return v ? v.split(",").filter(Boolean) : [];
}

function withQuery(path: string, q: URLSearchParams): string {
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
