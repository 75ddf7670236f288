// Settings → Developers: the Owner creates a key, sees it once, copies it, uses it, revokes it
// (then it answers 401); rolls one; sends a test receipt and sees the request and response;
// copies a curl step filled in with this server's address. Managers and Staff have no
// Developers entry, the page is not theirs and its API answers 403.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { DEMO_LOCATIONS } from "./fixtures/console";
import { MAIN_URL, storageStateOf } from "./fixtures/env";

const KEY = /^eng_loc_[0-9A-Za-z]{28}$/;

test.describe("as the demo Owner", () => {
  test.use({ storageState: storageStateOf("owner"), permissions: ["clipboard-read", "clipboard-write"] });

  test("Settings links to Developers", async ({ page }) => {
    await page.goto("/settings");
    await page.getByRole("link", { name: /^Developers/ }).click();
    await expect(page).toHaveURL(/\/settings\/developers$/);
    await expect(page.getByRole("heading", { name: "Developers", level: 1 })).toBeVisible();
    await expect(page.getByRole("link", { name: /Open the API reference/ })).toHaveAttribute("href", "/docs");
  });

  test("create a key: shown once, copied, it works; revoke it after confirming: 401", async ({ page, request }) => {
    const label = `Till ${Date.now()}`;
    await page.goto("/settings/developers");
    const keys = page.getByRole("table", { name: "Live keys" });
    await expect(keys).toBeVisible();

    // Keyboard only: choose the location, label the key, submit.
    await page.getByLabel("Key for").selectOption({ label: DEMO_LOCATIONS[1] });
    await page.getByLabel("Label (optional)").fill(label);
    await page.getByLabel("Label (optional)").press("Enter");

    const shown = page.getByRole("textbox", { name: "New key" });
    await expect(shown).toBeFocused();
    const key = await shown.inputValue();
    expect(key).toMatch(KEY);
    await expect(page.getByRole("region", { name: /Your new key/ })).toContainText("shown only this once");

    // The copy button (by keyboard) puts exactly the key on the clipboard.
    await page.getByRole("button", { name: "Copy new key" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("button", { name: "Copy new key" })).toContainText("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

    // The curl steps carry the new key and this server's address.
    await expect(page.getByRole("figure", { name: /Your key, for the commands below/ })).toContainText(key);
    await expect(page.getByRole("figure", { name: /1\. Register a customer/ })).toContainText(`curl -X POST '${MAIN_URL}/v1/Customers'`);

    // The key works against this server.
    expect((await request.get("/v1/Customers?PageSize=1", { headers: { authorization: key } })).status()).toBe(200);

    // Once dismissed, only the masked key remains.
    await page.getByRole("button", { name: "Done: I have stored the key" }).click();
    await expect(shown).toHaveCount(0);
    const masked = `eng_loc_…${key.slice(-4)}`;
    const row = keys.getByRole("row").filter({ hasText: label });
    await expect(row).toContainText(masked);
    await expect(row).toContainText(DEMO_LOCATIONS[1]);
    await expect(page.locator("body")).not.toContainText(key);

    // Revoke, after a confirmation that can be cancelled.
    await row.getByRole("button", { name: `Revoke ${masked}` }).click();
    const confirm = page.getByRole("alertdialog", { name: "Revoke this key?" });
    await expect(confirm).toContainText("stops working at once");
    await confirm.getByRole("button", { name: "Keep the key" }).click();
    await expect(row).toBeVisible();
    await row.getByRole("button", { name: `Revoke ${masked}` }).click();
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await expect(page.getByText(`${masked} was revoked`)).toBeVisible();
    await expect(keys.getByRole("row").filter({ hasText: label })).toHaveCount(0);

    const refused = await request.get("/v1/Customers?PageSize=1", { headers: { authorization: key } });
    expect(refused.status()).toBe(401);
    expect(await refused.json()).toMatchObject({ Code: "unauthorized" });
  });

  test("roll a key: the new one is shown once and works, the old one answers 401", async ({ page, request }) => {
    const label = `Roll ${Date.now()}`;
    await page.goto("/settings/developers");
    await page.getByLabel("Label (optional)").fill(label);
    await page.getByRole("button", { name: "Create key" }).click();
    const old = await page.getByRole("textbox", { name: "New key" }).inputValue();
    expect(old).toMatch(/^eng_grp_/);
    await page.getByRole("button", { name: "Done: I have stored the key" }).click();

    const masked = `eng_grp_…${old.slice(-4)}`;
    await page.getByRole("row").filter({ hasText: label }).getByRole("button", { name: `Roll ${masked}` }).click();
    await page.getByRole("alertdialog", { name: "Roll this key?" }).getByRole("button", { name: "Roll key" }).click();
    const fresh = await page.getByRole("textbox", { name: "New key" }).inputValue();
    expect(fresh).toMatch(/^eng_grp_[0-9A-Za-z]{28}$/);
    expect(fresh).not.toBe(old);
    await expect(page.getByRole("region", { name: /Your new key/ })).toContainText("The key it replaces has stopped working");
    expect((await request.get("/v1/Customers?PageSize=1", { headers: { authorization: fresh } })).status()).toBe(200);
    expect((await request.get("/v1/Customers?PageSize=1", { headers: { authorization: old } })).status()).toBe(401);
  });

  test("send a test receipt: the page shows the exact request and Engage's 201", async ({ page }) => {
    await page.goto("/settings/developers");
    await page.getByLabel("Send as location").selectOption({ label: DEMO_LOCATIONS[0] });
    await page.getByRole("button", { name: "Send a test receipt" }).click();
    const submit = page.getByRole("article", { name: /Submit the guide's receipt/ });
    await expect(submit).toBeVisible();
    const request = submit.getByRole("figure", { name: "Request" });
    await expect(request).toContainText(`POST ${MAIN_URL}/v1/Receipts`);
    await expect(request).toContainText(/Authorization: eng_loc_…[0-9A-Za-z]{4}/);
    await expect(request).toContainText('"SKU": "SOCKS"');
    const response = submit.getByRole("figure", { name: "Response" });
    await expect(response).toContainText("HTTP 201");
    await expect(response).toContainText('"Total": 22.58');
    await expect(response).toContainText(/location: \/v1\/Receipts\/[0-9a-f]{32}/);
    await expect(page.getByText("The test receipt was stored (201).")).toBeVisible();
  });

  test("has no serious or critical accessibility violation, with a new key and a test receipt shown", async ({ page }) => {
    await page.goto("/settings/developers");
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByRole("textbox", { name: "New key" })).toBeVisible();
    await page.getByRole("button", { name: "Send a test receipt" }).click();
    await expect(page.getByRole("article", { name: /Submit the guide's receipt/ })).toBeVisible();
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    await page.getByRole("button", { name: "Done: I have stored the key" }).click();
  });
});

for (const role of ["manager", "staff"] as const) {
  test.describe(`as the demo ${role}`, () => {
    test.use({ storageState: storageStateOf(role) });

    test("no Developers entry; the page is not found and its API answers 403", async ({ page }) => {
      if (role === "manager") {
        await page.goto("/settings");
        await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
        await expect(page.getByRole("link", { name: /Developers/ })).toHaveCount(0);
      }
      await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Developers/ })).toHaveCount(0);
      const response = await page.goto("/settings/developers");
      expect(response?.status()).toBe(404);
      expect((await page.request.get("/api/settings/keys")).status()).toBe(403);
      const headers = { "content-type": "application/json", origin: MAIN_URL };
      expect((await page.request.post("/api/settings/keys", { headers, data: {} })).status()).toBe(403);
      expect((await page.request.delete("/api/settings/keys/1", { headers, data: {} })).status()).toBe(403);
      expect((await page.request.post("/api/settings/keys/1/roll", { headers, data: {} })).status()).toBe(403);
      expect((await page.request.post("/api/settings/developers/test-receipt", { headers, data: { LocationID: 1 } })).status()).toBe(403);
    });
  });
}
