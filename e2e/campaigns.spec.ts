// Campaigns end to end in the console: an Owner sends a group campaign to a filtered audience
// (live message preview, preview of offers, reach and cost, a confirmation) and sees every
// customer's outcome and the email that reached one of them; a Manager's location campaign,
// made for another of their stores, skips the customer who never bought there and says why;
// Staff have no campaign navigation, and the console refuses them (403) when asked directly.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_LOCATIONS, unique } from "./fixtures/console";
import { engage, groupKey, registerCustomer, sale, uniqueContact } from "./fixtures/campaign-data";
import { DEMO_LOCATION, locationKey } from "./fixtures/engage-api";
import { MAIN_URL, storageStateOf } from "./fixtures/env";
import { waitForMail } from "./fixtures/mail";

async function axe(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const outcomeRows = (page: Page) => page.getByRole("table", { name: "Each customer's outcome" }).getByRole("row").filter({ has: page.getByRole("cell") });

test.describe("as the demo owner", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("sends a group campaign to a filtered audience and sees each customer's outcome, and the email arrives", async ({ page, request }) => {
    test.setTimeout(90_000);
    const u = unique();
    const key = locationKey(DEMO_LOCATION.durango);
    // A lifetime spend no earlier run's customers reached: only this test's big spenders match.
    const threshold = 1_000_000 + Math.floor((Date.now() - Date.UTC(2026, 0, 1)) / 1000);
    const emailContact = uniqueContact(`ada${u}`);
    const ada = await registerCustomer(request, key, { FirstName: "Ada", LastName: `Big${u}`, Email: emailContact.Email, AcceptsEmail: true });
    const smsContact = uniqueContact(`ben${u}`);
    const ben = await registerCustomer(request, key, { FirstName: "Ben", LastName: `Big${u}`, Phone: smsContact.Phone, AcceptsSMS: true });
    const cal = await registerCustomer(request, key, { FirstName: "Cal", LastName: `Small${u}`, Email: uniqueContact(`cal${u}`).Email, AcceptsEmail: true });
    await sale(request, key, ada.CustomerID, threshold + 10);
    await sale(request, locationKey(DEMO_LOCATION.silverton), ben.CustomerID, threshold + 0.5);
    await sale(request, key, cal.CustomerID, threshold - 1);

    await page.goto("/campaigns");
    await page.getByRole("link", { name: "New campaign" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "New campaign" })).toBeVisible();
    const name = `Big spenders ${u}`;
    await page.getByLabel("Good at").selectOption({ label: "All locations (group campaign)" });
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Amount off ($)").fill("7");
    await page.getByLabel("Days till expiration").fill("21");
    await page.getByLabel("Message").fill("Hi {FirstName}, thank you for being a big spender!");
    // The preview reads as a customer will read it, as it is typed.
    await expect(page.getByTestId("sms-preview")).toContainText("Hi Jamie, thank you for being a big spender! Use code");
    await expect(page.getByTestId("sms-preview")).toContainText("Reply STOP to opt out.");
    await expect(page.getByText("Email: $7.00 off at Bark & Meow")).toBeVisible();

    await page.getByRole("radio", { name: /^Customers who match filters/ }).check();
    await page.getByLabel("Lifetime spend at least ($)").fill(String(threshold));
    await page.getByRole("button", { name: "Preview offers" }).click();
    await expect(page.getByTestId("would-offer")).toHaveText("2", { timeout: 20_000 });
    const preview = page.getByRole("region", { name: "Before you send" });
    await expect(preview).toContainText("of 2 customers in the audience");
    await expect(preview).toContainText("Up to 1 customer by SMS");
    await expect(preview).toContainText("Up to 1 customer by email");
    await expect(page.getByTestId("maximum-cost")).toHaveText("$14.00");
    // The terms are fixed once the campaign exists.
    await expect(page.getByLabel("Amount off ($)")).toBeDisabled();
    expect(await axe(page)).toEqual([]);

    // The confirmation says how many offers and the most they could cost; Cancel sends nothing.
    await page.getByRole("button", { name: "Send 2 offers" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Send 2 offers?" });
    await expect(dialog).toContainText("2 customers get $7.00 off any purchase. The most this could cost is $14.00");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    await page.getByRole("button", { name: "Send 2 offers" }).click();
    await dialog.getByRole("button", { name: "Send 2 offers" }).click();

    await expect(page).toHaveURL(/\/campaigns\/\d+$/);
    const campaignId = Number(page.url().split("/").pop());
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByTestId("offers-issued")).toHaveText("2", { timeout: 20_000 });
    const rows = outcomeRows(page);
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: `Ada Big${u}` })).toContainText("Offered");
    await expect(rows.filter({ hasText: `Ben Big${u}` })).toContainText("Offered");
    await expect(page.getByRole("table", { name: "Each customer's outcome" })).not.toContainText(`Small${u}`);
    expect(await axe(page)).toEqual([]);

    // Engage agrees, and the email reached Ada at the local SMTP server with her offer's code.
    const offers = await engage<{ CampaignID: number; Code: string }[]>(request, groupKey(), "GET", `/Customers/${ada.CustomerID}/Offers`);
    const code = offers.find((o) => o.CampaignID === campaignId)!.Code;
    const mail = await waitForMail(emailContact.Email, (m) => m.text.includes(code));
    expect(mail.subject).toBe("$7.00 off at Bark & Meow");
    expect(mail.text).toContain("Hi Ada, thank you for being a big spender!");

    // The list shows it with its scope and results, and the scope filter finds it.
    await page.goto("/campaigns?scope=group");
    const row = page.getByRole("table", { name: "Campaigns" }).getByRole("row", { name: new RegExp(name) });
    await expect(row).toContainText("All locations");
    await expect(row).toContainText("$7.00");
    await expect(row).toContainText("21 days");
    await page.getByLabel("Scope").selectOption({ label: DEMO_LOCATIONS[2] });
    await expect(page).toHaveURL(/scope=3/);
    await expect(page.getByRole("table", { name: "Campaigns" }).or(page.getByText(/^No campaigns/))).toBeVisible();
    await expect(page.getByRole("row", { name: new RegExp(name) })).toHaveCount(0);
  });
});

test.describe("as the demo manager", () => {
  test.use({ storageState: storageStateOf("manager") });

  test("a location campaign for another of their stores skips the customer who never bought there, and says why", async ({ page, request }) => {
    test.setTimeout(90_000);
    const u = unique();
    // The Manager works at Durango now; the campaign is Silverton's.
    const silverton = locationKey(DEMO_LOCATION.silverton);
    const buyer = await registerCustomer(request, silverton, { FirstName: "Sue", LastName: `Bought${u}`, Phone: uniqueContact(`sue${u}`).Phone });
    await sale(request, silverton, buyer.CustomerID, 20);
    const stranger = await registerCustomer(request, locationKey(DEMO_LOCATION.cortez), { FirstName: "Tom", LastName: `Never${u}`, Phone: uniqueContact(`tom${u}`).Phone });
    await sale(request, locationKey(DEMO_LOCATION.cortez), stranger.CustomerID, 20);

    await page.goto("/campaigns/new");
    await expect(page.getByRole("heading", { level: 1, name: "New campaign" })).toBeVisible();
    // A Manager chooses among their stores only: no group campaign.
    await expect(page.getByLabel("Good at").getByRole("option")).toHaveText([DEMO_LOCATIONS[0], DEMO_LOCATIONS[1]]);
    await page.getByLabel("Good at").selectOption({ label: DEMO_LOCATIONS[1] });
    const name = `Silverton regulars ${u}`;
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Amount off ($)").fill("3");
    await page.getByLabel("Days till expiration").fill("14");

    await page.getByRole("radio", { name: /^A list of CustomerIDs/ }).check();
    await page.getByLabel("CustomerIDs", { exact: true }).fill(`${buyer.CustomerID}, ${stranger.CustomerID}\n${buyer.CustomerID} oops`);
    await expect(page.getByText("2 CustomerIDs, 1 repeated (counted once), 1 entries that are not CustomerIDs (left out).")).toBeVisible();
    await page.getByRole("button", { name: "Preview offers" }).click();
    await expect(page.getByTestId("would-offer")).toHaveText("1", { timeout: 20_000 });
    const preview = page.getByRole("region", { name: "Before you send" });
    await expect(preview).toContainText("1: never bought at this location");
    await expect(page.getByTestId("maximum-cost")).toHaveText("$3.00");
    await page.getByRole("button", { name: "Send 1 offer" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Send 1 offer?" });
    await expect(dialog).toContainText("1 customer gets $3.00 off any purchase");
    await dialog.getByRole("button", { name: "Send 1 offer" }).click();

    await expect(page).toHaveURL(/\/campaigns\/\d+$/);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByRole("main")).toContainText(`good at ${DEMO_LOCATIONS[1]}`);
    const rows = outcomeRows(page);
    await expect(rows.filter({ hasText: `Tom Never${u}` })).toContainText("Skipped", { timeout: 20_000 });
    await expect(rows.filter({ hasText: `Tom Never${u}` })).toContainText("never bought at this location");
    await expect(rows.filter({ hasText: `Sue Bought${u}` })).toContainText("Offered");
    await expect(page.getByTestId("offers-issued")).toHaveText("1");
    await expect(page.getByRole("main")).toContainText("1 never bought at this location");
  });

  test("the proxy lets a Manager act only at their own stores", async ({ page }) => {
    const ask = (actAt: string) => page.request.get("/api/engage/Campaigns", { headers: { "x-engage-act-at": actAt } });
    expect((await ask(String(DEMO_LOCATION.silverton))).status()).toBe(200);
    for (const actAt of [String(DEMO_LOCATION.cortez), "group", "999"]) {
      const refused = await ask(actAt);
      expect(refused.status(), actAt).toBe(403);
      expect(await refused.json()).toMatchObject({ Code: "forbidden" });
    }
    // Nor create a group campaign.
    const group = await page.request.post("/api/engage/Campaigns/Group", {
      headers: { "content-type": "application/json", origin: MAIN_URL },
      data: { AmountOff: 1, DaysTillExpiration: 5 },
    });
    expect(group.status()).toBe(403);
  });
});

test.describe("as the demo staff", () => {
  test.use({ storageState: storageStateOf("staff") });

  test("no campaign, automation or outbox navigation, and 403 when asking the console directly", async ({ page }) => {
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Customers" })).toBeVisible();
    for (const section of ["Campaigns", "Automations", "Outbox"]) await expect(nav.getByRole("link", { name: section })).toHaveCount(0);
    for (const path of ["/campaigns", "/campaigns/new", "/campaigns/1", "/automations", "/outbox"]) {
      expect((await page.goto(path))?.status(), path).toBe(404);
    }
    for (const path of ["/api/engage/Campaigns", "/api/engage/Campaigns/1", "/api/engage/Campaigns/1/Offers", "/api/engage/Automations", "/api/engage/Notifications"]) {
      const response = await page.request.get(path);
      expect(response.status(), path).toBe(403);
      expect(await response.json()).toMatchObject({ Code: "forbidden" });
    }
    const json = { "content-type": "application/json", origin: MAIN_URL };
    for (const [path, data] of [
      ["/api/engage/Campaigns/Location", { AmountOff: 5, DaysTillExpiration: 10 }],
      ["/api/engage/Campaigns/1/Offers", [1]],
      ["/api/engage/Campaigns/1/Preview", [1]],
    ] as const) {
      const response = await page.request.post(path, { headers: json, data });
      expect(response.status(), path).toBe(403);
    }
    const put = await page.request.put("/api/engage/Automations/welcome", { headers: json, data: { Enabled: true, AmountOff: 5 } });
    expect(put.status()).toBe(403);
  });
});
