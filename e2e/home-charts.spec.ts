// Home's charts (components/home/lazy-chart.tsx): the chart library loads after the figures, and
// a chart below the fold is drawn only once it is scrolled to, in the place its skeleton kept
// (nothing moves). Its numbers are in the figure's table for screen readers all along.
import { expect, test } from "@playwright/test";
import { storageStateOf } from "./fixtures/env";

test.use({ storageState: storageStateOf("owner") });

test("a chart below the fold is drawn when scrolled to, in the place its skeleton kept", async ({ page }) => {
  // Lighthouse's desktop screen: the revenue chart starts in it, the next ones below it.
  await page.setViewportSize({ width: 1350, height: 940 });
  await page.goto("/");
  await expect(page.getByRole("listitem", { name: "Revenue", exact: true })).toBeVisible();
  const revenue = page.getByRole("figure", { name: "Revenue and receipts per day" });
  await expect(revenue.locator("svg.recharts-surface").first()).toBeVisible();

  // The last figure, well below: the campaigns that earned the most (its height follows their number).
  const below = page.getByRole("figure", { name: "Campaigns by redeemed revenue" });
  await expect(below.getByRole("table")).toBeAttached();
  const place = below.locator("div[aria-hidden]").first();
  expect((await place.boundingBox())!.y).toBeGreaterThan(940 + 100);
  await page.waitForLoadState("networkidle");
  // Not drawn while out of sight: its skeleton holds the place.
  await expect(below.locator("svg.recharts-surface")).toHaveCount(0);
  const before = (await place.boundingBox())!.height;

  await place.scrollIntoViewIfNeeded();
  await expect(below.locator("svg.recharts-surface").first()).toBeVisible();
  expect(Math.abs((await place.boundingBox())!.height - before)).toBeLessThanOrEqual(1);
});
