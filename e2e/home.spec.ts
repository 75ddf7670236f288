// Home, the business at a glance: a new merchant's Owner sees the empty state, then — after a
// POS submitted receipts, an offer and a void through the API — figures that equal the ones this
// spec computes from those receipts itself, locations side by side, the leading location and
// campaign; the period in the URL. A Manager's page shows their locations only. Against a remote
// Engage without reports, the page says so and shows what any Engage can tell.
import http from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { unique } from "./fixtures/console";
import { issueOffer, locationKey, DEMO_LOCATION, registerCustomer, submitReceipt, type Receipt } from "./fixtures/engage-api";
import { admin, MAIN_PORT, MAIN_URL, SECOND_PORT, SECOND_URL, storageStateOf } from "./fixtures/env";

const money = (v: number) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(v);
const pct = (v: number) => new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 }).format(v);
const utcDay = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function scan(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

function kpi(page: Page, label: string) {
  return page.getByRole("list", { name: "Key figures" }).getByRole("listitem", { name: label, exact: true });
}

/** A key figure's value alone. */
function figure(page: Page, label: string) {
  return page.getByTestId(`kpi-${label.toLowerCase().replace(/[^a-z]+/g, "-")}`);
}

/** A group of its own on the main server, with two locations, their keys and an Owner who signs in. */
async function newMerchant(page: Page) {
  const u = unique();
  const group = admin<{ GroupID: number; Key: string }>(MAIN_PORT, ["group", "create", "--name", `Home ${u}`, "--json"]);
  const stores = ["Uptown", "Downtown"].map((name) =>
    admin<{ LocationID: number; Key: string }>(MAIN_PORT, ["location", "create", "--group", String(group.GroupID), "--name", `${name} ${u}`, "--json"]),
  );
  const email = `home-owner-${u}@example.com`;
  admin(MAIN_PORT, ["user", "create", "--email", email, "--role", "owner", "--group", String(group.GroupID), "--password-stdin", "--json"], "home-owner-pass\n");
  await page.goto(`${MAIN_URL}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("home-owner-pass");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  return { u, group, stores: stores.map((s, i) => ({ ...s, Name: `${["Uptown", "Downtown"][i]} ${u}` })) };
}

test("a new merchant's Owner: no sales yet, then the figures of the receipts their POS sent, side by side", async ({ browser, request }) => {
  // The operator CLI (a process per call) and a dozen API calls take their time.
  test.setTimeout(120_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const { group, stores } = await newMerchant(page);
  const [uptown, downtown] = stores;

  await page.goto("/");
  await expect(page.getByText("No sales yet")).toBeVisible();
  expect(await scan(page)).toEqual([]);

  // The POS: three customers, five sales at two stores, an offer redeemed, a sale voided.
  const names = ["Ada", "Ben", "Cy"].map((FirstName) => ({ FirstName, LastName: "Home" }));
  const customers = [];
  for (const n of names) customers.push(await registerCustomer(request, group.Key, n));
  const sales: { receipt: Receipt; voided?: boolean }[] = [];
  const sell = async (key: string, customer: number, amount: number, discount?: { Code: string; Amount: number }) => {
    const receipt = await submitReceipt(request, key, {
      CustomerID: customer,
      Skus: [{ SKU: "TOY", Description: "Toy", Amount: amount, Quantity: 1 }],
      Discounts: discount ? [discount] : [],
    });
    sales.push({ receipt });
    return receipt;
  };
  await sell(uptown.Key, customers[0].CustomerID, 40);
  await sell(uptown.Key, customers[0].CustomerID, 25);
  await sell(downtown.Key, customers[1].CustomerID, 12.5);
  const offer = await issueOffer(request, uptown.Key, customers[0].CustomerID, { AmountOff: 5, MinimumPurchase: 0, DaysTillExpiration: 30 });
  const redeeming = await sell(uptown.Key, customers[0].CustomerID, 30, { Code: offer.Code, Amount: 5 });
  expect(redeeming.Redemptions[0]?.Status).toBe("Redeemed");
  const voided = await sell(downtown.Key, customers[2].CustomerID, 99);
  const res = await request.post(`${MAIN_URL}/v1/Receipts/${voided.ReceiptID}/Void`, { headers: { authorization: downtown.Key } });
  expect(res.status()).toBe(200);
  sales.find((s) => s.receipt.ReceiptID === voided.ReceiptID)!.voided = true;

  // What the page must show, computed here from the receipts themselves.
  const counted = sales.filter((s) => !s.voided).map((s) => s.receipt);
  const cents = (v: number) => Math.round(v * 100);
  const revenue = counted.reduce((a, r) => a + cents(r.Total), 0) / 100;
  const buyers = new Set(counted.map((r) => r.CustomerID));
  const repeats = counted.length - buyers.size;
  const at = (id: number) => counted.filter((r) => r.LocationID === id).reduce((a, r) => a + cents(r.Total), 0) / 100;
  const redeemedRevenue = counted.filter((r) => r.Redemptions.some((x) => x.Status === "Redeemed")).reduce((a, r) => a + cents(r.Total), 0) / 100;

  await page.goto("/");
  await expect(figure(page, "Revenue")).toHaveText(money(revenue));
  await expect(figure(page, "Receipts")).toHaveText(String(counted.length));
  await expect(figure(page, "Average ticket")).toHaveText(money(Math.round((revenue * 10_000) / counted.length) / 10_000));
  await expect(figure(page, "New customers")).toHaveText(String(buyers.size));
  await expect(figure(page, "Repeat-visit rate")).toHaveText(pct(Math.round((repeats / counted.length) * 10_000) / 10_000));
  await expect(figure(page, "Offers issued")).toHaveText("1");
  await expect(figure(page, "Offers redeemed")).toHaveText("1");
  await expect(figure(page, "Redeemed revenue")).toHaveText(money(redeemedRevenue));
  // Nothing the 30 days before: every figure is new.
  await expect(kpi(page, "Revenue")).toContainText("None in the previous 30 days");

  // Locations side by side, the leader named.
  const table = page.getByRole("table", { name: "Locations side by side" });
  const leader = at(uptown.LocationID) >= at(downtown.LocationID) ? uptown : downtown;
  await expect(table.getByRole("row", { name: new RegExp(uptown.Name) })).toContainText(money(at(uptown.LocationID)));
  await expect(table.getByRole("row", { name: new RegExp(downtown.Name) })).toContainText(money(at(downtown.LocationID)));
  await expect(table.getByRole("row", { name: new RegExp(leader.Name) })).toContainText("Leads");
  await expect(page.getByText(`${leader.Name} leads with ${money(at(leader.LocationID))}.`)).toBeVisible();
  // The campaign that earned the most (a location campaign made by the fixture has no name).
  await expect(page.getByText(`Campaign ${offer.CampaignID} earned the most: ${money(redeemedRevenue)}`)).toBeVisible();

  // Every chart reads as a table too: today's row of the revenue chart.
  const chart = page.getByRole("figure", { name: "Revenue and receipts per day" });
  await expect(chart.getByRole("table")).toBeAttached();
  await chart.getByRole("button", { name: "Show as table" }).click();
  const today = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${utcDay()}T00:00:00Z`));
  await expect(chart.getByRole("row", { name: new RegExp(today) })).toContainText(money(revenue));
  expect(await scan(page)).toEqual([]);

  // The period is in the URL: a choice changes it, a reload keeps it.
  await page.getByRole("combobox", { name: "Period" }).selectOption("7d");
  await expect(page).toHaveURL(/\?range=7d$/);
  await page.reload();
  await expect(page.getByRole("combobox", { name: "Period" })).toHaveValue("7d");
  await expect(figure(page, "Revenue")).toHaveText(money(revenue));
  // A custom period without these sales: zeros, and the charts say there is nothing to draw.
  await page.getByRole("combobox", { name: "Period" }).selectOption("custom");
  await page.getByLabel("First day (UTC)").fill(utcDay(-20));
  await page.getByLabel("Last day (UTC)").fill(utcDay(-10));
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`range=custom&from=${utcDay(-20)}&to=${utcDay(-10)}`));
  await expect(figure(page, "Revenue")).toHaveText(money(0));
  await expect(page.getByText("No receipts in this period.")).toBeVisible();
  // A period the API would refuse is said so, not sent.
  await page.getByLabel("First day (UTC)").fill(utcDay(-10));
  await page.getByLabel("Last day (UTC)").fill(utcDay(-20));
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page.getByText("The last day must not be before the first.")).toBeVisible();
  await context.close();
});

test.describe("as the demo Manager", () => {
  test.use({ storageState: storageStateOf("manager") });

  test("the page shows the Manager's locations only, each with its own figures", async ({ page, request }) => {
    await page.goto("/");
    const table = page.getByRole("table", { name: "Locations side by side" });
    await expect(table).toBeVisible();
    const rows = table.getByRole("row").filter({ has: page.getByRole("cell") });
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText("Bark & Meow Durango");
    await expect(rows.nth(1)).toContainText("Bark & Meow Silverton");
    await expect(page.getByRole("main")).not.toContainText("Cortez");

    // Durango's figures (where the Manager works) are Durango's own, as its key reports them.
    const from = utcDay(-29);
    const to = utcDay();
    const own = await request.get(`${MAIN_URL}/v1/Reports/Summary?From=${from}&To=${to}`, { headers: { authorization: locationKey(DEMO_LOCATION.durango) } });
    const summary = (await own.json()) as { Receipts: { Revenue: number; Count: number } };
    await expect(figure(page, "Revenue")).toHaveText(money(summary.Receipts.Revenue));
    await expect(figure(page, "Receipts")).toHaveText(summary.Receipts.Count.toLocaleString("en-US"));

    // Asking the console for Cortez's, or the group's, is refused.
    for (const actAt of [String(DEMO_LOCATION.cortez), "group"]) {
      const refused = await page.request.get(`/api/engage/Reports/Summary?From=${from}&To=${to}`, { headers: { "x-engage-act-at": actAt } });
      expect(refused.status(), actAt).toBe(403);
    }
    expect(await scan(page)).toEqual([]);
  });
});

test("against a remote Engage without reports, the page says so and shows what it can", async ({ browser, playwright }) => {
  test.setTimeout(120_000);
  // An Engage of an older kind: our second server, with /v1/Reports answering 404 as an
  // Engage without the extension does.
  const remote = http.createServer((req, res) => {
    if (/^\/v1\/reports/i.test(req.url ?? "")) {
      res.writeHead(404, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify({ Message: `No Engage resource at ${req.url}.`, Code: "not_found" }));
      return;
    }
    const upstream = http.request(`${SECOND_URL}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => remote.listen(0, "127.0.0.1", resolve));
  const remoteUrl = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;
  try {
    const u = unique();
    const remoteGroup = admin<{ GroupID: number; Key: string }>(SECOND_PORT, ["group", "create", "--name", `Old Engage ${u}`, "--json"]);
    const remoteStore = admin<{ LocationID: number; Key: string }>(SECOND_PORT, ["location", "create", "--group", String(remoteGroup.GroupID), "--name", "Old store", "--json"]);
    const pos = await playwright.request.newContext();
    const registered = await pos.post(`${SECOND_URL}/v1/Customers`, {
      headers: { authorization: remoteStore.Key, "content-type": "application/json" },
      data: { Phone: `555${String(Date.now()).slice(-7)}`, FirstName: "Remote" },
    });
    expect(registered.status()).toBe(201);
    const { CustomerID } = await registered.json();
    const sold = await pos.post(`${SECOND_URL}/v1/Receipts`, {
      headers: { authorization: remoteStore.Key, "content-type": "application/json" },
      data: { CustomerID, Skus: [{ SKU: "A", Amount: 10, Quantity: 1 }], SubTotal: 10, Taxes: 0, Total: 10 },
    });
    expect(sold.status()).toBe(201);

    const context = await browser.newContext();
    const page = await context.newPage();
    const { stores } = await newMerchant(page);
    const saved = await page.request.put("/api/settings/connection", {
      headers: { "content-type": "application/json", origin: MAIN_URL },
      data: {
        Mode: "remote",
        RemoteURL: remoteUrl,
        GroupKey: remoteGroup.Key,
        LocationKeys: [{ LocationID: stores[0].LocationID, Key: remoteStore.Key }],
      },
    });
    expect(saved.status(), await saved.text()).toBe(200);

    await page.goto("/");
    await expect(page.getByText("Reports are unavailable on this Engage server")).toBeVisible();
    const counts = page.getByRole("list", { name: "What this server can tell" });
    await expect(counts.getByRole("listitem", { name: "Customers" })).toContainText("1");
    await expect(counts.getByRole("listitem", { name: "Receipts" })).toContainText("1");
    // The rest of the page is there: the sections.
    await expect(page.getByRole("heading", { name: "Sections" })).toBeVisible();
    expect(await scan(page)).toEqual([]);
    await pos.dispose();
    await context.close();
  } finally {
    await new Promise<void>((resolve) => remote.close(() => resolve()));
    remote.closeAllConnections();
  }
});
