// What the control plane's Route resources say about a service, for the map's badges: a fault-injection rule,
// a canary split (weights per version) and a circuit breaker. Read from GET /api/v1/config/resources/routes;
// the map never waits for it (badges appear when it arrives) and works without it (no access, no control plane).

export interface SplitWeight {
  version: string;
  weight: number;
}

export interface ServiceConfig {
  /** A human line per fault rule, e.g. "abort 50% with 503", "delay 20% by 00:00:01". */
  faults: string[];
  /** The version weights of the first split rule with two or more weighted arms (a canary). */
  split: SplitWeight[];
  circuitBreaker: boolean;
}

export type MeshConfig = Map<string, ServiceConfig>;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Keys a service's config by "namespace/service"; look it up with configOf. */
export function parseRoutes(raw: unknown): MeshConfig {
  const out: MeshConfig = new Map();
  for (const r of list(raw)) {
    if (!isObject(r) || !isObject(r.spec)) continue;
    const spec = r.spec;
    const service = typeof spec.service === "string" ? spec.service : "";
    if (!service) continue;
    const key = `${typeof r.namespace === "string" ? r.namespace : ""}/${service}`;
    const cfg = out.get(key) ?? { faults: [], split: [], circuitBreaker: false };
    if (isObject(spec.circuitBreaker)) cfg.circuitBreaker = true;
    for (const rule of list(spec.routes)) {
      if (!isObject(rule)) continue;
      const fault = rule.fault;
      if (isObject(fault)) {
        const name = typeof rule.name === "string" ? ` (${rule.name})` : "";
        if (isObject(fault.abort)) cfg.faults.push(`abort ${fault.abort.percent ?? 0}% with ${fault.abort.status ?? 503}${name}`);
        if (isObject(fault.delay)) cfg.faults.push(`delay ${fault.delay.percent ?? 0}% by ${fault.delay.duration ?? "?"}${name}`);
      }
      const arms = list(rule.split)
        .filter(isObject)
        .map((a) => ({ version: typeof a.version === "string" ? a.version : typeof a.service === "string" ? a.service : "", weight: Number(a.weight) || 0 }))
        .filter((a) => a.weight > 0);
      if (!cfg.split.length && arms.length >= 2) cfg.split = arms;
    }
    out.set(key, cfg);
  }
  return out;
}

export function configOf(config: MeshConfig | null, namespace: string, service: string): ServiceConfig | undefined {
  if (!config) return undefined;
  const exact = config.get(`${namespace}/${service}`);
  if (exact) return exact;
  // The graph may not know a service's namespace (SDK-only traffic): fall back to a unique match by name.
  const hits = [...config.entries()].filter(([k]) => k.endsWith(`/${service}`));
  return hits.length === 1 ? hits[0][1] : undefined;
}
