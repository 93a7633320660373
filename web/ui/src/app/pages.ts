// The page chunks, loaded by the router's lazy components; main.tsx starts the one the URL needs before React
// renders, so its download overlaps the app bundle's start-up and the first data request.

export const loadMapPage = () => import("../map/MapPage");

export const loadTracePages = () => import("../traces/pages");

export function preloadPageFor(pathname: string): void {
  const first = pathname.split("/").filter(Boolean)[0] ?? "";
  if (first === "" || first === "map") void loadMapPage();
  else if (first === "traces" || first === "compare") void loadTracePages();
}
