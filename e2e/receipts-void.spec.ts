// Voiding a receipt: a Manager confirms (the dialog says what changes), sees a toast and the
// receipt marked Voided, and the customer's visits drop and the offer it redeemed is usable
// again. Staff have no Void button, and the console refuses their void.
import { expect, test } from "@playwright/test";
import { unique } from "./fixtures/console";
import { MAIN_URL, storageStateOf } from "./fixtures/env";
import { DEMO_LOCATION, getCustomer, getOfferByCode, getReceipt, issueOffer, locationKey, registerCustomer, submitReceipt } from "./fixtures/engage-api";

test.describe("as the demo manager", () => {
  test.use({ storageState: storageStateOf("manager") });

  test("voids a receipt after a confirmation: Voided, a toast, one visit less, the offer usable again", async ({ page, request }) => {
    const key = locationKey(DEMO_LOCATION.durango);
    const u = unique();
    const sku = `E2E-${u}`.toUpperCase();
    const name = `Vera Void${u}`;
    const customer = await registerCustomer(request, key, { FirstName: "Vera", LastName: `Void${u}` });
    const first = await submitReceipt(request, key, { CustomerID: customer.CustomerID, Skus: [{ SKU: sku, Description: "Kibble", Amount: 20, Quantity: 1 }] });
    const offer = await issueOffer(request, key, customer.CustomerID, { AmountOff: 5, MinimumPurchase: 10, DaysTillExpiration: 30 });
    const returned = await submitReceipt(request, key, {
      CustomerID: customer.CustomerID,
      Skus: [{ SKU: sku, Description: "Aquarium", Amount: 30, Quantity: 1 }],
      Discounts: [{ Code: offer.Code, Description: "Loyalty", Amount: 5 }],
    });
    expect(returned.Redemptions).toMatchObject([{ Code: offer.Code, Status: "Redeemed" }]);
    expect(first.Total + returned.Total).toBe(48.6);
    expect((await getCustomer(request, key, customer.CustomerID)).VisitCount).toBe(2);

    await page.goto(`/receipts/${returned.ReceiptID}`);
    const sale = page.getByRole("main");
    await expect(sale.getByText("2 visits · $48.60 lifetime spend")).toBeVisible();
    await expect(page.getByRole("region", { name: "Offer codes" })).toContainText(`${offer.Code}Redeemed`);

    // The dialog says what voiding changes; keeping the receipt changes nothing.
    await page.getByRole("button", { name: "Void receipt" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Void this receipt?" });
    await expect(dialog).toContainText(`${name}'s visits and lifetime spend no longer count it ($27.00).`);
    await expect(dialog).toContainText(`The offer it redeemed (${offer.Code}) can be used again, unless it has expired.`);
    await expect(dialog).toContainText("It cannot be undone.");
    await dialog.getByRole("button", { name: "Keep the receipt" }).click();
    await expect(dialog).toBeHidden();
    expect((await getReceipt(request, key, returned.ReceiptID)).Voided).toBe(false);

    await page.getByRole("button", { name: "Void receipt" }).click();
    await dialog.getByRole("button", { name: "Void receipt" }).click();
    await expect(page.getByText(`Receipt voided. ${name}'s visits and lifetime spend no longer count it.`)).toBeVisible();
    await expect(dialog).toBeHidden();
    await expect(page.getByText(/^Voided on /)).toBeVisible();
    await expect(page.getByRole("button", { name: "Void receipt" })).toHaveCount(0);
    await expect(sale.getByText("1 visit · $21.60 lifetime spend")).toBeVisible();

    // Engage agrees, and so does a fresh page.
    expect((await getReceipt(request, key, returned.ReceiptID)).Voided).toBe(true);
    expect(await getCustomer(request, key, customer.CustomerID)).toMatchObject({ VisitCount: 1, LifetimeSpend: 21.6 });
    expect((await getOfferByCode(request, key, offer.Code)).Status).toBe("Active");
    await page.reload();
    await expect(page.getByText(/^Voided on /)).toBeVisible();
    await expect(page.getByRole("button", { name: "Void receipt" })).toHaveCount(0);

    // In the list, the voided sale says so and the other does not.
    await page.goto(`/receipts?sku=${sku}`);
    const rows = page.getByRole("table", { name: "Receipts" }).getByRole("row").filter({ has: page.getByRole("cell") });
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: "$27.00" })).toContainText("Voided");
    await expect(rows.filter({ hasText: "$21.60" })).not.toContainText("Voided");

    // And the offer's look-up says it can be used again.
    await page.goto(`/offers?code=${offer.Code}`);
    await expect(page.getByRole("heading", { level: 2, name: "Active" })).toBeVisible();
  });
});

test.describe("as the demo staff", () => {
  test.use({ storageState: storageStateOf("staff") });

  test("no Void button, and the console refuses a void (403)", async ({ page, request }) => {
    const key = locationKey(DEMO_LOCATION.cortez);
    const customer = await registerCustomer(request, key, { FirstName: "Stan", LastName: `Staff ${unique()}` });
    const receipt = await submitReceipt(request, key, { CustomerID: customer.CustomerID, Skus: [{ SKU: "E2E-STAFF", Amount: 15, Quantity: 1 }] });

    await page.goto(`/receipts/${receipt.ReceiptID}`);
    await expect(page.getByRole("heading", { level: 1, name: "Receipt" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Items" })).toContainText("E2E-STAFF");
    await expect(page.getByRole("button", { name: "Void receipt" })).toHaveCount(0);

    const refused = await page.request.post(`/api/engage/Receipts/${receipt.ReceiptID}/Void`, {
      headers: { "content-type": "application/json", origin: MAIN_URL },
      data: {},
    });
    expect(refused.status()).toBe(403);
    expect(await refused.json()).toMatchObject({ Code: "forbidden" });
    expect((await getReceipt(request, key, receipt.ReceiptID)).Voided).toBe(false);
    expect((await getCustomer(request, key, customer.CustomerID)).VisitCount).toBe(1);
  });
});
