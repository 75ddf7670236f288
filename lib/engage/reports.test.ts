// Reports over real HTTP on a real database (docs/API-EXTENSIONS.md): every figure equals a
// naive recomputation from the receipts and offers this test made through the API, over
// several days (the clock is moved, nothing else), with voids, out-of-order receipts and
// redemptions; a location key sees its own location only, another group sees nothing, and
// bad periods are refused. The summary tables rebuilt from scratch equal the ones kept up.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { startTestServer, type Tenant, type TestServer } from "./testing/harness";
import type { Offer } from "./offers";
import type { Receipt } from "./receipts";
import { rebuildReportSummaries, summed } from "./reports";
import type { ReportDaily, ReportFigures, ReportSummary } from "./schemas/report";

interface ErrorBody {
  Message: string;
  Code: string;
  ModelState?: Record<string, string[]>;
}

const DAY_MS = 86_400_000;
/** Noon UTC on the scenario's first day: its days are D0 … D3. */
const D0 = Date.parse("2025-03-10T12:00:00Z");
const dateOf = (day: number) => new Date(D0 + day * DAY_MS).toISOString().slice(0, 10);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  vi.useRealTimers();
  await server?.close();
});

/** Runs fn with the whole process's clock (the API's too) at `day` days and `ms` after D0. */
async function on<T>(day: number, fn: () => Promise<T>, ms = 0): Promise<T> {
  vi.useFakeTimers({ toFake: ["Date"], now: D0 + day * DAY_MS + ms });
  try {
    return await fn();
  } finally {
    vi.useRealTimers();
  }
}

async function ok<T>(method: string, path: string, key: string, body?: unknown, status = method === "POST" ? 201 : 200): Promise<T> {
  const res = await server.call<T>(method, path, { key, body });
  expect(res.status, `${method} ${path}: ${res.text}`).toBe(status);
  return res.json;
}

let counter = 0;
async function registerCustomer(key: string): Promise<number> {
  const c = await ok<{ CustomerID: number }>("POST", "/v1/Customers", key, { ExternalID: `reports-${++counter}-${Date.now()}` });
  return c.CustomerID;
}

/** What the test knows of each receipt it made, to recompute every figure itself. */
interface Made {
  receipt: Receipt;
  voided: boolean;
}

// ---------------------------------------------------------------------------------------------
// The naive recomputation: straight from the receipts and offers, no summary.

interface Naive {
  receipts: number;
  revenueCents: number;
  newCustomers: number;
  repeats: number;
  redeemed: number;
  redeemedRevenueCents: number;
}

const cents = (amount: number) => Math.round(amount * 100);
const dayIndex = (iso: string) => Math.floor(Date.parse(iso) / DAY_MS);

function naive(made: Made[], offers: Offer[], opts: { from: string; to: string; location?: number }) {
  const from = dayIndex(`${opts.from}T00:00:00Z`);
  const to = dayIndex(`${opts.to}T00:00:00Z`);
  const counted = made.filter((m) => !m.voided).map((m) => m.receipt);
  // Each customer's first counted receipt (by time, then ReceiptID) is their first visit.
  const firstOf = new Map<number, Receipt>();
  for (const r of [...counted].sort((a, b) => Date.parse(a.CreatedAt) - Date.parse(b.CreatedAt) || (a.ReceiptID < b.ReceiptID ? -1 : 1))) {
    if (!firstOf.has(r.CustomerID)) firstOf.set(r.CustomerID, r);
  }
  const inScope = (r: Receipt) => opts.location === undefined || r.LocationID === opts.location;
  const byDay = new Map<number, Naive>();
  const zero = (): Naive => ({ receipts: 0, revenueCents: 0, newCustomers: 0, repeats: 0, redeemed: 0, redeemedRevenueCents: 0 });
  let customersTotal = 0;
  const campaigns = new Map<number, { redeemed: number; revenueCents: number }>();
  for (const r of counted.filter(inScope)) {
    const d = dayIndex(r.CreatedAt);
    const isFirst = firstOf.get(r.CustomerID) === r;
    if (isFirst && d <= to) customersTotal++;
    if (d < from || d > to) continue;
    const s = byDay.get(d) ?? zero();
    byDay.set(d, s);
    s.receipts++;
    s.revenueCents += cents(r.Total);
    if (isFirst) s.newCustomers++;
    else s.repeats++;
    const redeemed = r.Redemptions.filter((x) => x.Status === "Redeemed");
    s.redeemed += redeemed.length;
    if (redeemed.length > 0) s.redeemedRevenueCents += cents(r.Total);
    const perCampaign = new Map<number, number>();
    for (const x of redeemed) {
      const offer = offers.find((o) => o.OfferID === x.OfferID)!;
      perCampaign.set(offer.CampaignID ?? 0, (perCampaign.get(offer.CampaignID ?? 0) ?? 0) + 1);
    }
    for (const [id, n] of perCampaign) {
      const c = campaigns.get(id) ?? { redeemed: 0, revenueCents: 0 };
      campaigns.set(id, c);
      c.redeemed += n;
      c.revenueCents += cents(r.Total);
    }
  }
  const issuedByDay = new Map<number, number>();
  for (const o of offers) {
    const d = dayIndex(o.CreatedAt);
    if (d < from || d > to) continue;
    if (opts.location !== undefined && o.LocationID !== opts.location) continue;
    issuedByDay.set(d, (issuedByDay.get(d) ?? 0) + 1);
  }
  const total = [...byDay.values()].reduce(
    (a, b) => ({
      receipts: a.receipts + b.receipts,
      revenueCents: a.revenueCents + b.revenueCents,
      newCustomers: a.newCustomers + b.newCustomers,
      repeats: a.repeats + b.repeats,
      redeemed: a.redeemed + b.redeemed,
      redeemedRevenueCents: a.redeemedRevenueCents + b.redeemedRevenueCents,
    }),
    zero(),
  );
  const issued = [...issuedByDay.values()].reduce((a, b) => a + b, 0);
  const rate = (p: number, w: number) => (w === 0 ? 0 : Math.round((p / w) * 10_000) / 10_000);
  const figures: ReportFigures = {
    Customers: { Total: customersTotal, New: total.newCustomers },
    Receipts: {
      Count: total.receipts,
      Revenue: total.revenueCents / 100,
      AverageTicket: total.receipts === 0 ? 0 : Math.round((total.revenueCents * 100) / total.receipts) / 10_000,
    },
    RepeatVisitRate: rate(total.repeats, total.receipts),
    Offers: { Issued: issued, Redeemed: total.redeemed, RedemptionRate: rate(total.redeemed, issued), RedeemedRevenue: total.redeemedRevenueCents / 100 },
  };
  const days = [];
  for (let d = from; d <= to; d++) {
    const s = byDay.get(d) ?? zero();
    days.push({
      Date: new Date(d * DAY_MS).toISOString().slice(0, 10),
      NewCustomers: s.newCustomers,
      Receipts: s.receipts,
      Revenue: s.revenueCents / 100,
      AverageTicket: s.receipts === 0 ? 0 : Math.round((s.revenueCents * 100) / s.receipts) / 10_000,
      RepeatVisits: s.repeats,
      OffersIssued: issuedByDay.get(d) ?? 0,
      OffersRedeemed: s.redeemed,
      RedeemedRevenue: s.redeemedRevenueCents / 100,
    });
  }
  const ranked = [...campaigns.entries()]
    .filter(([, c]) => c.redeemed > 0)
    .sort((a, b) => b[1].revenueCents - a[1].revenueCents || a[0] - b[0])
    .map(([id, c]) => ({ CampaignID: id, OffersRedeemed: c.redeemed, RedeemedRevenue: c.revenueCents / 100 }));
  return { figures, days, campaigns: ranked };
}

// ---------------------------------------------------------------------------------------------
// The scenario: group A with two locations, four days of sales, offers, voids; group B beside it.

let A: Tenant;
let B: Tenant;
const made: Made[] = [];
let offers: Offer[] = [];
const customers: number[] = [];
let campaignNames: Map<number, string>;

async function sell(key: string, customer: number, total: number, extra: Record<string, unknown> = {}): Promise<Receipt> {
  const receipt = await ok<Receipt>("POST", "/v1/Receipts", key, {
    CustomerID: customer,
    Skus: [{ SKU: "KIBBLE", Amount: total, Quantity: 1 }],
    SubTotal: total,
    Taxes: 0,
    Total: total,
    ...extra,
  });
  made.push({ receipt, voided: false });
  return receipt;
}

async function voidIt(key: string, receipt: Receipt): Promise<void> {
  await ok("POST", `/v1/Receipts/${receipt.ReceiptID}/Void`, key, undefined, 200);
  made.find((m) => m.receipt.ReceiptID === receipt.ReceiptID)!.voided = true;
}

async function offerFrom(key: string, level: "Group" | "Location", customer: number, name: string): Promise<Offer> {
  const campaign = await ok<{ CampaignID: number }>("POST", `/v1/Campaigns/${level}`, key, { AmountOff: 5, DaysTillExpiration: 30, Name: name });
  await ok("POST", `/v1/Campaigns/${campaign.CampaignID}/Offers`, key, [customer], 204);
  await server.drain();
  const held = await ok<Offer[]>("GET", `/v1/Customers/${customer}/Offers`, A.groupKey);
  return held.find((o) => o.CampaignID === campaign.CampaignID)!;
}

beforeAll(async () => {
  A = await server.createTenant(2);
  B = await server.createTenant(1);
  const [L1, L2] = A.locations;
  for (let i = 0; i < 6; i++) customers.push(await registerCustomer(A.groupKey));
  const [c1, c2, c3, c4, c5, c6] = customers;

  await on(0, async () => {
    await sell(L1.key, c1, 10);
    await sell(L2.key, c2, 20.5);
    await sell(L2.key, c1, 5.25);
    // Group B's sale the same day: never in A's figures.
    const b = await registerCustomer(B.groupKey);
    await ok("POST", "/v1/Receipts", B.locations[0].key, { CustomerID: b, Skus: [{ SKU: "X", Amount: 999, Quantity: 1 }], SubTotal: 999, Taxes: 0, Total: 999 });
  });
  let groupOffer!: Offer;
  let storeOffer!: Offer;
  await on(1, async () => {
    await sell(A.groupKey, c3, 100, { LocationID: L1.locationId });
    await sell(L1.key, c1, 7);
    groupOffer = await offerFrom(A.groupKey, "Group", c2, "Spring");
    storeOffer = await offerFrom(L1.key, "Location", c3, "Grooming week");
    // An offer nobody redeems: issued, never redeemed.
    await offerFrom(A.groupKey, "Group", c1, "Unused");
  });
  let c2Redeeming!: Receipt;
  await on(2, async () => {
    c2Redeeming = await sell(L1.key, c2, 30, { Discounts: [{ Code: groupOffer.Code, Amount: 5 }] });
    const r = await sell(L1.key, c3, 40, { Discounts: [{ Code: storeOffer.Code, Amount: 5 }] });
    expect(r.Redemptions[0]?.Status).toBe("Redeemed");
    const c4Only = await sell(L2.key, c4, 15);
    await voidIt(L2.key, c4Only);
    const c2Later = await sell(L2.key, c2, 12);
    await voidIt(A.groupKey, c2Later);
  });
  await on(3, async () => {
    // c3's first visit is voided: their D2 receipt becomes their first.
    await voidIt(L1.key, made.find((m) => m.receipt.CustomerID === c3)!.receipt);
    // The group offer's receipt is voided: the offer is free again, and redeemed anew today.
    await voidIt(L1.key, c2Redeeming);
    await sell(L2.key, c2, 33, { Discounts: [{ Code: groupOffer.Code, Amount: 5 }] });
    // c5 buys today, then a receipt made earlier reaches the server late: that one is the first.
    await sell(L1.key, c5, 9);
    await sell(L2.key, c6, 4);
  });
  await on(1, () => sell(L2.key, c5, 11), 3600_000);

  offers = [];
  for (const c of customers) offers.push(...(await ok<Offer[]>("GET", `/v1/Customers/${c}/Offers`, A.groupKey)));
  campaignNames = new Map([
    [groupOffer.CampaignID!, "Spring"],
    [storeOffer.CampaignID!, "Grooming week"],
  ]);
});

function summaryOf(key: string, from: string, to: string, location?: number) {
  const q = new URLSearchParams({ From: from, To: to });
  if (location !== undefined) q.set("LocationID", String(location));
  return server.call<ReportSummary>("GET", `/v1/Reports/Summary?${q}`, { key });
}

function dailyOf(key: string, from: string, to: string, location?: number) {
  const q = new URLSearchParams({ From: from, To: to });
  if (location !== undefined) q.set("LocationID", String(location));
  return server.call<ReportDaily>("GET", `/v1/Reports/Daily?${q}`, { key });
}

describe("GET /v1/Reports/Summary and /v1/Reports/Daily", () => {
  const periods = [
    { from: dateOf(0), to: dateOf(3) },
    { from: dateOf(2), to: dateOf(3) },
    { from: dateOf(1), to: dateOf(1) },
    { from: dateOf(-5), to: dateOf(10) },
  ];

  test.each(periods)("the group key's figures from $from to $to equal the receipts' own", async ({ from, to }) => {
    const res = await summaryOf(A.groupKey, from, to);
    expect(res.status, res.text).toBe(200);
    const expected = naive(made, offers, { from, to });
    const { Locations, Campaigns, From, To, LocationID, ...figures } = res.json;
    expect({ From, To, LocationID }).toEqual({ From: from, To: to, LocationID: null });
    expect(figures).toEqual(expected.figures);
    // Side by side: every location of the group, each equal to its own recomputation.
    expect(Locations.map((l) => l.LocationID)).toEqual(A.locations.map((l) => l.locationId));
    for (const l of Locations) {
      const { LocationID: id, Name, ...own } = l;
      expect(Name).toMatch(/^Store \d$/);
      expect(own, `location ${id}`).toEqual(naive(made, offers, { from, to, location: id }).figures);
    }
    expect(Campaigns.map(({ CampaignID, OffersRedeemed, RedeemedRevenue }) => ({ CampaignID, OffersRedeemed, RedeemedRevenue }))).toEqual(
      expected.campaigns,
    );
    for (const c of Campaigns) expect(c.Name).toBe(campaignNames.get(c.CampaignID!));

    const daily = await dailyOf(A.groupKey, from, to);
    expect(daily.status, daily.text).toBe(200);
    expect(daily.json).toEqual({ From: from, To: to, LocationID: null, Days: expected.days });
  });

  test("the scenario's figures are what a person would count", async () => {
    const res = await summaryOf(A.groupKey, dateOf(0), dateOf(3));
    // 13 receipts made, 4 voided: 9 count. Customers who bought: c1, c2, c3, c5, c6 (c4's only sale was voided).
    expect(res.json.Receipts.Count).toBe(9);
    expect(res.json.Customers).toEqual({ Total: 5, New: 5 });
    expect(res.json.Offers).toMatchObject({ Issued: 3, Redeemed: 2 });
    const d2 = await summaryOf(A.groupKey, dateOf(2), dateOf(2));
    // c3's D2 receipt is their first now that the D1 one is voided.
    expect(d2.json.Customers).toEqual({ Total: 4, New: 1 });
    expect(d2.json.Receipts).toEqual({ Count: 1, Revenue: 40, AverageTicket: 40 });
    expect(d2.json.RepeatVisitRate).toBe(0);
    // c5's late receipt of D1 is their first visit; D3's is a repeat.
    const d1 = await summaryOf(A.groupKey, dateOf(1), dateOf(1));
    expect(d1.json.Customers.New).toBe(1);
  });

  test.each([0, 1])("location %i's key sees its own location only", async (index) => {
    const { key, locationId } = A.locations[index];
    const from = dateOf(0);
    const to = dateOf(3);
    const res = await summaryOf(key, from, to);
    expect(res.status, res.text).toBe(200);
    const expected = naive(made, offers, { from, to, location: locationId });
    const { Locations, Campaigns, LocationID, From, To, ...figures } = res.json;
    void From;
    void To;
    expect(LocationID).toBe(locationId);
    expect(figures).toEqual(expected.figures);
    expect(Locations.map((l) => l.LocationID)).toEqual([locationId]);
    expect(Campaigns.map((c) => c.CampaignID)).toEqual(expected.campaigns.map((c) => c.CampaignID));
    // Its own LocationID is fine; the same as the group key asking for that location.
    const named = await summaryOf(key, from, to, locationId);
    expect(named.json).toEqual(res.json);
    const byGroup = await summaryOf(A.groupKey, from, to, locationId);
    expect(byGroup.json).toEqual(res.json);
    const daily = await dailyOf(key, from, to);
    expect(daily.json.Days).toEqual(expected.days);
    expect((await dailyOf(A.groupKey, from, to, locationId)).json).toEqual(daily.json);

    const other = A.locations[1 - index].locationId;
    for (const call of [summaryOf(key, from, to, other), dailyOf(key, from, to, other)]) {
      const refused = await call;
      expect(refused.status, refused.text).toBe(403);
      expect((refused.json as unknown as ErrorBody).Code).toBe("forbidden");
    }
  });

  test("another group sees nothing of this one, and cannot name its locations", async () => {
    const res = await summaryOf(B.groupKey, dateOf(0), dateOf(3));
    expect(res.status).toBe(200);
    expect(res.json.Receipts).toEqual({ Count: 1, Revenue: 999, AverageTicket: 999 });
    expect(res.json.Locations.map((l) => l.LocationID)).toEqual([B.locations[0].locationId]);
    expect(res.json.Campaigns).toEqual([]);
    for (const call of [summaryOf(B.groupKey, dateOf(0), dateOf(3), A.locations[0].locationId), dailyOf(B.groupKey, dateOf(0), dateOf(3), A.locations[0].locationId)]) {
      const refused = await call;
      expect(refused.status, refused.text).toBe(400);
      expect((refused.json as unknown as ErrorBody).ModelState).toHaveProperty("LocationID");
    }
    // B's location key naming A's location: its own location only.
    expect((await summaryOf(B.locations[0].key, dateOf(0), dateOf(3), A.locations[0].locationId)).status).toBe(403);
  });

  test("a new group with nothing yet gets zeros, not errors", async () => {
    const empty = await server.createTenant(1);
    const res = await summaryOf(empty.groupKey, dateOf(0), dateOf(0));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      Customers: { Total: 0, New: 0 },
      Receipts: { Count: 0, Revenue: 0, AverageTicket: 0 },
      RepeatVisitRate: 0,
      Offers: { Issued: 0, Redeemed: 0, RedemptionRate: 0, RedeemedRevenue: 0 },
      Campaigns: [],
    });
    const daily = await dailyOf(empty.groupKey, dateOf(0), dateOf(2));
    expect(daily.json.Days.map((d) => [d.Date, d.Receipts])).toEqual([[dateOf(0), 0], [dateOf(1), 0], [dateOf(2), 0]]);
  });

  test("the summary rebuilt from the receipts equals the one kept in their transactions", async () => {
    const snapshot = async () => ({
      // A day's rows summed (on PostgreSQL a transaction adds to one of several: 0009_report_shards).
      daily: (
        await server.database.db
          .selectFrom("report_daily")
          .select((eb) => ["day", "location_id", ...summed(eb)])
          .where("group_id", "=", A.groupId)
          .groupBy(["day", "location_id"])
          .orderBy("day")
          .orderBy("location_id")
          .execute()
      )
        .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])))
        .filter((row) => row.receipts !== 0 || row.new_customers !== 0 || row.repeat_receipts !== 0),
      campaigns: await server.database.db
        .selectFrom("report_campaign_daily")
        .selectAll()
        .where("group_id", "=", A.groupId)
        .where("offers_redeemed", "!=", 0)
        .orderBy("day")
        .orderBy("location_id")
        .orderBy("campaign_id")
        .execute(),
    });
    const kept = await snapshot();
    expect(kept.daily.length).toBeGreaterThan(3);
    expect(kept.campaigns.length).toBe(2);
    await rebuildReportSummaries(server.database.db, A.groupId);
    expect(await snapshot()).toEqual(kept);
    // Group B's rows are untouched by A's rebuild.
    const b = await summaryOf(B.groupKey, dateOf(0), dateOf(3));
    expect(b.json.Receipts.Count).toBe(1);
  });
});

describe("under concurrency", () => {
  test("receipts and voids made at once leave the summary equal to one rebuilt from the receipts", async () => {
    const t = await server.createTenant(2);
    const buyers: number[] = [];
    for (let i = 0; i < 4; i++) buyers.push(await registerCustomer(t.groupKey));
    const submitted = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        ok<Receipt>("POST", "/v1/Receipts", t.locations[i % 2].key, {
          CustomerID: buyers[i % buyers.length],
          Skus: [{ SKU: "RACE", Amount: 1 + i, Quantity: 1 }],
          SubTotal: 1 + i,
          Taxes: 0,
          Total: 1 + i,
        }),
      ),
    );
    // Each customer's first receipts voided while others are still being submitted.
    const firsts = buyers.map((b) => submitted.filter((r) => r.CustomerID === b).sort((a, z) => a.CreatedAt.localeCompare(z.CreatedAt))[0]);
    await Promise.all([
      ...firsts.map((r) => ok("POST", `/v1/Receipts/${r.ReceiptID}/Void`, t.groupKey, undefined, 200)),
      ...Array.from({ length: 8 }, (_, i) =>
        ok<Receipt>("POST", "/v1/Receipts", t.locations[i % 2].key, { CustomerID: buyers[i % 4], Skus: [{ SKU: "RACE", Amount: 2, Quantity: 1 }], SubTotal: 2, Taxes: 0, Total: 2 }),
      ),
    ]);
    // Yesterday too, should the test run across midnight (UTC).
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
    const kept = await summaryOf(t.groupKey, yesterday, today);
    expect(kept.status, kept.text).toBe(200);
    expect(kept.json.Receipts.Count).toBe(32 + 8 - 4);
    expect(kept.json.Customers).toEqual({ Total: 4, New: 4 });
    expect(kept.json.RepeatVisitRate).toBe(Math.round(((36 - 4) / 36) * 10_000) / 10_000);
    await rebuildReportSummaries(server.database.db, t.groupId);
    expect((await summaryOf(t.groupKey, yesterday, today)).json).toEqual(kept.json);
  });
});

describe("validation", () => {
  const bad: [string, string, string][] = [
    ["", "From", "no period"],
    ["From=2025-03-01", "To", "no To"],
    ["From=2025-02-30&To=2025-03-01", "From", "a date that does not exist"],
    ["From=2025-03-01T00:00:00Z&To=2025-03-02", "From", "a time, not a date"],
    ["From=march&To=2025-03-02", "From", "not a date"],
    ["From=2025-03-02&To=2025-03-01", "To", "To before From"],
    ["From=2024-01-01&To=2025-01-01", "To", "367 days"],
    ["From=2025-03-01&To=2025-03-02&LocationID=abc", "LocationID", "a LocationID that is not a number"],
    ["From=2025-03-01&To=2025-03-02&LocationID=0", "LocationID", "LocationID 0"],
  ];
  test.each(bad)("?%s is refused on %s (%s)", async (query, field) => {
    for (const path of ["/v1/Reports/Summary", "/v1/Reports/Daily"]) {
      const res = await server.call<ErrorBody>("GET", `${path}?${query}`, { key: A.groupKey });
      expect(res.status, res.text).toBe(400);
      expect(res.json.Code).toBe("validation_failed");
      expect(res.json.ModelState).toHaveProperty(field);
    }
  });

  test("366 days is the longest period; names match in any case", async () => {
    const res = await server.call<ReportDaily>("GET", "/v1/reports/daily?from=2024-01-01&to=2024-12-31", { key: A.groupKey });
    expect(res.status, res.text).toBe(200);
    expect(res.json.Days).toHaveLength(366);
  });

  test("no key, no report", async () => {
    const res = await server.call("GET", `/v1/Reports/Summary?From=${dateOf(0)}&To=${dateOf(1)}`, { key: null });
    expect(res.status).toBe(401);
  });
});
