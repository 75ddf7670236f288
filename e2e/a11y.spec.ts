// An axe-core scan of every page, as every role that may open it: no serious or critical
// violation (WCAG 2.1 A and AA rules).
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { SECOND_URL, storageStateOf } from "./fixtures/env";
import { PAGES, type Role } from "./fixtures/pages";

async function scan(page: import("@playwright/test").Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

for (const role of ["owner", "manager", "staff"] as Role[]) {
  test.describe(`as the demo ${role}`, () => {
    test.use({ storageState: storageStateOf(role) });
    for (const { path } of PAGES.filter((p) => p.roles.includes(role))) {
      test(`${path} has no serious or critical violation`, async ({ page }) => {
        await page.goto(path);
        await page.waitForLoadState("networkidle");
        expect(await scan(page)).toEqual([]);
      });
    }
  });
}

test("the sign-in page has no serious or critical violation", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/sign-in");
  expect(await scan(page)).toEqual([]);
  await context.close();
});

test("the first-run setup page has no serious or critical violation", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${SECOND_URL}/setup`);
  expect(await scan(page)).toEqual([]);
  await context.close();
});
