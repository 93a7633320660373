import { useEffect, useRef, useState } from "react";
import cytoscape from "cytoscape";
import dagre from "cytoscape-dagre";
import type { Element } from "./graphModel";
import { cssVar } from "../app/theme";

cytoscape.use(dagre);

export interface MapCanvasHandle {
  fit: () => void;
  focus: (id: string) => void;
}

interface Props {
  elements: Element[];
  layout: "layered" | "force";
  selected: string;
  onSelect: (id: string) => void;
  handle: React.MutableRefObject<MapCanvasHandle | null>;
}

function stylesheet(): cytoscape.StylesheetJson {
  const fg = cssVar("--fg");
  const muted = cssVar("--muted");
  return [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "text-wrap": "wrap",
        "text-valign": "bottom",
        "text-margin-y": 5,
        "font-size": 11,
        color: fg,
        "background-color": cssVar("--idle"),
        "border-width": 3,
        "border-color": cssVar("--idle"),
        width: 30,
        height: 30,
      },
    },
    { selector: "node.healthy", style: { "background-color": cssVar("--good"), "border-color": cssVar("--good") } },
    { selector: "node.degraded", style: { "background-color": cssVar("--warn"), "border-color": cssVar("--warn") } },
    { selector: "node.failing", style: { "background-color": cssVar("--bad"), "border-color": cssVar("--bad") } },
    { selector: "node.database", style: { shape: "barrel" } },
    { selector: "node.external", style: { shape: "diamond" } },
    { selector: "node.ingress", style: { shape: "round-triangle" } },
    { selector: "node.hit", style: { "border-color": cssVar("--accent"), "border-width": 5 } },
    {
      selector: "node.namespace",
      style: {
        shape: "round-rectangle",
        "background-color": cssVar("--panel"),
        "background-opacity": 0.6,
        "border-width": 1,
        "border-color": muted,
        "border-style": "dashed",
        label: "data(label)",
        "text-valign": "top",
        "text-halign": "center",
        "font-size": 12,
        color: muted,
        padding: "18px",
      },
    },
    { selector: "node:selected", style: { "overlay-color": cssVar("--accent"), "overlay-opacity": 0.25, "overlay-padding": 6 } },
    {
      selector: "edge",
      style: {
        width: "data(width)",
        "curve-style": "bezier",
        "target-arrow-shape": "triangle",
        "line-color": cssVar("--idle"),
        "target-arrow-color": cssVar("--idle"),
        label: "data(label)",
        "font-size": 10,
        color: fg,
        "text-background-color": cssVar("--bg"),
        "text-background-opacity": 0.85,
        "text-background-padding": "2px",
      },
    },
    { selector: "edge.healthy", style: { "line-color": cssVar("--good"), "target-arrow-color": cssVar("--good") } },
    { selector: "edge.degraded", style: { "line-color": cssVar("--warn"), "target-arrow-color": cssVar("--warn") } },
    { selector: "edge.failing", style: { "line-color": cssVar("--bad"), "target-arrow-color": cssVar("--bad") } },
    { selector: "edge.traffic", style: { "line-style": "dashed", "line-dash-pattern": [8, 5] } },
    { selector: "edge:selected", style: { "overlay-color": cssVar("--accent"), "overlay-opacity": 0.25 } },
  ] as cytoscape.StylesheetJson;
}

function runLayout(cy: cytoscape.Core, layout: "layered" | "force") {
  const options =
    layout === "layered"
      ? ({ name: "dagre", rankDir: "LR", nodeSep: 25, rankSep: 110, animate: false, fit: true, padding: 30 } as cytoscape.LayoutOptions)
      : ({ name: "cose", animate: false, fit: true, padding: 30, nodeRepulsion: () => 9000, idealEdgeLength: () => 90 } as cytoscape.LayoutOptions);
  cy.layout(options).run();
}

/** The application map canvas (cytoscape): layered or force layout, health colors, traffic animation. */
export function MapCanvas({ elements, layout, selected, onSelect, handle }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const [tip, setTip] = useState<{ x: number; y: number; text: string } | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  useEffect(() => {
    const cy = cytoscape({ container: ref.current, style: stylesheet(), boxSelectionEnabled: false, minZoom: 0.05, maxZoom: 2.5 });
    cyRef.current = cy;
    cy.on("tap", "node, edge", (e) => {
      const id = e.target.id() as string;
      if (!id.startsWith("ns:")) onSelectRef.current(id);
    });
    cy.on("tap", (e) => {
      if (e.target === cy) onSelectRef.current("");
    });
    cy.on("mouseover", "node, edge", (e) => {
      const text = e.target.data("tooltip") as string | undefined;
      if (text) setTip({ x: e.renderedPosition.x, y: e.renderedPosition.y, text });
    });
    cy.on("mouseout", "node, edge", () => setTip(null));
    handle.current = {
      fit: () => cy.fit(undefined, 30),
      focus: (id) => {
        const el = cy.getElementById(id);
        if (el.nonempty()) {
          cy.animate({ center: { eles: el }, zoom: Math.max(cy.zoom(), 1) }, { duration: 250 });
          cy.$(":selected").unselect();
          el.select();
        }
      },
    };

    // Traffic animation: dashes march along each edge at a speed set by its rps (data "period"),
    // updated at ~20 fps in one batch.
    let frame = 0;
    let last = 0;
    const tick = (t: number) => {
      frame = requestAnimationFrame(tick);
      if (t - last < 50 || document.hidden) return;
      last = t;
      cy.batch(() => {
        cy.edges(".traffic").forEach((edge) => {
          const period = edge.data("period") as number;
          if (period > 0) edge.style("line-dash-offset", -(((t / 1000) % period) / period) * 13);
        });
      });
    };
    if (!window.matchMedia?.("(prefers-reduced-motion: reduce)").matches) frame = requestAnimationFrame(tick);
    // The side panel opening or closing changes the canvas size; cytoscape has to be told.
    const resize = new ResizeObserver(() => cy.resize());
    if (ref.current) resize.observe(ref.current);
    return () => {
      resize.disconnect();
      cancelAnimationFrame(frame);
      handle.current = null;
      cy.destroy();
      cyRef.current = null;
    };
  }, [handle]);

  // Update in place: a live delta must not move nodes around; only a changed node set runs the layout again.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const wanted = new Map(elements.map((e) => [e.data.id, e]));
    let structural = false;
    cy.batch(() => {
      cy.elements().forEach((el) => {
        if (!wanted.has(el.id())) {
          el.remove();
          structural = true;
        }
      });
      // Parents first: a node may only name a parent that already exists.
      const ordered = [...elements].sort((a, b) => rank(a) - rank(b));
      for (const e of ordered) {
        const existing = cy.getElementById(e.data.id);
        if (existing.nonempty() && (e.group === "edges" || existing.data("parent") === e.data.parent)) {
          existing.data(e.data);
          existing.classes(e.classes ?? "");
        } else {
          existing.remove();
          cy.add({ group: e.group, data: e.data, classes: e.classes });
          structural = true;
        }
      }
    });
    if (structural) runLayout(cy, layout);
  }, [elements, layout]);

  useEffect(() => {
    const cy = cyRef.current;
    if (cy && cy.nodes().nonempty()) runLayout(cy, layout);
  }, [layout]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.$(":selected").unselect();
    if (selected) cy.getElementById(selected).select();
  }, [selected, elements]);

  return (
    <div className="map-canvas-wrap">
      <div ref={ref} className="map-canvas" role="img" aria-label="Application map" data-testid="map-canvas" />
      {tip && (
        <div className="tooltip" role="tooltip" style={{ left: tip.x + 14, top: tip.y + 14 }}>
          {tip.text}
        </div>
      )}
    </div>
  );
}

function rank(e: Element): number {
  if (e.group === "edges") return 2;
  return e.classes?.includes("namespace") ? 0 : 1;
}
