// The application map's API (issue 5: /api/v1/graph, /services/{name}/health, /edges/{from}/{to}/series and the
// live hub). These are the shapes the UI works with; api/graphNormalize.ts maps the server's JSON onto them, so a
// change in the server's field names is absorbed in one place.

export type HealthState = "healthy" | "degraded" | "failing" | "no-traffic";
export type NodeKind = "service" | "database" | "external" | "ingress";
export type EdgeMetric = "rps" | "errors" | "p99";

export interface Health {
  /** 0-100, higher is healthier; null when there is no traffic to judge. */
  score: number | null;
  state: HealthState;
  reasons: string[];
}

export interface GraphNode {
  id: string;
  service: string;
  namespace: string;
  /** The one version seen, or null when none or several were (see versions). */
  version: string | null;
  /** Every version that received requests in the window (a canary shows two). */
  versions: string[];
  kind: NodeKind;
  /** Destination endpoints (address:port) requests reached it on. */
  endpoints: string[];
  health: Health;
  rps: number;
  errorPercent: number;
  /** Feature flags the proxies report for this node (circuit breaker open, fault injection, canary split). */
  circuitBreaker: boolean;
  fault: boolean;
  canary: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  rps: number;
  errorPercent: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  bytesIn: number;
  bytesOut: number;
  mtlsPercent: number;
  health: Health;
  /** Requests the caller's circuit breaker refused in the window (the breaker was open). */
  circuitBroken: number;
  circuitBreaker: boolean;
  fault: boolean;
  /** Share of this edge's requests going to a canary version (0-100), when split. */
  canaryPercent: number | null;
}

export interface Graph {
  start: string | null;
  end: string | null;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface SeriesPoint {
  /** Unix milliseconds. */
  t: number;
  v: number;
}

export interface Series {
  metric: string;
  stepSeconds: number;
  points: SeriesPoint[];
}

export interface ServiceHealth {
  service: string;
  health: Health;
  topOperations: { name: string; rps: number; errorPercent: number; p99Ms: number }[];
}

export interface GraphQuery {
  start?: string;
  end?: string;
  namespace?: string;
  service?: string;
}
