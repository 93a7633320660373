// Shared set-up for the browser end-to-end scripts: Debian's Chromium (never a downloaded browser), a page that
// records console errors and page errors, and numbered screenshots.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is required`);
  return v;
}

export async function open() {
  const outDir = env("E2E_OUT");
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: "light" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  let shot = 0;
  const screenshot = async (name) => {
    shot++;
    const path = join(outDir, `${String(shot).padStart(2, "0")}-${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  };
  return { browser, page, problems, screenshot };
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Runs the steps; prints one JSON result line ("E2E-RESULT {...}") and exits non-zero on failure. */
export async function run(steps) {
  const session = await open();
  const result = { ok: false, steps: [] };
  try {
    await steps(session, result);
    check(session.problems.length === 0, `the page reported errors:\n${session.problems.join("\n")}`);
    result.ok = true;
  } catch (e) {
    result.error = e instanceof Error ? `${e.message}\n${e.stack}` : String(e);
    try {
      await session.screenshot("failure");
    } catch {
      // The page may be gone; the error above says why.
    }
  } finally {
    await session.browser.close();
  }
  console.log(`E2E-RESULT ${JSON.stringify(result)}`);
  process.exit(result.ok ? 0 : 1);
}
