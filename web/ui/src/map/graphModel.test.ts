import { describe, expect, it } from "vitest";
import fixture from "../test/fixtures/graph.json";
import { normalizeDelta, normalizeGraph, normalizeSeries } from "../api/graphNormalize";
import { applyDelta, badgesOf, sameGraph, dashSpeed, edgeLabel, MAX_DASH_SPEED, MIN_DASH_SPEED, ownerOf, toElements } from "./graphModel";
import { parseRoutes } from "./meshConfig";

// The fixture is written in the shape issue 5 describes for GET /api/v1/graph.
const graph = normalizeGraph(fixture);

describe("normalizeGraph", () => {
  it("reads nodes with health, kinds and flags, and resolves edges named by service", () => {
    expect(graph.nodes).toHaveLength(5);
    const payments = graph.nodes.find((n) => n.service === "payments")!;
    expect(payments.health).toEqual({ score: 10, state: "failing", reasons: ["5xx 14% > 10% (failing)", "circuit breaker open"] });
    expect(payments.circuitBreaker).toBe(true);
    expect(graph.nodes.find((n) => n.service === "postgres")!.kind).toBe("database");
    expect(graph.nodes.find((n) => n.service === "api.stripe.com")!.health.state).toBe("healthy");
    const db = graph.edges.find((e) => e.target === "postgres")!;
    expect(db.source).toBe("shop/checkout/v2");
    expect(db.health.state).toBe("no-traffic");
  });

  it("never throws on junk", () => {
    expect(normalizeGraph(null)).toEqual({ start: null, end: null, nodes: [], edges: [] });
    expect(normalizeGraph({ nodes: [42, null], edges: "x" }).nodes).toHaveLength(2);
  });
});

describe("toElements", () => {
  it("groups services in namespace parents and colors by health", () => {
    const els = toElements(graph, { metric: "rps", filter: "", namespace: "" });
    const ids = els.filter((e) => e.group === "nodes").map((e) => e.data.id);
    expect(ids).toContain("ns:shop");
    expect(ids).toContain("ns:pay");
    const checkout = els.find((e) => e.data.id === "shop/checkout/v2")!;
    expect(checkout.data.parent).toBe("ns:shop");
    expect(checkout.classes).toContain("degraded");
    expect(String(checkout.data.tooltip)).toContain("5xx 2.1%");
    // mTLS on every incoming edge, canary split: both badges.
    expect(String(checkout.data.label)).toContain("[mTLS]");
    expect(String(checkout.data.label)).toContain("[canary]");
    const payments = els.find((e) => e.data.id === "pay/payments/v1")!;
    expect(String(payments.data.label)).toContain("[CB open]");
    expect(els.filter((e) => e.group === "edges")).toHaveLength(4);
  });

  it("switches edge labels between rps, error % and p99", () => {
    const edge = graph.edges[0];
    expect(edgeLabel(edge, "rps")).toBe("42.5/s");
    expect(edgeLabel(edge, "errors")).toBe("2.1%");
    expect(edgeLabel(edge, "p99")).toBe("88.5 ms");
    const els = toElements(graph, { metric: "p99", filter: "", namespace: "" });
    expect(els.find((e) => e.data.source === "shop/checkout/v2" && e.data.target === "pay/payments/v1")!.data.label).toBe("250.0 ms");
  });

  it("filters to the matching services and their direct neighbours", () => {
    const els = toElements(graph, { metric: "rps", filter: "payments", namespace: "" });
    const nodes = els.filter((e) => e.group === "nodes" && !String(e.data.id).startsWith("ns:")).map((e) => e.data.id).sort();
    expect(nodes).toEqual(["api.stripe.com", "pay/payments/v1", "shop/checkout/v2"]);
    expect(els.find((e) => e.data.id === "pay/payments/v1")!.classes).toContain("hit");
    expect(els.some((e) => e.data.id === "shop/frontend/v1")).toBe(false);
  });

  it("limits to one namespace", () => {
    const els = toElements(graph, { metric: "rps", filter: "", namespace: "shop" });
    expect(els.filter((e) => e.group === "nodes").map((e) => e.data.id)).toEqual(["ns:shop", "shop/frontend/v1", "shop/checkout/v2"]);
    expect(els.filter((e) => e.group === "edges")).toHaveLength(1);
  });

  it("animates in proportion to the traffic, relative to the busiest edge, and not at all without", () => {
    expect(dashSpeed(0, 100)).toBe(0);
    expect(dashSpeed(100, 100)).toBe(MAX_DASH_SPEED);
    expect(dashSpeed(50, 100)).toBe(MAX_DASH_SPEED / 2);
    expect(dashSpeed(25, 100) * 2).toBe(dashSpeed(50, 100));
    expect(dashSpeed(0.001, 100)).toBe(MIN_DASH_SPEED);
    const els = toElements(graph, { metric: "rps", filter: "", namespace: "" });
    const speeds = els.filter((e) => e.group === "edges").map((e) => [e.data.source, e.data.speed as number]);
    expect(Math.max(...speeds.map((s) => s[1] as number))).toBe(MAX_DASH_SPEED);
  });

  it("keeps a 200-service graph cheap to map", () => {
    const nodes = Array.from({ length: 200 }, (_, i) => ({ id: `s${i}`, service: `svc-${i}`, namespace: `ns${i % 10}`, kind: "service", health: { state: "healthy" } }));
    const edges = Array.from({ length: 2000 }, (_, i) => ({ source: `s${i % 200}`, target: `s${(i * 7 + 1) % 200}`, id: `e${i}`, rps: i }));
    const big = normalizeGraph({ nodes, edges });
    const els = toElements(big, { metric: "rps", filter: "", namespace: "" });
    expect(els.filter((e) => e.group === "edges")).toHaveLength(2000);
    expect(toElements(big, { metric: "rps", filter: "svc-42", namespace: "" }).filter((e) => e.group === "nodes").length).toBeLessThan(40);
  });
});

describe("live deltas and series", () => {
  it("replaces changed nodes and edges and drops removed ones", () => {
    const delta = normalizeDelta({
      nodes: [{ id: "pay/payments/v1", service: "payments", namespace: "pay", health: { state: "healthy" } }],
      edges: [],
      removedEdges: ["pay/payments/v1->api.stripe.com"],
    });
    const next = applyDelta(graph, delta);
    expect(next.nodes.find((n) => n.id === "pay/payments/v1")!.health.state).toBe("healthy");
    expect(next.edges).toHaveLength(3);
    expect(next.nodes).toHaveLength(5);
  });

  it("reads the hub's message: nodes and edges each as upserted and removed", () => {
    const delta = normalizeDelta({
      type: "delta",
      nodes: { upserted: [{ id: "pay/payments/v1", service: "payments", namespace: "pay", health: { state: "healthy" } }], removed: [] },
      edges: { upserted: [], removed: ["pay/payments/v1->api.stripe.com"] },
    });
    expect(delta.full).toBe(false);
    expect(delta.removedEdges).toEqual(["pay/payments/v1->api.stripe.com"]);
    const next = applyDelta(graph, delta);
    expect(next.nodes.find((n) => n.id === "pay/payments/v1")!.health.state).toBe("healthy");
    expect(next.edges).toHaveLength(3);
    expect(normalizeDelta({ type: "full", nodes: { upserted: [], removed: [] }, edges: { upserted: [], removed: [] } }).full).toBe(true);
  });

  it("reads series points as objects or pairs, in seconds, milliseconds or RFC 3339", () => {
    expect(normalizeSeries({ points: [{ t: "2026-12-02T15:00:00Z", v: 3 }] }, "rps").points).toEqual([{ t: Date.parse("2026-12-02T15:00:00Z"), v: 3 }]);
    expect(normalizeSeries({ points: [[1_796_000_000, 2]] }, "rps").points[0].t).toBe(1_796_000_000_000);
    expect(normalizeSeries({ values: [{ time: 1_796_000_000_000, value: 1 }] }, "p99").points[0]).toEqual({ t: 1_796_000_000_000, v: 1 });
  });
});

// The shape web/Mesh.Web/Api/GraphJson.cs writes: ids are service names, versions and endpoints are lists,
// circuit breaking is a count of refused calls, health reasons are objects.
const server = normalizeGraph({
  start: "2026-12-03T06:00:00+00:00",
  end: "2026-12-03T06:05:00+00:00",
  nodes: [
    { id: "frontend", service: "frontend", namespace: "demo", kind: "service", versions: ["v1"], endpoints: ["127.0.0.1:9100"], rps: 20, errorPercent: 0, health: { score: 100, state: "healthy", reasons: [] } },
    {
      id: "catalog",
      service: "catalog",
      namespace: "demo",
      kind: "service",
      versions: ["v1", "v2"],
      endpoints: ["127.0.0.1:9102", "127.0.0.1:9103"],
      rps: 15,
      errorPercent: 12,
      health: { score: 20, state: "failing", reasons: [{ code: "errors", state: "failing", value: 0.12, threshold: 0.05, message: "errors 12% > 5%" }] },
    },
    { id: "payment", service: "payment", namespace: "demo", kind: "service", versions: ["v1"], endpoints: [], rps: 3, errorPercent: 0, health: { score: 90, state: "healthy", reasons: [] } },
  ],
  edges: [
    { id: "frontend->catalog", source: "frontend", target: "catalog", rps: 15, errorPercent: 12, mtlsPercent: 100, circuitBroken: 0, health: { state: "failing", reasons: [] } },
    { id: "frontend->payment", source: "frontend", target: "payment", rps: 3, errorPercent: 0, mtlsPercent: 40, circuitBroken: 7, health: { state: "healthy", reasons: [] } },
  ],
});
const routes = parseRoutes([
  {
    kind: "Route",
    namespace: "demo",
    name: "catalog",
    spec: {
      service: "catalog",
      circuitBreaker: { maxPending: 10 },
      routes: [{ name: "all", split: [{ version: "v1", weight: 90 }, { version: "v2", weight: 10 }], fault: { abort: { percent: 50, status: 503 } } }],
    },
  },
  { kind: "Route", namespace: "demo", name: "junk", spec: { routes: "x" } },
  "not a resource",
]);

describe("the server's graph, expanded, with route config", () => {
  it("reads versions, endpoints, circuit breaking and reason messages", () => {
    const catalog = server.nodes.find((n) => n.id === "catalog")!;
    expect(catalog.versions).toEqual(["v1", "v2"]);
    expect(catalog.version).toBeNull();
    expect(catalog.endpoints).toHaveLength(2);
    expect(catalog.health.reasons).toEqual(["errors 12% > 5%"]);
    expect(server.nodes.find((n) => n.id === "frontend")!.version).toBe("v1");
    expect(server.edges.find((e) => e.target === "payment")!.circuitBroken).toBe(7);
  });

  it("badges mTLS, an open or configured circuit breaker, fault injection and a canary split", () => {
    const label = (id: string, withConfig: boolean) =>
      badgesOf(server.nodes.find((n) => n.id === id)!, server.edges, withConfig ? routes.get(`demo/${id}`) : undefined).map((b) => b.label);
    expect(label("catalog", true)).toEqual(["mTLS", "CB", "fault", "canary"]);
    // Without the config, two versions taking traffic still read as a canary; nothing claims a fault.
    expect(label("catalog", false)).toEqual(["mTLS", "canary"]);
    // 7 calls refused by the caller's breaker: open; 40% mTLS: no mTLS badge.
    expect(label("payment", false)).toEqual(["CB open"]);
    const detail = badgesOf(server.nodes[1], server.edges, routes.get("demo/catalog")).map((b) => b.detail);
    expect(detail).toContain("fault injection: abort 50% with 503 (all)");
    expect(detail).toContain("canary split: v1 90%, v2 10%");
  });

  it("expands a service into one child per version (with its split weight) and per endpoint", () => {
    const els = toElements(server, { metric: "rps", filter: "", namespace: "", expanded: new Set(["catalog", "payment"]), config: routes });
    const children = els.filter((e) => e.data.parent === "catalog");
    expect(children.map((e) => e.data.label)).toEqual(["v1 · 90%", "v2 · 10%", "127.0.0.1:9102", "127.0.0.1:9103"]);
    expect(children.map((e) => e.classes)).toEqual(["version", "version", "endpoint", "endpoint"]);
    expect(els.find((e) => e.data.id === "catalog")!.classes).toContain("expanded");
    expect(String(els.find((e) => e.data.id === "catalog")!.data.label)).toContain("[fault]");
    // A child belongs to its service: clicking it selects the service.
    expect(children.every((c) => ownerOf(String(c.data.id)) === "catalog")).toBe(true);
    expect(ownerOf("catalog")).toBeNull();
    // Edges still join the services, expanded or not; folded services have no children.
    expect(els.filter((e) => e.group === "edges").map((e) => e.data.target)).toEqual(["catalog", "payment"]);
    expect(els.filter((e) => e.data.parent === "frontend")).toHaveLength(0);
    expect(els.filter((e) => e.data.parent === "payment").map((e) => e.data.label)).toEqual(["v1"]);
  });

  it("tells a repeated graph from a changed one, whatever its window", () => {
    const graph = normalizeGraph(fixture);
    const again = { ...structuredClone(graph), start: "2030-01-01T00:00:00Z", end: "2030-01-01T00:05:00Z" };
    expect(sameGraph(graph, again)).toBe(true);
    const busier = structuredClone(graph);
    busier.edges[0].rps += 1;
    expect(sameGraph(graph, busier)).toBe(false);
    expect(sameGraph(graph, { ...graph, nodes: graph.nodes.slice(1) })).toBe(false);
  });
});
