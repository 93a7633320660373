import type { HubConnection } from "@microsoft/signalr";
import type { LogRecord, Operation, Problem, Trace, TraceSummary } from "./types";
import type { EdgeMetric, Graph, GraphQuery, Series, ServiceHealth } from "./graphTypes";
import { normalizeDelta, normalizeGraph, normalizeSeries, normalizeServiceHealth, type GraphDelta } from "./graphNormalize";
import { getToken } from "../app/token";

// Every call the UI makes to Mesh goes through this module: one place for the base path, the bearer token,
// error decoding and (for the map) the mapping of the server's JSON onto the UI's types.

export const API_BASE = "/api/v1";
/** The live map hub (issue 5). Kept here so the UI follows the server if it moves. */
export const GRAPH_HUB_PATH = `${API_BASE}/live`;
export const GRAPH_HUB_EVENTS = ["graph"] as const;

const unauthorized = new Set<() => void>();

/** Called whenever the server answers 401: the stored token is no longer good, the app asks to sign in again. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorized.add(listener);
  return () => unauthorized.delete(listener);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export type Params = Record<string, string | number | undefined | null | string[]>;

export function buildQuery(params: Params): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => q.append(key, v));
    else q.append(key, String(value));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** Starts a GET with the token; used by get() and by the map's prefetch (which must not wait for React). */
export function request(path: string, params: Params = {}, signal?: AbortSignal): Promise<Response> {
  const token = getToken();
  return fetch(`${API_BASE}${path}${buildQuery(params)}`, {
    headers: token ? { Authorization: `Bearer ${token}`, Accept: "application/json" } : { Accept: "application/json" },
    signal,
  });
}

async function get<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
  return decode<T>(await request(path, params, signal));
}

export async function decode<T>(response: Response): Promise<T> {
  if (response.status === 401) unauthorized.forEach((l) => l());
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const problem = (await response.json()) as Problem;
      message = problem.detail ?? problem.title ?? message;
    } catch {
      // Not a problem document (e.g. a proxy's HTML error page): keep the status line.
    }
    throw new ApiError(response.status, message);
  }
  return (await response.json()) as T;
}

export interface TraceSearch {
  service?: string;
  operation?: string;
  minDurationMs?: number;
  maxDurationMs?: number;
  status?: "ok" | "error";
  start?: string;
  end?: string;
  limit?: number;
  /** "key=value" pairs, sent as attr.key=value. */
  attributes?: string[];
}

export const api = {
  /** Cheap authenticated call used to check a token. */
  services: (signal?: AbortSignal) => get<{ services: string[] }>("/services", {}, signal).then((r) => r.services),
  operations: (service: string, signal?: AbortSignal) =>
    get<{ operations: Operation[] }>(`/services/${encodeURIComponent(service)}/operations`, {}, signal).then((r) => r.operations),
  trace: (traceId: string, signal?: AbortSignal) => get<Trace>(`/traces/${encodeURIComponent(traceId)}`, {}, signal),
  findTraces: (s: TraceSearch, signal?: AbortSignal) => {
    const params: Params = {
      service: s.service,
      operation: s.operation,
      minDurationMs: s.minDurationMs,
      maxDurationMs: s.maxDurationMs,
      status: s.status,
      start: s.start,
      end: s.end,
      limit: s.limit,
    };
    for (const pair of s.attributes ?? []) {
      const eq = pair.indexOf("=");
      if (eq > 0) {
        const key = `attr.${pair.slice(0, eq).trim()}`;
        const prev = params[key];
        const value = pair.slice(eq + 1).trim();
        params[key] = Array.isArray(prev) ? [...prev, value] : typeof prev === "string" ? [prev, value] : value;
      }
    }
    return get<{ traces: TraceSummary[] }>("/traces", params, signal).then((r) => r.traces);
  },
  traceLogs: (traceId: string, start?: string, end?: string, signal?: AbortSignal) =>
    get<{ logs: LogRecord[] }>("/logs", { traceId, start, end, limit: 1000 }, signal).then((r) => r.logs),

  graph: (q: GraphQuery, signal?: AbortSignal): Promise<Graph> => get<unknown>("/graph", { ...q }, signal).then(normalizeGraph),
  /** The control plane's Route resources (viewer role), for the map's fault, canary and circuit-breaker badges. */
  routes: (signal?: AbortSignal) => get<unknown>("/config/resources/routes", {}, signal),
  serviceHealth: (service: string, q: GraphQuery, signal?: AbortSignal): Promise<ServiceHealth> =>
    get<unknown>(`/services/${encodeURIComponent(service)}/health`, { start: q.start, end: q.end }, signal).then((r) =>
      normalizeServiceHealth(r, service),
    ),
  edgeSeries: (from: string, to: string, metric: EdgeMetric, q: GraphQuery & { step?: string }, signal?: AbortSignal): Promise<Series> =>
    get<unknown>(`/edges/${encodeURIComponent(from)}/${encodeURIComponent(to)}/series`, { metric, step: q.step, start: q.start, end: q.end }, signal).then(
      (r) => normalizeSeries(r, metric),
    ),
};

/**
 * Subscribes to the live map hub (SignalR, authenticated with the admin token). Resolves once connected;
 * rejects when the hub is not there, so the caller can fall back to polling.
 */
export async function subscribeGraph(filter: { namespace?: string; service?: string }, onDelta: (d: GraphDelta) => void): Promise<HubConnection> {
  const url = GRAPH_HUB_PATH;
  // Loaded on first use: only the live map needs the SignalR client.
  const { HubConnectionBuilder, LogLevel } = await import("@microsoft/signalr");
  const connection = new HubConnectionBuilder()
    .withUrl(url, { accessTokenFactory: () => getToken() ?? "" })
    .withAutomaticReconnect()
    .configureLogging(LogLevel.None)
    .build();
  for (const event of GRAPH_HUB_EVENTS) connection.on(event, (raw: unknown) => onDelta(normalizeDelta(raw)));
  // The hub pushes only after Subscribe(namespace, service): first the whole map, then what changed.
  const subscribe = () => connection.invoke("Subscribe", filter.namespace ?? null, filter.service ?? null);
  connection.onreconnected(() => void subscribe());
  await connection.start();
  await subscribe();
  return connection;
}
