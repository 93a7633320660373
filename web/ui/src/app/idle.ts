/**
 * Runs work the first view does not need (the live hub, the config for the badges) once the browser is idle,
 * or after `timeoutMs` at the latest; returns a cancel function.
 */
export function whenIdle(work: () => void, timeoutMs = 1500): () => void {
  if (typeof window.requestIdleCallback === "function") {
    const id = window.requestIdleCallback(work, { timeout: timeoutMs });
    return () => window.cancelIdleCallback(id);
  }
  const id = setTimeout(work, 200);
  return () => clearTimeout(id);
}
