import { useEffect, useRef, useState } from "react";
import type { HubConnection } from "@microsoft/signalr";
import { api, ApiError, subscribeGraph } from "../api/client";
import type { Graph } from "../api/graphTypes";
import { applyDelta, sameGraph } from "./graphModel";
import { liveWindow, takeLiveGraph } from "./prefetch";
import { cachedGraph, cacheGraph } from "./graphCache";
import { whenIdle } from "../app/idle";

export type Feed = "idle" | "signalr" | "polling" | "paused" | "window";

const POLL_MS = 10_000;

/**
 * The graph for a window. Live (no start given): the last five minutes, then SignalR deltas, or polling every
 * 10 s when the hub cannot be reached. Paused: the last graph stays as it was. The live view shows the graph this
 * tab last saw (if recent) at once, while the fresh one is on its way, and takes main.tsx's prefetch if there is one.
 */
export function useGraph(opts: { start: string; end: string; namespace: string; live: boolean }) {
  const [graph, setGraph] = useState<Graph | null>(() => (opts.start ? null : cachedGraph(opts.namespace, Date.now())));
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [feed, setFeed] = useState<Feed>("idle");
  const hub = useRef<HubConnection | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setInterval> | undefined;
    const past = !!opts.start;
    let first = true;
    const load = () => {
      const now = Date.now();
      const span = past ? { start: opts.start, end: opts.end || new Date(now).toISOString() } : liveWindow(now);
      const early = first && !past ? takeLiveGraph(opts.namespace, now) : null;
      first = false;
      return (early ?? api.graph({ ...span, namespace: opts.namespace || undefined }, ctrl.signal)).then(
        (g) => {
          if (ctrl.signal.aborted) return false;
          setGraph((old) => (old && sameGraph(old, g) ? old : g));
          setError(null);
          if (!past) cacheGraph(opts.namespace, g, Date.now());
          return true;
        },
        (e: unknown) => {
          if (ctrl.signal.aborted) return false;
          setError({ status: e instanceof ApiError ? e.status : 0, message: e instanceof Error ? e.message : String(e) });
          return false;
        },
      );
    };

    let cancelIdle = () => {};
    load().then((ok) => {
      // No graph API on this server (or no access): there is no hub to subscribe to either.
      if (ctrl.signal.aborted || !ok) return;
      if (past) return setFeed("window");
      if (!opts.live) return setFeed("paused");
      // The hub (and its client library) waits until the map is on screen: its first message is the whole graph again.
      cancelIdle = whenIdle(() => subscribe());
    });
    const subscribe = () =>
      subscribeGraph({ namespace: opts.namespace || undefined }, (d) =>
        setGraph((g) => {
          const next = d.full || !g ? d : applyDelta(g, d);
          return g && sameGraph(g, next) ? g : next;
        })).then(
        (connection) => {
          if (ctrl.signal.aborted) {
            void connection.stop();
            return;
          }
          hub.current = connection;
          setFeed("signalr");
        },
        () => {
          if (ctrl.signal.aborted) return;
          setFeed("polling");
          timer = setInterval(load, POLL_MS);
        },
      );
    return () => {
      cancelIdle();
      ctrl.abort();
      if (timer) clearInterval(timer);
      void hub.current?.stop();
      hub.current = null;
    };
  }, [opts.start, opts.end, opts.namespace, opts.live]);

  return { graph, error, feed };
}
