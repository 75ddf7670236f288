// Smoke test: one server answers both the console's pages and the Engage API at /v1.
import { expect, test } from "@playwright/test";

test("signed out, the console's home sends you to sign in", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page).toHaveTitle(/Engage Console/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
});

test("the Engage API on the same origin refuses a request without credentials", async ({ request }) => {
  const response = await request.get("/v1/Customers");
  expect(response.status()).toBe(401);
  expect(response.headers()["content-type"]).toContain("application/json");
  expect(await response.json()).toMatchObject({ Code: "unauthorized" });
});

test("API paths are case-insensitive and accept a trailing slash", async ({ request }) => {
  const response = await request.get("/V1/customers/");
  expect(response.status()).toBe(401);
  expect(await response.json()).toMatchObject({ Code: "unauthorized" });
});
