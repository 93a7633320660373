import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { adoptTokenFromUrl } from "./app/token";
import { applyTheme, initialTheme } from "./app/theme";
import { preloadPageFor } from "./app/pages";
import { prefetchLiveGraph } from "./map/prefetch";
import "./styles.css";

adoptTokenFromUrl();
// Before React: the page's chunk and (for the live map) its graph start downloading side by side.
prefetchLiveGraph();
preloadPageFor(window.location.pathname);
applyTheme(initialTheme());
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
