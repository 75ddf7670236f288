// The API reference at /docs, as a POS developer who has never seen the product meets it: no
// sign-in, nothing loaded from another host (it works offline), no CSP violation, every
// endpoint listed, and the guide's three calls made from the page with a key against this
// server.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { locationKey, DEMO_LOCATION } from "./fixtures/engage-api";
import { MAIN_URL } from "./fixtures/env";

/** Opens /docs with every request to another host refused, and records what went wrong. */
async function openDocs(page: Page) {
  const problems: string[] = [];
  const foreign: string[] = [];
  await page.route(
    (url) => url.origin !== MAIN_URL,
    async (route) => {
      foreign.push(route.request().url());
      await route.abort("internetdisconnected");
    },
  );
  page.on("console", (message) => {
    if (message.type() === "error" || /Content Security Policy|Refused to/i.test(message.text())) problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto("/docs");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Engage API", level: 1 })).toBeVisible({ timeout: 30_000 });
  return { problems, foreign };
}

test.describe("/docs (signed out)", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("loads offline with nothing from another host, no CSP violation, and lists every endpoint", async ({ page, request }) => {
    const { problems, foreign } = await openDocs(page);
    const document = (await (await request.get("/v1/openapi.json")).json()) as { paths: Record<string, Record<string, { summary: string }>> };
    const summaries = Object.values(document.paths).flatMap((item) => Object.values(item).map((op) => op.summary));
    expect(summaries.length).toBeGreaterThan(15);
    await page.waitForLoadState("networkidle");
    for (const summary of ["Register a customer", "Submit a receipt", "Create a location campaign", "Send a campaign's offer to customers"]) {
      await expect(page.getByText(summary, { exact: true }).first()).toBeAttached();
    }
    // Every operation of the document is in the reference's navigation.
    const text = await page.locator("body").innerText();
    for (const summary of summaries) expect(text, summary).toContain(summary);
    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
  });

  test("the bundle is served by the app with a long cache; the page carries the console's CSP with its nonce", async ({ request }) => {
    const page = await request.get("/docs");
    const csp = page.headers()["content-security-policy"];
    expect(csp).toContain("script-src 'self' 'nonce-");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await page.text();
    const src = /<script nonce="([^"]+)" src="([^"]+)"/.exec(html);
    expect(csp).toContain(`'nonce-${src?.[1]}'`);
    const bundle = await request.get(src![2]);
    expect(bundle.status()).toBe(200);
    expect(bundle.headers()["content-type"]).toMatch(/javascript/);
    expect(bundle.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  test("the guide's three calls from the docs page, with a location key, as the document describes", async ({ page }) => {
    await openDocs(page);
    const key = locationKey(DEMO_LOCATION.durango);
    // What "try it" sends: a fetch from the page to this server with the Authorization header.
    const results = await page.evaluate(async (key) => {
      const document = await (await fetch("/v1/openapi.json")).json();
      const example = (path: string) => document.paths[path].post.requestBody.content["application/json"].examples.guide.value;
      const post = async (path: string, body: unknown) => {
        const r = await fetch(`/v1${path}`, { method: "POST", headers: { Authorization: key, "Content-Type": "application/json" }, body: JSON.stringify(body) });
        return { status: r.status, body: r.status === 204 ? null : await r.json() };
      };
      const customer = { ...example("/Customers"), CustomerID: undefined, ExternalID: `docs-${Date.now()}`, Phone: null, Email: null };
      const registered = await post("/Customers", customer);
      const receipt = await post("/Receipts", { ...example("/Receipts"), CustomerID: registered.body.CustomerID });
      const campaign = await post("/Campaigns/Location", example("/Campaigns/Location"));
      const sent = await post(`/Campaigns/${campaign.body.CampaignID}/Offers`, [registered.body.CustomerID]);
      return { registered: registered.status, receipt: receipt.status, total: receipt.body.Total, campaign: campaign.status, sent: sent.status };
    }, key);
    expect(results).toEqual({ registered: 201, receipt: 201, total: 22.58, campaign: 201, sent: 204 });
  });

  test("try it: Scalar's client sends the request to this server and shows its answer", async ({ page }) => {
    await openDocs(page);
    const key = locationKey(DEMO_LOCATION.durango);
    await page.getByText("Search registered customers", { exact: true }).first().click();
    await page.getByRole("button", { name: /Test Request/i }).first().click();
    const client = page.getByRole("dialog");
    await expect(client).toBeVisible();
    const sent = page.waitForRequest((r) => r.url().startsWith(`${MAIN_URL}/v1/Customers`) && r.method() === "GET");
    await client.getByRole("textbox", { name: /Authorization|Value|API Key/i }).first().fill(key);
    await client.getByRole("button", { name: /^Send/ }).first().click();
    const request = await sent;
    expect(request.headers()["authorization"]).toBe(key);
    const response = await request.response();
    expect(response?.status()).toBe(200);
    await expect(client.getByText("200", { exact: false }).first()).toBeVisible();
  });

  for (const colorScheme of ["light", "dark"] as const) {
    test(`has no serious or critical accessibility violation (${colorScheme})`, async ({ page }) => {
      // Every operation is on the page: axe takes a while over it.
      test.setTimeout(180_000);
      await page.emulateMedia({ colorScheme });
      const { problems } = await openDocs(page);
      await page.waitForLoadState("networkidle");
      // Our repairs ran: the icon-only search button has its name.
      await expect(page.getByRole("search", { name: "Search the reference (Ctrl+K)" })).toBeVisible();
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious.map((v) => `${v.id}: ${v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
      expect(problems).toEqual([]);
    });
  }
});
