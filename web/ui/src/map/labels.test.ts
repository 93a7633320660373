import { describe, expect, it } from "vitest";
import { labelPriority, overlappingLabels, type LabelBox } from "./labels";

const box = (id: string, x: number, y: number, priority = 1, w = 40, h = 12): LabelBox => ({ id, priority, x1: x, y1: y, x2: x + w, y2: y + h });

describe("edge label placement", () => {
  it("hides the less important of two overlapping labels", () => {
    const hidden = overlappingLabels([box("quiet", 10, 10, labelPriority("healthy", 1)), box("busy", 30, 14, labelPriority("healthy", 50))]);
    expect([...hidden]).toEqual(["quiet"]);
  });

  it("keeps labels that do not touch", () => {
    expect(overlappingLabels([box("a", 0, 0), box("b", 100, 0), box("c", 0, 40)]).size).toBe(0);
  });

  it("prefers a failing edge's label over a busier healthy one", () => {
    const hidden = overlappingLabels([box("busy", 0, 0, labelPriority("healthy", 900)), box("broken", 5, 5, labelPriority("failing", 0.1))]);
    expect([...hidden]).toEqual(["busy"]);
  });

  it("leaves no pair of drawn labels overlapping in a dense cluster", () => {
    const boxes = Array.from({ length: 60 }, (_, i) => box(`e${i}`, (i * 7) % 90, (i * 5) % 40, i));
    const hidden = overlappingLabels(boxes);
    const drawn = boxes.filter((b) => !hidden.has(b.id));
    expect(drawn.length).toBeGreaterThan(0);
    expect(hidden.size).toBeGreaterThan(0);
    for (const a of drawn) for (const b of drawn) if (a !== b) expect(a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2).toBe(false);
    // The most important label of all is always drawn.
    expect(hidden.has("e59")).toBe(false);
  });

  it("gives way to nodes, which are never hidden", () => {
    const node: LabelBox = { ...box("node", 0, 0, 0, 30, 30), fixed: true };
    const hidden = overlappingLabels([node, box("on-node", 10, 10, labelPriority("failing", 99)), box("clear", 80, 80)]);
    expect([...hidden]).toEqual(["on-node"]);
  });

  it("ignores empty labels", () => {
    expect(overlappingLabels([{ id: "none", priority: 1, x1: 0, y1: 0, x2: 0, y2: 0 }, box("a", 0, 0)]).size).toBe(0);
  });
});
