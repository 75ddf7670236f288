// First run, on the second instance (an empty database): the setup page creates the group, its
// first locations and the Owner, signs the Owner in, and closes. Ordered: setup happens once.
import { expect, test } from "@playwright/test";
import { SECOND_URL } from "./fixtures/env";
import { NAV_BY_ROLE } from "./fixtures/pages";

const OWNER = { name: "Fiona Fox", email: "fiona@foxtail.example", password: "foxtail-owner-2026" };

test.describe.serial("first run", () => {
  test("an empty console opens the setup page, which creates the group, its locations and the Owner", async ({ browser }) => {
    const context = await browser.newContext({ baseURL: SECOND_URL });
    const page = await context.newPage();
    const setup = await (await context.request.get("/api/setup")).json();
    test.skip(!setup.Needed, "this instance was set up by an earlier attempt");

    await page.goto("/");
    await expect(page).toHaveURL(`${SECOND_URL}/setup`);
    await expect(page.getByRole("heading", { level: 1, name: "Set up Engage Console" })).toBeVisible();

    // Nothing filled: each field says what it needs, and nothing is sent.
    await page.getByRole("button", { name: "Set up the console" }).click();
    await expect(page.getByLabel("Group name")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Location 1 name")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");

    await page.getByLabel("Group name").fill("Fox Tail Pets");
    await page.getByLabel("Location 1 name").fill("Downtown");
    await page.getByRole("button", { name: "Add location" }).click();
    await expect(page.getByLabel("Location 2 name")).toBeFocused();
    await page.getByLabel("Location 2 name").fill("Placeholder");
    await page.getByRole("button", { name: "Add location" }).click();
    await page.getByLabel("Location 3 name").fill("Riverside");
    await page.getByRole("button", { name: "Remove location 2" }).click();
    await expect(page.getByLabel("Location 2 name")).toHaveValue("Riverside");
    await expect(page.getByLabel("Location 3 name")).toHaveCount(0);

    await page.getByLabel("Your name").fill(OWNER.name);
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Set up the console" }).click();
    await expect(page.getByText("Must be at least 10 characters")).toBeVisible();
    await page.getByLabel("Password").fill(OWNER.password);
    await page.getByRole("button", { name: "Set up the console" }).click();

    // Signed in as the new Owner, on Home, acting for the whole group.
    await expect(page).toHaveURL(`${SECOND_URL}/`);
    await expect(page.getByRole("heading", { level: 1, name: "Welcome, Fiona" })).toBeVisible();
    await expect(page.getByText("Fox Tail Pets", { exact: true }).first()).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(NAV_BY_ROLE.owner);
    const location = page.getByRole("combobox", { name: "Location" });
    await expect(location.getByRole("option")).toHaveText(["All locations", "Downtown", "Riverside"]);
    await expect(location).toHaveValue("all");

    // Setup is closed now, for everyone.
    const again = await context.request.post("/api/setup", {
      headers: { "content-type": "application/json", origin: SECOND_URL },
      data: { GroupName: "Another", Locations: ["X"], Name: "X", Email: "x@example.com", Password: "xxxxxxxxxxxx" },
    });
    expect(again.status()).toBe(409);
    const stranger = await browser.newContext({ baseURL: SECOND_URL });
    const strangerPage = await stranger.newPage();
    await strangerPage.goto("/setup");
    await expect(strangerPage).toHaveURL(`${SECOND_URL}/sign-in`);
    await stranger.close();
    await context.close();
  });

  test("the sign-in page says which attempt failed, and to wait after too many", async ({ browser }) => {
    // On the second instance: the throttle this sets for 127.0.0.1 does not slow the other specs.
    const context = await browser.newContext({ baseURL: SECOND_URL });
    const page = await context.newPage();
    await page.goto("/sign-in");
    const alert = page.getByRole("main").getByRole("alert");
    const statuses: number[] = [];
    for (let i = 0; i < 8 && !statuses.includes(429); i++) {
      await page.getByLabel("Email").fill(OWNER.email);
      await page.getByLabel("Password").fill(`wrong-password-${i}`);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/api/auth/sign-in/email")),
        page.getByRole("button", { name: "Sign in" }).click(),
      ]);
      statuses.push(response.status());
      await expect(alert).toHaveText(response.status() === 429 ? "Too many attempts, wait a minute and try again." : "Wrong email or password.");
      // The wrong password is cleared and the field ready for the next try.
      await expect(page.getByLabel("Password")).toHaveValue("");
      await expect(page.getByLabel("Password")).toBeFocused();
    }
    expect(statuses[0]).toBe(401);
    expect(statuses.at(-1)).toBe(429);
    // Even the right password waits for the minute to pass.
    await page.getByLabel("Password").fill(OWNER.password);
    const [last] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/auth/sign-in/email")),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
    expect(last.status()).toBe(429);
    await expect(alert).toHaveText("Too many attempts, wait a minute and try again.");
    await expect(page).toHaveURL(`${SECOND_URL}/sign-in`);
    await context.close();
  });
});
