// Customers CSV as a Manager: exporting the list's search (every page, in its order) and
// importing a file with good rows, invalid rows, a duplicate inside the file and an existing
// customer's phone — the preview names each problem, only the valid new rows are registered,
// the report says what happened — by mouse and by keyboard, with axe scans of each step. Staff
// see neither action and are refused by the routes.
import fs from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { unique } from "./fixtures/console";
import { createCustomer, firstColumn, formattedPhone, tabTo, uniquePhone } from "./fixtures/customers";
import { MAIN_URL, storageStateOf } from "./fixtures/env";

/** A made-up surname no demo customer has (letters only: the search reads digits as a phone). */
const uniqueSurname = () => `Csv${unique().replace(/[^a-z]/g, "")}`;

const fileInput = (page: Page) => page.getByLabel("CSV file");
const rowsTable = (page: Page) => page.getByRole("table", { name: "Rows of the file" });

async function scan(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function chooseFile(page: Page, name: string, text: string | Buffer) {
  await fileInput(page).setInputFiles({ name, mimeType: "text/csv", buffer: typeof text === "string" ? Buffer.from(text) : text });
}

/** The cells of each body row of the preview table: Row, Name, Phone, Email, Status, Details. */
async function previewRows(page: Page): Promise<string[][]> {
  return rowsTable(page)
    .locator("tbody tr")
    .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll("td")).map((td) => (td.textContent ?? "").replace(/\s+/g, " ").trim())));
}

test.describe("as the demo manager", () => {
  test.use({ storageState: storageStateOf("manager") });

  test("exports the current search, every page of it, as the list shows it", async ({ page }) => {
    const surname = uniqueSurname();
    // More than one page of the list (25 a page).
    for (let i = 0; i < 28; i++) {
      await createCustomer(page.request, { FirstName: `Ex${String.fromCharCode(97 + (i % 26))}${i}`, LastName: surname, Phone: uniquePhone(), AcceptsEmail: i % 2 === 0 });
    }
    await page.goto(`/customers?q=${surname}&sort=-name`);
    const table = page.getByRole("table", { name: "Customers" });
    await expect(page.getByRole("navigation", { name: "Pages of customers" })).toContainText("Page 1 of 2 · 28 customers");
    const shown = await firstColumn(table);
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page).toHaveURL(/[?&]page=2/);
    await expect(page.getByRole("navigation", { name: "Pages of customers" })).toContainText("Page 2 of 2");
    await expect.poll(async () => (await firstColumn(table)).length).toBe(3);
    shown.push(...(await firstColumn(table)));
    expect(shown).toHaveLength(28);

    // Exported from page 2: the file still has every page.
    const exportLink = page.getByRole("link", { name: "Export CSV" });
    await expect(exportLink).toHaveAttribute("href", `/api/customers/export?q=${surname}&sort=-name`);
    const [download] = await Promise.all([page.waitForEvent("download"), exportLink.click()]);
    expect(download.suggestedFilename()).toMatch(/^customers-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await fs.readFile((await download.path())!, "utf8");
    const records = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(records.map((r) => `${r.FirstName} ${r.LastName}`)).toEqual(shown);
    expect(records[0]).toMatchObject({ LastName: surname, AcceptsSMS: "false", VisitCount: "0", RegisteredLocation: "Bark & Meow Durango" });
    expect(Object.keys(records[0]).slice(0, 6)).toEqual(["CustomerID", "ExternalID", "FirstName", "LastName", "Phone", "Email"]);
  });

  test("imports a file: the preview names every problem, only the valid new rows are registered, the report says so", async ({ page }) => {
    const surname = uniqueSurname();
    const existing = await createCustomer(page.request, { FirstName: "Ezra", LastName: "Existing", Phone: uniquePhone() });
    const [ivyPhone, badPhone, jackPhone] = [uniquePhone(), uniquePhone(), uniquePhone()];
    const ivyEmail = `ivy-${unique()}@example.com`;
    const file = [
      "FirstName,LastName,Phone,Email,AcceptsSMS,AcceptsEmail,Notes",
      `Ivy,${surname},${ivyPhone},${ivyEmail},yes,no,first`,
      `Bad,${surname},${badPhone},bad-email@,no,no,`,
      ",,,,yes,no,no name and no contact",
      `Jack,${surname},${formattedPhone(jackPhone)},,no,yes,`,
      `Ivy again,${surname},+1 ${ivyPhone},,,,`,
      `Ezra,Copy,${existing.Phone},,,,`,
    ].join("\n");

    await page.goto("/customers");
    await page.getByRole("link", { name: "Import CSV" }).click();
    await expect(page).toHaveURL("/customers/import");
    await expect(page.getByRole("heading", { level: 1, name: "Import customers" })).toBeVisible();
    expect(await scan(page)).toEqual([]);

    await chooseFile(page, "new-customers.csv", file);
    await page.getByRole("button", { name: "Check file" }).click();
    await expect(page.getByRole("heading", { level: 2, name: "Check “new-customers.csv” before importing" })).toBeFocused();
    await expect(page.getByText("2 new customers will be registered. 4 rows will be skipped: nothing existing is changed.")).toBeVisible();
    await expect(page.getByText("“Notes”: they name no customer field.")).toBeVisible();
    // Only the rows that will be skipped are listed first, each with its reason.
    expect(await previewRows(page)).toEqual([
      ["3", `Bad ${surname}`, badPhone, "bad-email@", "Invalid", "Email must be a valid email address"],
      ["4", "—", "—", "—", "Invalid", "Phone at least one of Phone, Email or ExternalID is required"],
      ["6", `Ivy again ${surname}`, `+1 ${ivyPhone}`, "—", "Duplicate", "Same Phone as row 2"],
      ["7", "Ezra Copy", existing.Phone!, "—", "Already a customer", `Phone already belongs to customer #${existing.CustomerID}`],
    ]);
    await expect(rowsTable(page).getByRole("link", { name: `customer #${existing.CustomerID}` })).toHaveAttribute("href", `/customers/${existing.CustomerID}`);
    await page.getByLabel("Show").selectOption({ label: "All rows" });
    expect((await previewRows(page)).map((r) => [r[0], r[4]])).toEqual([
      ["2", "New"],
      ["3", "Invalid"],
      ["4", "Invalid"],
      ["5", "New"],
      ["6", "Duplicate"],
      ["7", "Already a customer"],
    ]);
    expect(await scan(page)).toEqual([]);
    // Nothing is registered by looking.
    const before = await (await page.request.get(`/api/engage/Customers?Query=${surname}`)).json();
    expect(before).toEqual([]);

    await page.getByRole("button", { name: "Import 2 customers" }).click();
    await expect(page.getByRole("heading", { level: 2, name: "Import finished" })).toBeFocused();
    // In the page (the toast says it too).
    await expect(page.getByRole("main").getByText("Imported 2 customers.", { exact: true })).toBeVisible();
    await expect(page.getByText("Skipped 4 rows: 2 invalid, 1 duplicated in the file, 1 already customers.")).toBeVisible();
    const report = page.getByRole("table", { name: "Import report" });
    await expect(report.locator("tbody tr")).toHaveCount(4);
    await expect(report.getByRole("row").filter({ hasText: "Ezra Copy" })).toContainText(`Skipped: already a customer`);
    expect(await scan(page)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download report" }).click()]);
    expect(download.suggestedFilename()).toBe("new-customers-import-report.csv");
    const records = parse(await fs.readFile((await download.path())!, "utf8"), { bom: true, columns: true }) as Record<string, string>[];
    expect(records.map((r) => [r.Row, r.Outcome, r.Reason])).toEqual([
      ["2", "Imported", ""],
      ["3", "Skipped", "Invalid"],
      ["4", "Skipped", "Invalid"],
      ["5", "Imported", ""],
      ["6", "Skipped", "Duplicate"],
      ["7", "Skipped", "Exists"],
    ]);
    expect(records[6 - 2].Message).toBe("Same Phone as row 2");
    expect(records[7 - 2]).toMatchObject({ CustomerID: String(existing.CustomerID), Message: `Phone already belongs to customer #${existing.CustomerID}` });

    // The new customers are found like any other; the one who existed is as they were.
    await page.getByRole("link", { name: "View customers" }).click();
    await expect(page).toHaveURL("/customers");
    await page.getByRole("searchbox", { name: "Search customers" }).fill(surname);
    await expect(page.getByRole("table", { name: "Customers" }).getByRole("link")).toHaveText([`Ivy ${surname}`, `Jack ${surname}`]);
    const ivy = (await (await page.request.get(`/api/engage/Customers?Phone=${ivyPhone}`)).json())[0];
    expect(ivy).toMatchObject({ Email: ivyEmail, AcceptsSMS: true, AcceptsEmail: false, RegisteredLocationID: expect.any(Number) });
    const after = await (await page.request.get(`/api/engage/Customers/${existing.CustomerID}`)).json();
    expect(after).toMatchObject({ FirstName: "Ezra", LastName: "Existing", Phone: existing.Phone });
  });

  test("the import by keyboard alone: the labelled file field, checking, importing", async ({ page }) => {
    const surname = uniqueSurname();
    await page.goto("/customers/import");
    const input = fileInput(page);
    await tabTo(page, input);
    await expect(input).toHaveAccessibleDescription(/^UTF-8, comma-separated, at most 5 MB and 20,000 customers\./);
    await chooseFile(page, "keyboard.csv", `Phone,FirstName,LastName\n${uniquePhone()},Kay,${surname}\n`);
    await tabTo(page, page.getByRole("button", { name: "Check file" }));
    await page.keyboard.press("Enter");
    const importButton = page.getByRole("button", { name: "Import 1 customer" });
    await expect(importButton).toBeVisible();
    await tabTo(page, importButton);
    await page.keyboard.press("Enter");
    await expect(page.getByRole("main").getByText("Imported 1 customer.", { exact: true })).toBeVisible();
    const found = await (await page.request.get(`/api/engage/Customers?Query=${surname}`)).json();
    expect(found).toHaveLength(1);
  });

  test("a file that cannot be imported says why on the file field, and nothing is sent or registered", async ({ page }) => {
    await page.goto("/customers/import");
    // Too large: refused in the browser before it is sent.
    let posted = false;
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().includes("/api/customers/import")) posted = true;
    });
    await chooseFile(page, "huge.csv", Buffer.alloc(5 * 1024 * 1024 + 1, "a"));
    await page.getByRole("button", { name: "Check file" }).click();
    await expect(fileInput(page)).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("The file is larger than 5 MB. Split it into smaller files.")).toBeVisible();
    expect(posted).toBe(false);

    // No column the import can use to tell customers apart: the server says so.
    await chooseFile(page, "names.csv", "FirstName,LastName\nNo,Contact\n");
    await page.getByRole("button", { name: "Check file" }).click();
    await expect(page.getByText("The file needs a Phone, Email or ExternalID column: every customer needs at least one of them.")).toBeVisible();
    await expect(fileInput(page)).toBeFocused();
    await expect(fileInput(page)).toHaveAccessibleDescription(/every customer needs at least one of them\.$/);

    // A file where no row can be imported offers no import.
    await chooseFile(page, "bad.csv", "Phone,Email\n123,nope\n");
    await page.getByRole("button", { name: "Check file" }).click();
    await expect(page.getByText("No row of this file can be imported.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Import 0 customers" })).toBeDisabled();
    await page.getByRole("button", { name: "Choose another file" }).click();
    await expect(fileInput(page)).toBeVisible();
  });
});

test.describe("as the demo staff", () => {
  test.use({ storageState: storageStateOf("staff") });

  test("sees neither export nor import, and the routes refuse them", async ({ page }) => {
    await page.goto("/customers");
    await expect(page.getByRole("link", { name: "Register customer" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Export CSV" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Import CSV" })).toHaveCount(0);
    expect((await page.goto("/customers/import"))?.status()).toBe(404);

    const exported = await page.request.get("/api/customers/export");
    expect(exported.status()).toBe(403);
    expect(await exported.json()).toMatchObject({ Code: "forbidden" });
    const phone = uniquePhone();
    for (const path of ["/api/customers/import/preview", "/api/customers/import"]) {
      const response = await page.request.post(path, {
        headers: { "content-type": "application/json", origin: MAIN_URL },
        data: { Csv: `Phone,FirstName\n${phone},Sneaky\n` },
      });
      expect(response.status(), path).toBe(403);
    }
    const found = await (await page.request.get(`/api/engage/Customers?Phone=${phone}`)).json();
    expect(found).toEqual([]);
  });
});
