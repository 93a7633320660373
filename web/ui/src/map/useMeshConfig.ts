import { useEffect, useState } from "react";
import { api } from "../api/client";
import { parseRoutes, type MeshConfig } from "./meshConfig";
import { whenIdle } from "../app/idle";

const REFRESH_MS = 15_000;

/**
 * The control plane's Route config for the badges. Fetched once the browser is idle after the graph is on screen
 * (never in the way of the first view) and every 15 s while live; null until it arrives or when it cannot be read.
 */
export function useMeshConfig(refresh: boolean): MeshConfig | null {
  const [config, setConfig] = useState<MeshConfig | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    const load = () => api.routes(ctrl.signal).then((r) => setConfig(parseRoutes(r)), () => undefined);
    const cancelIdle = whenIdle(() => void load());
    const timer = refresh ? setInterval(load, REFRESH_MS) : undefined;
    return () => {
      cancelIdle();
      ctrl.abort();
      if (timer) clearInterval(timer);
    };
  }, [refresh]);
  return config;
}
