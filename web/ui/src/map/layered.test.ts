import { describe, expect, it } from "vitest";
import { layered, type LayoutNode } from "./layered";

const node = (id: string, group = "shop", height = 60): LayoutNode => ({ id, group, height });

describe("layered layout", () => {
  it("puts callers left of what they call, by the longest path", () => {
    const nodes = ["frontend", "cart", "payment", "inventory"].map((id) => node(id));
    const slots = layered(nodes, [
      { source: "frontend", target: "cart" },
      { source: "cart", target: "payment" },
      { source: "frontend", target: "inventory" },
      { source: "cart", target: "inventory" },
    ]);
    const x = (id: string) => slots.get(id)!.x;
    expect(x("frontend")).toBeLessThan(x("cart"));
    expect(x("cart")).toBeLessThan(x("payment"));
    // inventory is called by frontend (rank 1) and by cart (rank 2): the longest path wins.
    expect(x("inventory")).toBe(x("payment"));
  });

  it("survives cycles and self-calls", () => {
    const slots = layered([node("a"), node("b"), node("c")], [
      { source: "a", target: "b" },
      { source: "b", target: "c" },
      { source: "c", target: "a" },
      { source: "b", target: "b" },
    ]);
    expect(slots.size).toBe(3);
    expect(new Set([...slots.values()].map((s) => s.x)).size).toBe(3);
  });

  it("keeps every namespace in its own band, so the boxes cannot overlap", () => {
    const nodes = [node("a1", "a"), node("a2", "a"), node("b1", "b"), node("b2", "b"), node("db", "")];
    const slots = layered(nodes, [
      { source: "a1", target: "b1" },
      { source: "b1", target: "a2" },
      { source: "a2", target: "b2" },
      { source: "b2", target: "db" },
    ]);
    const band = (ids: string[]) => ({
      top: Math.min(...ids.map((id) => slots.get(id)!.top)),
      bottom: Math.max(...ids.map((id) => slots.get(id)!.top + slots.get(id)!.height)),
    });
    const a = band(["a1", "a2"]);
    const b = band(["b1", "b2"]);
    const none = band(["db"]);
    expect(a.bottom).toBeLessThan(b.top);
    expect(b.bottom).toBeLessThan(none.top);
  });

  it("gives a tall (expanded) node its room and orders a column to avoid crossings", () => {
    const nodes = [node("r1"), node("r2"), node("big", "shop", 200), node("x"), node("y")];
    const slots = layered(nodes, [
      { source: "r1", target: "y" },
      { source: "r2", target: "x" },
      { source: "r1", target: "big" },
    ]);
    const [big, x, y] = ["big", "x", "y"].map((id) => slots.get(id)!);
    // No two slots of one column overlap.
    const col = [big, x, y].sort((p, q) => p.top - q.top);
    for (let i = 1; i < col.length; i++) expect(col[i].top).toBeGreaterThanOrEqual(col[i - 1].top + col[i - 1].height);
    // r1 is above r2 (by name), so y (r1's callee) ends up above x (r2's callee).
    expect(y.top).toBeLessThan(x.top);
  });

  it("lays out a 200-service, 2,000-edge graph", () => {
    const nodes = Array.from({ length: 200 }, (_, i) => node(`s${i}`, `ns${i % 10}`));
    const edges = Array.from({ length: 2000 }, (_, i) => ({ source: `s${i % 200}`, target: `s${(i * 7 + 1) % 200}` }));
    const slots = layered(nodes, edges);
    expect(slots.size).toBe(200);
    for (const s of slots.values()) expect(Number.isFinite(s.x) && Number.isFinite(s.top)).toBe(true);
  });
});
