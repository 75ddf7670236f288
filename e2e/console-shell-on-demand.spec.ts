// The shell's menus (theme, user) and the phone navigation load their code when first used
// (components/ui/on-demand.tsx): a page's first load does not carry them, and a key or a press
// made before their code has arrived opens them as Radix's own button does — a menu opened from
// the keyboard with its first item focused, Escape back to the button — with no accessibility
// violation while open. The customer profile's "Erase customer" confirmation works the same way.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_NAMES } from "./fixtures/console";
import { storageStateOf } from "./fixtures/env";

/** Holds back every script requested from now on, so a key pressed at once beats its code. */
async function slowScripts(page: Page, ms = 500) {
  await page.route("**/_next/static/chunks/*.js", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await route.continue();
  });
}

/**
 * The open popup itself: while a Radix menu or dialog is open, the rest of the page is
 * aria-hidden with the focus trapped in the popup, which axe (not seeing the trap) reports as
 * aria-hidden-focus whatever loaded the popup.
 */
async function scan(page: Page, popup: string) {
  const results = await new AxeBuilder({ page }).include(popup).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test.describe("as the demo Owner", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("a menu's code is fetched when it is first wanted, not with the page", async ({ page }) => {
    const scripts: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(request.url());
    });
    await page.goto("/");
    await page.waitForLoadState("networkidle");
    const loaded = scripts.length;
    await expect(page.getByRole("menu")).toHaveCount(0);
    await page.getByRole("button", { name: "Theme" }).hover();
    await expect.poll(() => scripts.length).toBeGreaterThan(loaded);
  });

  test("the theme menu from the keyboard before its code is there: first item focused, Escape back, as once loaded", async ({ page }) => {
    await page.goto("/");
    await page.waitForLoadState("networkidle");
    await slowScripts(page);
    const theme = page.getByRole("button", { name: "Theme" });
    await expect(theme).toHaveAttribute("aria-haspopup", "menu");
    await expect(theme).toHaveAttribute("aria-expanded", "false");
    await theme.focus();
    await page.keyboard.press("Enter");
    // Its code is still on the way (held back above): the key waits for it.
    expect(await page.getByRole("menu").count()).toBe(0);
    await expect(page.getByRole("menuitemradio", { name: "Light" })).toBeFocused();
    // The rest of the page is aria-hidden while the menu is open: the button by its label.
    await expect(page.locator("button[aria-label=Theme]")).toHaveAttribute("aria-expanded", "true");
    expect(await scan(page, "[role=menu]")).toEqual([]);
    await page.keyboard.press("Escape");
    await expect(page.getByRole("menu")).toHaveCount(0);
    await expect(theme).toBeFocused();
    // Loaded now: the same again, and a choice made from the keyboard.
    await page.keyboard.press("Enter");
    await expect(page.getByRole("menuitemradio", { name: "Light" })).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(page.getByRole("menuitemradio", { name: "Dark" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(theme).toBeFocused();
  });

  test("the user menu by ArrowDown, and by a press, before its code is there", async ({ page }) => {
    await page.goto("/");
    await page.waitForLoadState("networkidle");
    await slowScripts(page);
    const button = page.getByRole("button", { name: DEMO_NAMES.owner });
    await button.focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.getByRole("menu").count()).toBe(0);
    await expect(page.getByRole("menuitem", { name: "Your profile" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(button).toBeFocused();

    await page.reload();
    await page.waitForLoadState("networkidle");
    await slowScripts(page);
    await page.getByRole("button", { name: DEMO_NAMES.owner }).click();
    expect(await page.getByRole("menu").count()).toBe(0);
    const menu = page.getByRole("menu");
    await expect(menu.getByRole("menuitem")).toHaveText(["Your profile", "Sign out"]);
    expect(await scan(page, "[role=menu]")).toEqual([]);
    await menu.getByRole("menuitem", { name: "Your profile" }).click();
    await expect(page).toHaveURL(/\/settings\/profile$/);
  });

  test("on a phone, the navigation panel from the keyboard before its code is there", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto("/");
    await page.waitForLoadState("networkidle");
    await slowScripts(page);
    const menuButton = page.getByRole("button", { name: "Menu" });
    await expect(menuButton).toHaveAttribute("aria-haspopup", "dialog");
    await menuButton.focus();
    await page.keyboard.press("Enter");
    expect(await page.getByRole("dialog").count()).toBe(0);
    const dialog = page.getByRole("dialog", { name: "Engage Console" });
    await expect(dialog).toBeVisible();
    // Radix's dialog focuses its first control that is not a link: here its Close button.
    await expect(dialog.getByRole("button", { name: "Close menu" })).toBeFocused();
    expect(await scan(page, "[role=dialog]")).toEqual([]);
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(menuButton).toBeFocused();
    // Loaded now: the same again.
    await page.keyboard.press("Enter");
    await expect(dialog.getByRole("button", { name: "Close menu" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(menuButton).toBeFocused();
  });

  test("a customer's Erase confirmation opens on the first click, before its code is there, and Keep closes it", async ({ page }) => {
    await page.goto("/customers");
    const first = page.getByRole("table", { name: "Customers" }).getByRole("link").first();
    await first.click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await slowScripts(page);
    const erase = page.getByRole("button", { name: "Erase customer" });
    await expect(erase).toHaveAttribute("aria-haspopup", "dialog");
    await erase.click();
    expect(await page.getByRole("alertdialog").count()).toBe(0);
    const alert = page.getByRole("alertdialog");
    await expect(alert).toBeVisible();
    await expect(alert.getByLabel("Type ERASE to confirm")).toBeVisible();
    expect(await scan(page, "[role=alertdialog]")).toEqual([]);
    await alert.getByRole("button", { name: "Keep the customer" }).click();
    await expect(alert).toBeHidden();
    await expect(erase).toBeFocused();
  });
});
