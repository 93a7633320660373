import { useMemo, useState } from "react";
import { linkProps, navigate } from "../app/router";
import { formatMs, shortId } from "../charts/format";
import { compareTrees, summarize, type DiffRow } from "./compare";
import { useTrace, type Loaded } from "./useTrace";
import { serviceColor } from "./colors";

export function ComparePage({ a, b }: { a: string; b: string }) {
  const [ia, setIa] = useState(a);
  const [ib, setIb] = useState(b);
  return (
    <div className="page compare-page">
      <form
        className="card inline"
        aria-label="Traces to compare"
        onSubmit={(e) => {
          e.preventDefault();
          navigate({ page: "compare", a: ia.trim(), b: ib.trim() });
        }}
      >
        <label>
          Trace A
          <input className="mono" value={ia} onChange={(e) => setIa(e.target.value)} placeholder="trace id" />
        </label>
        <label>
          Trace B
          <input className="mono" value={ib} onChange={(e) => setIb(e.target.value)} placeholder="trace id" />
        </label>
        <button type="submit" disabled={!ia.trim() || !ib.trim()}>
          Compare
        </button>
      </form>
      {a && b ? <Comparison a={a} b={b} /> : <p className="muted pad">Pick two traces (from the search results, or paste their ids).</p>}
    </div>
  );
}

function Comparison({ a, b }: { a: string; b: string }) {
  const la = useTrace(a);
  const lb = useTrace(b);
  const rows = useMemo(() => (la.state === "ok" && lb.state === "ok" ? compareTrees(la.tree, lb.tree) : null), [la, lb]);
  const problem = failed(la, "A") ?? failed(lb, "B");
  if (problem)
    return (
      <p className="error card" role="alert">
        {problem}
      </p>
    );
  if (!rows || la.state !== "ok" || lb.state !== "ok") return <p className="muted pad">Loading…</p>;
  const sum = summarize(rows);
  const scale = Math.max(la.tree.durationMs, lb.tree.durationMs) || 1;
  return (
    <>
      <section className="card compare-summary" aria-label="Comparison summary">
        <div>
          <b>A</b> <a {...linkProps({ page: "trace", traceId: a, span: "", collapsed: [] })} className="mono">{shortId(a)}</a> {formatMs(la.tree.durationMs)},{" "}
          {la.trace.spans.length} spans
        </div>
        <div>
          <b>B</b> <a {...linkProps({ page: "trace", traceId: b, span: "", collapsed: [] })} className="mono">{shortId(b)}</a> {formatMs(lb.tree.durationMs)},{" "}
          {lb.trace.spans.length} spans
        </div>
        <div>
          Δ total <Delta ms={lb.tree.durationMs - la.tree.durationMs} />
        </div>
        <div>
          {sum.matched} matched · <span className="only-a">{sum.onlyA} only in A</span> · <span className="only-b">{sum.onlyB} only in B</span>
        </div>
        {sum.biggest.length > 0 && (
          <div>
            Largest change: {sum.biggest[0].service}: {sum.biggest[0].name} <Delta ms={sum.biggest[0].deltaMs ?? 0} />
          </div>
        )}
      </section>
      <section className="card">
        <table className="diff" aria-label="Span by span comparison">
          <thead>
            <tr>
              <th>Span</th>
              <th>A</th>
              <th>B</th>
              <th>Δ</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <DiffLine key={r.key} row={r} scale={scale} />
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function DiffLine({ row, scale }: { row: DiffRow; scale: number }) {
  const bar = (n: DiffRow["a"]) =>
    n ? (
      <div className="mini-track" title={formatMs(n.end - n.start)}>
        <div className="mini-bar" style={{ left: `${(n.start / scale) * 100}%`, width: `max(2px, ${((n.end - n.start) / scale) * 100}%)`, background: serviceColor(n.span.service) }} />
        <span>{formatMs(n.end - n.start)}</span>
      </div>
    ) : (
      <span className="muted">—</span>
    );
  return (
    <tr className={`diff-${row.kind}`}>
      <td style={{ paddingLeft: `${row.depth * 14 + 6}px` }}>
        <span className="svc-dot" style={{ background: serviceColor(row.service) }} /> {row.service}: {row.name}
        {row.kind !== "both" && <span className="badge">{row.kind === "onlyA" ? "only A" : "only B"}</span>}
      </td>
      <td>{bar(row.a)}</td>
      <td>{bar(row.b)}</td>
      <td>{row.deltaMs !== null ? <Delta ms={row.deltaMs} ratio={row.deltaRatio} /> : null}</td>
    </tr>
  );
}

function Delta({ ms, ratio }: { ms: number; ratio?: number | null }) {
  const cls = Math.abs(ms) < 0.05 ? "muted" : ms > 0 ? "slower" : "faster";
  return (
    <span className={`delta ${cls}`}>
      {ms > 0 ? "+" : ms < 0 ? "−" : "±"}
      {formatMs(Math.abs(ms))}
      {ratio !== null && ratio !== undefined && Number.isFinite(ratio) ? ` (${ratio > 0 ? "+" : ""}${(ratio * 100).toFixed(0)}%)` : ""}
    </span>
  );
}

function failed(l: Loaded, name: string): string | null {
  return l.state === "error" ? `Trace ${name}: ${l.message}` : null;
}
