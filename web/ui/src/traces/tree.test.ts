import { describe, expect, it } from "vitest";
import { buildTree, criticalPath, selfTime, serviceCalls, visibleRows } from "./tree";
import { checkoutTrace, span } from "../test/spans";

describe("buildTree", () => {
  it("nests spans under their parents, ordered by start, with depths and relative times", () => {
    const tree = buildTree(checkoutTrace());
    expect(tree.roots.map((r) => r.span.spanId)).toEqual(["A"]);
    const a = tree.byId.get("A")!;
    expect(a.children.map((c) => c.span.spanId)).toEqual(["F", "B"]);
    expect(tree.byId.get("E")!.depth).toBe(3);
    expect(tree.byId.get("D")!.start).toBeCloseTo(45);
    expect(tree.durationMs).toBeCloseTo(100);
    expect(tree.services).toEqual(["checkout", "db", "frontend", "inventory", "payments"]);
  });

  it("keeps spans whose parent is missing as orphan roots", () => {
    const tree = buildTree([span("A", undefined, "a", "root", 0, 10), span("X", "gone", "b", "lost", 3, 2)]);
    expect(tree.roots.map((r) => r.span.spanId)).toEqual(["A", "X"]);
    expect(tree.byId.get("X")!.orphan).toBe(true);
    expect(tree.byId.get("A")!.orphan).toBe(false);
  });

  it("keeps microsecond precision for epoch nanosecond times", () => {
    const tree = buildTree([span("A", undefined, "a", "root", 0, 1), span("B", "A", "a", "child", 0.001, 0.002)]);
    expect(tree.byId.get("B")!.start).toBeCloseTo(0.001, 6);
    expect(tree.byId.get("B")!.end - tree.byId.get("B")!.start).toBeCloseTo(0.002, 6);
  });

  it("handles an empty trace and a very deep one", () => {
    expect(buildTree([]).roots).toEqual([]);
    const deep = Array.from({ length: 5000 }, (_, i) => span(`s${i}`, i ? `s${i - 1}` : undefined, "svc", `op${i}`, i * 0.01, 100 - i * 0.01));
    const tree = buildTree(deep);
    expect(tree.byId.get("s4999")!.depth).toBe(4999);
    expect(visibleRows(tree, new Set())).toHaveLength(5000);
  });
});

describe("visibleRows", () => {
  it("lists depth first and hides the subtree of a collapsed span", () => {
    const tree = buildTree(checkoutTrace());
    expect(visibleRows(tree, new Set()).map((n) => n.span.spanId)).toEqual(["A", "F", "B", "C", "D", "E"]);
    expect(visibleRows(tree, new Set(["B"])).map((n) => n.span.spanId)).toEqual(["A", "F", "B"]);
  });
});

describe("criticalPath", () => {
  it("follows the last-finishing child back through the trace", () => {
    const segments = criticalPath(buildTree(checkoutTrace()));
    const on = new Set(segments.map((s) => s.spanId));
    expect(on).toEqual(new Set(["A", "B", "C", "D", "E"]));
    expect(on.has("F")).toBe(false);
    const total = segments.reduce((sum, s) => sum + (s.end - s.start), 0);
    // The path covers the whole root, without overlap.
    expect(total).toBeCloseTo(100);
    const e = segments.filter((s) => s.spanId === "E");
    expect(e).toHaveLength(1);
    expect(e[0].start).toBeCloseTo(50);
    expect(e[0].end).toBeCloseTo(80);
  });

  it("clips a child that outlives its parent", () => {
    const segments = criticalPath(buildTree([span("A", undefined, "a", "root", 0, 10), span("B", "A", "b", "async", 5, 50)]));
    const b = segments.find((s) => s.spanId === "B")!;
    expect(b.end).toBeCloseTo(10);
    expect(segments.reduce((sum, s) => sum + (s.end - s.start), 0)).toBeCloseTo(10);
  });
});

describe("serviceCalls and selfTime", () => {
  it("counts calls across service boundaries with their errors", () => {
    expect(serviceCalls(buildTree(checkoutTrace()))).toEqual([
      { from: "checkout", to: "inventory", count: 1, errors: 0 },
      { from: "checkout", to: "payments", count: 1, errors: 1 },
      { from: "frontend", to: "checkout", count: 1, errors: 0 },
      { from: "inventory", to: "db", count: 1, errors: 0 },
    ]);
  });

  it("subtracts the union of the children's time", () => {
    const tree = buildTree(checkoutTrace());
    // A: 100 ms less F [2,20] ∪ B [5,90] = [2,90] → 12 ms.
    expect(selfTime(tree.byId.get("A")!)).toBeCloseTo(12);
    expect(selfTime(tree.byId.get("E")!)).toBeCloseTo(30);
  });
});
