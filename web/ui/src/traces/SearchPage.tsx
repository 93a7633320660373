import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { TraceSummary } from "../api/types";
import { linkProps, navigate } from "../app/router";
import { lookbackChoices, searchWindow, type TraceSearchState } from "../app/route";
import { formatMs, formatTime, shortId } from "../charts/format";
import { ScatterPlot } from "./ScatterPlot";

export function SearchPage({ state }: { state: TraceSearchState }) {
  const [form, setForm] = useState(state);
  const [services, setServices] = useState<string[]>([]);
  const [operations, setOperations] = useState<string[]>([]);
  const [traces, setTraces] = useState<TraceSummary[] | null>(null);
  const [error, setError] = useState("");
  const [picked, setPicked] = useState<string[]>([]);
  const stateKey = JSON.stringify(state);

  useEffect(() => setForm(state), [stateKey]);
  useEffect(() => {
    api.services().then(setServices, () => setServices([]));
  }, []);
  useEffect(() => {
    if (!form.service) return setOperations([]);
    const ctrl = new AbortController();
    api.operations(form.service, ctrl.signal).then(
      (ops) => setOperations([...new Set(ops.map((o) => o.name))].sort()),
      () => undefined,
    );
    return () => ctrl.abort();
  }, [form.service]);

  // The search runs from the URL state, so a reload or a shared link shows the same results.
  useEffect(() => {
    const ctrl = new AbortController();
    const window = searchWindow(state, Date.now());
    setError("");
    api
      .findTraces(
        {
          service: state.service || undefined,
          operation: state.operation || undefined,
          minDurationMs: state.minMs ? Number(state.minMs) : undefined,
          maxDurationMs: state.maxMs ? Number(state.maxMs) : undefined,
          status: state.status || undefined,
          attributes: state.attrs,
          start: window.start,
          end: window.end,
          limit: state.limit,
        },
        ctrl.signal,
      )
      .then(setTraces, (e: unknown) => {
        if (!ctrl.signal.aborted) {
          setTraces([]);
          setError(e instanceof Error ? e.message : String(e));
        }
      });
    return () => ctrl.abort();
  }, [stateKey]);

  const set = <K extends keyof TraceSearchState>(key: K, value: TraceSearchState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const togglePick = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));

  return (
    <div className="page search-page">
      <form
        className="card search-form"
        aria-label="Search traces"
        onSubmit={(e) => {
          e.preventDefault();
          navigate({ page: "traces", search: { ...form, attrs: form.attrs.map((a) => a.trim()).filter(Boolean) } });
        }}
      >
        <label>
          Service
          <select value={form.service} onChange={(e) => setForm((f) => ({ ...f, service: e.target.value, operation: "" }))}>
            <option value="">any</option>
            {services.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Operation
          <input list="operations" value={form.operation} onChange={(e) => set("operation", e.target.value)} placeholder="any" />
          <datalist id="operations">
            {operations.map((o) => (
              <option key={o} value={o} />
            ))}
          </datalist>
        </label>
        <fieldset className="range">
          <legend>Duration (ms)</legend>
          <input aria-label="Minimum duration in ms" inputMode="decimal" value={form.minMs} onChange={(e) => set("minMs", e.target.value)} placeholder="min" />
          <span>–</span>
          <input aria-label="Maximum duration in ms" inputMode="decimal" value={form.maxMs} onChange={(e) => set("maxMs", e.target.value)} placeholder="max" />
        </fieldset>
        <label>
          Status
          <select value={form.status} onChange={(e) => set("status", e.target.value as TraceSearchState["status"])}>
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="error">error</option>
          </select>
        </label>
        <label className="wide">
          Attributes <span className="muted">(key=value, one per line)</span>
          <textarea
            name="attributes"
            rows={2}
            value={form.attrs.join("\n")}
            onChange={(e) => set("attrs", e.target.value.split("\n"))}
            placeholder="http.response.status_code=500"
          />
        </label>
        <label>
          Time
          <select value={form.lookback} onChange={(e) => set("lookback", e.target.value)}>
            {lookbackChoices.map((l) => (
              <option key={l} value={l}>
                last {l}
              </option>
            ))}
            <option value="custom">custom…</option>
          </select>
        </label>
        {form.lookback === "custom" && (
          <>
            <label>
              From
              <input type="datetime-local" value={toLocalInput(form.start)} onChange={(e) => set("start", fromLocalInput(e.target.value))} />
            </label>
            <label>
              To
              <input type="datetime-local" value={toLocalInput(form.end)} onChange={(e) => set("end", fromLocalInput(e.target.value))} />
            </label>
          </>
        )}
        <label>
          Limit
          <input type="number" min={1} max={1000} value={form.limit} onChange={(e) => set("limit", Number(e.target.value) || 20)} />
        </label>
        <div className="actions">
          <button type="submit">Find traces</button>
        </div>
      </form>

      {error && (
        <p className="error card" role="alert">
          {error}
        </p>
      )}
      {traces && traces.length > 0 && (
        <section className="card" aria-label="Duration over time">
          <ScatterPlot traces={traces} onOpen={(id) => navigate({ page: "trace", traceId: id, span: "", collapsed: [] })} />
        </section>
      )}
      <section className="card results" aria-label="Traces found">
        <div className="results-head">
          <h2>{traces === null ? "Searching…" : `${traces.length} trace${traces.length === 1 ? "" : "s"}`}</h2>
          <a
            className={`button ${picked.length === 2 ? "" : "disabled"}`}
            aria-disabled={picked.length !== 2}
            {...linkProps({ page: "compare", a: picked[0] ?? "", b: picked[1] ?? "" })}
          >
            Compare selected ({picked.length}/2)
          </a>
        </div>
        {traces?.length === 0 && !error && <p className="muted">No traces match. Widen the time range or remove a filter.</p>}
        <ul className="trace-list">
          {traces?.map((t) => (
            <li key={t.traceId} className={t.errorCount ? "has-error" : ""}>
              <input type="checkbox" aria-label={`Select trace ${shortId(t.traceId)} to compare`} checked={picked.includes(t.traceId)} onChange={() => togglePick(t.traceId)} />
              <a className="trace-link" {...linkProps({ page: "trace", traceId: t.traceId, span: "", collapsed: [] })}>
                <span className="op">
                  {t.rootService}: {t.rootOperation}
                </span>
                <span className="muted mono">{shortId(t.traceId)}</span>
              </a>
              <span className="dur">{formatMs(t.durationMs)}</span>
              <span className="muted">
                {t.spanCount} spans{t.errorCount ? <b className="bad"> · {t.errorCount} errors</b> : null}
              </span>
              <span className="chips">
                {t.services.map((s) => (
                  <span key={s} className="chip">
                    {s}
                  </span>
                ))}
              </span>
              <span className="muted when">{formatTime(t.startTime)}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function toLocalInput(iso: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const off = d.getTimezoneOffset() * 60_000;
  return new Date(d.getTime() - off).toISOString().slice(0, 16);
}

function fromLocalInput(v: string): string {
  return v ? new Date(v).toISOString() : "";
}
