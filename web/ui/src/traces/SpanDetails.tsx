import type { AttributeValue, Attributes } from "../api/types";
import type { SpanNode, TraceTree } from "./tree";
import { nanosToMs, selfTime } from "./tree";
import { formatMs, formatTime } from "../charts/format";
import { linkProps } from "../app/router";

export function SpanDetails({ node, tree }: { node: SpanNode; tree: TraceTree }) {
  const s = node.span;
  return (
    <aside className="card span-details" aria-label="Span details">
      <h3>
        {s.service}: {s.name}
      </h3>
      <dl className="kv">
        <dt>Span</dt>
        <dd className="mono">{s.spanId}</dd>
        {s.parentSpanId && (
          <>
            <dt>Parent</dt>
            <dd className="mono">{s.parentSpanId}</dd>
          </>
        )}
        <dt>Kind</dt>
        <dd>{s.kind}</dd>
        <dt>Status</dt>
        <dd className={s.status.code === "ERROR" ? "bad" : ""}>
          {s.status.code}
          {s.status.message ? ` — ${s.status.message}` : ""}
        </dd>
        <dt>Start</dt>
        <dd>
          {formatTime(s.startTime)} (+{formatMs(node.start)})
        </dd>
        <dt>Duration</dt>
        <dd>
          {formatMs(node.end - node.start)} (self {formatMs(selfTime(node))})
        </dd>
        <dt>Scope</dt>
        <dd>
          {s.scope.name || "–"} {s.scope.version}
        </dd>
      </dl>
      <AttributeTable title="Attributes" attributes={s.attributes} dropped={s.droppedAttributesCount} />
      <section>
        <h4>Events ({s.events.length})</h4>
        {s.events.length === 0 && <p className="muted">none</p>}
        <ul className="events">
          {s.events.map((e, i) => (
            <li key={i}>
              <b>{e.name}</b> <span className="muted">+{formatMs(nanosToMs(e.timeUnixNano, tree.startNanos))}</span>
              <AttributeTable attributes={e.attributes} dropped={e.droppedAttributesCount} />
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h4>Links ({s.links.length})</h4>
        {s.links.length === 0 && <p className="muted">none</p>}
        <ul className="events">
          {s.links.map((l, i) => (
            <li key={i}>
              <a className="mono" {...linkProps({ page: "trace", traceId: l.traceId, span: l.spanId, collapsed: [] })}>
                {l.traceId.slice(0, 16)}… / {l.spanId}
              </a>
              <AttributeTable attributes={l.attributes} dropped={l.droppedAttributesCount} />
            </li>
          ))}
        </ul>
      </section>
      <AttributeTable title="Resource" attributes={s.resource.attributes} dropped={s.resource.droppedAttributesCount} />
    </aside>
  );
}

function AttributeTable({ title, attributes, dropped }: { title?: string; attributes: Attributes; dropped: number }) {
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section>
      {title && (
        <h4>
          {title} ({entries.length})
        </h4>
      )}
      {entries.length > 0 && (
        <table className="attrs">
          <tbody>
            {entries.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td>{show(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dropped > 0 && <p className="muted">{dropped} dropped by the sender</p>}
    </section>
  );
}

function show(v: AttributeValue): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}
