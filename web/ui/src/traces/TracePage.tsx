import { lazy, Suspense, useMemo, useState } from "react";
import { navigate, linkProps } from "../app/router";
import { formatMs, formatTime } from "../charts/format";
import { criticalPath } from "./tree";
import { useTrace } from "./useTrace";
import { Waterfall } from "./Waterfall";
import { SpanDetails } from "./SpanDetails";
import { TraceLogs } from "./TraceLogs";
const TraceServiceMap = lazy(() => import("./TraceServiceMap").then((m) => ({ default: m.TraceServiceMap })));

type Tab = "logs" | "map";

export function TracePage({ traceId, selected, collapsed }: { traceId: string; selected: string; collapsed: string[] }) {
  const loaded = useTrace(traceId);
  const [tab, setTab] = useState<Tab>("logs");
  const [compareWith, setCompareWith] = useState("");
  const collapsedSet = useMemo(() => new Set(collapsed), [collapsed.join(",")]);
  const critical = useMemo(() => (loaded.state === "ok" ? criticalPath(loaded.tree) : []), [loaded]);

  if (loaded.state === "loading") return <p className="muted pad">Loading trace {traceId}…</p>;
  if (loaded.state === "error")
    return (
      <p className="error card" role="alert">
        Trace {traceId}: {loaded.message}
      </p>
    );

  const { trace, tree } = loaded;
  const go = (span: string, nextCollapsed: string[]) => navigate({ page: "trace", traceId, span, collapsed: nextCollapsed }, { replace: true });
  const root = tree.roots[0];
  const errors = trace.spans.filter((s) => s.status.code === "ERROR").length;
  const selectedNode = selected ? tree.byId.get(selected) : undefined;
  const startIso = new Date(Number(tree.startNanos / 1_000_000n) - 60_000).toISOString();
  const endIso = new Date(Number(tree.startNanos / 1_000_000n) + tree.durationMs + 5 * 60_000).toISOString();

  return (
    <div className="page trace-page">
      <section className="card trace-head">
        <h1>
          {root ? `${root.span.service}: ${root.span.name}` : traceId}
          {errors > 0 && <span className="badge bad">{errors} errors</span>}
        </h1>
        <p className="muted">
          <span className="mono">{traceId}</span> · {formatTime(root?.span.startTime ?? "")} · {formatMs(tree.durationMs)} · {trace.spans.length} spans ·{" "}
          {tree.services.length} services ({tree.services.join(", ")})
        </p>
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (compareWith.trim()) navigate({ page: "compare", a: traceId, b: compareWith.trim() });
          }}
        >
          <label>
            Compare with trace
            <input value={compareWith} onChange={(e) => setCompareWith(e.target.value)} placeholder="trace id" className="mono" />
          </label>
          <button type="submit" disabled={!compareWith.trim()}>
            Compare
          </button>
          <span className="legend">
            <span className="wf-critical-sample" /> critical path
          </span>
        </form>
      </section>
      <div className="trace-body">
        <section className="card">
          <Waterfall
            tree={tree}
            critical={critical}
            collapsed={collapsedSet}
            selected={selected}
            onSelect={(id) => go(id === selected ? "" : id, collapsed)}
            onToggle={(id) => go(selected, collapsedSet.has(id) ? collapsed.filter((c) => c !== id) : [...collapsed, id])}
          />
        </section>
        {selectedNode && <SpanDetails node={selectedNode} tree={tree} />}
      </div>
      <section className="card">
        <div role="tablist" className="tabs">
          <button role="tab" type="button" aria-selected={tab === "logs"} onClick={() => setTab("logs")}>
            Logs
          </button>
          <button role="tab" type="button" aria-selected={tab === "map"} onClick={() => setTab("map")}>
            Service map
          </button>
          <a className="tab-link" {...linkProps({ page: "compare", a: traceId, b: "" })}>
            Compare…
          </a>
        </div>
        <div role="tabpanel">
          {tab === "logs" && <TraceLogs traceId={traceId} start={startIso} end={endIso} onSpan={(id) => go(id, collapsed)} />}
          {tab === "map" && (
            <Suspense fallback={<p className="muted">Loading…</p>}>
              <TraceServiceMap tree={tree} />
            </Suspense>
          )}
        </div>
      </section>
    </div>
  );
}
