// Sidecar-shaped OTLP traffic for the web UI benchmark when no `mesh up --demo` is running: the demo store's
// topology (frontend → auth, catalog v1/v2, cart → …), one outbound CLIENT span per call and the callee's inbound
// SERVER span under it, with the attributes a Mesh proxy writes (docs/telemetry-conventions.md), as OTLP/HTTP JSON.
import { randomBytes } from "node:crypto";

const calls = {
  frontend: ["auth", "catalog", "cart"],
  catalog: ["inventory"],
  cart: ["catalog", "inventory", "payment", "shipping"],
};
const versions = { catalog: [["v1", 90], ["v2", 10]] };
const ports = { frontend: 9100, auth: 9101, catalog: 9102, cart: 9104, inventory: 9105, payment: 9106, shipping: 9107 };

const hex = (n) => randomBytes(n).toString("hex");
const str = (key, value) => ({ key, value: { stringValue: String(value) } });
const int = (key, value) => ({ key, value: { intValue: String(value) } });
const pickVersion = (svc) => {
  const arms = versions[svc] ?? [["v1", 100]];
  let r = Math.random() * 100;
  for (const [v, w] of arms) if ((r -= w) < 0) return v;
  return arms[0][0];
};

/** One request through the store: spans grouped by (service, version) resource. */
function trace(nowNanos) {
  const traceId = hex(16);
  const byResource = new Map();
  const add = (svc, version, span) => {
    const key = `${svc}|${version}`;
    if (!byResource.has(key)) byResource.set(key, []);
    byResource.get(key).push(span);
  };
  let t = nowNanos - 2_000_000_000n;
  const visit = (svc, version, parent, depth) => {
    const serverId = hex(8);
    const start = t;
    for (const callee of calls[svc] ?? []) {
      const cv = pickVersion(callee);
      const clientId = hex(8);
      const cStart = (t += 200_000n);
      const inner = visit(callee, cv, clientId, depth + 1);
      const end = (t = inner + 300_000n);
      const status = Math.random() < 0.01 ? 503 : 200;
      add(svc, version, {
        traceId,
        spanId: clientId,
        parentSpanId: serverId,
        name: `GET ${callee}`,
        kind: 3,
        startTimeUnixNano: String(cStart),
        endTimeUnixNano: String(end),
        attributes: [
          str("mesh.direction", "outbound"),
          str("mesh.source.service", svc),
          str("mesh.source.version", version),
          str("mesh.source.namespace", "demo"),
          str("mesh.destination.service", callee),
          str("mesh.destination.version", cv),
          str("mesh.destination.namespace", "demo"),
          str("mesh.destination.endpoint", `127.0.0.1:${ports[callee] + (cv === "v2" ? 1 : 0)}`),
          str("mesh.mtls", "true"),
          str("http.request.method", "GET"),
          str("http.route", `/${callee}`),
          int("http.response.status_code", status),
        ],
        status: { code: status >= 500 ? 2 : 1 },
      });
    }
    t += BigInt(1_000_000 + Math.floor(Math.random() * 4_000_000));
    add(svc, version, {
      traceId,
      spanId: serverId,
      parentSpanId: parent ?? "",
      name: `GET /${svc}`,
      kind: 2,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(t),
      attributes: [
        str("mesh.direction", parent ? "inbound" : "ingress"),
        str("mesh.source.service", parent ? "" : "ingress"),
        str("mesh.destination.service", svc),
        str("mesh.destination.version", version),
        str("mesh.destination.namespace", "demo"),
        str("mesh.destination.endpoint", `127.0.0.1:${ports[svc] + (version === "v2" ? 1 : 0)}`),
        str("http.request.method", "GET"),
        int("http.response.status_code", 200),
      ],
      status: { code: 1 },
    });
    return t;
  };
  visit("frontend", "v1", null, 0);
  return byResource;
}

function request(traces) {
  const merged = new Map();
  for (const tr of traces) for (const [k, spans] of tr) merged.set(k, [...(merged.get(k) ?? []), ...spans]);
  return {
    resourceSpans: [...merged].map(([key, spans]) => {
      const [svc, version] = key.split("|");
      return {
        resource: { attributes: [str("service.name", svc), str("service.version", version), str("service.namespace", "demo"), str("mesh.proxy", "true")] },
        scopeSpans: [{ scope: { name: "mesh-proxy" }, spans }],
      };
    }),
  };
}

/** Sends `perSecond` traces a second to OTLP/HTTP until stopped; returns stop() resolving to the count sent. */
export function feed({ otlpUrl, ingestToken, perSecond = 20 }) {
  let sent = 0;
  let failed = 0;
  let stopped = false;
  const tick = async () => {
    while (!stopped) {
      const began = Date.now();
      const now = BigInt(Date.now()) * 1_000_000n;
      const body = JSON.stringify(request(Array.from({ length: perSecond }, () => trace(now))));
      try {
        const r = await fetch(`${otlpUrl}/v1/traces`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${ingestToken}` }, body });
        if (r.ok) sent += perSecond;
        else failed++;
      } catch {
        failed++;
      }
      await new Promise((res) => setTimeout(res, Math.max(0, 1000 - (Date.now() - began))));
    }
  };
  const loop = tick();
  return async () => {
    stopped = true;
    await loop;
    return { sent, failed };
  };
}
