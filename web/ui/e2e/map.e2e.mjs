// The application map in a real browser against a real `mesh up` with the analytics graph API: sign in, see
// the expected services and edges, inject a fault through the API and watch the node change state, then follow
// an edge to its traces and open one (waterfall with spans from several services). Screenshots go to E2E_OUT.
import { check, env, run } from "./browser.mjs";

const base = env("MESH_URL");
const token = env("MESH_TOKEN");
const services = env("E2E_SERVICES").split(",");
const edge = env("E2E_EDGE"); // "from->to"
const faultUrl = process.env.E2E_FAULT_URL; // POSTed with E2E_FAULT_BODY (JSON) and the admin token
const faultService = process.env.E2E_FAULT_SERVICE;
const minServices = Number(process.env.E2E_MIN_SERVICES ?? "4");

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
