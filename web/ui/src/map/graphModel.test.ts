import { describe, expect, it } from "vitest";
import fixture from "../test/fixtures/graph.json";
import { normalizeDelta, normalizeGraph, normalizeSeries } from "../api/graphNormalize";
import { animationPeriod, applyDelta, edgeLabel, toElements } from "./graphModel";

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

  it("animates faster with more traffic and not at all without", () => {
    expect(animationPeriod(0)).toBe(0);
    expect(animationPeriod(1000)).toBeLessThan(animationPeriod(1));
    expect(animationPeriod(1e9)).toBeGreaterThanOrEqual(0.4);
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
