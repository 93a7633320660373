import { useEffect, useRef } from "react";
import cytoscape from "cytoscape";
import type { TraceTree } from "./tree";
import { serviceCalls } from "./tree";
import { serviceColor } from "./colors";
import { cssVar } from "../app/theme";
import { layered } from "../map/layered";

/** The services this one trace touched and the calls between them (count, errors). */
export function TraceServiceMap({ tree }: { tree: TraceTree }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const calls = serviceCalls(tree);
    const slots = layered(
      tree.services.map((id) => ({ id, group: "", height: 50 })),
      calls.map((c) => ({ source: c.from, target: c.to })),
      { rankSep: 150 },
    );
    const cy = cytoscape({
      container: ref.current,
      elements: [
        ...tree.services.map((s) => ({ data: { id: s, label: s, color: serviceColor(s) }, position: { x: slots.get(s)!.x, y: slots.get(s)!.top + 13 } })),
        ...calls.map((c) => ({
          data: { id: `${c.from}->${c.to}`, source: c.from, target: c.to, label: c.errors ? `${c.count}× (${c.errors} err)` : `${c.count}×`, error: c.errors > 0 ? 1 : 0 },
        })),
      ],
      style: [
        {
          selector: "node",
          style: {
            "background-color": "data(color)",
            label: "data(label)",
            color: cssVar("--fg"),
            "font-size": 12,
            "text-valign": "bottom",
            "text-margin-y": 4,
            width: 26,
            height: 26,
          },
        },
        {
          selector: "edge",
          style: {
            width: 2,
            "curve-style": "bezier",
            "target-arrow-shape": "triangle",
            "line-color": cssVar("--muted"),
            "target-arrow-color": cssVar("--muted"),
            label: "data(label)",
            "font-size": 10,
            color: cssVar("--muted"),
            "text-background-color": cssVar("--bg"),
            "text-background-opacity": 1,
          },
        },
        { selector: "edge[error = 1]", style: { "line-color": cssVar("--bad"), "target-arrow-color": cssVar("--bad") } },
      ],
      layout: { name: "preset", fit: true, padding: 30 },
      userZoomingEnabled: true,
      maxZoom: 1.6,
      boxSelectionEnabled: false,
    });
    return () => cy.destroy();
  }, [tree]);
  return <div ref={ref} className="trace-map" role="img" aria-label={`Service map of this trace: ${tree.services.join(", ")}`} />;
}
