import { useMemo, useRef } from "react";
import type { Segment, SpanNode, TraceTree } from "./tree";
import { visibleRows } from "./tree";
import { serviceColor } from "./colors";
import { formatMs } from "../charts/format";

interface Props {
  tree: TraceTree;
  critical: Segment[];
  collapsed: ReadonlySet<string>;
  selected: string;
  onSelect: (spanId: string) => void;
  onToggle: (spanId: string) => void;
}

/**
 * The span tree against a shared time axis. Keyboard: ↑/↓ move, ←/→ collapse/expand, Enter/Space select.
 * Critical-path segments are drawn over the bars.
 */
export function Waterfall({ tree, critical, collapsed, selected, onSelect, onToggle }: Props) {
  const rows = useMemo(() => visibleRows(tree, collapsed), [tree, collapsed]);
  const bySpan = useMemo(() => {
    const m = new Map<string, Segment[]>();
    for (const s of critical) m.set(s.spanId, [...(m.get(s.spanId) ?? []), s]);
    return m;
  }, [critical]);
  const listRef = useRef<HTMLDivElement>(null);
  const total = tree.durationMs || 1;
  const pct = (ms: number) => `${(ms / total) * 100}%`;

  const focusRow = (index: number) => {
    const el = listRef.current?.querySelectorAll<HTMLElement>("[role=treeitem]")[index];
    el?.focus();
  };

  const onKey = (e: React.KeyboardEvent, node: SpanNode, index: number) => {
    const id = node.span.spanId;
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        focusRow(Math.min(rows.length - 1, index + 1));
        break;
      case "ArrowUp":
        e.preventDefault();
        focusRow(Math.max(0, index - 1));
        break;
      case "ArrowLeft":
        e.preventDefault();
        if (node.children.length && !collapsed.has(id)) onToggle(id);
        else if (node.parent) focusRow(rows.indexOf(node.parent));
        break;
      case "ArrowRight":
        e.preventDefault();
        if (collapsed.has(id)) onToggle(id);
        break;
      case "Enter":
      case " ":
        e.preventDefault();
        onSelect(id);
        break;
    }
  };

  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div className="waterfall" aria-label="Span waterfall">
      <div className="wf-head">
        <div className="wf-name muted">Service: operation</div>
        <div className="wf-axis">
          {ticks.map((t) => (
            <span key={t} style={{ left: `${t * 100}%` }}>
              {formatMs(t * total)}
            </span>
          ))}
        </div>
      </div>
      <div role="tree" ref={listRef} className="wf-rows">
        {rows.map((node, index) => {
          const s = node.span;
          const isCollapsed = collapsed.has(s.spanId);
          const error = s.status.code === "ERROR";
          return (
            <div
              key={s.spanId}
              role="treeitem"
              aria-level={node.depth + 1}
              aria-expanded={node.children.length ? !isCollapsed : undefined}
              aria-selected={selected === s.spanId}
              tabIndex={index === 0 || selected === s.spanId ? 0 : -1}
              className={`wf-row${selected === s.spanId ? " selected" : ""}${error ? " error" : ""}`}
              data-span-id={s.spanId}
              onClick={() => onSelect(s.spanId)}
              onKeyDown={(e) => onKey(e, node, index)}
            >
              <div className="wf-name" style={{ paddingLeft: `${node.depth * 14 + 4}px` }}>
                {node.children.length ? (
                  <button
                    type="button"
                    tabIndex={-1}
                    className="toggle"
                    aria-label={isCollapsed ? "Expand" : "Collapse"}
                    onClick={(e) => {
                      e.stopPropagation();
                      onToggle(s.spanId);
                    }}
                  >
                    {isCollapsed ? "▸" : "▾"}
                    {isCollapsed && <small>{countDescendants(node)}</small>}
                  </button>
                ) : (
                  <span className="toggle-spacer" />
                )}
                <span className="svc-dot" style={{ background: serviceColor(s.service) }} />
                <span className="svc">{s.service}</span>
                <span className="opname">{s.name}</span>
                {error && <span className="badge bad">error</span>}
                {node.orphan && <span className="badge" title="Its parent span is not in this trace">orphan</span>}
              </div>
              <div className="wf-track">
                <div className="wf-bar" style={{ left: pct(node.start), width: `max(2px, ${pct(node.end - node.start)})`, background: serviceColor(s.service) }} />
                {bySpan.get(s.spanId)?.map((seg, i) => (
                  <div key={i} className="wf-critical" title="critical path" style={{ left: pct(seg.start), width: `max(2px, ${pct(seg.end - seg.start)})` }} />
                ))}
                <span className="wf-dur" style={{ left: `min(calc(${pct(node.end)} + 4px), calc(100% - 70px))` }}>
                  {formatMs(node.end - node.start)}
                </span>
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

function countDescendants(node: SpanNode): number {
  let n = 0;
  const stack = [...node.children];
  while (stack.length) {
    const c = stack.pop()!;
    n++;
    stack.push(...c.children);
  }
  return n;
}
