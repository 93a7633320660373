import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { Waterfall } from "./Waterfall";
import { buildTree, criticalPath } from "./tree";
import { checkoutTrace } from "../test/spans";

function Harness() {
  const tree = buildTree(checkoutTrace());
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState("");
  return (
    <>
      <Waterfall
        tree={tree}
        critical={criticalPath(tree)}
        collapsed={collapsed}
        selected={selected}
        onSelect={setSelected}
        onToggle={(id) => setCollapsed((c) => (c.has(id) ? new Set([...c].filter((x) => x !== id)) : new Set([...c, id])))}
      />
      <output data-testid="selected">{selected}</output>
    </>
  );
}

describe("Waterfall", () => {
  afterEach(cleanup);

  it("renders one row per span, marks errors and the critical path", () => {
    const { container } = render(<Harness />);
    expect(screen.getAllByRole("treeitem")).toHaveLength(6);
    expect(container.querySelector('[data-span-id="C"]')!.className).toContain("error");
    expect(container.querySelector('[data-span-id="E"] .wf-critical')).not.toBeNull();
    expect(container.querySelector('[data-span-id="F"] .wf-critical')).toBeNull();
  });

  it("collapses and expands with the keyboard and selects with Enter", () => {
    render(<Harness />);
    const rows = () => screen.getAllByRole("treeitem");
    const checkout = rows()[2];
    expect(checkout.getAttribute("aria-expanded")).toBe("true");
    fireEvent.keyDown(checkout, { key: "ArrowLeft" });
    expect(rows()).toHaveLength(3);
    fireEvent.keyDown(rows()[2], { key: "ArrowRight" });
    expect(rows()).toHaveLength(6);
    fireEvent.keyDown(rows()[3], { key: "Enter" });
    expect(screen.getByTestId("selected").textContent).toBe("C");
  });
});
