// A customer's data rights from their profile: the Owner downloads everything held about them
// as JSON, then erases them after typing ERASE; the customer is gone, their receipt stays for
// the books, and both acts are in the audit log. A Manager has neither button.
import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { unique } from "./fixtures/console";
import { createCustomer, HOME_LOCATION, sell, uniquePhone } from "./fixtures/customers";
import { DEMO, storageStateOf } from "./fixtures/env";

test.describe("as the demo Owner", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("exports a customer's data as a JSON download, then erases them", async ({ page }) => {
    const phone = uniquePhone();
    const email = `erase-${unique()}@example.com`;
    const customer = await createCustomer(page.request, { FirstName: "Ezra", LastName: "Erasable", Phone: phone, Email: email });
    const sale = await sell(page.request, HOME_LOCATION.manager, customer.CustomerID, 30);

    await page.goto(`/customers/${customer.CustomerID}`);
    await expect(page.getByRole("heading", { level: 1, name: "Ezra Erasable" })).toBeVisible();
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export data" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`customer-${customer.CustomerID}.json`);
    const exported = JSON.parse(fs.readFileSync((await download.path())!, "utf8")) as {
      Customer: { CustomerID: number; Phone: string; Email: string };
      Receipts: { ReceiptID: string }[];
    };
    expect(exported.Customer).toMatchObject({ CustomerID: customer.CustomerID, Phone: phone, Email: email });
    expect(exported.Receipts.map((r) => r.ReceiptID)).toEqual([sale.ReceiptID]);
    await expect(page.getByText(`Ezra Erasable's data is downloaded as customer-${customer.CustomerID}.json.`)).toBeVisible();

    // Erasing asks for ERASE, typed; until then it cannot be confirmed.
    await page.getByRole("button", { name: "Erase customer" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Erase Ezra Erasable?" });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("It cannot be undone.");
    const confirm = dialog.getByRole("button", { name: "Erase customer" });
    await expect(confirm).toBeDisabled();
    expect(await new AxeBuilder({ page }).include("[role=alertdialog]").withTags(["wcag2a", "wcag2aa"]).analyze().then((r) => r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id))).toEqual([]);
    const typed = dialog.getByLabel("Type ERASE to confirm");
    await typed.fill("erase it");
    await expect(confirm).toBeDisabled();
    // Escape keeps the customer.
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    expect((await page.request.get(`/api/engage/Customers/${customer.CustomerID}`)).status()).toBe(200);

    await page.getByRole("button", { name: "Erase customer" }).click();
    await dialog.getByLabel("Type ERASE to confirm").fill("ERASE");
    await dialog.getByLabel("Type ERASE to confirm").press("Enter");
    await expect(page.getByText(`Customer #${customer.CustomerID} is erased. 1 receipt stays for the books, without their name.`)).toBeVisible();
    await expect(page).toHaveURL("/customers");

    const gone = await page.goto(`/customers/${customer.CustomerID}`);
    expect(gone?.status()).toBe(404);
    const receipt = await page.request.get(`/api/engage/Receipts/${sale.ReceiptID}`);
    expect(receipt.status()).toBe(200);
    expect(await receipt.json()).toMatchObject({ CustomerID: customer.CustomerID, Total: sale.Total });
    // The same CustomerID cannot be registered again.
    const again = await page.request.post("/api/engage/Customers", {
      headers: { "content-type": "application/json", origin: new URL(page.url()).origin },
      data: { CustomerID: customer.CustomerID, Phone: uniquePhone() },
    });
    expect(again.status()).toBe(409);

    await page.goto(`/settings/audit?target=customer:${customer.CustomerID}`);
    const rows = page.getByRole("table", { name: "Audit log" }).locator("tbody tr");
    await expect(rows.filter({ hasText: "Customer erased" })).toContainText(DEMO.owner.email);
    await expect(rows.filter({ hasText: "Customer's data exported" })).toHaveCount(1);
    expect(await page.getByRole("main").innerText()).not.toContain(phone);
  });
});

test.describe("as the demo Manager", () => {
  test.use({ storageState: storageStateOf("manager") });

  test("a profile has no Export data or Erase customer, and the proxy refuses both", async ({ page }) => {
    const customer = await createCustomer(page.request, { FirstName: "Mona", LastName: "Managed", Phone: uniquePhone() });
    await page.goto(`/customers/${customer.CustomerID}`);
    await expect(page.getByRole("link", { name: "Edit customer" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Export data" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Erase customer" })).toHaveCount(0);
    expect((await page.request.get(`/api/engage/Customers/${customer.CustomerID}/Export`)).status()).toBe(403);
    const erase = await page.request.post(`/api/engage/Customers/${customer.CustomerID}/Erase`, {
      headers: { "content-type": "application/json", origin: new URL(page.url()).origin },
      data: {},
    });
    expect(erase.status()).toBe(403);
    expect((await page.request.get(`/api/engage/Customers/${customer.CustomerID}`)).status()).toBe(200);
  });
});
