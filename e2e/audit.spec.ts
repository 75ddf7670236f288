// Settings → Audit log: an Owner edits a customer and finds the entry, with the phone and email
// masked, then narrows the log with filters kept in the URL (keyboard only for the filter form).
// Managers and Staff have no audit log: no link, a 404 page and a 403 from its API.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { unique } from "./fixtures/console";
import { createCustomer, formattedPhone, uniquePhone } from "./fixtures/customers";
import { DEMO, storageStateOf } from "./fixtures/env";

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test.describe("as the demo Owner", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("an edit of a customer is in the audit log, masked, and the filters find it", async ({ page }) => {
    const oldPhone = uniquePhone();
    const newPhone = uniquePhone();
    const email = `audit-${unique()}@example.com`;
    const customer = await createCustomer(page.request, { FirstName: "Audrey", LastName: "Auditt", Phone: oldPhone, Email: email });

    await page.goto(`/customers/${customer.CustomerID}/edit`);
    await page.getByLabel("Phone").fill(newPhone);
    await page.getByRole("main").getByRole("button", { name: "Save changes" }).click();
    await expect(page).toHaveURL(`/customers/${customer.CustomerID}`);
    await expect(page.locator("dl").first()).toContainText(formattedPhone(newPhone));

    // Settings → Audit log, from the navigation.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await page.getByRole("main").getByRole("link", { name: /^Audit log/ }).click();
    await expect(page).toHaveURL("/settings/audit");
    await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
    const log = page.getByRole("table", { name: "Audit log" });
    const row = log.locator("tbody tr").filter({ hasText: `Customer #${customer.CustomerID}` }).filter({ hasText: "Customer edited" });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(DEMO.owner.email);
    await expect(row).toContainText("Owner");
    await expect(row).toContainText(`Phone: …${oldPhone.slice(-4)} → …${newPhone.slice(-4)}`);
    // The registration before it, masked too.
    const created = log.locator("tbody tr").filter({ hasText: `Customer #${customer.CustomerID}` }).filter({ hasText: "Customer registered" });
    await expect(created).toContainText(`Email: a…@example.com`);
    const text = await page.getByRole("main").innerText();
    for (const secret of [oldPhone, newPhone, email, "Auditt"]) expect(text).not.toContain(secret);

    // Filters, with the keyboard: only this customer's edits.
    await page.getByLabel("Action").focus();
    await page.getByLabel("Action").selectOption({ label: "Customer edited" });
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Who")).toBeFocused();
    await page.keyboard.type("OWNER@");
    await page.getByLabel("Target", { exact: true }).selectOption({ label: "Customer" });
    await page.getByLabel("Target id").fill(String(customer.CustomerID));
    await page.getByLabel("Target id").press("Enter");
    await expect(page).toHaveURL(new RegExp(`/settings/audit\\?action=customer.update&actor=OWNER%40&target=customer%3A${customer.CustomerID}$`));
    await expect(log.locator("tbody tr")).toHaveCount(1);
    await expect(log.locator("tbody tr")).toContainText("Customer edited");
    await expect(page.getByText("Page 1 of 1 · 1 entry")).toBeVisible();

    // The view survives a reload (it is the URL), and a date range before today finds nothing.
    await page.reload();
    await expect(page.getByLabel("Action")).toHaveValue("customer.update");
    await expect(log.locator("tbody tr")).toHaveCount(1);
    await page.getByLabel("From").fill("2020-01-01");
    await page.getByLabel("To").fill("2020-01-31");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByText("No entries match these filters")).toBeVisible();
    await page.getByLabel("To").fill("2019-12-31");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByText("Must be on or after the start date")).toBeVisible();

    await page.getByRole("link", { name: "Clear filters" }).click();
    await expect(page).toHaveURL("/settings/audit");
    await expect(log.locator("tbody tr").first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

for (const role of ["manager", "staff"] as const) {
  test.describe(`as the demo ${role}`, () => {
    test.use({ storageState: storageStateOf(role) });

    test("no audit log: no link in Settings, a 404 page, a 403 from its API", async ({ page }) => {
      if (role === "manager") {
        await page.goto("/settings");
        await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
        await expect(page.getByRole("main").getByRole("link", { name: /Audit log/ })).toHaveCount(0);
      }
      const response = await page.goto("/settings/audit");
      expect(response?.status()).toBe(404);
      const api = await page.request.get("/api/settings/audit");
      expect(api.status()).toBe(403);
      expect(await api.json()).toMatchObject({ Code: "forbidden" });
    });
  });
}
