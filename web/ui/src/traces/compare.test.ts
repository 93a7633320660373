import { describe, expect, it } from "vitest";
import { buildTree } from "./tree";
import { compareTrees, summarize } from "./compare";
import { checkoutTrace, span } from "../test/spans";

describe("compareTrees", () => {
  it("matches spans by position and reports latency deltas and structural differences", () => {
    const a = buildTree(checkoutTrace());
    const slower = checkoutTrace()
      .filter((s) => s.spanId !== "F")
      .map((s) => (s.spanId === "E" ? span("E", "D", "db", "query", 50, 90) : s));
    slower.push(span("R", "B", "payments", "retry charge", 41, 3));
    const b = buildTree(slower);
    const rows = compareTrees(a, b);

    const byName = new Map(rows.map((r) => [`${r.service}:${r.name}`, r]));
    expect(byName.get("db:query")!.kind).toBe("both");
    expect(byName.get("db:query")!.deltaMs).toBeCloseTo(60);
    expect(byName.get("db:query")!.deltaRatio).toBeCloseTo(2);
    expect(byName.get("frontend:log")!.kind).toBe("onlyA");
    expect(byName.get("payments:retry charge")!.kind).toBe("onlyB");
    expect(byName.get("payments:retry charge")!.depth).toBe(2);

    const sum = summarize(rows);
    expect(sum).toMatchObject({ matched: 5, onlyA: 1, onlyB: 1 });
    expect(sum.biggest[0].name).toBe("query");
  });

  it("pairs repeated siblings by occurrence", () => {
    const mk = (d1: number, d2: number) =>
      buildTree([span("A", undefined, "a", "root", 0, 100), span("B1", "A", "b", "get", 0, d1), span("B2", "A", "b", "get", 50, d2)]);
    const rows = compareTrees(mk(10, 20), mk(10, 40));
    expect(rows.map((r) => [r.key, r.deltaMs])).toEqual([
      ["a:root#0", 0],
      ["a:root#0/b:get#0", 0],
      ["a:root#0/b:get#1", 20],
    ]);
  });
});
