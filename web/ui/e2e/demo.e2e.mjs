// The whole web UI in a real browser against a real `mesh up --demo` (the demo store behind Mesh proxies, with its
// load generator): sign in through the printed link; the map shows the demo's services and edges; a fault injected
// through the demo's scenario API turns the affected node unhealthy; an edge's panel leads to its traces and one
// trace's waterfall spans at least four services; a search by attribute; two traces compared. A screenshot per
// step goes to E2E_OUT; any console error or page error fails the run (browser.mjs).
import { check, env, run } from "./browser.mjs";

const base = env("MESH_URL");
const token = env("MESH_TOKEN");
const services = env("E2E_SERVICES").split(",");
const edges = env("E2E_EDGES").split(","); // "from->to", …
const traceEdge = env("E2E_TRACE_EDGE"); // the edge whose traces we open
const faultService = env("E2E_FAULT_SERVICE");
const faultBody = env("E2E_FAULT_BODY"); // JSON for POST /api/v1/demo/faults
const canaryService = process.env.E2E_CANARY_SERVICE;
const attr = env("E2E_ATTR"); // key=value
const minServices = Number(process.env.E2E_MIN_SERVICES ?? "4");
const warmUp = Number(process.env.E2E_WARMUP_MS ?? "120000");

await run(async ({ page, screenshot }, result) => {
  const step = async (name, fn) => {
    await fn();
    result.steps.push({ name, screenshot: await screenshot(name) });
  };
  const list = () => page.locator("details.list-view");
  const health = (s) => list().locator(`tr[data-node="${s}"]`).getAttribute("data-health");

  await step("sign-in", async () => {
    // The demo's 18 processes have just finished starting and still JIT as the load reaches them: allow for that.
    await page.goto(`${base}/?token=${encodeURIComponent(token)}`, { timeout: 60_000 });
    await page.locator(".map-canvas[data-ready]").waitFor({ timeout: 60_000 });
    check(!page.url().includes("token="), `the token stayed in the address bar: ${page.url()}`);
    check((await page.evaluate(() => localStorage.getItem("mesh.adminToken"))) === token, "the token was not stored");
    result.firstView = await page.evaluate(() => {
      const ready = performance.getEntriesByName("mesh:map-ready")[0];
      return { mapReadyMs: ready ? Math.round(ready.startTime) : null };
    });
  });

  await step("map-services-and-edges", async () => {
    await list().locator("summary").click();
    // The demo's load needs a little while to reach every service; the live map picks each up as it comes.
    for (const s of services) await list().locator(`tr[data-node="${s}"]`).waitFor({ timeout: warmUp });
    for (const e of edges) await list().locator(`tr[data-edge="${e}"]`).waitFor({ timeout: warmUp });
    // The canvas draws what the list shows (the list and the canvas render the same graph).
    await page.waitForFunction((n) => Number(document.querySelector(".map-canvas")?.getAttribute("data-nodes") ?? 0) >= n, services.length, { timeout: 30_000 });
    result.healthBefore = Object.fromEntries(await Promise.all(services.map(async (s) => [s, await health(s)])));
  });

  if (canaryService) {
    await step("canary-expanded", async () => {
      const row = list().locator(`tr[data-node="${canaryService}"]`);
      await page.waitForFunction((s) => (document.querySelector(`tr[data-node="${s}"]`)?.getAttribute("data-badges") ?? "").includes("canary"), canaryService, { timeout: 60_000 });
      await row.getByRole("button", { name: new RegExp(`Expand ${canaryService}`) }).click();
      await page.waitForURL((u) => u.searchParams.getAll("exp").includes(canaryService));
      result.canaryBadges = await row.getAttribute("data-badges");
    });
  }

  await step("fault-injected", async () => {
    const before = await health(faultService);
    const response = await page.evaluate(
      async ([url, body, t]) => {
        const r = await fetch(url, { method: "POST", headers: { Authorization: `Bearer ${t}`, "Content-Type": "application/json" }, body });
        return { status: r.status, body: await r.text() };
      },
      [`${base}/api/v1/demo/faults`, faultBody, token],
    );
    check(response.status < 300, `the demo's fault API answered ${response.status}: ${response.body}`);
    await page.waitForFunction(
      ([s, b]) => {
        const h = document.querySelector(`tr[data-node="${s}"]`)?.getAttribute("data-health");
        return h && h !== b && h !== "healthy" && h !== "no-traffic";
      },
      [faultService, before],
      { timeout: 120_000 },
    );
    result.fault = { service: faultService, before, after: await health(faultService) };
  });

  await step("edge-panel", async () => {
    await list().locator(`tr[data-edge="${traceEdge}"] button`).click();
    const panel = page.getByRole("complementary", { name: "Selection details" });
    await panel.waitFor();
    await panel.getByRole("heading", { name: traceEdge.replace("->", " → ") }).waitFor();
    await panel.locator(".red-chart canvas").first().waitFor();
  });

  await step("edge-traces", async () => {
    await page.getByTestId("edge-traces").click();
    await page.waitForURL(/\/traces\?/);
    await page.locator(".trace-list li a.trace-link").first().waitFor({ timeout: 30_000 });
  });

  await step("trace-waterfall", async () => {
    // The newest trace reaching the callee; the demo's journeys through it cross at least four services.
    const links = page.locator(".trace-list li a.trace-link");
    const count = await links.count();
    let seen = new Set();
    for (let i = 0; i < Math.min(count, 5) && seen.size < minServices; i++) {
      await links.nth(i).click();
      await page.locator(".wf-row").first().waitFor();
      seen = new Set(await page.locator(".wf-row .svc").allTextContents());
      if (seen.size < minServices) await page.goBack();
    }
    result.waterfallServices = [...seen];
    check(seen.size >= minServices, `the waterfall shows ${seen.size} services (${[...seen]}), expected at least ${minServices}`);
    check((await page.locator(".wf-critical").count()) > 0, "no critical path drawn");
  });

  await step("search-by-attribute", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Traces" }).click();
    await page.getByLabel(/Attributes/).fill(attr);
    await page.getByRole("button", { name: "Find traces" }).click();
    await page.waitForURL((u) => u.searchParams.getAll("attr").includes(attr));
    // The results of this search, on this page: at least two traces (the compare step picks two of them).
    const results = page.getByRole("region", { name: "Traces found" });
    await results.getByRole("heading", { name: /^([2-9]|\d{2,}) traces$/ }).waitFor({ timeout: 30_000 });
    result.attributeResults = await results.locator(".trace-list li .trace-link").count();
    check(result.attributeResults >= 2, `the attribute search found ${result.attributeResults} traces`);
  });

  await step("compare", async () => {
    // Two different rows' checkboxes (a row's id is in its checkbox label).
    const boxes = page.getByRole("region", { name: "Traces found" }).getByRole("checkbox", { name: /^Select trace \S+ to compare$/ });
    const ids = [];
    for (let i = 0; ids.length < 2 && i < (await boxes.count()); i++) {
      const id = (await boxes.nth(i).getAttribute("aria-label")).replace(/^Select trace (\S+) to compare$/, "$1");
      if (ids.includes(id)) continue;
      ids.push(id);
      await boxes.nth(i).check();
    }
    await page.getByRole("link", { name: /Compare selected \(2\/2\)/ }).click();
    await page.waitForURL(/\/compare\?a=.*&b=/);
    const table = page.getByRole("table", { name: "Span by span comparison" });
    await table.waitFor();
    result.compare = { traces: ids, rows: await table.locator("tbody tr").count() };
    check(result.compare.rows > 0, "the comparison has no rows");
  });
});
