// Signing in and out through the pages, as the demo Staff user: a signed-out visit goes to
// sign-in and comes back; a wrong password says so; the user menu signs out.
import { expect, test } from "@playwright/test";
import { DEMO, MAIN_URL } from "./fixtures/env";
import { DEMO_NAMES, submitSignIn } from "./fixtures/console";
import { NAV_BY_ROLE } from "./fixtures/pages";

test("a signed-out visit goes to sign-in, a wrong password says so, and sign-in comes back to the page", async ({ browser }) => {
  test.setTimeout(150_000);
  const context = await browser.newContext({ baseURL: MAIN_URL });
  const page = await context.newPage();

  await page.goto("/receipts");
  await expect(page).toHaveURL(`${MAIN_URL}/sign-in?next=%2Freceipts`);
  await expect(page).toHaveTitle("Sign in · Engage Console");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();

  expect(await submitSignIn(page, DEMO.staff.email, "not-the-password")).toBe("Wrong email or password.");
  await expect(page.getByLabel("Password")).toHaveValue("");
  expect(await submitSignIn(page, DEMO.staff.email, DEMO.staff.password)).toBeNull();
  await expect(page).toHaveURL(`${MAIN_URL}/receipts`);
  await expect(page.getByRole("heading", { level: 1, name: "Receipts" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(NAV_BY_ROLE.staff);

  // Signed in, the sign-in page sends you on.
  await page.goto("/sign-in?next=/offers");
  await expect(page).toHaveURL(`${MAIN_URL}/offers`);

  // The user menu names the user and signs out; the console is closed again afterwards.
  await page.getByRole("button", { name: DEMO_NAMES.staff }).click();
  await expect(page.getByRole("menuitem", { name: "Your profile" })).toBeVisible();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${MAIN_URL}/sign-in`);
  await page.goto("/");
  await expect(page).toHaveURL(`${MAIN_URL}/sign-in`);
  expect((await context.request.get("/api/settings/people")).status()).toBe(401);
  await context.close();
});
