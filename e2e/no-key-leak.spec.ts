// No secret key ever reaches the browser: after every page as every role, no Engage key
// appears in any HTML, script, JSON response, cookie or storage, nor in the built static files.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { admin, MAIN_PORT, storageStateOf } from "./fixtures/env";
import { PAGES, type Role } from "./fixtures/pages";

/** Any Engage secret key, whole or as its random part. */
const KEY_PATTERN = /eng_(grp|loc)_[0-9A-Za-z]{28}/;

test("no Engage key in any response, cookie or storage, for any role", async ({ browser }) => {
  // Every page as every role, each until the network is idle: about a second and a half a page.
  test.setTimeout(PAGES.length * 3 * 5_000);
  // The console's own keys exist once a page has used Engage; make sure they do, and learn them.
  const owner = await browser.newContext({ storageState: storageStateOf("owner") });
  await (await owner.newPage()).goto("/customers");
  const keys = admin<{ Keys: { Key: string }[] }>(MAIN_PORT, ["key", "list", "--group", "1", "--json"]);
  expect(keys.Keys.length).toBeGreaterThan(0);
  await owner.close();

  for (const role of ["owner", "manager", "staff"] as Role[]) {
    const context = await browser.newContext({ storageState: storageStateOf(role) });
    const page = await context.newPage();
    const bodies: { url: string; text: string }[] = [];
    page.on("response", async (response) => {
      const type = response.headers()["content-type"] ?? "";
      if (/html|javascript|json|text|css/.test(type)) {
        try {
          bodies.push({ url: response.url(), text: await response.text() });
        } catch {
          // a redirect or an aborted response has no body
        }
      }
    });
    for (const { path: pagePath } of PAGES.filter((p) => p.roles.includes(role))) {
      await page.goto(pagePath);
      await page.waitForLoadState("networkidle");
    }
    for (const body of bodies) expect(body.text, `${role}: ${body.url}`).not.toMatch(KEY_PATTERN);
    for (const cookie of await context.cookies()) expect(cookie.value, `${role}: cookie ${cookie.name}`).not.toMatch(KEY_PATTERN);
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(storage).not.toMatch(KEY_PATTERN);
    expect(bodies.length).toBeGreaterThan(PAGES.filter((p) => p.roles.includes(role)).length);
    await context.close();
  }
});

test("the built static files hold no key", () => {
  const root = path.resolve(".next/static");
  expect(fs.existsSync(root)).toBe(true);
  let files = 0;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        files++;
        expect(fs.readFileSync(full, "latin1"), full).not.toMatch(KEY_PATTERN);
      }
    }
  };
  walk(root);
  expect(files).toBeGreaterThan(0);
});
