import { useSyncExternalStore } from "react";
import { parseRoute, routeToUrl, type Route } from "./route";

// A small history-API router: the URL is the single source of view state; navigate() pushes (or replaces)
// and every subscriber re-renders from the new URL.

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("popstate", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function useRoute(): Route {
  const url = useSyncExternalStore(subscribe, snapshot);
  const q = url.indexOf("?");
  return parseRoute(q < 0 ? url : url.slice(0, q), q < 0 ? "" : url.slice(q));
}

export function navigate(route: Route | string, options: { replace?: boolean } = {}): void {
  const url = typeof route === "string" ? route : routeToUrl(route);
  if (url === snapshot()) return;
  if (options.replace) window.history.replaceState(null, "", url);
  else window.history.pushState(null, "", url);
  listeners.forEach((l) => l());
}

/** Props for an <a> that navigates in-app on a plain click and still works with middle-click / open-in-new-tab. */
export function linkProps(route: Route | string) {
  const href = typeof route === "string" ? route : routeToUrl(route);
  return {
    href,
    onClick: (e: React.MouseEvent) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(href);
    },
  };
}
