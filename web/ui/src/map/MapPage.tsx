import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import type { EdgeMetric, Graph } from "../api/graphTypes";
import { navigate } from "../app/router";
import type { MapLayout, MapState } from "../app/route";
import { MapCanvas, type MapCanvasHandle } from "./MapCanvas";
import { badgesOf, edgeLabel, matches, namespacesOf, toElements } from "./graphModel";
import { configOf, type MeshConfig } from "./meshConfig";
import { useGraph } from "./useGraph";
import { useMeshConfig } from "./useMeshConfig";

// The side panel brings the chart library (uPlot): it loads when something is selected, not with the map.
const SidePanel = lazy(() => import("./SidePanel").then((m) => ({ default: m.SidePanel })));

const presets: { label: string; minutes: number }[] = [
  { label: "last 15m", minutes: 15 },
  { label: "last 1h", minutes: 60 },
  { label: "last 6h", minutes: 360 },
  { label: "last 24h", minutes: 1440 },
];
const REPLAY_FRAMES = 60;

export function MapPage({ state }: { state: MapState }) {
  const set = (patch: Partial<MapState>) => navigate({ page: "map", map: { ...state, ...patch } }, { replace: true });
  const { graph, error, feed } = useGraph({ start: state.start, end: state.end, namespace: state.namespace, live: state.live });
  const config = useMeshConfig(!!graph && !state.start && state.live);
  const handle = useRef<MapCanvasHandle | null>(null);
  const [search, setSearch] = useState("");
  const [replay, setReplay] = useState<{ origin: number; frame: number; playing: boolean } | null>(null);

  const expandedKey = state.expanded.join("\n");
  const expanded = useMemo(() => new Set(state.expanded), [expandedKey]);
  const toggleExpand = (id: string) => {
    const node = graph?.nodes.find((n) => n.id === id);
    if (!node || node.kind !== "service") return;
    set({ expanded: expanded.has(id) ? state.expanded.filter((x) => x !== id) : [...state.expanded, id] });
  };
  const elements = useMemo(
    () => (graph ? toElements(graph, { metric: state.metric, filter: state.filter, namespace: state.namespace, expanded, config }) : []),
    [graph, state.metric, state.filter, state.namespace, expanded, config],
  );
  const namespaces = useMemo(() => (graph ? namespacesOf(graph) : []), [graph]);
  const timeWindow = useMemo(() => {
    const now = Date.now();
    return state.start ? { start: state.start, end: state.end || new Date(now).toISOString() } : { start: new Date(now - 3600_000).toISOString(), end: new Date(now).toISOString() };
  }, [state.start, state.end, graph]);

  // Replay: a past hour as 60 one-minute frames; each frame is a window in the URL, so it can be shared.
  useEffect(() => {
    if (!replay?.playing) return;
    const t = setTimeout(() => {
      const frame = replay.frame + 1;
      if (frame >= REPLAY_FRAMES) return setReplay({ ...replay, playing: false });
      setReplay({ ...replay, frame });
    }, 1000);
    return () => clearTimeout(t);
  }, [replay]);
  useEffect(() => {
    if (!replay) return;
    const start = replay.origin + replay.frame * 60_000;
    set({ start: new Date(start).toISOString(), end: new Date(start + 60_000).toISOString(), live: false });
  }, [replay?.frame, replay?.origin]);

  const goNow = () => {
    setReplay(null);
    set({ start: "", end: "", live: true });
  };

  return (
    <div className="map-page">
      <div className="card toolbar" role="toolbar" aria-label="Map controls">
        <fieldset className="segmented">
          <legend>Edge label</legend>
          {(["rps", "errors", "p99"] as EdgeMetric[]).map((m) => (
            <label key={m}>
              <input type="radio" name="metric" checked={state.metric === m} onChange={() => set({ metric: m })} />
              {m === "errors" ? "error %" : m}
            </label>
          ))}
        </fieldset>
        <label>
          Namespace
          <select value={state.namespace} onChange={(e) => set({ namespace: e.target.value })}>
            <option value="">all</option>
            {namespaces.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <label>
          Filter
          <input type="search" value={state.filter} onChange={(e) => set({ filter: e.target.value })} placeholder="service, version…" aria-describedby="filter-help" />
        </label>
        <span id="filter-help" hidden>
          Shows matching services and their direct neighbours
        </span>
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            const hit = graph?.nodes.find((n) => n.service.toLowerCase() === search.toLowerCase()) ?? graph?.nodes.find((n) => n.service.toLowerCase().includes(search.toLowerCase()));
            if (hit) {
              set({ selected: hit.id });
              handle.current?.focus(hit.id);
            }
          }}
        >
          <label>
            Find
            <input list="map-services" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="service" />
          </label>
          <datalist id="map-services">
            {graph?.nodes.map((n) => (
              <option key={n.id} value={n.service} />
            ))}
          </datalist>
        </form>
        <button type="button" onClick={() => handle.current?.fit()}>
          Fit
        </button>
        <label>
          Layout
          <select value={state.layout} onChange={(e) => set({ layout: e.target.value as MapLayout })}>
            <option value="layered">layered</option>
            <option value="dagre">layered (dagre)</option>
            <option value="force">force</option>
          </select>
        </label>
        <button
          type="button"
          aria-pressed={state.expanded.length > 0}
          title="Show every service's versions and endpoints (double-click a service to expand just that one)"
          onClick={() => set({ expanded: state.expanded.length ? [] : (graph?.nodes.filter((n) => n.kind === "service").map((n) => n.id) ?? []) })}
        >
          {state.expanded.length ? "Collapse all" : "Expand all"}
        </button>
        <span className="spacer" />
        <label>
          Time
          <select
            aria-label="Time window"
            value={state.start ? "past" : "now"}
            onChange={(e) => {
              const p = presets.find((x) => x.label === e.target.value);
              if (e.target.value === "now") goNow();
              else if (p) {
                setReplay(null);
                set({ start: new Date(Date.now() - p.minutes * 60_000).toISOString(), end: new Date().toISOString(), live: false });
              }
            }}
          >
            <option value="now">now (live)</option>
            {state.start && <option value="past">{replay ? "replay frame" : "past window"}</option>}
            {presets.map((p) => (
              <option key={p.label}>{p.label}</option>
            ))}
          </select>
        </label>
        {!state.start && (
          <button type="button" aria-pressed={!state.live} onClick={() => set({ live: !state.live })}>
            {state.live ? "❚❚ Pause" : "▶ Live"}
          </button>
        )}
        <button type="button" onClick={() => setReplay({ origin: Date.now() - 3600_000, frame: 0, playing: true })}>
          ⟲ Replay last hour
        </button>
        <span className={`feed feed-${feed}`} aria-live="polite">
          {feed === "signalr" ? "● live" : feed === "polling" ? "● live (polling)" : feed === "paused" ? "paused" : feed === "window" ? windowLabel(state) : ""}
        </span>
      </div>
      {replay && (
        <div className="card toolbar replay" aria-label="Replay">
          <button type="button" onClick={() => setReplay({ ...replay, playing: !replay.playing })}>
            {replay.playing ? "❚❚" : "▶"}
          </button>
          <input
            type="range"
            min={0}
            max={REPLAY_FRAMES - 1}
            value={replay.frame}
            aria-label="Replay position"
            onChange={(e) => setReplay({ ...replay, frame: Number(e.target.value), playing: false })}
          />
          <span className="mono">{new Date(replay.origin + replay.frame * 60_000).toLocaleTimeString(undefined, { hour12: false })}</span>
          <button type="button" className="ghost" onClick={goNow}>
            Back to live
          </button>
        </div>
      )}
      <div className="map-body">
        {error ? (
          <div className="card pad map-error" role="alert">
            {error.status === 404 ? (
              <>
                <h2>The application map is not available on this server</h2>
                <p className="muted">GET /api/v1/graph answered 404: this Mesh does not run the analytics component yet. Traces are available under Traces.</p>
              </>
            ) : (
              <p className="error">{error.message}</p>
            )}
          </div>
        ) : (
          <MapCanvas
            elements={elements}
            layout={state.layout}
            selected={state.selected}
            onSelect={(id) => set({ selected: id })}
            onToggleExpand={toggleExpand}
            loaded={!!graph}
            handle={handle}
          />
        )}
        {graph && state.selected && (
          <Suspense fallback={<aside className="card side-panel muted">Loading…</aside>}>
            <SidePanel
              graph={graph}
              selected={state.selected}
              window={timeWindow}
              config={config}
              expanded={expanded.has(state.selected)}
              onToggleExpand={toggleExpand}
              onClose={() => set({ selected: "" })}
            />
          </Suspense>
        )}
      </div>
      {graph && <ListView graph={graph} filter={state.filter} config={config} expanded={expanded} onSelect={(id) => set({ selected: id })} onToggleExpand={toggleExpand} />}
      <p className="legend muted">
        <span className="dot healthy" /> healthy <span className="dot degraded" /> degraded <span className="dot failing" /> failing <span className="dot idle" /> no traffic · badges: [mTLS] all calls mutual TLS, [CB] circuit breaker configured, [CB open] calls refused by it, [fault] fault
        injection, [canary] canary split · double-click a service for its versions and endpoints · {graph ? `${graph.nodes.length} nodes, ${graph.edges.length} edges` : ""}
      </p>
    </div>
  );
}

/** The map as tables: keyboard and screen-reader access to every node and edge (and a quick scan of health). */
function ListView(props: {
  graph: Graph;
  filter: string;
  config: MeshConfig | null;
  expanded: ReadonlySet<string>;
  onSelect: (id: string) => void;
  onToggleExpand: (id: string) => void;
}) {
  const { graph, filter, config, expanded, onSelect, onToggleExpand } = props;
  const names = new Map(graph.nodes.map((n) => [n.id, n.service]));
  const nodes = graph.nodes.filter((n) => matches(n, filter));
  const ids = new Set(nodes.map((n) => n.id));
  const edges = graph.edges.filter((e) => ids.has(e.source) || ids.has(e.target));
  return (
    <details className="card list-view">
      <summary>
        List view ({nodes.length} nodes, {edges.length} edges)
      </summary>
      <div className="list-grid">
        <table className="attrs" aria-label="Nodes">
          <tbody>
            {nodes.map((n) => {
              const badges = badgesOf(n, graph.edges, configOf(config, n.namespace, n.service));
              const open = expanded.has(n.id);
              return (
                <tr key={n.id} data-node={n.service} data-health={n.health.state} data-badges={badges.map((b) => b.label).join(" ")}>
                  <th scope="row">
                    <button type="button" className="link" onClick={() => onSelect(n.id)}>
                      {n.service}
                      {n.versions.length ? ` (${n.versions.join(", ")})` : ""}
                    </button>
                    {n.kind === "service" && (
                      <button type="button" className="ghost small" aria-expanded={open} aria-label={`${open ? "Collapse" : "Expand"} ${n.service} into versions and endpoints`} onClick={() => onToggleExpand(n.id)}>
                        {open ? "−" : "+"}
                      </button>
                    )}
                  </th>
                  <td>
                    <span className={`state state-${n.health.state}`}>{n.health.state}</span> {n.health.reasons.join("; ")}
                    {badges.map((b) => (
                      <span key={b.label} className="badge" title={b.detail}>
                        {b.label}
                      </span>
                    ))}
                    {open && (
                      <span className="muted">
                        {" "}
                        · endpoints: {n.endpoints.join(", ") || "none seen"}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <table className="attrs" aria-label="Edges">
          <tbody>
            {edges.map((e) => (
              <tr key={e.id} data-edge={`${names.get(e.source) ?? e.source}->${names.get(e.target) ?? e.target}`} data-health={e.health.state}>
                <th scope="row">
                  <button type="button" className="link" onClick={() => onSelect(`e:${e.id}`)}>
                    {names.get(e.source) ?? e.source} → {names.get(e.target) ?? e.target}
                  </button>
                </th>
                <td>
                  {edgeLabel(e, "rps")} · {edgeLabel(e, "errors")} · p99 {edgeLabel(e, "p99")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function windowLabel(s: MapState): string {
  const f = (iso: string) => new Date(iso).toLocaleString(undefined, { hour12: false });
  return `${f(s.start)} – ${s.end ? f(s.end) : "now"}`;
}
