// The receipts page as Staff and as a Manager: filters by date, SKU and total kept in the URL
// (a reload, a new tab and Back all show the same view), a receipt's detail with its lines,
// totals and the reasons its codes were rejected; where sold, for an Owner and a Manager.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { unique } from "./fixtures/console";
import { storageStateOf } from "./fixtures/env";
import { DEMO_LOCATION, issueOffer, localDay, locationKey, registerCustomer, submitReceipt } from "./fixtures/engage-api";

const AS = [
  { role: "staff", location: DEMO_LOCATION.cortez, locationName: "Bark & Meow Cortez" },
  { role: "manager", location: DEMO_LOCATION.durango, locationName: "Bark & Meow Durango" },
] as const;

function receiptRows(page: Page) {
  // The first row is the header.
  return page.getByRole("table", { name: "Receipts" }).getByRole("row").filter({ has: page.getByRole("cell") });
}

function query(page: Page): Record<string, string> {
  return Object.fromEntries(new URL(page.url()).searchParams);
}

for (const who of AS) {
  test.describe(`as the demo ${who.role}`, () => {
    test.use({ storageState: storageStateOf(who.role) });

    test("filters by date, SKU and total; the URL reproduces the view; a receipt opens", async ({ page, request }) => {
      const key = locationKey(who.location);
      const u = unique();
      const sku = `E2E-${u}`.toUpperCase();
      const customer = await registerCustomer(request, key, { FirstName: "Rita", LastName: `Receipts ${u}` });
      const id = customer.CustomerID;
      // Totals with 8% tax: $10.80, $48.60, $97.20; and a $48.60 sale of another SKU.
      const small = await submitReceipt(request, key, { CustomerID: id, Skus: [{ SKU: sku, Description: "Chew toy", Amount: 5, Quantity: 2 }] });
      const middle = await submitReceipt(request, key, {
        CustomerID: id,
        Skus: [
          { SKU: sku, Description: "Cat tree", Amount: 40, Quantity: 1 },
          { SKU: "LEASH-RED", Description: "Red leash", Amount: 2.5, Quantity: 2 },
        ],
      });
      const large = await submitReceipt(request, key, { CustomerID: id, Skus: [{ SKU: sku, Description: "Dog bed", Amount: 90, Quantity: 1 }] });
      await submitReceipt(request, key, { CustomerID: id, Skus: [{ SKU: `OTHER-${u}`, Description: "Bird seed", Amount: 45, Quantity: 1 }] });
      expect([small.Total, middle.Total, large.Total]).toEqual([10.8, 48.6, 97.2]);

      await page.goto("/receipts");
      await expect(page.getByRole("heading", { level: 1, name: "Receipts" })).toBeVisible();
      await expect(page.getByRole("heading", { name: `Receipts at ${who.locationName}` })).toBeVisible();
      const filters = page.getByRole("search", { name: "Filter receipts" });
      await filters.getByLabel("From", { exact: true }).fill(localDay());
      await filters.getByLabel("To", { exact: true }).fill(localDay());
      await filters.getByLabel("SKU").fill(sku);
      await filters.getByLabel("Minimum total").fill("20");
      await filters.getByLabel("Maximum total").fill("60");
      await filters.getByLabel("Maximum total").press("Enter");

      await expect.poll(() => query(page)).toEqual({ from: localDay(), to: localDay(), sku, min: "20", max: "60" });
      await expect(receiptRows(page)).toHaveCount(1);
      const row = receiptRows(page).first();
      await expect(row).toContainText("$48.60");
      await expect(row).toContainText(who.locationName);
      await expect(row.getByRole("link", { name: `Rita Receipts ${u}` })).toHaveAttribute("href", `/customers/${id}`);
      await expect(page.getByText("1 receipt", { exact: true })).toBeVisible();

      // The same address in a new tab: the same receipts, and the fields say why.
      const tab = await page.context().newPage();
      await tab.goto(page.url());
      await expect(receiptRows(tab)).toHaveCount(1);
      await expect(receiptRows(tab).first()).toContainText("$48.60");
      await expect(tab.getByLabel("SKU")).toHaveValue(sku);
      await expect(tab.getByLabel("Minimum total")).toHaveValue("20");
      await expect(tab.getByLabel("Maximum total")).toHaveValue("60");
      await expect(tab.getByLabel("From", { exact: true })).toHaveValue(localDay());
      await tab.close();

      // Without the total range: the three sales of the SKU, newest first.
      await filters.getByLabel("Minimum total").fill("");
      await filters.getByLabel("Maximum total").fill("");
      await filters.getByRole("button", { name: "Apply filters" }).click();
      await expect.poll(() => query(page)).toEqual({ from: localDay(), to: localDay(), sku });
      await expect(receiptRows(page)).toHaveCount(3);
      await expect(receiptRows(page).getByRole("cell", { name: /^\$\d/ })).toHaveText(["$97.20", "$48.60", "$10.80"]);

      // Tomorrow has none of them.
      await filters.getByLabel("From", { exact: true }).fill(localDay(1));
      await filters.getByLabel("To", { exact: true }).fill(localDay(1));
      await filters.getByRole("button", { name: "Apply filters" }).click();
      await expect(page.getByText("No receipts match these filters")).toBeVisible();
      await expect(page.getByRole("table", { name: "Receipts" })).toHaveCount(0);

      // Back: the previous view, its fields included.
      await page.goBack();
      await expect(receiptRows(page)).toHaveCount(3);
      await expect(filters.getByLabel("From", { exact: true })).toHaveValue(localDay());

      // A total range the wrong way round is refused before any search.
      await filters.getByLabel("Minimum total").fill("50");
      await filters.getByLabel("Maximum total").fill("10");
      await filters.getByRole("button", { name: "Apply filters" }).click();
      await expect(filters.getByText("Must be at least the minimum total")).toBeVisible();
      await expect.poll(() => query(page)).toEqual({ from: localDay(), to: localDay(), sku });

      // The middle sale's detail.
      await receiptRows(page).nth(1).getByRole("link").first().click();
      await expect(page).toHaveURL(new RegExp(`/receipts/${middle.ReceiptID}$`));
      await expect(page.getByRole("heading", { level: 1, name: "Receipt" })).toBeVisible();
      const items = page.getByRole("table", { name: "Items" });
      await expect(items.getByRole("row")).toHaveCount(3);
      await expect(items).toContainText("Cat tree");
      await expect(items.getByRole("row", { name: /LEASH-RED/ })).toContainText("$5.00");
      await expect(page.getByRole("heading", { name: "Items (3)" })).toBeVisible();
      await expect(page.getByRole("main")).toContainText(who.locationName);
      await expect(page.getByRole("main").getByRole("link", { name: `Rita Receipts ${u}` })).toHaveAttribute("href", `/customers/${id}`);
      const totals = page.getByRole("region", { name: "Totals" });
      await expect(totals).toContainText("Subtotal$45.00");
      await expect(totals).toContainText("Taxes$3.60");
      await expect(totals).toContainText("Total$48.60");
    });
  });
}

test.describe("as the demo staff", () => {
  test.use({ storageState: storageStateOf("staff") });

  test("a receipt's detail says why each code was rejected, in words", async ({ page, request }) => {
    const key = locationKey(DEMO_LOCATION.cortez);
    const u = unique();
    const customer = await registerCustomer(request, key, { FirstName: "Rex", LastName: `Codes ${u}` });
    await submitReceipt(request, key, { CustomerID: customer.CustomerID, Skus: [{ SKU: `E2E-${u}`, Amount: 10, Quantity: 1 }] });
    const offer = await issueOffer(request, key, customer.CustomerID, { AmountOff: 5, MinimumPurchase: 50, DaysTillExpiration: 30 });
    // O and 1 are not in the code alphabet: no offer ever has this code.
    const sale = await submitReceipt(request, key, {
      CustomerID: customer.CustomerID,
      Skus: [{ SKU: `E2E-${u}`, Description: "Catnip", Amount: 12, Quantity: 2 }],
      Discounts: [
        { Code: offer.Code.toLowerCase(), Description: "Loyalty", Amount: 5 },
        { Code: "OOOO1111", Description: "Coupon", Amount: 1 },
      ],
    });
    expect(sale.Redemptions.map((r) => r.Reason)).toEqual(["BelowMinimumPurchase", "UnknownCode"]);

    await page.goto(`/receipts/${sale.ReceiptID}`);
    const codes = page.getByRole("region", { name: "Offer codes" });
    await expect(codes.getByRole("listitem")).toHaveText([
      `${offer.Code}Rejected: below the minimum purchase`,
      "OOOO1111Rejected: no offer has this code",
    ]);
    await expect(codes.getByRole("link", { name: offer.Code })).toHaveAttribute("href", `/offers?code=${offer.Code}`);
    const discounts = page.getByRole("region", { name: "Discounts" });
    await expect(discounts).toContainText("Loyalty");
    await expect(discounts).toContainText("−$5.00");
    await expect(page.getByRole("region", { name: "Totals" })).toContainText("Discounts−$6.00");
    await expect(page.getByRole("region", { name: "Offers this sale earned" })).toContainText("None.");

    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  });

  test("on a phone the filters fold away, and open with their button", async ({ page, request }) => {
    const key = locationKey(DEMO_LOCATION.cortez);
    const u = unique();
    const sku = `E2E-${u}`.toUpperCase();
    const customer = await registerCustomer(request, key, { FirstName: "Phil", LastName: `Phone ${u}` });
    await submitReceipt(request, key, { CustomerID: customer.CustomerID, Skus: [{ SKU: sku, Amount: 7, Quantity: 1 }] });

    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto("/receipts");
    const toggle = page.getByRole("button", { name: "Filters", exact: true });
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(page.getByLabel("SKU")).toBeHidden();
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await page.getByLabel("SKU").fill(sku);
    await page.getByLabel("SKU").press("Enter");
    await expect(receiptRows(page)).toHaveCount(1);
    await expect(receiptRows(page).first()).toContainText("$7.56");
    await expect(page.getByRole("button", { name: "Filters (1 on)" })).toBeVisible();
  });

  test("a receipt of another location, or no receipt at all, is not found", async ({ page, request }) => {
    const key = locationKey(DEMO_LOCATION.durango);
    const customer = await registerCustomer(request, key, { FirstName: "Elsewhere", LastName: unique() });
    const sale = await submitReceipt(request, key, { CustomerID: customer.CustomerID, Skus: [{ SKU: "E2E-ELSEWHERE", Amount: 3, Quantity: 1 }] });
    await page.goto(`/receipts/${sale.ReceiptID}`);
    await expect(page.getByRole("heading", { level: 1, name: "Receipt not found" })).toBeVisible();
    const response = await page.goto("/receipts/not-a-receipt");
    expect(response?.status()).toBe(404);
  });
});

test.describe("as the demo manager", () => {
  test.use({ storageState: storageStateOf("manager") });

  test("Sold at: choosing another of their locations switches where they work", async ({ page, request }) => {
    const u = unique();
    const sku = `E2E-${u}`.toUpperCase();
    const silverton = locationKey(DEMO_LOCATION.silverton);
    const customer = await registerCustomer(request, silverton, { FirstName: "Sully", LastName: `Silverton ${u}` });
    await submitReceipt(request, silverton, { CustomerID: customer.CustomerID, Skus: [{ SKU: sku, Amount: 20, Quantity: 1 }] });

    await page.goto(`/receipts?sku=${sku}`);
    await expect(page.getByText("No receipts match these filters")).toBeVisible();
    const soldAt = page.getByRole("main").getByRole("combobox", { name: "Sold at" });
    await expect(soldAt.getByRole("option")).toHaveText(["Bark & Meow Durango", "Bark & Meow Silverton"]);
    await soldAt.selectOption({ label: "Bark & Meow Silverton" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByText("Now working at Bark & Meow Silverton.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Receipts at Bark & Meow Silverton" })).toBeVisible();
    await expect(receiptRows(page)).toHaveCount(1);
    await expect(receiptRows(page).first()).toContainText("$21.60");
    await expect.poll(() => query(page)).toEqual({ sku, location: String(DEMO_LOCATION.silverton) });
    await expect(page.getByRole("banner").getByRole("combobox", { name: "Location" })).toHaveValue(String(DEMO_LOCATION.silverton));

    // That link, opened while working at Durango, says whose receipts it is for.
    await page.getByRole("banner").getByRole("combobox", { name: "Location" }).selectOption({ label: "Bark & Meow Durango" });
    await expect(page.getByRole("heading", { name: "Receipts at Bark & Meow Durango" })).toBeVisible();
    await expect(page.getByText("This link shows receipts at Bark & Meow Silverton")).toBeVisible();
    await page.getByRole("button", { name: "Work at Bark & Meow Silverton" }).click();
    await expect(receiptRows(page)).toHaveCount(1);
    await expect(page.getByRole("heading", { name: "Receipts at Bark & Meow Silverton" })).toBeVisible();
  });
});

test.describe("as the demo owner, for all locations", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("Sold at narrows the group's receipts to one location", async ({ page, request }) => {
    const u = unique();
    const sku = `E2E-${u}`.toUpperCase();
    for (const [location, amount] of [
      [DEMO_LOCATION.durango, 10],
      [DEMO_LOCATION.cortez, 30],
    ] as const) {
      const key = locationKey(location);
      const customer = await registerCustomer(request, key, { FirstName: "Gia", LastName: `Group ${u} ${location}` });
      await submitReceipt(request, key, { CustomerID: customer.CustomerID, Skus: [{ SKU: sku, Amount: amount, Quantity: 1 }] });
    }
    await page.goto(`/receipts?sku=${sku}`);
    await expect(page.getByRole("heading", { name: "Receipts at all locations" })).toBeVisible();
    await expect(receiptRows(page)).toHaveCount(2);
    await page.getByRole("main").getByRole("combobox", { name: "Sold at" }).selectOption({ label: "Bark & Meow Cortez" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => query(page)).toEqual({ sku, location: String(DEMO_LOCATION.cortez) });
    await expect(receiptRows(page)).toHaveCount(1);
    await expect(receiptRows(page).first()).toContainText("Bark & Meow Cortez");
    await expect(receiptRows(page).first()).toContainText("$32.40");
  });
});
