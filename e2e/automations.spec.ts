// Automations in the console: an Owner turns on the group's welcome offer, a customer's first
// receipt (through the API, as a POS sends it) spawns the offer, it shows on the customer's
// profile, and its email arrives at the local SMTP server. A Manager configures their store's
// templates and sees the group's read-only.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { unique } from "./fixtures/console";
import { engage, groupKey, registerCustomer, sale, uniqueContact } from "./fixtures/campaign-data";
import { DEMO_LOCATION, locationKey } from "./fixtures/engage-api";
import { storageStateOf } from "./fixtures/env";
import { waitForMail } from "./fixtures/mail";

async function axe(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Turns the group's welcome off again, so no other spec's new customers get one. */
async function welcomeOff(request: APIRequestContext) {
  await engage(request, groupKey(), "PUT", "/Automations/welcome", { Enabled: false, AmountOff: 5, LocationID: null });
}

test.describe("as the demo owner", () => {
  test.use({ storageState: storageStateOf("owner") });
  test.afterEach(async ({ request }) => welcomeOff(request));

  test("turning on welcome: a first receipt spawns the offer, the profile shows it, and its email arrives", async ({ page, request }) => {
    test.setTimeout(90_000);
    const u = unique();
    await page.goto("/automations?scope=group");
    await expect(page.getByRole("heading", { level: 1, name: "Automations" })).toBeVisible();
    const welcome = page.getByRole("form", { name: /^Welcome/ });
    await expect(welcome.getByRole("switch", { name: "On" })).not.toBeChecked();
    for (const template of ["Spend milestone", "Visit milestone", "Birthday", "Win-back"]) {
      await expect(page.getByRole("form", { name: new RegExp(`^${template}`) })).toBeVisible();
    }
    expect(await axe(page)).toEqual([]);

    // A rule of the template's own: turning on spend milestones needs its threshold.
    const spend = page.getByRole("form", { name: /^Spend milestone/ });
    await spend.getByLabel("Every ($ of lifetime spend)").fill("");
    await spend.getByRole("switch", { name: "On" }).check();
    await spend.getByRole("button", { name: "Save spend milestone" }).click();
    await expect(spend.getByText("Is required to turn spend-milestone on")).toBeVisible();

    await welcome.getByRole("switch", { name: "On" }).check();
    await welcome.getByLabel("Amount off ($)").fill("4");
    await welcome.getByLabel("Days till expiration").fill("10");
    await welcome.getByLabel("Message").fill("Welcome, {FirstName}! Here is {AmountOff} off your next visit.");
    await welcome.getByRole("button", { name: "Save welcome" }).click();
    await expect(page.getByText("Welcome is on for The whole group (Bark & Meow).")).toBeVisible();
    await expect(welcome.getByRole("heading", { level: 2 })).toHaveText("Welcome On");
    const saved = await engage<{ TemplateName: string; LocationID: number | null; Enabled: boolean; AmountOff: number }[]>(request, groupKey(), "GET", "/Automations");
    expect(saved.find((a) => a.TemplateName === "welcome" && a.LocationID === null)).toMatchObject({ Enabled: true, AmountOff: 4 });

    // A new customer's first receipt, as a POS submits it.
    const key = locationKey(DEMO_LOCATION.durango);
    const contact = uniqueContact(`wendy${u}`);
    const wendy = await registerCustomer(request, key, { FirstName: "Wendy", LastName: `Welcome${u}`, Email: contact.Email, AcceptsEmail: true });
    const receipt = await sale(request, key, wendy.CustomerID, 12);
    const offer = receipt.Offers.find((o) => o.TemplateName === "welcome");
    expect(offer, JSON.stringify(receipt.Offers)).toBeDefined();

    await page.goto(`/customers/${wendy.CustomerID}`);
    const offers = page.getByRole("table", { name: "Offers" });
    await expect(offers).toContainText(offer!.Code);
    await expect(offers.getByRole("row", { name: new RegExp(offer!.Code) })).toContainText("$4.00");

    const mail = await waitForMail(contact.Email, (m) => m.text.includes(offer!.Code));
    expect(mail.text).toContain(`Welcome, Wendy! Here is $4.00 off your next visit.`);
    expect(mail.subject).toContain("$4.00 off");

    // Off again: the next customer's first receipt spawns nothing.
    await page.goto("/automations?scope=group");
    await page.getByRole("form", { name: /^Welcome/ }).getByRole("switch", { name: "On" }).uncheck();
    await page.getByRole("form", { name: /^Welcome/ }).getByRole("button", { name: "Save welcome" }).click();
    await expect(page.getByText("Welcome is off for The whole group (Bark & Meow).")).toBeVisible();
    const next = await registerCustomer(request, key, { FirstName: "Nat", LastName: `NoWelcome${u}`, Phone: uniqueContact(`nat${u}`).Phone });
    expect((await sale(request, key, next.CustomerID, 12)).Offers.filter((o) => o.TemplateName === "welcome")).toEqual([]);
  });
});

test.describe("as the demo manager", () => {
  test.use({ storageState: storageStateOf("manager") });

  test("configures their store's templates and sees the group's read-only", async ({ page, request }) => {
    await page.goto("/automations");
    await expect(page.getByLabel("For", { exact: true })).toHaveValue(String(DEMO_LOCATION.durango));
    const visits = page.getByRole("form", { name: /^Visit milestone/ });
    await visits.getByLabel("Every (visits)").fill("12");
    await visits.getByLabel("Amount off ($)").fill("6");
    await visits.getByRole("button", { name: "Save visit milestone" }).click();
    await expect(page.getByText("Visit milestone is off for Bark & Meow Durango.")).toBeVisible();
    const durango = await engage<{ TemplateName: string; LocationID: number | null; VisitInterval: number | null; AmountOff: number }[]>(
      request,
      locationKey(DEMO_LOCATION.durango),
      "GET",
      "/Automations",
    );
    expect(durango.find((a) => a.TemplateName === "visit-milestone" && a.LocationID === DEMO_LOCATION.durango)).toMatchObject({ VisitInterval: 12, AmountOff: 6 });

    await page.getByLabel("For", { exact: true }).selectOption({ label: "The whole group (read-only)" });
    await expect(page).toHaveURL(/scope=group/);
    await expect(page.getByRole("form", { name: /^Welcome/ }).getByRole("switch", { name: "On" })).toBeDisabled();
    await expect(page.getByRole("button", { name: /^Save / })).toHaveCount(0);
    expect(await axe(page)).toEqual([]);
  });
});
