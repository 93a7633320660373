// The trace explorer in a real browser against a real `mesh up` holding real OTLP traces (sent by the test that
// starts this script): sign in with the token link, search by attribute, open a trace (waterfall, details, logs,
// service map), compare two traces, dark theme. Screenshots go to E2E_OUT.
import { check, env, run } from "./browser.mjs";

const base = env("MESH_URL");
const token = env("MESH_TOKEN");
const attr = env("E2E_ATTR");
const traceA = env("E2E_TRACE_A");
const traceB = env("E2E_TRACE_B");
const minServices = Number(process.env.E2E_MIN_SERVICES ?? "4");

await run(async ({ page, screenshot }, result) => {
  const step = async (name, fn) => {
    await fn();
    result.steps.push({ name, screenshot: await screenshot(name) });
  };

  await step("sign-in-link", async () => {
    // First view interactive: from navigation to the search results being on screen and clickable.
    const t0 = Date.now();
    await page.goto(`${base}/traces?token=${encodeURIComponent(token)}`);
    await page.locator(".trace-list li a.trace-link").first().waitFor();
    result.firstViewInteractiveMs = Date.now() - t0;
    result.navigationTiming = await page.evaluate(() => {
      const n = performance.getEntriesByType("navigation")[0];
      return { domContentLoadedMs: Math.round(n.domContentLoadedEventEnd), loadMs: Math.round(n.loadEventEnd) };
    });
    check(!page.url().includes("token="), `the token stayed in the address bar: ${page.url()}`);
    check((await page.evaluate(() => localStorage.getItem("mesh.adminToken"))) === token, "the token was not stored");
  });

  await step("search-by-attribute", async () => {
    await page.getByLabel(/Attributes/).fill(attr);
    await page.getByRole("button", { name: "Find traces" }).click();
    await page.waitForURL((u) => u.searchParams.getAll("attr").includes(attr));
    await page.getByRole("heading", { name: "2 traces" }).waitFor();
    const ids = await page.locator(".trace-list li .trace-link .mono").allTextContents();
    check(ids.length === 2, `expected the 2 traces with ${attr}, got ${ids.length}`);
    check(ids.includes(traceA.slice(0, 8)) && ids.includes(traceB.slice(0, 8)), `the results ${ids} are not traces A and B`);
    await page.locator(".chart canvas").first().waitFor();
    // A reload of the deep link shows the same search.
    await page.reload();
    await page.getByRole("heading", { name: "2 traces" }).waitFor();
    check((await page.getByLabel(/Attributes/).inputValue()) === attr, "the attribute filter was not restored from the URL");
  });

  await step("trace-waterfall", async () => {
    await page.locator(".trace-link", { hasText: traceA.slice(0, 8) }).click();
    await page.waitForURL(`**/traces/${traceA}`);
    await page.locator(".wf-row").first().waitFor();
    const services = new Set(await page.locator(".wf-row .svc").allTextContents());
    result.waterfallServices = [...services];
    check(services.size >= minServices, `the waterfall shows ${services.size} services (${[...services]}), expected at least ${minServices}`);
    check((await page.locator(".wf-critical").count()) > 0, "no critical path drawn");
  });

  await step("span-details", async () => {
    const row = page.locator(".wf-row", { hasText: "SELECT" }).first();
    await row.click();
    await page.waitForURL((u) => u.searchParams.has("span"));
    const details = page.getByRole("complementary", { name: "Span details" });
    await details.waitFor();
    await details.getByText("db.system").waitFor();
    await details.getByRole("heading", { name: /Resource/ }).waitFor();
    // Keyboard: collapse the root with ← and the rows below it disappear.
    const rows = await page.locator(".wf-row").count();
    await page.locator(".wf-row").first().focus();
    await page.keyboard.press("ArrowLeft");
    check((await page.locator(".wf-row").count()) === 1, "← on the root did not collapse the tree");
    check(page.url().includes("collapsed="), "the collapsed state is not in the URL");
    await page.keyboard.press("ArrowRight");
    check((await page.locator(".wf-row").count()) === rows, "→ did not expand the tree again");
  });

  await step("trace-logs", async () => {
    await page.getByRole("tab", { name: "Logs" }).click();
    await page.locator("table.logs tbody tr").first().waitFor();
    const lines = await page.locator("table.logs tbody tr").allTextContents();
    result.logLines = lines.length;
    check(lines.some((l) => l.includes("GET /checkout")), `no access-log line for the trace: ${lines}`);
  });

  await step("trace-service-map", async () => {
    await page.getByRole("tab", { name: "Service map" }).click();
    await page.locator(".trace-map canvas").first().waitFor();
  });

  await step("compare", async () => {
    await page.goBack();
    await page.goBack();
    await page.getByRole("heading", { name: "2 traces" }).waitFor();
    for (const id of [traceA, traceB]) await page.getByLabel(`Select trace ${id.slice(0, 8)} to compare`).check();
    await page.getByRole("link", { name: /Compare selected \(2\/2\)/ }).click();
    await page.waitForURL(/\/compare\?a=.*&b=/);
    const table = page.getByRole("table", { name: "Span by span comparison" });
    await table.waitFor();
    const onlyB = await page.locator("tr.diff-onlyB").count();
    result.compare = { rows: await table.locator("tbody tr").count(), onlyB, slower: await page.locator(".delta.slower").count() };
    check(onlyB >= 1, "the extra span of trace B is not shown as only in B");
    check(result.compare.slower >= 1, "no slower span shown");
  });

  await step("dark-theme", async () => {
    await page.getByRole("button", { name: /Switch to dark theme/ }).click();
    check((await page.evaluate(() => document.documentElement.dataset.theme)) === "dark", "dark theme not applied");
    await page.getByRole("table", { name: "Span by span comparison" }).waitFor();
  });
});
