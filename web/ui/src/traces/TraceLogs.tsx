import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { LogRecord } from "../api/types";
import { formatTime } from "../charts/format";

/** The access-log (and any other) lines that carry this trace's id. */
export function TraceLogs({ traceId, start, end, onSpan }: { traceId: string; start: string; end: string; onSpan: (spanId: string) => void }) {
  const [logs, setLogs] = useState<LogRecord[] | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    const ctrl = new AbortController();
    api.traceLogs(traceId, start, end, ctrl.signal).then(setLogs, (e: unknown) => {
      if (!ctrl.signal.aborted) setError(e instanceof Error ? e.message : String(e));
    });
    return () => ctrl.abort();
  }, [traceId, start, end]);
  if (error) return <p className="error">{error}</p>;
  if (!logs) return <p className="muted">Loading logs…</p>;
  if (logs.length === 0) return <p className="muted">No log lines carry this trace id.</p>;
  return (
    <table className="logs">
      <thead>
        <tr>
          <th>Time</th>
          <th>Service</th>
          <th>Severity</th>
          <th>Message</th>
        </tr>
      </thead>
      <tbody>
        {logs.map((l) => (
          <tr key={l.logId} className={l.severityNumber >= 17 ? "bad" : ""}>
            <td className="mono">{formatTime(l.time)}</td>
            <td>{l.service}</td>
            <td>{l.severityText || l.severityNumber}</td>
            <td className="mono">
              {typeof l.body === "string" ? l.body : JSON.stringify(l.body)}
              {l.spanId && (
                <button type="button" className="link" onClick={() => onSpan(l.spanId!)}>
                  span {l.spanId.slice(0, 8)}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
