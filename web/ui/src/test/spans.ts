import type { Span } from "../api/types";

const base = 1_796_000_000_000_000_000n;

/** A span starting `start` ms and lasting `dur` ms after a fixed origin (nanosecond strings, as the API sends). */
export function span(id: string, parent: string | undefined, service: string, name: string, start: number, dur: number, error = false): Span {
  const s = base + BigInt(Math.round(start * 1e6));
  const e = s + BigInt(Math.round(dur * 1e6));
  return {
    traceId: "t".repeat(32),
    spanId: id,
    parentSpanId: parent,
    name,
    kind: "SERVER",
    service,
    startTimeUnixNano: s.toString(),
    startTime: "",
    endTimeUnixNano: e.toString(),
    endTime: "",
    durationMs: dur,
    status: { code: error ? "ERROR" : "OK" },
    flags: 0,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    resource: { attributes: { "service.name": service }, droppedAttributesCount: 0 },
    scope: { name: "test", version: "", attributes: {}, droppedAttributesCount: 0 },
  };
}

/**
 * frontend A [0,100] → checkout B [5,90] → payments C [10,40] and inventory D [45,85] → db E [50,80];
 * frontend also has F [2,20] (logging, off the path).
 */
export function checkoutTrace(): Span[] {
  return [
    span("E", "D", "db", "query", 50, 30),
    span("A", undefined, "frontend", "GET /", 0, 100),
    span("B", "A", "checkout", "POST /orders", 5, 85),
    span("C", "B", "payments", "charge", 10, 30, true),
    span("D", "B", "inventory", "reserve", 45, 40),
    span("F", "A", "frontend", "log", 2, 18),
  ];
}
