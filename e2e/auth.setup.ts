// Signs each demo role in once, through the sign-in page, and saves the session for the
// specs that act as that role (dub's and documenso's setup-project pattern).
import { test as setup, expect } from "@playwright/test";
import { DEMO, MAIN_URL, storageStateOf } from "./fixtures/env";

for (const role of ["owner", "manager", "staff"] as const) {
  setup(`sign in as the demo ${role}`, async ({ page }) => {
    await page.goto(`${MAIN_URL}/sign-in`);
    await page.getByLabel("Email").fill(DEMO[role].email);
    await page.getByLabel("Password").fill(DEMO[role].password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await page.context().storageState({ path: storageStateOf(role) });
  });
}
