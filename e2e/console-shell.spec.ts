// The console's shell as each demo role sees it: landmarks, the navigation and the current page,
// the location switcher, the user menu, the themes, and the phone layout.
import { expect, test } from "@playwright/test";
import { storageStateOf } from "./fixtures/env";
import { DEMO_GROUP, DEMO_LOCATIONS, DEMO_NAMES } from "./fixtures/console";
import { NAV_BY_ROLE } from "./fixtures/pages";

test.describe("as the demo Owner", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("landmarks, the skip link and the navigation with the current page", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("banner")).toBeVisible();
    await expect(page.getByRole("main")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: "Welcome, Olivia" })).toBeVisible();
    await expect(page.getByRole("main")).toContainText(DEMO_GROUP);
    await expect(page.getByRole("heading", { level: 2, name: `How ${DEMO_GROUP} is doing` })).toBeVisible();

    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to main content" });
    await expect(skip).toBeFocused();
    await skip.press("Enter");
    await expect(page.getByRole("main")).toBeFocused();

    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link")).toHaveText(NAV_BY_ROLE.owner);
    await expect(nav.getByRole("link", { name: "Home" })).toHaveAttribute("aria-current", "page");
    await nav.getByRole("link", { name: "Settings" }).click();
    await expect(page).toHaveURL(/\/settings$/);
    await expect(nav.getByRole("link", { name: "Settings" })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "Home" })).not.toHaveAttribute("aria-current", /.*/);
    const settings = page.getByRole("main").getByRole("link");
    await expect(settings).toHaveText([/^People/, /^Locations/, /^Engage connection/, /^Audit log/, /^Developers/, /^Your profile/]);
    await page.getByRole("main").getByRole("link", { name: "People" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "People" })).toBeVisible();
    // Inside Settings, the section stays marked.
    await expect(nav.getByRole("link", { name: "Settings" })).toHaveAttribute("aria-current", "true");
  });

  test("the location switcher: all locations or one, kept across pages, checked by the server", async ({ page }) => {
    await page.goto("/");
    const location = page.getByRole("combobox", { name: "Location" });
    // Other specs may have added locations to the demo group after these.
    expect((await location.getByRole("option").allInnerTexts()).slice(0, 4)).toEqual(["All locations", ...DEMO_LOCATIONS]);
    await expect(page.getByRole("heading", { name: `How ${DEMO_GROUP} is doing` })).toBeVisible();

    await location.selectOption({ label: DEMO_LOCATIONS[1] });
    await expect(page.getByRole("heading", { name: `How ${DEMO_LOCATIONS[1]} is doing` })).toBeVisible();
    await expect(page.getByText(`Now working at ${DEMO_LOCATIONS[1]}.`)).toBeVisible();
    await page.goto("/settings/profile");
    await page.goto("/");
    await expect(page.getByRole("combobox", { name: "Location" })).toHaveValue(/^\d+$/);
    await expect(page.getByRole("heading", { name: `How ${DEMO_LOCATIONS[1]} is doing` })).toBeVisible();

    await page.getByRole("combobox", { name: "Location" }).selectOption({ label: "All locations" });
    await expect(page.getByRole("heading", { name: `How ${DEMO_GROUP} is doing` })).toBeVisible();
  });

  test("the user menu: profile and sign-out", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("button", { name: DEMO_NAMES.owner }).click();
    const menu = page.getByRole("menu");
    await expect(menu).toContainText("owner@barkandmeow.example");
    await expect(menu.getByRole("menuitem")).toHaveText(["Your profile", "Sign out"]);
    await menu.getByRole("menuitem", { name: "Your profile" }).click();
    await expect(page).toHaveURL(/\/settings\/profile$/);
    await expect(page.getByRole("heading", { level: 1, name: "Your profile" })).toBeVisible();
    await expect(page.getByRole("main")).toContainText("Owner");
  });

  test("light and dark themes: system by default, a choice remembered from the first paint", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto("/");
    const html = page.locator("html");
    await expect(html).toHaveClass(/\bdark\b/);

    await page.getByRole("button", { name: "Theme" }).click();
    await expect(page.getByRole("menuitemradio", { name: "System" })).toHaveAttribute("aria-checked", "true");
    await page.getByRole("menuitemradio", { name: "Light" }).click();
    await expect(html).not.toHaveClass(/\bdark\b/);

    // Remembered, and applied by the inline script before anything paints.
    await page.emulateMedia({ colorScheme: "light" });
    await page.getByRole("button", { name: "Theme" }).click();
    await page.getByRole("menuitemradio", { name: "Dark" }).click();
    await expect(html).toHaveClass(/\bdark\b/);
    await page.reload({ waitUntil: "domcontentloaded" });
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);

    await page.getByRole("button", { name: "Theme" }).click();
    await page.getByRole("menuitemradio", { name: "System" }).click();
    await expect(html).not.toHaveClass(/\bdark\b/);
  });

  test("the theme script carries the page's CSP nonce, so the policy lets it run", async ({ page }) => {
    const refused: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    const response = await page.goto("/");
    const csp = response?.headers()["content-security-policy"] ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const html = await response!.text();
    expect(html).toContain(`<script nonce="${nonce}">(function(){try{var c=localStorage`);
    await page.waitForLoadState("networkidle");
    expect(refused).toEqual([]);
  });

  test("on a phone the navigation folds into a menu", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await page.getByRole("button", { name: "Menu" }).click();
    const dialog = page.getByRole("dialog");
    const nav = dialog.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link")).toHaveText(NAV_BY_ROLE.owner);
    await nav.getByRole("link", { name: "Customers" }).click();
    await expect(page).toHaveURL(/\/customers$/);
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("heading", { level: 1, name: "Customers" })).toBeVisible();
    // Nothing sticks out sideways at this width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
});

test.describe("as the demo Manager", () => {
  test.use({ storageState: storageStateOf("manager") });

  test("their locations without “All locations”, and Settings with only their profile", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(NAV_BY_ROLE.manager);
    await expect(page.getByRole("combobox", { name: "Location" }).getByRole("option")).toHaveText([DEMO_LOCATIONS[0], DEMO_LOCATIONS[1]]);
    await expect(page.getByRole("heading", { name: `How ${DEMO_LOCATIONS[0]} is doing` })).toBeVisible();
    await page.goto("/settings");
    await expect(page.getByRole("main").getByRole("link")).toHaveText([/^Your profile/]);
    const people = await page.goto("/settings/people");
    expect(people?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  });
});

test.describe("as the demo Staff", () => {
  test.use({ storageState: storageStateOf("staff") });

  test("one location (no switcher), their profile from the user menu, and no campaigns", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(NAV_BY_ROLE.staff);
    await expect(page.getByRole("heading", { name: `Working at ${DEMO_LOCATIONS[2]}` })).toBeVisible();
    await expect(page.getByRole("combobox", { name: "Location" })).toHaveCount(0);
    await page.getByRole("button", { name: DEMO_NAMES.staff }).click();
    await page.getByRole("menuitem", { name: "Your profile" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Your profile" })).toBeVisible();
    await expect(page.getByRole("main")).toContainText(DEMO_LOCATIONS[2]);
    const campaigns = await page.goto("/campaigns");
    expect(campaigns?.status()).toBe(404);
  });
});
