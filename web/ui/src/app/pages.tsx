import { use, type ComponentType } from "react";

// The page chunks. main.tsx starts (and waits for) the chunk the URL needs before React's first render, so the
// first view mounts its page at once instead of going through a Suspense fallback (React holds a revealed
// boundary back for a moment, which the first view cannot afford). Pages opened later load on demand.

type MapModule = typeof import("../map/MapPage");
type TraceModule = typeof import("../traces/pages");

const loaded: { map?: MapModule; traces?: TraceModule } = {};
let mapPromise: Promise<MapModule> | null = null;
let tracePromise: Promise<TraceModule> | null = null;

export const loadMapPage = () => (mapPromise ??= import("../map/MapPage").then((m) => (loaded.map = m)));
export const loadTracePages = () => (tracePromise ??= import("../traces/pages").then((m) => (loaded.traces = m)));

export function preloadPageFor(pathname: string): Promise<unknown> {
  const first = pathname.split("/").filter(Boolean)[0] ?? "";
  if (first === "" || first === "map") return loadMapPage();
  if (first === "traces" || first === "compare") return loadTracePages();
  return Promise.resolve();
}

/** A page component that renders straight away once its chunk is in, and suspends (use) until then. */
function page<M, P extends object>(cached: () => M | undefined, load: () => Promise<M>, pick: (m: M) => ComponentType<P>) {
  return function Page(props: P) {
    const Component = pick(cached() ?? use(load()));
    return <Component {...props} />;
  };
}

export const MapPage = page(() => loaded.map, loadMapPage, (m) => m.MapPage);
export const SearchPage = page(() => loaded.traces, loadTracePages, (m) => m.SearchPage);
export const TracePage = page(() => loaded.traces, loadTracePages, (m) => m.TracePage);
export const ComparePage = page(() => loaded.traces, loadTracePages, (m) => m.ComparePage);
