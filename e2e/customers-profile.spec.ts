// A customer's profile as Staff and as a Manager: details and statistics, a sale submitted by
// the store's POS showing up after a refresh, offers (active, then redeemed with its receipt),
// consent changes recorded in the history, and 404 for customers that do not exist.
import { expect, test } from "@playwright/test";
import { unique } from "./fixtures/console";
import { createCustomer, dollars, formattedPhone, HOME_LOCATION, HOME_LOCATION_NAME, offerAt, sell, uniquePhone } from "./fixtures/customers";
import { DEMO, storageStateOf } from "./fixtures/env";

for (const role of ["staff", "manager"] as const) {
  test.describe(`as the demo ${role}`, () => {
    test.use({ storageState: storageStateOf(role) });

    test("shows the details and statistics, and a sale from the POS after a refresh", async ({ page }) => {
      const phone = uniquePhone();
      const email = `profile-${unique()}@example.com`;
      const customer = await createCustomer(page.request, {
        FirstName: "Priya",
        LastName: "Profile",
        Phone: phone,
        Email: email,
        Birthday: "1990-07-04",
        Address: "12 Main Ave",
        City: "Durango",
        State: "co",
        Zipcode: "81301",
      });
      await page.goto(`/customers/${customer.CustomerID}`);
      await expect(page.getByRole("heading", { level: 1, name: "Priya Profile" })).toBeVisible();
      await expect(page.getByText(`Customer #${customer.CustomerID}`)).toBeVisible();
      const details = page.locator("dl").first();
      await expect(details).toContainText(formattedPhone(phone));
      await expect(details).toContainText(email);
      await expect(details).toContainText("July 4, 1990");
      await expect(details).toContainText("Durango, CO 81301");
      const stats = page.locator("dl").nth(1);
      await expect(stats).toContainText("Visits0");
      await expect(stats).toContainText("Average ticket—");
      await expect(stats).toContainText(`Registered at${HOME_LOCATION_NAME[role]}`);
      await expect(page.getByText("No receipts yet")).toBeVisible();

      // The store's POS sells to them; the profile shows it once reloaded.
      const first = await sell(page.request, HOME_LOCATION[role], customer.CustomerID, 30);
      const second = await sell(page.request, HOME_LOCATION[role], customer.CustomerID, 12.5);
      const spend = first.Total + second.Total;
      await page.reload();
      await expect(stats).toContainText("Visits2");
      await expect(stats).toContainText(`Lifetime spend${dollars(spend)}`);
      await expect(stats).toContainText(`Average ticket${dollars(spend / 2)}`);
      const receipts = page.getByRole("table", { name: "Receipts" });
      const rows = receipts.locator("tbody tr");
      await expect(rows).toHaveCount(2);
      // Newest first, each opening its receipt.
      await expect(rows.nth(0)).toContainText(dollars(second.Total));
      await expect(rows.nth(0).getByRole("link")).toHaveAttribute("href", `/receipts/${second.ReceiptID}`);
      await expect(rows.nth(1)).toContainText(dollars(first.Total));
      await expect(rows.nth(1).getByRole("link")).toHaveAttribute("href", `/receipts/${first.ReceiptID}`);
      await expect(rows.nth(0)).toContainText(HOME_LOCATION_NAME[role]);
    });

    test("shows the customer's offers: active, then redeemed with the receipt that used it", async ({ page }) => {
      const customer = await createCustomer(page.request, { FirstName: "Otto", LastName: "Offers", Phone: uniquePhone() });
      await sell(page.request, HOME_LOCATION[role], customer.CustomerID, 25);
      const offer = await offerAt(page.request, HOME_LOCATION[role], customer.CustomerID, { AmountOff: 7.5, MinimumPurchase: 20 });

      await page.goto(`/customers/${customer.CustomerID}`);
      const offers = page.getByRole("table", { name: "Offers" });
      const row = offers.getByRole("row").filter({ hasText: offer.Code });
      await expect(row).toContainText("Active");
      await expect(row).toContainText("$7.50");
      await expect(row).toContainText("$20.00");
      await expect(row).toContainText(HOME_LOCATION_NAME[role]);

      const sale = await sell(page.request, HOME_LOCATION[role], customer.CustomerID, 40, [{ Code: offer.Code, Description: "Loyalty", Amount: 7.5 }]);
      expect(sale.Redemptions[0]).toMatchObject({ Code: offer.Code, Status: "Redeemed" });
      await page.reload();
      await expect(row).toContainText("Redeemed");
      await expect(row.getByRole("link")).toHaveAttribute("href", `/receipts/${sale.ReceiptID}`);
      await page.getByRole("group", { name: "Show offers" }).getByRole("button", { name: /^Active/ }).click();
      await expect(page.getByText("No active offers.")).toBeVisible();
      await page.getByRole("group", { name: "Show offers" }).getByRole("button", { name: /^Redeemed/ }).click();
      await expect(offers.getByRole("row").filter({ hasText: offer.Code })).toBeVisible();
    });

    test("a consent change shows at once and appears in the history, with who made it", async ({ page }) => {
      const customer = await createCustomer(page.request, { FirstName: "Cora", LastName: "Consent", Phone: uniquePhone(), AcceptsEmail: true });
      await page.goto(`/customers/${customer.CustomerID}`);
      const history = page.getByRole("table", { name: "Consent history" });
      await expect(history.locator("tbody tr")).toHaveCount(1);
      await expect(history.locator("tbody tr").first()).toContainText("Email consent given");

      const sms = page.getByRole("switch", { name: "SMS messages" });
      await expect(sms).toHaveAttribute("aria-checked", "false");
      await sms.click();
      await expect(sms).toHaveAttribute("aria-checked", "true");
      await expect(page.getByText("Cora Consent now accepts SMS marketing.")).toBeVisible();
      await expect(history.locator("tbody tr")).toHaveCount(2);
      await expect(history.locator("tbody tr").first()).toContainText("SMS consent given");
      await expect(history.locator("tbody tr").first()).toContainText(DEMO[role].email);

      await page.getByRole("switch", { name: "Email" }).click();
      await expect(page.getByText("Cora Consent no longer accepts email marketing.")).toBeVisible();
      await expect(history.locator("tbody tr")).toHaveCount(3);
      await expect(history.locator("tbody tr").first()).toContainText("Email consent withdrawn");

      // Stored, not only shown.
      await page.reload();
      await expect(page.getByRole("switch", { name: "SMS messages" })).toHaveAttribute("aria-checked", "true");
      await expect(page.getByRole("switch", { name: "Email" })).toHaveAttribute("aria-checked", "false");
    });

    test("a consent change Engage refuses is shown at once, then put back, and says so", async ({ page }) => {
      const customer = await createCustomer(page.request, { FirstName: "Rolf", LastName: "Rollback", Phone: uniquePhone() });
      await page.goto(`/customers/${customer.CustomerID}`);
      // Engage is slow and then fails (as a remote Engage that is down answers through the proxy).
      await page.route(`**/api/engage/Customers/${customer.CustomerID}`, async (route) => {
        if (route.request().method() !== "PUT") return route.continue();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await route.fulfill({
          status: 504,
          contentType: "application/json",
          body: JSON.stringify({ Message: "The Engage server did not answer within 3 seconds.", Code: "engage_unavailable" }),
        });
      });
      const sms = page.getByRole("switch", { name: "SMS messages" });
      await sms.click();
      await expect(sms).toHaveAttribute("aria-checked", "true");
      await expect(page.getByText("Rolf Rollback's SMS consent was not changed: The Engage server did not answer within 3 seconds.")).toBeVisible();
      await expect(sms).toHaveAttribute("aria-checked", "false");
      await expect(page.getByText("No consent given or withdrawn yet.")).toBeVisible();
    });

    test("an unknown customer is a 404 page", async ({ page }) => {
      for (const path of ["/customers/999999999", "/customers/0", "/customers/abc", "/customers/999999999/edit"]) {
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(404);
        await expect(page.getByRole("heading", { level: 1, name: "Customer not found" })).toBeVisible();
      }
    });
  });
}

test.describe("Staff", () => {
  test.use({ storageState: storageStateOf("staff") });

  test("see only their own location's receipts, and other locations by number", async ({ page }) => {
    const customer = await createCustomer(page.request, { FirstName: "Lena", LastName: "Locations", Phone: uniquePhone() });
    await sell(page.request, HOME_LOCATION.staff, customer.CustomerID, 10);
    await sell(page.request, HOME_LOCATION.manager, customer.CustomerID, 20);
    await page.goto(`/customers/${customer.CustomerID}`);
    // Both count in the statistics, but only Cortez's receipt is Staff's to see.
    await expect(page.locator("dl").nth(1)).toContainText("Visits2");
    await expect(page.getByText(`Sales at ${HOME_LOCATION_NAME.staff}, newest first. 1 in all.`)).toBeVisible();
    await expect(page.getByRole("table", { name: "Receipts" }).locator("tbody tr")).toHaveCount(1);
  });
});
