import { useEffect, useMemo, useState } from "react";
import type uPlot from "uplot";
import { api } from "../api/client";
import type { EdgeMetric, Graph, GraphEdge, GraphNode, Series, ServiceHealth } from "../api/graphTypes";
import { UPlotChart } from "../charts/UPlotChart";
import { cssVar, withAlpha } from "../app/theme";
import { formatBytes, formatMs, formatPercent, formatRate } from "../charts/format";
import { linkProps } from "../app/router";
import { defaultSearch } from "../app/route";
import { combineSeries } from "./series";
import { badgesOf } from "./graphModel";
import { configOf, type MeshConfig } from "./meshConfig";
import { useEscape } from "../app/useEscape";

interface Props {
  graph: Graph;
  selected: string;
  window: { start: string; end: string };
  config: MeshConfig | null;
  expanded: boolean;
  onToggleExpand: (id: string) => void;
  onClose: () => void;
}

const metrics: { metric: EdgeMetric; title: string; unit: (v: number) => string }[] = [
  { metric: "rps", title: "Requests", unit: formatRate },
  { metric: "errors", title: "Errors", unit: (v) => formatPercent(v) },
  { metric: "p99", title: "Duration p99", unit: formatMs },
];

/** Details of the selected node or edge: RED charts, top operations, health reasons and links to traces. */
export function SidePanel({ graph, selected, window, config, expanded, onToggleExpand, onClose }: Props) {
  const edge = graph.edges.find((e) => `e:${e.id}` === selected);
  const node = graph.nodes.find((n) => n.id === selected);
  const nodes = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph]);
  // Escape closes the panel (keyboard use: the list view's buttons open it, Escape puts it away).
  useEscape(onClose);
  if (!edge && !node) return null;
  // The RED series come per edge: a node's are those of its incoming edges (its callers), combined.
  const edges = edge ? [edge] : graph.edges.filter((e) => e.target === node!.id);
  return (
    <aside className="card side-panel" aria-label="Selection details">
      <button type="button" className="ghost close" onClick={onClose} aria-label="Close panel" title="Close (Esc)">
        ✕
      </button>
      {edge ? <EdgeHeader edge={edge} nodes={nodes} window={window} /> : <NodeHeader node={node!} graph={graph} window={window} config={config} expanded={expanded} onToggleExpand={onToggleExpand} />}
      {edges.length > 0 ? (
        metrics.map((m) => <RedChart key={m.metric} edges={edges} nodes={nodes} metric={m.metric} title={m.title} unit={m.unit} window={window} />)
      ) : (
        <p className="muted">No incoming traffic in this window.</p>
      )}
    </aside>
  );
}

function Reasons({ reasons }: { reasons: string[] }) {
  if (!reasons.length) return <p className="muted">No health findings.</p>;
  return (
    <ul className="reasons">
      {reasons.map((r, i) => (
        <li key={i}>{r}</li>
      ))}
    </ul>
  );
}

function NodeHeader(props: { node: GraphNode; graph: Graph; window: Props["window"]; config: MeshConfig | null; expanded: boolean; onToggleExpand: (id: string) => void }) {
  const { node, graph, window, config, expanded, onToggleExpand } = props;
  const serviceConfig = configOf(config, node.namespace, node.service);
  const badges = badgesOf(node, graph.edges, serviceConfig);
  const weights = new Map((serviceConfig?.split ?? []).map((a) => [a.version, a.weight]));
  const [health, setHealth] = useState<ServiceHealth | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    setHealth(null);
    api.serviceHealth(node.service, window, ctrl.signal).then(setHealth, () => undefined);
    return () => ctrl.abort();
  }, [node.service, window.start, window.end]);
  const reasons = health?.health.reasons.length ? health.health.reasons : node.health.reasons;
  return (
    <>
      <h2>
        {node.service} {node.version && <span className="muted">{node.version}</span>}
      </h2>
      {badges.length > 0 && (
        <p className="badges" data-testid="node-badges">
          {badges.map((b) => (
            <span key={b.label} className="badge" title={b.detail}>
              {b.label}
            </span>
          ))}
        </p>
      )}
      {badges.length > 0 && (
        <ul className="reasons muted">
          {badges.map((b) => (
            <li key={b.label}>{b.detail}</li>
          ))}
        </ul>
      )}
      <p>
        <span className={`state state-${node.health.state}`}>{node.health.state}</span>
        {node.health.score !== null && <span className="muted"> score {node.health.score}</span>} · {node.kind}
        {node.namespace && <> · {node.namespace}</>}
      </p>
      <h3>Health reasons</h3>
      <Reasons reasons={reasons} />
      <h3>
        Versions and endpoints{" "}
        {node.kind === "service" && (
          <button type="button" className="ghost small" aria-pressed={expanded} onClick={() => onToggleExpand(node.id)}>
            {expanded ? "Fold on the map" : "Expand on the map"}
          </button>
        )}
      </h3>
      <table className="attrs" aria-label="Versions and endpoints">
        <tbody>
          <tr>
            <th scope="row">versions</th>
            <td>{node.versions.length ? node.versions.map((v) => (weights.has(v) ? `${v} (${weights.get(v)}%)` : v)).join(", ") : "none reported"}</td>
          </tr>
          <tr>
            <th scope="row">endpoints</th>
            <td className="mono">{node.endpoints.length ? node.endpoints.join(", ") : "none seen"}</td>
          </tr>
        </tbody>
      </table>
      <h3>Top operations</h3>
      {health?.topOperations.length ? (
        <table className="attrs" data-testid="top-operations" aria-label="Top operations">
          <tbody>
            {health.topOperations.map((o) => (
              <tr key={o.name}>
                <th scope="row">{o.name}</th>
                <td>
                  {formatRate(o.rps)} · {formatPercent(o.errorPercent)} · p99 {formatMs(o.p99Ms)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">none seen</p>
      )}
      <p>
        <a {...linkProps({ page: "traces", search: { ...defaultSearch, service: node.service, lookback: "custom", start: window.start, end: window.end } })}>
          Traces of {node.service} →
        </a>
      </p>
    </>
  );
}

function EdgeHeader({ edge, nodes, window }: { edge: GraphEdge; nodes: Map<string, GraphNode>; window: Props["window"] }) {
  const from = nodes.get(edge.source)?.service ?? edge.source;
  const to = nodes.get(edge.target)?.service ?? edge.target;
  const inWindow = { lookback: "custom", start: window.start, end: window.end };
  return (
    <>
      <h2>
        {from} → {to}
      </h2>
      <p>
        <span className={`state state-${edge.health.state}`}>{edge.health.state}</span> · {formatRate(edge.rps)} · {formatPercent(edge.errorPercent)} errors
      </p>
      <p className="muted">
        p50 {formatMs(edge.p50Ms)} · p95 {formatMs(edge.p95Ms)} · p99 {formatMs(edge.p99Ms)} · in {formatBytes(edge.bytesIn)} · out {formatBytes(edge.bytesOut)} · mTLS{" "}
        {formatPercent(edge.mtlsPercent)}
        {edge.canaryPercent !== null && <> · canary {formatPercent(edge.canaryPercent)}</>}
      </p>
      <h3>Health reasons</h3>
      <Reasons reasons={edge.health.reasons} />
      <p>
        {/* A trace crosses the edge when it reaches the callee; proxy spans also name both ends, SDK spans do not. */}
        <a data-testid="edge-traces" {...linkProps({ page: "traces", search: { ...defaultSearch, ...inWindow, service: to } })}>
          Traces of this edge →
        </a>{" "}
        <a
          className="muted"
          {...linkProps({ page: "traces", search: { ...defaultSearch, ...inWindow, attrs: [`mesh.source.service=${from}`, `mesh.destination.service=${to}`] } })}
        >
          (proxy spans from {from} to {to})
        </a>
      </p>
    </>
  );
}

function RedChart(props: { edges: GraphEdge[]; nodes: Map<string, GraphNode>; metric: EdgeMetric; title: string; unit: (v: number) => string; window: Props["window"] }) {
  const { edges, nodes, metric, title, unit, window } = props;
  const [series, setSeries] = useState<Series | null>(null);
  const [error, setError] = useState("");
  const key = edges.map((e) => e.id).join("|");
  useEffect(() => {
    const ctrl = new AbortController();
    const name = (id: string) => nodes.get(id)?.service ?? id;
    Promise.all(edges.slice(0, 8).map((e) => api.edgeSeries(name(e.source), name(e.target), metric, window, ctrl.signal))).then(
      (all) => setSeries(combineSeries(all, metric)),
      (e: unknown) => !ctrl.signal.aborted && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => ctrl.abort();
  }, [key, metric, window.start, window.end]);
  const data = useMemo<uPlot.AlignedData>(() => [series?.points.map((p) => p.t / 1000) ?? [], series?.points.map((p) => p.v) ?? []], [series]);
  const options = useMemo<Omit<uPlot.Options, "width">>(() => {
    const axis = { stroke: cssVar("--muted"), grid: { stroke: cssVar("--grid") }, ticks: { stroke: cssVar("--grid") } };
    const color = metric === "errors" ? cssVar("--bad") : cssVar("--accent");
    return {
      height: 110,
      legend: { show: false },
      scales: { x: { time: true } },
      axes: [axis, { ...axis, size: 60, values: (_u: uPlot, v: number[]) => v.map(unit) }],
      series: [{}, { stroke: color, fill: withAlpha(color, 0.15), width: 1.5 }],
    };
  }, [metric, unit]);
  return (
    <section className="red-chart">
      <h3>{title}</h3>
      {error ? <p className="error">{error}</p> : series ? <UPlotChart options={options} data={data} label={`${title} over time`} /> : <p className="muted">Loading…</p>}
    </section>
  );
}
