// The offer look-up at the till: a code typed in lower case with spaces finds the offer and
// shows whether it can be used, for whom and for how much; an unknown code says so; a redeemed
// offer says where and when; a location's offer looked up at another location says why not.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { unique } from "./fixtures/console";
import { storageStateOf } from "./fixtures/env";
import { DEMO_LOCATION, issueOffer, locationKey, registerCustomer, submitReceipt } from "./fixtures/engage-api";

const mediumDate = new Intl.DateTimeFormat("en-US", { dateStyle: "medium" });

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}

test.describe("as the demo staff", () => {
  test.use({ storageState: storageStateOf("staff") });

  test("a code in lower case with spaces: the offer, its holder, value, minimum, expiry and where", async ({ page, request }) => {
    const key = locationKey(DEMO_LOCATION.cortez);
    const u = unique();
    const customer = await registerCustomer(request, key, { FirstName: "Olive", LastName: `Offer${u}` });
    await submitReceipt(request, key, { CustomerID: customer.CustomerID, Skus: [{ SKU: `E2E-${u}`, Amount: 12, Quantity: 1 }] });
    const offer = await issueOffer(request, key, customer.CustomerID, { AmountOff: 7.5, MinimumPurchase: 25, DaysTillExpiration: 30 });

    await page.goto("/offers");
    await expect(page.getByText("Enter a code to look it up")).toBeVisible();
    const code = page.getByLabel("Offer code");
    await code.fill(`  ${offer.Code.slice(0, 4).toLowerCase()} ${offer.Code.slice(4).toLowerCase()} `);
    await code.press("Enter");

    await expect(page).toHaveURL(new RegExp(`/offers\\?code=${offer.Code}$`));
    const result = page.getByRole("region", { name: "Offer" });
    await expect(result.getByRole("heading", { level: 2, name: "Active" })).toBeVisible();
    await expect(result).toContainText("Can be used");
    await expect(result.getByRole("link", { name: `Olive Offer${u}` })).toHaveAttribute("href", `/customers/${customer.CustomerID}`);
    await expect(result).toContainText("$7.50 off");
    await expect(result).toContainText("Minimum purchase$25.00 subtotal, before tax");
    await expect(result).toContainText(`Expires${mediumDate.format(new Date(offer.ExpiresAt))}`);
    await expect(result).toContainText("Redeemable atBark & Meow Cortez only");
    await expect(result).not.toContainText("Why it cannot be used");
    await expect(code).toHaveValue(offer.Code);

    // The address holds the look-up: a reload shows the same offer.
    await page.reload();
    await expect(page.getByRole("region", { name: "Offer" }).getByRole("heading", { level: 2, name: "Active" })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("an unknown code says no offer has it", async ({ page }) => {
    // O and 1 are not in the code alphabet: this code can never exist.
    await page.goto("/offers?code=oooo1111");
    await expect(page.getByRole("alert").filter({ hasText: "No offer has this code" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Offer" })).toContainText("OOOO1111");
    await expect(page.getByLabel("Offer code")).toHaveValue("OOOO1111");

    // An empty box is refused before anything is asked.
    await page.getByLabel("Offer code").fill("   ");
    await page.getByRole("button", { name: "Look up" }).click();
    await expect(page.getByText("Enter the code on the customer's offer")).toBeVisible();
    await expect(page).toHaveURL(/\?code=oooo1111$/);
  });

  test("a redeemed offer says it cannot be used: on which receipt, where and when", async ({ page, request }) => {
    const key = locationKey(DEMO_LOCATION.cortez);
    const u = unique();
    const customer = await registerCustomer(request, key, { FirstName: "Remy", LastName: `Redeemed${u}` });
    await submitReceipt(request, key, { CustomerID: customer.CustomerID, Skus: [{ SKU: `E2E-${u}`, Amount: 8, Quantity: 1 }] });
    const offer = await issueOffer(request, key, customer.CustomerID, { AmountOff: 4, MinimumPurchase: 0, DaysTillExpiration: 10 });
    const sale = await submitReceipt(request, key, {
      CustomerID: customer.CustomerID,
      Skus: [{ SKU: `E2E-${u}`, Amount: 16, Quantity: 1 }],
      Discounts: [{ Code: offer.Code, Description: "Loyalty", Amount: 4 }],
    });
    expect(sale.Redemptions[0].Status).toBe("Redeemed");

    await page.goto("/offers");
    await page.getByLabel("Offer code").fill(offer.Code.toLowerCase());
    await page.getByRole("button", { name: "Look up" }).click();
    const result = page.getByRole("region", { name: "Offer" });
    await expect(result.getByRole("heading", { level: 2, name: "Redeemed" })).toBeVisible();
    await expect(result).toContainText("Cannot be used");
    await expect(result).toContainText(
      `Why it cannot be usedAlready redeemed on receipt ${sale.ReceiptID.slice(0, 8)} at Bark & Meow Cortez on ${mediumDate.format(new Date())}`,
    );
    await result.getByRole("link", { name: sale.ReceiptID.slice(0, 8) }).click();
    await expect(page).toHaveURL(new RegExp(`/receipts/${sale.ReceiptID}$`));
    await expect(page.getByRole("region", { name: "Offer codes" })).toContainText(`${offer.Code}Redeemed`);
  });
});

test.describe("as the demo manager, working at Durango", () => {
  test.use({ storageState: storageStateOf("manager") });

  test("an offer of Cortez only: active, but not here, and why", async ({ page, request }) => {
    const key = locationKey(DEMO_LOCATION.cortez);
    const u = unique();
    const customer = await registerCustomer(request, key, { FirstName: "Cora", LastName: `Cortez${u}` });
    await submitReceipt(request, key, { CustomerID: customer.CustomerID, Skus: [{ SKU: `E2E-${u}`, Amount: 9, Quantity: 1 }] });
    const offer = await issueOffer(request, key, customer.CustomerID, { AmountOff: 3, MinimumPurchase: 0, DaysTillExpiration: 5 });

    await page.goto(`/offers?code=${offer.Code.toLowerCase()}`);
    const result = page.getByRole("region", { name: "Offer" });
    await expect(result.getByRole("heading", { level: 2, name: "Active" })).toBeVisible();
    await expect(result).toContainText("Not here");
    await expect(result).toContainText("Only at Bark & Meow Cortez: it cannot be used here at Bark & Meow Durango.");
    await expect(result).toContainText("Minimum purchaseNone");
    expect(await seriousViolations(page)).toEqual([]);
  });
});
