import { useEffect, useRef, useState } from "react";
import cytoscape from "cytoscape";
import { ownerOf, type Element } from "./graphModel";
import { layered, type LayoutNode } from "./layered";
import type { MapLayout } from "../app/route";
import { cssVar } from "../app/theme";
import { whenIdle } from "../app/idle";
import { labelPriority, overlappingLabels, type LabelBox } from "./labels";

export interface MapCanvasHandle {
  fit: () => void;
  focus: (id: string) => void;
}

interface Props {
  elements: Element[];
  layout: MapLayout;
  selected: string;
  onSelect: (id: string) => void;
  /** Expands a service into its versions and endpoints, or folds it back (double-click). */
  onToggleExpand: (id: string) => void;
  /** The graph has arrived (an empty map is a loaded map too). */
  loaded: boolean;
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
    {
      selector: "node.expanded",
      style: {
        shape: "round-rectangle",
        "background-opacity": 0.12,
        "border-width": 2,
        "text-valign": "top",
        "text-margin-y": -4,
        padding: "10px",
      },
    },
    { selector: "node.version", style: { shape: "ellipse", width: 18, height: 18, "background-color": cssVar("--accent"), "border-color": cssVar("--accent"), "border-width": 1, "font-size": 10, "text-valign": "center", "text-halign": "right", "text-margin-x": 5, "text-margin-y": 0 } },
    { selector: "node.endpoint", style: { shape: "rectangle", width: 12, height: 12, "background-color": cssVar("--muted"), "border-color": cssVar("--muted"), "border-width": 1, "font-size": 9, "text-valign": "center", "text-halign": "right", "text-margin-x": 5, "text-margin-y": 0, color: muted } },
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
        // On the edge, along it, on the canvas color (readable in both themes over lines that cross it); below
        // ~7 px on screen (zoomed out over a big map) labels are not drawn at all.
        "text-rotation": "autorotate",
        "text-background-color": cssVar("--panel"),
        "text-background-opacity": 0.92,
        "text-background-shape": "roundrectangle",
        "text-background-padding": "2px",
        "min-zoomed-font-size": 7,
        "z-index": 10,
      },
    },
    // A label that would overlap a more important one (placeLabels) waits for hover or selection.
    // Drawn beneath the labelled edges, so its line never runs over a shown label.
    { selector: "edge.label-hidden", style: { "text-opacity": 0, "text-background-opacity": 0, "z-index": 5 } },
    { selector: "edge.label-hidden.hover, edge.label-hidden:selected", style: { "text-opacity": 1, "text-background-opacity": 0.92 } },
    { selector: "edge.hover, edge:selected", style: { "z-index": 20, "font-weight": "bold" } },
    { selector: "edge.healthy", style: { "line-color": cssVar("--good"), "target-arrow-color": cssVar("--good") } },
    { selector: "edge.degraded", style: { "line-color": cssVar("--warn"), "target-arrow-color": cssVar("--warn") } },
    { selector: "edge.failing", style: { "line-color": cssVar("--bad"), "target-arrow-color": cssVar("--bad") } },
    { selector: "edge.traffic", style: { "line-style": "dashed", "line-dash-pattern": [8, 5] } },
    { selector: "edge:selected", style: { "overlay-color": cssVar("--accent"), "overlay-opacity": 0.25 } },
  ] as cytoscape.StylesheetJson;
}

const LEAF_HEIGHT = 72;
const CHILD_STEP = 26;

/** The built-in layered layout: positions set in one batch, no layout library, so the first view is quick. */
function runLayered(cy: cytoscape.Core) {
  const items: LayoutNode[] = [];
  const children = new Map<string, cytoscape.NodeCollection>();
  cy.nodes().forEach((n) => {
    if (n.hasClass("namespace") || ownerOf(n.id())) return;
    const parent = n.data("parent") as string | undefined;
    const kids = n.children();
    if (kids.nonempty()) children.set(n.id(), kids);
    items.push({ id: n.id(), group: parent?.startsWith("ns:") ? parent.slice(3) : "", height: kids.nonempty() ? 36 + kids.length * CHILD_STEP : LEAF_HEIGHT });
  });
  const slots = layered(
    items,
    cy.edges().map((e) => ({ source: e.source().id(), target: e.target().id() })),
  );
  cy.batch(() => {
    for (const [id, slot] of slots) {
      const kids = children.get(id);
      if (kids) kids.forEach((k, i) => void k.position({ x: slot.x, y: slot.top + 30 + i * CHILD_STEP }));
      else cy.getElementById(id).position({ x: slot.x, y: slot.top + 15 });
    }
  });
  cy.fit(undefined, 30);
}

let dagreLoaded: Promise<void> | null = null;
/** dagre (with graphlib and lodash) is loaded only when someone picks that layout. */
function loadDagre(): Promise<void> {
  dagreLoaded ??= import("cytoscape-dagre").then((m) => void cytoscape.use(m.default));
  return dagreLoaded;
}

function runLayout(cy: cytoscape.Core, layout: MapLayout): Promise<void> {
  if (layout === "layered") {
    runLayered(cy);
    return Promise.resolve();
  }
  if (layout === "force") {
    cy.layout({ name: "cose", animate: false, fit: true, padding: 30, nodeRepulsion: () => 9000, idealEdgeLength: () => 90 } as cytoscape.LayoutOptions).run();
    return Promise.resolve();
  }
  return loadDagre().then(() => {
    if (!cy.destroyed()) cy.layout({ name: "dagre", rankDir: "LR", nodeSep: 25, rankSep: 110, animate: false, fit: true, padding: 30 } as cytoscape.LayoutOptions).run();
  });
}

/**
 * Hides the edge labels that would overlap a more important label or a node (labels/overlappingLabels), in model
 * coordinates, so it holds at any zoom; run after every layout and label change. Returns how many it hid.
 */
function placeLabels(cy: cytoscape.Core): number {
  const boxes: LabelBox[] = [];
  cy.nodes().forEach((n) => {
    if (n.isParent()) return;
    const b = n.boundingBox({ includeLabels: true, includeOverlays: false });
    boxes.push({ id: n.id(), priority: 0, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, fixed: true });
  });
  cy.edges().forEach((e) => {
    const b = e.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeMainLabels: true, includeSourceLabels: false, includeTargetLabels: false, includeOverlays: false } as cytoscape.BoundingBoxOptions);
    boxes.push({ id: e.id(), priority: labelPriority(String(e.data("health") ?? ""), Number(e.data("rps") ?? 0)), x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 });
  });
  const hidden = overlappingLabels(boxes);
  cy.batch(() =>
    cy.edges().forEach((e) => {
      if (hidden.has(e.id()) !== e.hasClass("label-hidden")) e.toggleClass("label-hidden", hidden.has(e.id()));
    }),
  );
  return hidden.size;
}

/** Marks the first time the map is on screen with its nodes laid out (performance.measure from navigation start). */
function markReady(container: HTMLElement | null, nodes: number) {
  if (!container || container.dataset.ready !== undefined) return;
  requestAnimationFrame(() => {
    container.dataset.ready = String(nodes);
    if (!performance.getEntriesByName("mesh:map-ready").length) performance.mark("mesh:map-ready");
  });
}

/** The application map canvas (cytoscape): layered or force layout, health colors, traffic animation. */
export function MapCanvas({ elements, layout, selected, onSelect, onToggleExpand, loaded, handle }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const [tip, setTip] = useState<{ x: number; y: number; text: string } | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const onToggleRef = useRef(onToggleExpand);
  onToggleRef.current = onToggleExpand;
  const layoutRef = useRef(layout);
  layoutRef.current = layout;

  useEffect(() => {
    const cy = cytoscape({ container: ref.current, style: stylesheet(), boxSelectionEnabled: false, minZoom: 0.05, maxZoom: 2.5 });
    cyRef.current = cy;
    cy.on("tap", "node, edge", (e) => {
      const id = e.target.id() as string;
      if (!id.startsWith("ns:")) onSelectRef.current(ownerOf(id) ?? id);
    });
    cy.on("dbltap", "node.service, node.version, node.endpoint", (e) => {
      const id = e.target.id() as string;
      onToggleRef.current(ownerOf(id) ?? id);
    });
    cy.on("tap", (e) => {
      if (e.target === cy) onSelectRef.current("");
    });
    // Hovering an edge, or a node's every edge, shows those labels even where placeLabels hid them.
    const hover = (e: cytoscape.EventObject) => (e.target.isNode() ? (e.target as cytoscape.NodeSingular).connectedEdges() : e.target) as cytoscape.Collection;
    cy.on("mouseover", "node, edge", (e) => void hover(e).addClass("hover"));
    cy.on("mouseout", "node, edge", (e) => void hover(e).removeClass("hover"));
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

    // Traffic animation: dashes march along each edge at a speed proportional to its rps (data "speed", px/s),
    // updated in one batch at up to ~12 fps; when a batch takes long (a busy machine, a big map) the interval
    // grows, so the animation never crowds out input.
    let frame = 0;
    let last = 0;
    let interval = 80;
    const tick = (t: number) => {
      frame = requestAnimationFrame(tick);
      if (t - last < interval || document.hidden) return;
      last = t;
      const began = performance.now();
      cy.batch(() => {
        cy.edges(".traffic").forEach((edge) => {
          const speed = edge.data("speed") as number;
          if (speed > 0) edge.style("line-dash-offset", -(((t / 1000) * speed) % 13));
        });
      });
      const took = performance.now() - began;
      interval = took > 8 ? Math.min(1000, interval * 2) : Math.max(80, interval / 2);
    };
    // It starts once the browser is idle: the first view's frames belong to drawing the map.
    const cancelIdle = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ? () => {} : whenIdle(() => (frame = requestAnimationFrame(tick)), 2000);
    // The side panel opening or closing changes the canvas size; cytoscape has to be told.
    const resize = new ResizeObserver(() => cy.resize());
    if (ref.current) resize.observe(ref.current);
    return () => {
      cancelIdle();
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
          // Only what changed: a live update or the hub's first full snapshot mostly repeats what is drawn, and
          // every data() or classes() call makes cytoscape restyle the element.
          const changed = Object.entries(e.data).filter(([k, v]) => existing.data(k) !== v);
          if (changed.length) existing.data(Object.fromEntries(changed));
          if ((existing.classes() as unknown as string[]).join(" ") !== (e.classes ?? "").split(" ").filter(Boolean).join(" ")) existing.classes(e.classes ?? "");
        } else {
          existing.remove();
          cy.add({ group: e.group, data: e.data, classes: e.classes });
          structural = true;
        }
      }
    });
    const done = structural ? runLayout(cy, layoutRef.current) : Promise.resolve();
    void done.then(() => {
      if (cy.destroyed()) return;
      if (ref.current) ref.current.dataset.hiddenLabels = String(placeLabels(cy));
      // What is drawn now (data-ready keeps what the first view drew): tests and tools read it.
      if (ref.current && !cy.destroyed()) ref.current.dataset.nodes = String(cy.nodes().length);
      if (loaded) markReady(ref.current, cy.nodes().length);
    });
  }, [elements, loaded]);

  useEffect(() => {
    const cy = cyRef.current;
    if (cy && cy.nodes().nonempty())
      void runLayout(cy, layout).then(() => {
        if (!cy.destroyed() && ref.current) ref.current.dataset.hiddenLabels = String(placeLabels(cy));
      });
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
