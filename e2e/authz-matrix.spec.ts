// The authorization matrix's pages (lib/authz-matrix.ts, PAGE_MATRIX): every console page as
// each kind of caller — signed out, the demo Staff, Manager and Owner, and the Owner of another
// group — against the production server. The API routes' cells: lib/authz-matrix.test.ts.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { PAGE_MATRIX, USER_CALLERS, type PageOutcome, type UserCaller } from "../lib/authz-matrix";
import { signIn } from "./fixtures/console";
import { admin, MAIN_PORT, MAIN_URL, storageStateOf } from "./fixtures/env";

const RIVAL_PASSWORD = "rival-owner-password-2026";

/** A second group with its own Owner, made by the operator CLI; signed in through the sign-in page. */
async function rivalOwnerState(browser: Browser): Promise<Awaited<ReturnType<import("@playwright/test").BrowserContext["storageState"]>>> {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const group = admin<{ GroupID: number }>(MAIN_PORT, ["group", "create", "--name", `Rival ${suffix}`, "--json"]);
  admin(MAIN_PORT, ["location", "create", "--group", String(group.GroupID), "--name", `Rival store ${suffix}`, "--json"]);
  const email = `rival-owner-${suffix}@example.com`;
  admin(MAIN_PORT, ["user", "create", "--email", email, "--role", "owner", "--group", String(group.GroupID), "--password-stdin", "--json"], RIVAL_PASSWORD);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, RIVAL_PASSWORD);
  const state = await context.storageState();
  await context.close();
  return state;
}

/** Where a visit ended: the status, or "sign-in"/"home" when it was sent there. */
async function outcome(page: Page, path: string, oneRecord: boolean): Promise<PageOutcome | number> {
  const response = await page.goto(path);
  const landed = new URL(page.url()).pathname;
  const asked = new URL(path, MAIN_URL).pathname;
  if (landed !== asked && landed === "/sign-in") return "sign-in";
  if (landed !== asked && landed === "/") return "home";
  const status = response?.status() ?? 0;
  if (status === 200 && oneRecord) {
    // A page that reads its record in the browser says so once the proxy has answered.
    await page.waitForLoadState("networkidle");
    const heading = (await page.getByRole("heading", { level: 1 }).first().textContent().catch(() => "")) ?? "";
    if (/not found/i.test(heading)) return "not-found";
  }
  return status;
}

test("every page × every caller answers as the matrix says", async ({ browser }) => {
  test.setTimeout(300_000);
  // The demo records a page's params are filled with: a Durango sale, a group campaign.
  const ownerContext = await browser.newContext({ storageState: storageStateOf("owner") });
  const receipts = (await (await ownerContext.request.get(`${MAIN_URL}/api/engage/Receipts?LocationID=1&PageSize=1`)).json()) as { ReceiptID: string }[];
  expect(receipts).toHaveLength(1);
  let campaigns = (await (await ownerContext.request.get(`${MAIN_URL}/api/engage/Campaigns?Scope=Group&PageSize=1`)).json()) as { CampaignID: number }[];
  if (campaigns.length === 0) {
    const created = await ownerContext.request.post(`${MAIN_URL}/api/engage/Campaigns/Group`, {
      headers: { "content-type": "application/json", origin: MAIN_URL },
      data: { AmountOff: 2, DaysTillExpiration: 30, Name: "Matrix" },
    });
    expect(created.status()).toBe(201);
    campaigns = [(await created.json()) as { CampaignID: number }];
  }
  await ownerContext.close();
  const samples: Record<string, string> = { "{durango receipt}": receipts[0].ReceiptID, "{group campaign}": String(campaigns[0].CampaignID) };
  const pathOf = (row: (typeof PAGE_MATRIX)[number]) => (row.sample ?? row.page).replace(/\{[^}]+\}/g, (m) => samples[m]);

  const states: Record<UserCaller, Parameters<Browser["newContext"]>[0]> = {
    signedOut: {},
    staff: { storageState: storageStateOf("staff") },
    manager: { storageState: storageStateOf("manager") },
    owner: { storageState: storageStateOf("owner") },
    otherGroupOwner: { storageState: await rivalOwnerState(browser) },
  };

  const got: Record<string, Record<UserCaller, PageOutcome | number>> = {};
  const expected: Record<string, Record<UserCaller, PageOutcome>> = {};
  let cells = 0;
  for (const caller of USER_CALLERS) {
    const context = await browser.newContext(states[caller]);
    const page = await context.newPage();
    for (const row of PAGE_MATRIX) {
      const path = pathOf(row);
      got[row.page] ??= {} as Record<UserCaller, PageOutcome | number>;
      got[row.page][caller] = await outcome(page, path, row.sample !== undefined);
      expected[row.page] = row.expect;
      cells++;
    }
    await context.close();
  }
  console.log(`[authz-matrix] pages: ${PAGE_MATRIX.length} rows × ${USER_CALLERS.length} callers = ${cells} cells checked`);
  expect(got).toEqual(expected);
});
