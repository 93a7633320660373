import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { adoptTokenFromUrl } from "./app/token";
import { applyTheme, initialTheme } from "./app/theme";
import "./styles.css";

adoptTokenFromUrl();
applyTheme(initialTheme());
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
