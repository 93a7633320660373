import { describe, expect, it } from "vitest";
import { defaultMap, defaultSearch, parseRoute, routeToUrl, searchWindow, type Route } from "./route";

const roundTrip = (r: Route) => {
  const url = routeToUrl(r);
  const q = url.indexOf("?");
  return parseRoute(q < 0 ? url : url.slice(0, q), q < 0 ? "" : url.slice(q));
};

describe("URL state", () => {
  it("round-trips every view", () => {
    const routes: Route[] = [
      { page: "traces", search: defaultSearch },
      {
        page: "traces",
        search: { ...defaultSearch, service: "checkout", operation: "POST /orders", minMs: "10", maxMs: "250", status: "error", attrs: ["http.route=/a b", "k=v=w"], limit: 50, lookback: "6h" },
      },
      { page: "traces", search: { ...defaultSearch, lookback: "custom", start: "2026-12-02T10:00:00.000Z", end: "2026-12-02T11:00:00.000Z" } },
      { page: "trace", traceId: "0af7651916cd43dd8448eb211c80319c", span: "b7ad6b7169203331", collapsed: ["a", "b"] },
      { page: "compare", a: "aa", b: "bb" },
      { page: "map", map: defaultMap },
      { page: "map", map: { ...defaultMap, metric: "p99", namespace: "shop", filter: "pay", layout: "force", live: false, selected: "e:x->y", expanded: ["cart", "catalog"] } },
      { page: "map", map: { ...defaultMap, layout: "dagre" } },
      { page: "map", map: { ...defaultMap, live: false, start: "2026-12-02T10:00:00.000Z", end: "2026-12-02T10:01:00.000Z" } },
    ];
    for (const r of routes) expect(roundTrip(r)).toEqual(r);
  });

  it("keeps default URLs short", () => {
    expect(routeToUrl({ page: "traces", search: defaultSearch })).toBe("/traces");
    expect(routeToUrl({ page: "map", map: defaultMap })).toBe("/map");
    expect(routeToUrl({ page: "traces", search: { ...defaultSearch, attrs: ["a=1", "b=2"] } })).toBe("/traces?attr=a%3D1&attr=b%3D2");
  });

  it("falls back to defaults for unknown or bad values", () => {
    expect(parseRoute("/", "")).toEqual({ page: "map", map: defaultMap });
    const r = parseRoute("/traces", "?status=weird&limit=-3");
    expect(r).toEqual({ page: "traces", search: defaultSearch });
    expect(parseRoute("/map", "?metric=bogus")).toEqual({ page: "map", map: defaultMap });
  });

  it("turns a lookback into an absolute window", () => {
    const now = Date.parse("2026-12-02T12:00:00Z");
    expect(searchWindow({ ...defaultSearch, lookback: "15m" }, now)).toEqual({ start: "2026-12-02T11:45:00.000Z", end: "2026-12-02T12:00:00.000Z" });
  });
});
