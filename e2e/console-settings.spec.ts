// Settings as the demo Owner: locations (add, rename: the header's switcher follows), the Engage
// connection form, a list's error state with its Retry, and changing one's own password.
import { expect, test } from "@playwright/test";
import { MAIN_URL, storageStateOf } from "./fixtures/env";
import { createPerson, DEMO_LOCATIONS, demoLocationIds, signIn, unique } from "./fixtures/console";

test.describe("as the demo Owner", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("add a location and rename it; the location switcher follows", async ({ page }) => {
    const name = `Pagosa ${unique()}`;
    await page.goto("/settings/locations");
    const list = page.getByRole("main").getByRole("list");
    await expect(list.getByRole("listitem").first()).toBeVisible();

    await page.getByRole("button", { name: "Add location" }).click();
    await expect(page.getByLabel("Location name")).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("Location name").fill(name);
    await page.getByRole("button", { name: "Add location" }).click();
    await expect(page.getByText(`${name} was added.`)).toBeVisible();
    await expect(list).toContainText(name);
    await expect(page.getByLabel("Location name")).toHaveValue("");
    await expect(page.getByRole("combobox", { name: "Location" }).getByRole("option", { name })).toHaveCount(1);

    await page.getByRole("button", { name: `Rename ${name}` }).click();
    const dialog = page.getByRole("dialog", { name: "Rename location" });
    await dialog.getByLabel("Location name").fill(`${name} Springs`);
    await dialog.getByRole("button", { name: "Save name" }).click();
    await expect(page.getByText(`${name} is now called ${name} Springs.`)).toBeVisible();
    await expect(list).toContainText(`${name} Springs`);
    await expect(page.getByRole("combobox", { name: "Location" }).getByRole("option", { name: `${name} Springs` })).toHaveCount(1);
    await expect(page.getByRole("button", { name: `Rename ${name} Springs` })).toBeFocused();
  });

  test("the Engage connection: embedded now; the remote form asks for an address and shows a key field per location", async ({ page }) => {
    await page.goto("/settings/connection");
    await expect(page.getByText("In use now: the Engage built into this server.")).toBeVisible();
    await expect(page.getByRole("radio", { name: /^Embedded/ })).toBeChecked();

    await page.getByRole("radio", { name: /^Remote server/ }).check();
    await expect(page.getByLabel("Group key")).toHaveAttribute("type", "password");
    for (const location of DEMO_LOCATIONS) await expect(page.getByLabel(`Key for ${location}`)).toHaveAttribute("type", "password");
    await page.getByLabel("Remote server URL").fill("not an address");
    await page.getByLabel("Group key").fill("eng_grp_tooshort");
    await page.getByRole("button", { name: "Save connection" }).click();
    await expect(page.getByLabel("Remote server URL")).toHaveAccessibleDescription(/Enter the Engage server's address/);
    await expect(page.getByLabel("Group key")).toHaveAccessibleDescription(/Must be a complete group key/);

    // Back to embedded without saving anything remote: the demo group keeps its own Engage.
    await page.getByRole("button", { name: "Discard changes" }).click();
    await expect(page.getByRole("radio", { name: /^Embedded/ })).toBeChecked();
    await page.getByRole("button", { name: "Save connection" }).click();
    await expect(page.getByText("Saved: the console now uses the Engage built into this server.")).toBeVisible();
  });

  test("a list that fails to load says why and offers Retry", async ({ page }) => {
    // The server is fine; the browser is made to see Engage's "unavailable" answer once.
    let failures = 1;
    await page.route("**/api/settings/locations", async (route) => {
      if (failures-- > 0) {
        await route.fulfill({
          status: 503,
          contentType: "application/json",
          body: JSON.stringify({ Message: "The Engage server at https://engage.example.com could not be reached.", Code: "engage_unavailable" }),
        });
      } else await route.continue();
    });
    await page.goto("/settings/locations");
    const alert = page.getByRole("main").getByRole("alert");
    await expect(alert).toContainText("Engage is not answering");
    await expect(alert).toContainText("The Engage server at https://engage.example.com could not be reached.");
    await alert.getByRole("button", { name: "Retry" }).click();
    await expect(page.getByRole("main").getByRole("list")).toContainText(DEMO_LOCATIONS[0]);
  });
});

test("anyone changes their own password in their profile", async ({ browser }) => {
  test.setTimeout(150_000);
  const owner = await browser.newContext({ storageState: storageStateOf("owner") });
  const ids = await demoLocationIds(owner.request);
  const person = await createPerson(owner.request, { Name: `Pat Password ${unique()}`, Role: "staff", LocationIDs: [ids[DEMO_LOCATIONS[0]]], Password: "pat-first-password" });
  await owner.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, person.Email, "pat-first-password");
  await page.goto(`${MAIN_URL}/settings/profile`);
  await expect(page.getByRole("main")).toContainText(person.Email);

  await page.getByLabel("Current password").fill("not-my-password");
  await page.getByLabel("New password", { exact: true }).fill("pat-second-password");
  await page.getByLabel("Confirm new password").fill("pat-other-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByLabel("Confirm new password")).toHaveAccessibleDescription("Does not match the new password");

  await page.getByLabel("Confirm new password").fill("pat-second-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByLabel("Current password")).toHaveAccessibleDescription("That is not your current password.");

  await page.getByLabel("Current password").fill("pat-first-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password was changed, and your other sessions were signed out.")).toBeVisible();
  await expect(page.getByLabel("Current password")).toHaveValue("");
  // Still signed in here.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Your profile" })).toBeVisible();
  await context.close();
});
