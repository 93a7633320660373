// The application map in a real browser against a real `mesh up` with the analytics graph API: sign in, see
// the expected services and edges, inject a fault through the API and watch the node change state, open a service's
// panel (RED charts, top operations), reload a deep link, use the keyboard (Enter opens, Escape closes the panel),
// look at a past hour and replay it, then follow an edge to its traces and open one (waterfall with spans from
// several services). Screenshots go to E2E_OUT.
import { check, env, run } from "./browser.mjs";

const base = env("MESH_URL");
const token = env("MESH_TOKEN");
const services = env("E2E_SERVICES").split(",");
const edge = env("E2E_EDGE"); // "from->to"
const faultUrl = process.env.E2E_FAULT_URL; // POSTed with E2E_FAULT_BODY (JSON) and the admin token
const faultService = process.env.E2E_FAULT_SERVICE;
const minServices = Number(process.env.E2E_MIN_SERVICES ?? "4");
const topOperation = process.env.E2E_TOP_OPERATION; // a span name the edge's target served, shown in its panel

await run(async ({ page, screenshot }, result) => {
  const step = async (name, fn) => {
    await fn();
    result.steps.push({ name, screenshot: await screenshot(name) });
  };
  const list = () => page.locator("details.list-view");

  await step("map", async () => {
    const t0 = Date.now();
    await page.goto(`${base}/map?token=${encodeURIComponent(token)}`);
    await page.locator(".map-canvas canvas").first().waitFor();
    await list().waitFor();
    result.firstViewInteractiveMs = Date.now() - t0;
    await list().locator("summary").click();
    for (const s of services) await list().locator(`tr[data-node="${s}"]`).waitFor();
    await list().locator(`tr[data-edge="${edge}"]`).waitFor();
  });

  if (faultUrl && faultService) {
    await step("fault-injected", async () => {
      const before = await list().locator(`tr[data-node="${faultService}"]`).getAttribute("data-health");
      const response = await page.evaluate(
        async ([url, body, t]) => (await fetch(url, { method: "POST", headers: { Authorization: `Bearer ${t}`, "Content-Type": "application/json" }, body })).status,
        [faultUrl, process.env.E2E_FAULT_BODY ?? "{}", token],
      );
      check(response < 300, `the fault API answered ${response}`);
      await page.waitForFunction(
        ([s, b]) => {
          const h = document.querySelector(`tr[data-node="${s}"]`)?.getAttribute("data-health");
          return h && h !== b && h !== "healthy";
        },
        [faultService, before],
        { timeout: 60_000 },
      );
    });
  }

  const panel = () => page.getByRole("complementary", { name: "Selection details" });

  await step("past-window", async () => {
    // The last hour as a past window: this run's traffic was sent once, up front, and a live map lets it go as
    // soon as it is older than the live window; the steps below look at it in this window.
    await page.getByLabel("Time window").selectOption("last 1h");
    await page.waitForURL((u) => !!u.searchParams.get("start"));
    for (const s of services) await list().locator(`tr[data-node="${s}"]`).waitFor({ timeout: 30_000 });
  });

  await step("node-panel", async () => {
    // A called service (the edge's target): its panel has RED charts of its callers and its top operations.
    const target = edge.split("->")[1];
    await list().locator(`tr[data-node="${target}"] th button.link`).click();
    await panel().getByRole("heading", { name: new RegExp(`^${target}`) }).waitFor();
    await panel().locator(".red-chart canvas").first().waitFor();
    await panel().getByRole("heading", { name: "Top operations" }).waitFor();
    // The health API's per-operation numbers, from the service's server spans in the window.
    const rows = panel().getByTestId("top-operations").locator("tbody tr");
    await rows.first().waitFor({ timeout: 30_000 });
    result.topOperations = await rows.locator("th").allTextContents();
    if (topOperation) check(result.topOperations.includes(topOperation), `top operations ${JSON.stringify(result.topOperations)} lack ${topOperation}`);
  });

  await step("deep-link-and-keyboard", async () => {
    // The view state is in the URL: a reload (or a shared link) opens the same panel and edge metric.
    await page.getByLabel("p99", { exact: true }).check();
    await page.waitForURL((u) => u.searchParams.get("metric") === "p99" && !!u.searchParams.get("sel"));
    const url = page.url();
    await page.reload();
    await panel().waitFor();
    check(await page.getByLabel("p99", { exact: true }).isChecked(), `the edge metric was not restored from ${url}`);
    // Keyboard: Escape closes the panel; a list view button, focused and activated with Enter, opens it again.
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await page.keyboard.press("Escape");
    await panel().waitFor({ state: "detached" });
    check(!new URL(page.url()).searchParams.get("sel"), `Escape left the selection in the URL: ${page.url()}`);
    if (!(await list().evaluate((d) => d.open))) await list().locator("summary").click();
    await list().locator(`tr[data-edge="${edge}"] button`).focus();
    await page.keyboard.press("Enter");
    await panel().getByRole("heading", { name: edge.replace("->", " → ") }).waitFor();
    await page.keyboard.press("Escape");
    await panel().waitFor({ state: "detached" });
  });

  await step("replay-and-back-to-live", async () => {
    // The replay of the last hour, frame by frame (each frame a window in the URL), then back to live, then the
    // past hour again for the edge steps.
    await page.getByRole("button", { name: /Replay last hour/ }).click();
    const slider = page.getByLabel("Replay position");
    await slider.waitFor();
    const first = new URL(page.url()).searchParams.get("start");
    await page.waitForFunction(() => Number(document.querySelector('input[aria-label="Replay position"]')?.value ?? 0) >= 2, null, { timeout: 30_000 });
    const later = new URL(page.url()).searchParams.get("start");
    check(first && later && Date.parse(later) > Date.parse(first), `the replay did not move the window (${first} → ${later})`);
    await page.locator(".map-canvas[data-ready]").waitFor({ state: "attached" });
    await page.getByRole("button", { name: "Back to live" }).click();
    await page.waitForURL((u) => !u.searchParams.get("start"));
    await page.locator(".feed").filter({ hasText: "live" }).waitFor({ timeout: 30_000 });
    await page.getByLabel("Time window").selectOption("last 1h");
    await list().locator(`tr[data-edge="${edge}"]`).waitFor({ timeout: 30_000 });
  });

  await step("edge-panel", async () => {
    await list().locator(`tr[data-edge="${edge}"] button`).click();
    const panel = page.getByRole("complementary", { name: "Selection details" });
    await panel.waitFor();
    await panel.locator(".red-chart canvas").first().waitFor();
  });

  await step("edge-traces", async () => {
    await page.getByTestId("edge-traces").click();
    await page.waitForURL(/\/traces\?/);
    await page.locator(".trace-list li a.trace-link").first().waitFor();
  });

  await step("edge-trace-waterfall", async () => {
    await page.locator(".trace-list li a.trace-link").first().click();
    await page.locator(".wf-row").first().waitFor();
    const seen = new Set(await page.locator(".wf-row .svc").allTextContents());
    result.waterfallServices = [...seen];
    check(seen.size >= minServices, `the waterfall shows ${seen.size} services, expected at least ${minServices}`);
  });
});
