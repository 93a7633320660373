// The JSON shapes of Mesh's read API (/api/v1). Nanosecond times are strings (they do not fit a JS number);
// each has an RFC 3339 twin.

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export type SpanKind = "INTERNAL" | "SERVER" | "CLIENT" | "PRODUCER" | "CONSUMER" | "UNSPECIFIED";
export type StatusCode = "OK" | "ERROR" | "UNSET";

export interface SpanEvent {
  name: string;
  timeUnixNano: string;
  time: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState?: string;
  flags: number;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface Resource {
  attributes: Attributes;
  droppedAttributesCount: number;
  schemaUrl?: string;
}

export interface Scope {
  name: string;
  version: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  schemaUrl?: string;
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  service: string;
  startTimeUnixNano: string;
  startTime: string;
  endTimeUnixNano: string;
  endTime: string;
  durationMs: number;
  status: { code: StatusCode; message?: string };
  traceState?: string;
  flags: number;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  resource: Resource;
  scope: Scope;
}

export interface Trace {
  traceId: string;
  spans: Span[];
}

export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootOperation: string;
  startTimeUnixNano: string;
  startTime: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export interface Operation {
  name: string;
  kind: SpanKind;
}

export interface LogRecord {
  logId: string;
  time: string;
  timeUnixNano: string;
  observedTimeUnixNano: string;
  service: string;
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  eventName?: string;
  traceId?: string;
  spanId?: string;
  flags: number;
  attributes: Attributes;
  resource: Resource;
}

/** An RFC 7807 problem document, as every API error is. */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
}
