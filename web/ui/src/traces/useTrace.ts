import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { Trace } from "../api/types";
import { buildTree, type TraceTree } from "./tree";

export type Loaded = { state: "loading" } | { state: "error"; message: string } | { state: "ok"; trace: Trace; tree: TraceTree };

export function useTrace(traceId: string): Loaded {
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  useEffect(() => {
    if (!traceId) return setLoaded({ state: "error", message: "no trace id given" });
    const ctrl = new AbortController();
    setLoaded({ state: "loading" });
    api.trace(traceId, ctrl.signal).then(
      (trace) => setLoaded({ state: "ok", trace, tree: buildTree(trace.spans) }),
      (e: unknown) => {
        if (!ctrl.signal.aborted) setLoaded({ state: "error", message: e instanceof Error ? e.message : String(e) });
      },
    );
    return () => ctrl.abort();
  }, [traceId]);
  return loaded;
}
