import { Suspense, useCallback, useEffect, useState } from "react";
import { api, ApiError, onUnauthorized } from "../api/client";
import { getToken, setToken } from "./token";
import { linkProps, useRoute } from "./router";
import { applyTheme, initialTheme, type Theme } from "./theme";
import { defaultMap, defaultSearch } from "./route";
// Every page is its own chunk (app/pages.tsx): the shell (React, router, sign-in) is all the first view waits for
// besides the page it shows. The map brings cytoscape; the trace explorer brings uPlot; neither waits for the other.
import { ComparePage, MapPage, SearchPage, TracePage } from "./pages";

type Auth = "ok" | "needed";

export function App() {
  const route = useRoute();
  // A stored token is trusted until the server says otherwise (any 401 brings the sign-in back): no round trip
  // stands between the page and its first data request.
  const [auth, setAuth] = useState<Auth>(getToken() ? "ok" : "needed");
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [themeKey, setThemeKey] = useState(0);

  useEffect(
    () =>
      onUnauthorized(() => {
        setToken(null);
        setAuth("needed");
      }),
    [],
  );

  const toggleTheme = useCallback(() => {
    const next = theme === "dark" ? "light" : "dark";
    applyTheme(next);
    setTheme(next);
    setThemeKey((k) => k + 1);
  }, [theme]);

  const page = route.page;
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" {...linkProps("/")}>
          Mesh
        </a>
        <nav aria-label="Main">
          <a {...linkProps({ page: "map", map: defaultMap })} aria-current={page === "map" ? "page" : undefined}>
            Map
          </a>
          <a {...linkProps({ page: "traces", search: defaultSearch })} aria-current={page === "traces" || page === "trace" ? "page" : undefined}>
            Traces
          </a>
          <a {...linkProps({ page: "compare", a: "", b: "" })} aria-current={page === "compare" ? "page" : undefined}>
            Compare
          </a>
        </nav>
        <span className="spacer" />
        <button type="button" className="ghost" onClick={toggleTheme} aria-label={`Switch to ${theme === "dark" ? "light" : "dark"} theme`}>
          {theme === "dark" ? "☀ Light" : "☾ Dark"}
        </button>
        {auth === "ok" && (
          <button
            type="button"
            className="ghost"
            onClick={() => {
              setToken(null);
              setAuth("needed");
            }}
          >
            Sign out
          </button>
        )}
      </header>
      <main className="content" key={themeKey}>
        {auth === "needed" && <SignIn onSignedIn={() => setAuth("ok")} />}
        {auth === "ok" && (
          <Suspense fallback={<p className="muted pad">Loading…</p>}>
            {page === "map" && <MapPage state={route.map} />}
            {page === "traces" && <SearchPage state={route.search} />}
            {page === "trace" && <TracePage traceId={route.traceId} selected={route.span} collapsed={route.collapsed} />}
            {page === "compare" && <ComparePage a={route.a} b={route.b} />}
          </Suspense>
        )}
      </main>
    </div>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [value, setValue] = useState("");
  const [error, setError] = useState("");
  return (
    <form
      className="signin card"
      onSubmit={async (e) => {
        e.preventDefault();
        setToken(value.trim());
        try {
          await api.services();
          onSignedIn();
        } catch (err) {
          setToken(null);
          setError(err instanceof ApiError && err.status === 401 ? "That token was not accepted." : String(err));
        }
      }}
    >
      <h1>Sign in to Mesh</h1>
      <p className="muted">
        Paste the admin token that <code>mesh up</code> printed, or open the sign-in link it printed.
      </p>
      <label>
        Admin token
        <input type="password" autoFocus value={value} onChange={(e) => setValue(e.target.value)} autoComplete="current-password" />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={!value.trim()}>
        Sign in
      </button>
    </form>
  );
}
