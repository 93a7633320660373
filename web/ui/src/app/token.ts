// The admin token lives in localStorage. A one-click sign-in link (/?token=…, printed by `mesh up`) stores it
// and then drops it from the address bar so it does not end up in history, bookmarks or screenshots.

const KEY = "mesh.adminToken";

export function getToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(KEY, token);
  else localStorage.removeItem(KEY);
}

/** Takes ?token= from the current URL (if any) into storage and rewrites the URL without it. */
export function adoptTokenFromUrl(loc: Location = window.location, hist: History = window.history): boolean {
  const url = new URL(loc.href);
  const token = url.searchParams.get("token");
  if (!token) return false;
  setToken(token);
  url.searchParams.delete("token");
  hist.replaceState(hist.state, "", url.pathname + url.search + url.hash);
  return true;
}
