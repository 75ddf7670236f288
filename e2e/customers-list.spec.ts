// The Customers list as Staff and as a Manager: search as you type (phone's last 4 digits,
// name), sorting, paging, the URL reproducing the view, and the list's states.
import { expect, test, type Page } from "@playwright/test";
import { signIn, unique } from "./fixtures/console";
import { createCustomer, displayName, type CreatedCustomer, firstColumn, formattedPhone, uniquePhone } from "./fixtures/customers";
import { admin, MAIN_PORT, storageStateOf } from "./fixtures/env";

const searchBox = (page: Page) => page.getByRole("searchbox", { name: "Search customers" });
const customersTable = (page: Page) => page.getByRole("table", { name: "Customers" });
const pageStatus = (page: Page) => page.getByRole("navigation", { name: "Pages of customers" });

/** A made-up surname no demo customer has (letters only: the search reads digits as a phone). */
const uniqueSurname = () => `Zq${unique().replace(/[^a-z]/g, "")}`;

for (const role of ["staff", "manager"] as const) {
  test.describe(`as the demo ${role}`, () => {
    test.use({ storageState: storageStateOf(role) });

    test("finds a customer by the last 4 digits of their phone", async ({ page }) => {
      const phone = uniquePhone();
      const customer = await createCustomer(page.request, { FirstName: "Lastfour", LastName: uniqueSurname(), Phone: phone });
      await page.goto("/customers");
      await searchBox(page).fill(phone.slice(-4));
      await expect(page).toHaveURL(new RegExp(`[?&]q=${phone.slice(-4)}(&|$)`));
      const row = customersTable(page).getByRole("row").filter({ hasText: formattedPhone(phone) });
      await expect(row.getByRole("link", { name: `Lastfour ${customer.LastName}` })).toBeVisible();
      await row.getByRole("link", { name: `Lastfour ${customer.LastName}` }).click();
      await expect(page).toHaveURL(`/customers/${customer.CustomerID}`);
      await expect(page.getByRole("heading", { level: 1, name: `Lastfour ${customer.LastName}` })).toBeVisible();
    });

    test("finds a customer by name, in any case, and says when no one matches", async ({ page }) => {
      const surname = uniqueSurname();
      await createCustomer(page.request, { FirstName: "Nadia", LastName: surname, Phone: uniquePhone() });
      await page.goto("/customers");
      await searchBox(page).fill(`nadia ${surname.toLowerCase()}`);
      await expect(customersTable(page).getByRole("link")).toHaveText([`Nadia ${surname}`]);
      await expect(pageStatus(page)).toContainText("Page 1 of 1 · 1 customer");

      await searchBox(page).fill(`${surname}x`);
      await expect(page.getByText(`No customers match “${surname}x”`)).toBeVisible();
      await expect(customersTable(page)).toHaveCount(0);
      // From there, registering carries the name over.
      await page.getByRole("link", { name: "Register a new customer" }).click();
      await expect(page.getByLabel("First name")).toHaveValue(`${surname}x`);
    });

    test("sorts by lifetime spend and by last visit, both ways", async ({ page }) => {
      await page.goto("/customers");
      const table = customersTable(page);
      await expect(table.getByRole("columnheader", { name: "Name" })).toHaveAttribute("aria-sort", "ascending");

      await table.getByRole("button", { name: "Lifetime spend" }).click();
      await expect(page).toHaveURL(/[?&]sort=-lifetimeSpend/);
      await expect(table.getByRole("columnheader", { name: "Lifetime spend" })).toHaveAttribute("aria-sort", "descending");
      await expect(table.getByRole("columnheader", { name: "Name" })).toHaveAttribute("aria-sort", "none");
      const top = (await (await page.request.get("/api/engage/Customers?Sort=-lifetimeSpend&PageSize=25")).json()) as CreatedCustomer[];
      await expect.poll(() => firstColumn(table)).toEqual(top.map(displayName));

      await table.getByRole("button", { name: "Lifetime spend" }).click();
      await expect(page).toHaveURL(/[?&]sort=lifetimeSpend/);
      await expect(table.getByRole("columnheader", { name: "Lifetime spend" })).toHaveAttribute("aria-sort", "ascending");

      await table.getByRole("button", { name: "Last visit" }).click();
      await expect(page).toHaveURL(/[?&]sort=-lastVisit/);
      await expect(table.getByRole("columnheader", { name: "Last visit" })).toHaveAttribute("aria-sort", "descending");
      const recent = (await (await page.request.get("/api/engage/Customers?Sort=-lastVisit&PageSize=25")).json()) as CreatedCustomer[];
      await expect.poll(() => firstColumn(table)).toEqual(recent.map(displayName));

      await table.getByRole("button", { name: "Name" }).click();
      await expect(table.getByRole("columnheader", { name: "Name" })).toHaveAttribute("aria-sort", "ascending");
      await table.getByRole("button", { name: "Name" }).click();
      await expect(page).toHaveURL(/[?&]sort=-name/);
      await expect(table.getByRole("columnheader", { name: "Name" })).toHaveAttribute("aria-sort", "descending");
    });

    test("the URL reproduces the view: search, page and sort; Back returns to the previous page", async ({ page }) => {
      const expected = await page.request.get("/api/engage/Customers?Query=a&Sort=-lastVisit&Page=2&PageSize=25");
      const total = Number(expected.headers()["x-total-count"]);
      const pages = Math.ceil(total / 25);
      expect(pages).toBeGreaterThan(2);
      const names = ((await expected.json()) as CreatedCustomer[]).map(displayName);

      await page.goto("/customers?q=a&page=2&sort=-lastVisit");
      await expect(searchBox(page)).toHaveValue("a");
      await expect(customersTable(page).getByRole("columnheader", { name: "Last visit" })).toHaveAttribute("aria-sort", "descending");
      await expect(pageStatus(page)).toContainText(`Page 2 of ${pages} · ${total.toLocaleString("en-US")} customers`);
      await expect.poll(() => firstColumn(customersTable(page))).toEqual(names);

      await pageStatus(page).getByRole("button", { name: "Next" }).click();
      await expect(page).toHaveURL(/[?&]page=3/);
      await expect(pageStatus(page)).toContainText(`Page 3 of ${pages}`);
      await page.goBack();
      await expect(page).toHaveURL(/[?&]page=2/);
      await expect(pageStatus(page)).toContainText(`Page 2 of ${pages}`);
      await expect.poll(() => firstColumn(customersTable(page))).toEqual(names);
      await pageStatus(page).getByRole("button", { name: "Previous" }).click();
      await expect(pageStatus(page)).toContainText(`Page 1 of ${pages}`);
      await expect(pageStatus(page).getByRole("button", { name: "Previous" })).toBeDisabled();

      // A new search starts again from page 1, keeping the sort.
      await page.goto("/customers?q=a&page=3&sort=-lastVisit");
      await searchBox(page).fill("an");
      await expect(page).toHaveURL(/\?q=an&sort=-lastVisit$/);
    });
  });
}

test.describe("the list's states", () => {
  test.use({ storageState: storageStateOf("staff") });

  test("a newer search cancels the request of an older one", async ({ page }) => {
    const surname = uniqueSurname();
    await createCustomer(page.request, { FirstName: "Racer", LastName: surname, Phone: uniquePhone() });
    await page.goto("/customers");
    await expect(customersTable(page)).toBeVisible();
    // The first search is slow to answer; the second is typed while it is still on its way.
    await page.route(/\/api\/engage\/Customers\?.*Query=Racer(&|$)/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await route.continue().catch(() => {});
    });
    const aborted = page.waitForEvent("requestfailed", (request) => /Query=Racer(&|$)/.test(request.url()));
    await searchBox(page).fill("Racer");
    await page.waitForRequest(/Query=Racer(&|$)/);
    await searchBox(page).fill(`Racer ${surname}`);
    expect((await aborted).failure()?.errorText).toMatch(/abort/i);
    await expect(customersTable(page).getByRole("link")).toHaveText([`Racer ${surname}`]);
  });

  test("loading shows a skeleton; a failure says why and offers Retry", async ({ page }) => {
    let fail = true;
    await page.route(/\/api\/engage\/Customers\?/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 800));
      if (fail) {
        await route.fulfill({
          status: 502,
          contentType: "application/json",
          body: JSON.stringify({ Message: "The Engage server at https://engage.example could not be reached.", Code: "engage_unavailable" }),
        });
      } else {
        await route.continue();
      }
    });
    await page.goto("/customers");
    await expect(page.getByRole("status", { name: "Loading customers" })).toBeVisible();
    const alert = page.getByRole("main").getByRole("alert");
    await expect(alert).toContainText("Engage is not answering");
    await expect(alert).toContainText("could not be reached");
    fail = false;
    await alert.getByRole("button", { name: "Retry" }).click();
    await expect(customersTable(page)).toBeVisible();
    await expect(alert).toHaveCount(0);
  });

  test("a group without customers says so, and offers to register one", async ({ browser }) => {
    const group = admin<{ GroupID: number }>(MAIN_PORT, ["group", "create", "--name", `Empty ${unique()}`, "--json"]);
    admin(MAIN_PORT, ["location", "create", "--group", String(group.GroupID), "--name", "Only store", "--json"]);
    const email = `empty-${unique()}@example.com`;
    admin(MAIN_PORT, ["user", "create", "--email", email, "--role", "owner", "--group", String(group.GroupID), "--password-stdin", "--json"], "empty-owner-pass\n");
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await signIn(page, email, "empty-owner-pass");
    await page.goto("/customers");
    await expect(page.getByText("No customers yet", { exact: true })).toBeVisible();
    await expect(customersTable(page)).toHaveCount(0);
    await page.getByRole("main").getByRole("link", { name: "Register customer" }).first().click();
    await expect(page).toHaveURL("/customers/new");
    await context.close();
  });
});
