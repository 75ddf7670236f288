// Settings → People, as the demo Owner: add a Manager and a Staff user who then sign in and see
// their own navigation; errors on their fields; change access, reset a password, deactivate
// and reactivate, each confirmed by the page.
import { expect, test, type Page } from "@playwright/test";
import { DEMO, MAIN_URL, storageStateOf } from "./fixtures/env";
import { createPerson, DEMO_LOCATIONS, demoLocationIds, signIn, unique } from "./fixtures/console";
import { NAV_BY_ROLE } from "./fixtures/pages";

test.use({ storageState: storageStateOf("owner") });

async function addPerson(page: Page, person: { name: string; email: string; role: "Manager" | "Staff"; locations: string[]; password: string }) {
  await page.getByRole("button", { name: "Add person" }).click();
  const dialog = page.getByRole("dialog", { name: "Add person" });
  await dialog.getByLabel("Name").fill(person.name);
  await dialog.getByLabel("Email").fill(person.email);
  await dialog.getByLabel("Role").selectOption({ label: person.role });
  for (const location of person.locations) await dialog.getByLabel(location).check();
  await dialog.getByLabel("Password").fill(person.password);
  await dialog.getByRole("button", { name: "Add person" }).click();
  await expect(page.getByText(`${person.name} was added as ${person.role}.`)).toBeVisible();
  await expect(dialog).toBeHidden();
}

test("an Owner adds a Manager and a Staff user, and each signs in to their own navigation", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const id = unique();
  const manager = { name: `Mia Manager ${id}`, email: `mia-${id}@example.com`, role: "Manager" as const, locations: [DEMO_LOCATIONS[0], DEMO_LOCATIONS[2]], password: "mia-manager-pass" };
  const staff = { name: `Stan Staff ${id}`, email: `stan-${id}@example.com`, role: "Staff" as const, locations: [DEMO_LOCATIONS[1]], password: "stan-staff-pass" };

  await page.goto("/settings/people");
  await expect(page.getByRole("table", { name: "People" })).toBeVisible();
  await addPerson(page, manager);
  await addPerson(page, staff);
  const table = page.getByRole("table", { name: "People" });
  await expect(table.getByRole("row", { name: new RegExp(manager.name) })).toContainText(`Manager${DEMO_LOCATIONS[0]}, ${DEMO_LOCATIONS[2]}`);
  await expect(table.getByRole("row", { name: new RegExp(staff.name) })).toContainText(`Staff${DEMO_LOCATIONS[1]}`);

  for (const [person, role] of [[manager, "manager"], [staff, "staff"]] as const) {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const theirs = await context.newPage();
    await signIn(theirs, person.email, person.password);
    await expect(theirs.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(NAV_BY_ROLE[role]);
    await expect(theirs.getByRole("button", { name: person.name })).toBeVisible();
    await context.close();
  }
});

test("errors land on their fields: the form's own checks, and the server's (an email already taken)", async ({ page }) => {
  await page.goto("/settings/people");
  await page.getByRole("button", { name: "Add person" }).click();
  const dialog = page.getByRole("dialog", { name: "Add person" });
  await dialog.getByRole("button", { name: "Add person" }).click();
  await expect(dialog.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByText("Staff work at exactly one location: choose one")).toBeVisible();

  await dialog.getByLabel("Name").fill("Manny Again");
  await dialog.getByLabel("Email").fill(DEMO.manager.email);
  await dialog.getByLabel(DEMO_LOCATIONS[0]).check();
  await dialog.getByLabel("Password").fill("long-enough-password");
  await dialog.getByRole("button", { name: "Add person" }).click();
  // The server's ModelState ({"Email": ["already has an account"]}) is shown under Email.
  await expect(dialog.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByText("Already has an account")).toBeVisible();
  await expect(dialog.getByLabel("Email")).toHaveAccessibleDescription("Already has an account");

  // Closing with changes asks first.
  page.once("dialog", (confirm) => void confirm.dismiss());
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeVisible();
  page.once("dialog", (confirm) => void confirm.accept());
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
});

test("change role and locations, reset a password, deactivate and reactivate", async ({ page }) => {
  const ids = await demoLocationIds(page.request);
  const id = unique();
  const person = await createPerson(page.request, { Name: `Ravi Role ${id}`, Role: "staff", LocationIDs: [ids[DEMO_LOCATIONS[2]]], Password: "ravi-staff-pass" });
  await page.goto(`${MAIN_URL}/settings/people`);
  const row = page.getByRole("table", { name: "People" }).getByRole("row", { name: new RegExp(person.Name) });
  const actions = row.getByRole("button", { name: `Actions for ${person.Name}` });

  await actions.click();
  await page.getByRole("menuitem", { name: "Change role and locations" }).click();
  const access = page.getByRole("dialog", { name: "Change role and locations" });
  await access.getByLabel("Role").selectOption({ label: "Manager" });
  await access.getByLabel(DEMO_LOCATIONS[0]).check();
  await access.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText(`${person.Name} is now Manager at ${DEMO_LOCATIONS[0]}, ${DEMO_LOCATIONS[2]}.`)).toBeVisible();
  await expect(row).toContainText("Manager");
  await expect(actions).toBeFocused();

  await actions.click();
  await page.getByRole("menuitem", { name: "Reset password" }).click();
  const reset = page.getByRole("dialog", { name: "Reset password" });
  await reset.getByLabel("New password").fill("short");
  await reset.getByRole("button", { name: "Set password" }).click();
  await expect(reset.getByText("Must be at least 10 characters")).toBeVisible();
  await reset.getByLabel("New password").fill("ravi-new-password");
  await reset.getByRole("button", { name: "Set password" }).click();
  await expect(page.getByText(`New password set for ${person.Name}. They were signed out everywhere.`)).toBeVisible();

  await actions.click();
  await page.getByRole("menuitem", { name: "Deactivate" }).click();
  const confirm = page.getByRole("alertdialog", { name: `Deactivate ${person.Name}?` });
  await expect(confirm).toContainText("signed out at once");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(row).not.toContainText("Deactivated");
  await actions.click();
  await page.getByRole("menuitem", { name: "Deactivate" }).click();
  await confirm.getByRole("button", { name: "Deactivate" }).click();
  await expect(page.getByText(`${person.Name} is deactivated and was signed out everywhere.`)).toBeVisible();
  await expect(row).toContainText("Deactivated");
  const listed = (await (await page.request.get(`${MAIN_URL}/api/settings/people`)).json()) as { UserID: string; Active: boolean }[];
  expect(listed.find((p) => p.UserID === person.UserID)?.Active).toBe(false);

  await actions.click();
  await page.getByRole("menuitem", { name: "Reactivate" }).click();
  await page.getByRole("alertdialog", { name: `Reactivate ${person.Name}?` }).getByRole("button", { name: "Reactivate" }).click();
  await expect(page.getByText(`${person.Name} is active again and can sign in.`)).toBeVisible();
  await expect(row).not.toContainText("Deactivated");
});

test("the Owner's own row offers no reset or deactivation", async ({ page }) => {
  await page.goto("/settings/people");
  const row = page.getByRole("row", { name: /\(you\)/ });
  await row.getByRole("button", { name: /^Actions for / }).click();
  await expect(page.getByRole("menuitem")).toHaveText(["Change role and locations"]);
});
