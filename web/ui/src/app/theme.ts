export type Theme = "light" | "dark";
const KEY = "mesh.theme";

export function initialTheme(): Theme {
  const stored = localStorage.getItem(KEY);
  if (stored === "light" || stored === "dark") return stored;
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem(KEY, theme);
}

/**
 * Reads a CSS custom property (the canvas-drawn map and charts take their colors from the theme), in the
 * comma form of hsl() that cytoscape understands as well as canvases do.
 */
export function cssVar(name: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const m = /^hsl\(\s*([\d.]+)\s+([\d.]+%)\s+([\d.]+%)\s*\)$/.exec(v);
  return m ? `hsl(${m[1]}, ${m[2]}, ${m[3]})` : v;
}

/** The same color with an alpha, for chart fills. */
export function withAlpha(color: string, alpha: number): string {
  return color.startsWith("hsl(") ? color.replace("hsl(", "hsla(").replace(")", `, ${alpha})`) : color;
}
