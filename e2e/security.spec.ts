// The console's security, against the running app: roles are enforced on the server (not only
// hidden in the navigation), state-changing requests from another origin are refused, and one
// group's Owner never sees another group's customers.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { admin, MAIN_PORT, MAIN_URL, storageStateOf } from "./fixtures/env";
import { NAV_BY_ROLE, PAGES, type Role } from "./fixtures/pages";

const json = (extra: Record<string, string> = {}) => ({ "content-type": "application/json", origin: MAIN_URL, ...extra });

for (const role of ["owner", "manager", "staff"] as Role[]) {
  test.describe(`as the demo ${role}`, () => {
    test.use({ storageState: storageStateOf(role) });

    test("the navigation shows exactly the role's sections", async ({ page }) => {
      await page.goto("/");
      const nav = page.getByRole("navigation", { name: "Main" });
      await expect(nav.getByRole("link")).toHaveText(NAV_BY_ROLE[role]);
    });

    test("pages outside the role are refused by the server", async ({ page }) => {
      for (const { path } of PAGES.filter((p) => !p.roles.includes(role))) {
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(404);
      }
    });
  });
}

test.describe("Staff asking the console's routes directly", () => {
  test.use({ storageState: storageStateOf("staff") });

  test("creating a campaign is 403, and nothing reaches Engage", async ({ page }) => {
    for (const path of ["/api/engage/Campaigns/Location", "/api/engage/Campaigns/Group"]) {
      const response = await page.request.post(path, { headers: json(), data: { AmountOff: 5, DaysTillExpiration: 10 } });
      expect(response.status(), path).toBe(403);
      expect(await response.json()).toMatchObject({ Code: "forbidden" });
    }
    const owner = await page.context().browser()!.newContext({ storageState: storageStateOf("owner") });
    const campaigns = await owner.request.get(`${MAIN_URL}/api/engage/Campaigns?PageSize=200`);
    expect(((await campaigns.json()) as { AmountOff: number; DaysTillExpiration: number }[]).some((c) => c.DaysTillExpiration === 10 && c.AmountOff === 5)).toBe(false);
    await owner.close();
  });

  test("voiding a receipt and reading settings are 403", async ({ page }) => {
    const receipts = (await (await page.request.get("/api/engage/Receipts?PageSize=1")).json()) as { ReceiptID: string }[];
    expect(receipts.length).toBe(1);
    const voided = await page.request.post(`/api/engage/Receipts/${receipts[0].ReceiptID}/Void`, { headers: json(), data: {} });
    expect(voided.status()).toBe(403);
    expect((await page.request.get("/api/settings/people")).status()).toBe(403);
  });

  test("Staff see only their own location's receipts", async ({ page }) => {
    const receipts = (await (await page.request.get("/api/engage/Receipts?PageSize=200")).json()) as { LocationID: number }[];
    expect(receipts.length).toBeGreaterThan(0);
    expect(new Set(receipts.map((r) => r.LocationID)).size).toBe(1);
  });
});

test.describe("cross-site requests", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("a state-changing request with a foreign Origin is 403", async ({ page }) => {
    const foreign = await page.request.post("/api/engage/Customers", {
      headers: json({ origin: "https://evil.example" }),
      data: { Phone: "5559990000" },
    });
    expect(foreign.status()).toBe(403);
    const crossSite = await page.request.post("/api/engage/Customers", {
      headers: json({ "sec-fetch-site": "cross-site" }),
      data: { Phone: "5559990001" },
    });
    expect(crossSite.status()).toBe(403);
    const form = await page.request.post("/api/engage/Customers", {
      headers: { "content-type": "application/x-www-form-urlencoded", origin: MAIN_URL },
      data: "Phone=5559990002",
    });
    expect(form.status()).toBe(415);
    // None of them registered anyone.
    for (const phone of ["5559990000", "5559990001", "5559990002"]) {
      const found = (await (await page.request.get(`/api/engage/Customers?Phone=${phone}`)).json()) as unknown[];
      expect(found).toEqual([]);
    }
  });

  test("signed out, the console's routes answer 401 and pages send you to sign in", async ({ browser }) => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const response = await context.request.get(`${MAIN_URL}/api/engage/Customers`);
    expect(response.status()).toBe(401);
    const page = await context.newPage();
    await page.goto(`${MAIN_URL}/customers`);
    await expect(page).toHaveURL(/\/sign-in/);
    await context.close();
  });
});

async function signIn(request: APIRequestContext, email: string, password: string): Promise<void> {
  const response = await request.post(`${MAIN_URL}/api/auth/sign-in/email`, {
    headers: json(),
    data: { email, password },
  });
  expect(response.status(), await response.text()).toBe(200);
}

test("an Owner of one group cannot see another group's customers", async ({ playwright }) => {
  // A second group on the same server, with its own Owner and one customer of its own.
  const group = admin<{ GroupID: number }>(MAIN_PORT, ["group", "create", "--name", `Rival ${Date.now()}`, "--json"]);
  admin(MAIN_PORT, ["location", "create", "--group", String(group.GroupID), "--name", "Rival store", "--json"]);
  const email = `rival-${Date.now()}@example.com`;
  admin(MAIN_PORT, ["user", "create", "--email", email, "--role", "owner", "--group", String(group.GroupID), "--password-stdin", "--json"], "rival-owner-pass\n");

  const rival = await playwright.request.newContext({ baseURL: MAIN_URL });
  await signIn(rival, email, "rival-owner-pass");
  const mine = await rival.post("/api/engage/Customers", { headers: json(), data: { Phone: "5557771234", FirstName: "Rival" } });
  expect(mine.status()).toBe(201);

  const demo = await playwright.request.newContext({ baseURL: MAIN_URL, storageState: storageStateOf("owner") });
  const demoCustomers = (await (await demo.get("/api/engage/Customers?PageSize=1")).json()) as { CustomerID: number }[];
  const demoId = demoCustomers[0].CustomerID;

  // The rival sees its one customer, not the demo group's ~500, and a demo id is 404 (or its own).
  const list = await rival.get("/api/engage/Customers?PageSize=200");
  expect(Number(list.headers()["x-total-count"])).toBe(1);
  const rivalView = await rival.get(`/api/engage/Customers/${demoId}`);
  if (rivalView.status() === 200) expect((await rivalView.json()).FirstName).toBe("Rival");
  else expect(rivalView.status()).toBe(404);
  const search = (await (await rival.get("/api/engage/Customers?Query=Smith")).json()) as unknown[];
  expect(search).toEqual([]);

  // And the demo Owner does not see the rival's customer.
  const demoSearch = (await (await demo.get("/api/engage/Customers?Phone=5557771234")).json()) as unknown[];
  expect(demoSearch).toEqual([]);
  await rival.dispose();
  await demo.dispose();
});
