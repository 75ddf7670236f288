// Issue 4's "Done when", as a new store clerk lives it on the demo data, with the keyboard
// alone: find a customer by the last 4 digits of their phone, correct their email, see a
// receipt their store's POS submits in their profile after a refresh, and look up their offer
// by its code typed in lower case. Every step is reached with Tab, Shift+Tab, Enter, Space and
// typing (no mouse), each control has a visible focus, and each page passes an axe scan.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { unique } from "./fixtures/console";
import { dollars, formattedPhone, HOME_LOCATION_NAME } from "./fixtures/customers";
import { DEMO_LOCATION, issueOffer, locationKey, submitReceipt } from "./fixtures/engage-api";
import { DEMO, MAIN_URL } from "./fixtures/env";

interface DemoCustomer {
  CustomerID: number;
  FirstName: string | null;
  LastName: string | null;
  Phone: string | null;
  Email: string | null;
  VisitCount: number;
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function searchCustomers(request: APIRequestContext, key: string, query: Record<string, string>): Promise<DemoCustomer[]> {
  const response = await request.get(`${MAIN_URL}/v1/Customers?${new URLSearchParams(query)}`, { headers: { authorization: key } });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as DemoCustomer[];
}

const nameOf = (c: DemoCustomer) => `${c.FirstName} ${c.LastName}`;

/**
 * A customer of the demo seed (phone 970-…) who has bought at Cortez, where the demo Staff user
 * works, and whom the last 4 digits of their phone tell apart by name from every other match.
 */
async function demoCustomerOfCortez(request: APIRequestContext, key: string): Promise<DemoCustomer> {
  const candidates = await searchCustomers(request, key, { PurchasedAtLocationID: String(DEMO_LOCATION.cortez), Sort: "-name", PageSize: "50" });
  for (const candidate of candidates) {
    if (!candidate.Phone?.startsWith("970") || !candidate.FirstName || !candidate.LastName) continue;
    const matches = await searchCustomers(request, key, { Query: candidate.Phone.slice(-4), PageSize: "200" });
    if (matches.filter((m) => nameOf(m) === nameOf(candidate)).length === 1) return candidate;
  }
  throw new Error("No demo customer of Cortez can be told apart by the last 4 digits of their phone");
}

/** Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user gets there. */
async function tabTo(page: Page, target: Locator, { backwards = false, max = 80 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
  }
  throw new Error(`${backwards ? "Shift+Tab" : "Tab"} never reached ${target}`);
}

/** The focused control shows it: an outline or a ring (box-shadow), as a sighted keyboard user needs. */
async function expectVisibleFocus(target: Locator): Promise<void> {
  await expect(target).toBeFocused();
  const focus = await target.evaluate((el) => {
    const style = getComputedStyle(el);
    return {
      focusVisible: el.matches(":focus-visible"),
      outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
      ring: style.boxShadow !== "none",
    };
  });
  expect(focus.focusVisible, `${target} matches :focus-visible`).toBe(true);
  expect(focus.outline || focus.ring, `${target} shows its focus`).toBe(true);
}

/** Focus is not lost after a page change: it is in the new page's main content, where Tab goes on from. */
async function expectFocusInMain(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => document.getElementById("main")?.contains(document.activeElement) ?? false), {
      message: "the focus is in the page's main content",
    })
    .toBe(true);
}

// The clerk signs in themselves, from the keyboard too: no saved session.
test.use({ storageState: { cookies: [], origins: [] } });

test("a new clerk, keyboard only: finds a customer by the last 4 digits, corrects the email, sees a POS receipt after a refresh and looks up their offer", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const key = locationKey(DEMO_LOCATION.cortez);
  const customer = await demoCustomerOfCortez(request, key);
  const name = nameOf(customer);
  const last4 = customer.Phone!.slice(-4);
  // The store sends them an offer (a Cortez campaign), as a manager would have before the shift.
  const offer = await issueOffer(request, key, customer.CustomerID, { AmountOff: 6, MinimumPurchase: 30, DaysTillExpiration: 30 });
  expect(offer.Status).toBe("Active");

  // 0. Signing in as the demo Staff user: the email field has the focus, Tab to the password, Enter.
  await page.goto("/sign-in");
  expect(await seriousViolations(page)).toEqual([]);
  await expect(page.getByLabel("Email")).toBeFocused();
  await page.keyboard.type(DEMO.staff.email);
  await tabTo(page, page.getByLabel("Password"));
  await expectVisibleFocus(page.getByLabel("Password"));
  await page.keyboard.type(DEMO.staff.password);
  await page.keyboard.press("Enter");
  // Home, where the clerk starts.
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // 1. Customers, from the navigation.
  const nav = page.getByRole("navigation", { name: "Main" });
  await tabTo(page, nav.getByRole("link", { name: "Customers" }));
  await expectVisibleFocus(nav.getByRole("link", { name: "Customers" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL("/customers");
  await expect(page.getByRole("heading", { level: 1, name: "Customers" })).toBeVisible();

  // 2. The last 4 digits of the phone, and Enter: the customer is in the list.
  const search = page.getByRole("searchbox", { name: "Search customers" });
  await tabTo(page, search);
  await expectVisibleFocus(search);
  await page.keyboard.type(last4);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(`/customers?q=${last4}`);
  const results = page.getByRole("table", { name: "Customers" });
  const row = results.getByRole("row").filter({ hasText: formattedPhone(customer.Phone!) });
  const link = row.getByRole("link", { name });
  await expect(link).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await tabTo(page, link);
  await expectVisibleFocus(link);
  await page.keyboard.press("Enter");

  // 3. Their profile: the focus is not lost, and Tab goes on to Edit customer.
  await expect(page).toHaveURL(`/customers/${customer.CustomerID}`);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expectFocusInMain(page);
  expect(await seriousViolations(page)).toEqual([]);
  const edit = page.getByRole("link", { name: "Edit customer" });
  await tabTo(page, edit);
  await expectVisibleFocus(edit);
  await page.keyboard.press("Enter");

  // 4. Correct the email: select what is there, type the right one, Enter saves.
  await expect(page).toHaveURL(`/customers/${customer.CustomerID}/edit`);
  await expectFocusInMain(page);
  const emailField = page.getByLabel("Email", { exact: true });
  await expect(emailField).toHaveValue(customer.Email ?? "");
  expect(await seriousViolations(page)).toEqual([]);
  await tabTo(page, emailField);
  await expectVisibleFocus(emailField);
  const email = `${(customer.FirstName ?? "clerk").toLowerCase()}.${unique()}@example.com`;
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(email);
  await page.keyboard.press("Enter");
  await expect(page.getByText(`Saved ${name}: email changed.`)).toBeVisible();
  await expect(page).toHaveURL(`/customers/${customer.CustomerID}`);
  await expectFocusInMain(page);
  const details = page.getByRole("main").locator("dl").first();
  await expect(details).toContainText(email);

  // 5. The store's POS submits a sale for them (the API, with Cortez's key)…
  const receipt = await submitReceipt(request, key, {
    CustomerID: customer.CustomerID,
    Skus: [{ SKU: "TREATS-DOG", Description: "Peanut butter dog treats", Amount: 8.99, Quantity: 2 }],
  });
  // …and after a refresh it is in their profile, reachable from the keyboard.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(details).toContainText(email);
  const receipts = page.getByRole("table", { name: "Receipts" });
  const receiptLink = receipts.locator(`a[href="/receipts/${receipt.ReceiptID}"]`);
  await expect(receiptLink).toBeVisible();
  await expect(receipts.getByRole("row").filter({ has: page.locator(`a[href="/receipts/${receipt.ReceiptID}"]`) })).toContainText(dollars(receipt.Total));
  expect(await seriousViolations(page)).toEqual([]);
  await tabTo(page, receiptLink);
  await expectVisibleFocus(receiptLink);
  // The offer the store sent is in the profile too.
  await expect(page.getByRole("table", { name: "Offers" }).getByRole("row").filter({ hasText: offer.Code })).toContainText("Active");

  // 6. Offers, from the navigation (back up the page with Shift+Tab), and the code in lower case.
  const offersLink = nav.getByRole("link", { name: "Offers" });
  await tabTo(page, offersLink, { backwards: true });
  await expectVisibleFocus(offersLink);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL("/offers");
  const codeField = page.getByLabel("Offer code");
  await tabTo(page, codeField);
  await expectVisibleFocus(codeField);
  await page.keyboard.type(offer.Code.toLowerCase());
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(`/offers?code=${offer.Code}`);
  const result = page.getByRole("region", { name: "Offer" });
  await expect(result.getByRole("heading", { level: 2, name: "Active" })).toBeVisible();
  await expect(result).toContainText("Can be used");
  await expect(result).toContainText("$6.00 off");
  await expect(result).toContainText(`Redeemable at${HOME_LOCATION_NAME.staff} only`);
  expect(await seriousViolations(page)).toEqual([]);

  // 7. The offer names its holder: Enter on the name goes back to the customer's profile.
  const holder = result.getByRole("link", { name });
  await tabTo(page, holder);
  await expectVisibleFocus(holder);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(`/customers/${customer.CustomerID}`);
  await expectFocusInMain(page);
  await expect(page.getByRole("main").locator("dl").first()).toContainText(email);

  // Engage has what the clerk did: the corrected email, and the receipt counted in their visits.
  const stored = (await (await request.get(`${MAIN_URL}/v1/Customers/${customer.CustomerID}`, { headers: { authorization: key } })).json()) as DemoCustomer;
  expect(stored.Email).toBe(email);
  expect(stored.VisitCount).toBe(customer.VisitCount + 1);
});
