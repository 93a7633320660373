import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { adoptTokenFromUrl } from "./app/token";
import { applyTheme, initialTheme } from "./app/theme";
import { preloadPageFor } from "./app/pages";
import { prefetchLiveGraph } from "./map/prefetch";
import "./styles.css";

adoptTokenFromUrl();
// The page's chunk and (for the live map) its graph download side by side (boot.js in index.html began both);
// the first render waits for the chunk only, so the page mounts without a Suspense fallback.
prefetchLiveGraph();
applyTheme(initialTheme());
const render = () =>
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
preloadPageFor(window.location.pathname).then(render, render);
