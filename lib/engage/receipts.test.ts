// API tests of receipts (ENGAGE_API.md §4) over real HTTP on a real database: submitting,
// LocationID, search and retrieval, redemption of offer codes, and voiding.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, wrongKey, type ApiResponse, type Tenant, type TestServer } from "./testing/harness";
import type { Customer } from "./schemas/customer";
import type { Receipt } from "./receipts";
import type { Offer } from "./offers";
import type { Redemption } from "./schemas/receipt";

interface ErrorBody {
  Message: string;
  Code: string;
  ModelState?: Record<string, string[]>;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

let externalCounter = 0;

async function registerCustomer(key: string, extra: Record<string, unknown> = {}): Promise<number> {
  const res = await server.call<Customer>("POST", "/v1/Customers", {
    key,
    body: { ExternalID: `receipts-test-${++externalCounter}-${Date.now()}`, ...extra },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.CustomerID;
}

function receiptBody(customerId: number, overrides: Record<string, unknown> = {}) {
  return {
    CustomerID: customerId,
    Skus: [{ SKU: "SOCKS", Description: "AWESOME 80s Socks!", Amount: 10.5, Quantity: 2 }],
    Discounts: [],
    SubTotal: 21.0,
    Taxes: 1.58,
    Total: 22.58,
    ...overrides,
  };
}

async function submit(key: string, body: unknown, headers?: Record<string, string>): Promise<ApiResponse<Receipt>> {
  return server.call<Receipt>("POST", "/v1/Receipts", { key, body, headers });
}

async function submitOk(key: string, body: unknown): Promise<Receipt> {
  const res = await submit(key, body);
  expect(res.status, res.text).toBe(201);
  return res.json;
}

async function getCustomer(key: string, customerId: number): Promise<Customer> {
  const res = await server.call<Customer>("GET", `/v1/Customers/${customerId}`, { key });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function getOffer(key: string, offerId: number): Promise<Offer> {
  const res = await server.call<Offer>("GET", `/v1/Offers/${offerId}`, { key });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function receiptCount(tenant: Tenant): Promise<number> {
  const row = await server.database.db
    .selectFrom("receipts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("group_id", "=", tenant.groupId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Issues one offer to the customer through a manual campaign, as a POS or the console would. */
async function issueOffer(
  tenant: Tenant,
  customerId: number,
  options: { level?: "Group" | "Location"; location?: number; MinimumPurchase?: number; DaysTillExpiration?: number } = {},
): Promise<Offer> {
  const level = options.level ?? "Group";
  const key = level === "Group" ? tenant.groupKey : tenant.locations[options.location ?? 0].key;
  const campaign = await server.call<{ CampaignID: number }>("POST", `/v1/Campaigns/${level}`, {
    key,
    body: { AmountOff: 5, MinimumPurchase: options.MinimumPurchase ?? 0, DaysTillExpiration: options.DaysTillExpiration ?? 30 },
  });
  expect(campaign.status, campaign.text).toBe(201);
  const sent = await server.call("POST", `/v1/Campaigns/${campaign.json.CampaignID}/Offers`, { key, body: [customerId] });
  expect(sent.status, sent.text).toBe(204);
  await server.drain();
  const offers = await server.call<Offer[]>("GET", `/v1/Customers/${customerId}/Offers`, { key: tenant.groupKey });
  expect(offers.status, offers.text).toBe(200);
  const offer = offers.json.find((o) => o.CampaignID === campaign.json.CampaignID);
  expect(offer, `an offer of campaign ${campaign.json.CampaignID}`).toBeDefined();
  return offer!;
}

async function expireOffer(offerId: number): Promise<void> {
  await server.database.db.updateTable("offers").set({ expires_at: Date.now() - 60_000 }).where("id", "=", offerId).execute();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("POST /v1/Receipts", () => {
  test("the guide's SOCKS receipt is stored and answered as in the guide", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const before = Date.now();
    const res = await submit(key, {
      CustomerID: customerId,
      Skus: [{ SKU: "SOCKS", Description: "AWESOME 80s Socks!", Amount: 10.5, Quantity: 2 }],
      Discounts: [],
      SubTotal: 21.0,
      Taxes: 1.58,
      Total: 22.58,
    });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const r = res.json;
    expect(r.ReceiptID).toMatch(/^[0-9a-f]{32}$/);
    expect(r).toMatchObject({
      CustomerID: customerId,
      Skus: [{ SKU: "SOCKS", Description: "AWESOME 80s Socks!", Amount: 10.5, Quantity: 2 }],
      Discounts: [],
      SubTotal: 21,
      Taxes: 1.58,
      Tip: 0,
      Shipping: 0,
      Total: 22.58,
      LocationID: tenant.locations[0].locationId,
      Redemptions: [],
      Offers: [],
    });
    expect(r.CreatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    const createdAt = Date.parse(r.CreatedAt);
    expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
    expect(createdAt).toBeLessThanOrEqual(Date.now() + 1000);

    const customer = await getCustomer(key, customerId);
    expect(customer.VisitCount).toBe(1);
    expect(customer.LifetimeSpend).toBe(22.58);
    expect(customer.LastVisitAt).toBe(r.CreatedAt);

    const again = await server.call<Receipt>("GET", `/v1/Receipts/${r.ReceiptID}`, { key });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ ...r, CreatedAt: r.CreatedAt });
  });

  test("every receipt gets its own ReceiptID; ids and timestamps in the body are ignored", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const forgedId = "0383b1c2438e4f82b516543de3522a4b";
    const a = await submitOk(key, receiptBody(customerId, { ReceiptID: forgedId, CreatedAt: "2001-01-01T00:00:00Z" }));
    const b = await submitOk(key, receiptBody(customerId, { ReceiptID: forgedId }));
    expect(a.ReceiptID).not.toBe(forgedId);
    expect(b.ReceiptID).not.toBe(forgedId);
    expect(a.ReceiptID).not.toBe(b.ReceiptID);
    expect(Date.parse(a.CreatedAt)).toBeGreaterThan(Date.parse("2020-01-01T00:00:00Z"));
    expect(await receiptCount(tenant)).toBe(2);
  });

  test("property names bind case-insensitively, unknown properties are ignored", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const res = await submit(key, {
      customerid: customerId,
      SKUS: [{ sku: "HAT", description: "Wool hat", amount: 12, quantity: 1, Colour: "red" }],
      subtotal: 12,
      TAXES: 0.9,
      total: 12.9,
      tip: 2,
      Loyalty: "gold",
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      CustomerID: customerId,
      Skus: [{ SKU: "HAT", Description: "Wool hat", Amount: 12, Quantity: 1 }],
      SubTotal: 12,
      Taxes: 0.9,
      Tip: 2,
      Total: 12.9,
    });
  });

  test("Tip and Shipping are stored when given", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const r = await submitOk(key, receiptBody(customerId, { Tip: 3.25, Shipping: 4.99, Total: 30.82 }));
    expect(r).toMatchObject({ Tip: 3.25, Shipping: 4.99, Total: 30.82 });
    const again = await server.call<Receipt>("GET", `/v1/Receipts/${r.ReceiptID}`, { key });
    expect(again.json).toMatchObject({ Tip: 3.25, Shipping: 4.99, Total: 30.82 });
  });

  test("money is exact: 0.1 + 0.2 is 0.3 and four decimal places survive", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    await submitOk(key, receiptBody(customerId, { SubTotal: 0.1, Taxes: 0, Total: 0.1 }));
    await submitOk(key, receiptBody(customerId, { SubTotal: 0.2, Taxes: 0, Total: 0.2 }));
    expect((await getCustomer(key, customerId)).LifetimeSpend).toBe(0.3);

    const precise = await submitOk(
      key,
      receiptBody(customerId, {
        Skus: [{ SKU: "GOLD", Amount: 1234567.8901, Quantity: 1 }],
        SubTotal: 1234567.8901,
        Taxes: 0.0001,
        Total: 1234567.8902,
      }),
    );
    expect(precise).toMatchObject({ SubTotal: 1234567.8901, Taxes: 0.0001, Total: 1234567.8902 });
    expect(precise.Skus[0].Amount).toBe(1234567.8901);
    expect((await getCustomer(key, customerId)).LifetimeSpend).toBe(1234568.1902);
    const stored = await server.call<Receipt>("GET", `/v1/Receipts/${precise.ReceiptID}`, { key });
    expect(stored.json).toMatchObject({ SubTotal: 1234567.8901, Taxes: 0.0001, Total: 1234567.8902 });
  });

  test("fractional quantities are allowed", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const r = await submitOk(
      key,
      receiptBody(customerId, {
        Skus: [
          { SKU: "COFFEE-LB", Amount: 12, Quantity: 1.5 },
          { SKU: "TEA-LB", Amount: 8, Quantity: 0.25 },
        ],
        SubTotal: 20,
        Taxes: 0,
        Total: 20,
      }),
    );
    expect(r.Skus.map((s) => s.Quantity)).toEqual([1.5, 0.25]);
    const stored = await server.call<Receipt>("GET", `/v1/Receipts/${r.ReceiptID}`, { key });
    expect(stored.json.Skus.map((s) => [s.SKU, s.Quantity])).toEqual([
      ["COFFEE-LB", 1.5],
      ["TEA-LB", 0.25],
    ]);
  });

  describe("invalid receipts are 400 with ModelState, and store nothing", () => {
    const cases: [string, (customerId: number) => unknown, string][] = [
      ["Quantity 0", (c) => receiptBody(c, { Skus: [{ SKU: "SOCKS", Amount: 10.5, Quantity: 0 }] }), "Skus[0].Quantity"],
      ["a negative Quantity", (c) => receiptBody(c, { Skus: [{ SKU: "SOCKS", Amount: 10.5, Quantity: -1 }] }), "Skus[0].Quantity"],
      [
        "Quantity 0 on the second line",
        (c) =>
          receiptBody(c, {
            Skus: [
              { SKU: "SOCKS", Amount: 10.5, Quantity: 2 },
              { SKU: "HAT", Amount: 1, Quantity: 0 },
            ],
          }),
        "Skus[1].Quantity",
      ],
      ["no Skus", (c) => ({ ...receiptBody(c), Skus: undefined }), "Skus"],
      ["an empty Skus", (c) => receiptBody(c, { Skus: [] }), "Skus"],
      ["a SKU without its SKU", (c) => receiptBody(c, { Skus: [{ Amount: 1, Quantity: 1 }] }), "Skus[0].SKU"],
      ["a SKU longer than 64", (c) => receiptBody(c, { Skus: [{ SKU: "X".repeat(65), Amount: 1, Quantity: 1 }] }), "Skus[0].SKU"],
      ["no SubTotal", (c) => ({ ...receiptBody(c), SubTotal: undefined }), "SubTotal"],
      ["no Taxes", (c) => ({ ...receiptBody(c), Taxes: undefined }), "Taxes"],
      ["no Total", (c) => ({ ...receiptBody(c), Total: undefined }), "Total"],
      ["a negative Total", (c) => receiptBody(c, { Total: -1 }), "Total"],
      ["a Total with 5 decimal places", (c) => receiptBody(c, { Total: 22.58001 }), "Total"],
      ["a Total given as a string", (c) => receiptBody(c, { Total: "22.58" }), "Total"],
      ["a negative Tip", (c) => receiptBody(c, { Tip: -0.01 }), "Tip"],
      ["no CustomerID", (c) => ({ ...receiptBody(c), CustomerID: undefined }), "CustomerID"],
      ["an unknown CustomerID", (c) => receiptBody(c + 1_000_000), "CustomerID"],
    ];
    test.each(cases)("%s", async (_name, body, field) => {
      const tenant = await server.createTenant(1);
      const key = tenant.locations[0].key;
      const customerId = await registerCustomer(key);
      const res = await server.call<ErrorBody>("POST", "/v1/Receipts", { key, body: body(customerId) });
      expect(res.status, res.text).toBe(400);
      expect(res.json.Code).toBe("validation_failed");
      expect(Object.keys(res.json.ModelState ?? {})).toContain(field);
      expect(await receiptCount(tenant)).toBe(0);
      const customer = await getCustomer(key, customerId);
      expect(customer).toMatchObject({ VisitCount: 0, LifetimeSpend: 0, LastVisitAt: null });
      const list = await server.call<Receipt[]>("GET", "/v1/Receipts", { key: tenant.groupKey });
      expect(list.json).toEqual([]);
    });
  });

  test("a customer of another group is an unknown CustomerID", async () => {
    const mine = await server.createTenant(1);
    const theirs = await server.createTenant(1);
    const theirCustomer = await registerCustomer(theirs.locations[0].key);
    const res = await server.call<ErrorBody>("POST", "/v1/Receipts", {
      key: mine.locations[0].key,
      body: receiptBody(theirCustomer),
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.ModelState ?? {})).toContain("CustomerID");
    expect(await receiptCount(mine)).toBe(0);
    expect(await receiptCount(theirs)).toBe(0);
    expect((await getCustomer(theirs.groupKey, theirCustomer)).VisitCount).toBe(0);
  });

  test("without a valid key: 401 and nothing stored", async () => {
    const tenant = await server.createTenant(1);
    const customerId = await registerCustomer(tenant.locations[0].key);
    const none = await submit("", receiptBody(customerId));
    expect(none.status).toBe(401);
    const wrong = await submit(wrongKey(tenant.locations[0].key), receiptBody(customerId));
    expect(wrong.status).toBe(401);
    expect(await receiptCount(tenant)).toBe(0);
  });
});

describe("LocationID", () => {
  test("a location key's receipt is its location's, whatever the body says", async () => {
    const tenant = await server.createTenant(2);
    const [one, two] = tenant.locations;
    const customerId = await registerCustomer(one.key);
    const r = await submitOk(one.key, receiptBody(customerId, { LocationID: two.locationId }));
    expect(r.LocationID).toBe(one.locationId);
    const other = await createOtherGroupLocation();
    const r2 = await submitOk(one.key, receiptBody(customerId, { LocationID: other }));
    expect(r2.LocationID).toBe(one.locationId);
    const stored = await server.call<Receipt>("GET", `/v1/Receipts/${r.ReceiptID}`, { key: one.key });
    expect(stored.json.LocationID).toBe(one.locationId);
    const atTwo = await server.call<Receipt[]>("GET", "/v1/Receipts", { key: two.key });
    expect(atTwo.json).toEqual([]);
  });

  test("a group key must give a LocationID of its group", async () => {
    const tenant = await server.createTenant(2);
    const customerId = await registerCustomer(tenant.groupKey);

    const missing = await server.call<ErrorBody>("POST", "/v1/Receipts", { key: tenant.groupKey, body: receiptBody(customerId) });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.json.ModelState ?? {})).toContain("LocationID");

    const foreign = await server.call<ErrorBody>("POST", "/v1/Receipts", {
      key: tenant.groupKey,
      body: receiptBody(customerId, { LocationID: await createOtherGroupLocation() }),
    });
    expect(foreign.status).toBe(400);
    expect(Object.keys(foreign.json.ModelState ?? {})).toContain("LocationID");

    const nonexistent = await server.call<ErrorBody>("POST", "/v1/Receipts", {
      key: tenant.groupKey,
      body: receiptBody(customerId, { LocationID: 987_654_321 }),
    });
    expect(nonexistent.status).toBe(400);
    expect(Object.keys(nonexistent.json.ModelState ?? {})).toContain("LocationID");

    expect(await receiptCount(tenant)).toBe(0);
    expect((await getCustomer(tenant.groupKey, customerId)).VisitCount).toBe(0);

    const ok = await submitOk(tenant.groupKey, receiptBody(customerId, { LocationID: tenant.locations[1].locationId }));
    expect(ok.LocationID).toBe(tenant.locations[1].locationId);
    const atTwo = await server.call<Receipt[]>("GET", "/v1/Receipts", { key: tenant.locations[1].key });
    expect(atTwo.json.map((r) => r.ReceiptID)).toEqual([ok.ReceiptID]);
  });
});

async function createOtherGroupLocation(): Promise<number> {
  const other = await server.createTenant(1);
  return other.locations[0].locationId;
}

describe("GET /v1/Receipts", () => {
  /** Sets a receipt's CreatedAt directly, to search by dates in the past. */
  async function backdate(receiptId: string, at: string): Promise<void> {
    await server.database.db.updateTable("receipts").set({ created_at: Date.parse(at) }).where("id", "=", receiptId).execute();
  }

  async function search(key: string, query: string): Promise<ApiResponse<Receipt[]>> {
    const res = await server.call<Receipt[]>("GET", `/v1/Receipts${query}`, { key });
    expect(res.status, res.text).toBe(200);
    return res;
  }

  const ids = (res: ApiResponse<Receipt[]>) => res.json.map((r) => r.ReceiptID);

  test("filters by CustomerID and, with a group key, by LocationID", async () => {
    const tenant = await server.createTenant(2);
    const [one, two] = tenant.locations;
    const alice = await registerCustomer(one.key);
    const bob = await registerCustomer(one.key);
    const a1 = await submitOk(one.key, receiptBody(alice));
    await sleep(3);
    const b1 = await submitOk(one.key, receiptBody(bob));
    await sleep(3);
    const a2 = await submitOk(two.key, receiptBody(alice));

    expect(ids(await search(tenant.groupKey, `?CustomerID=${alice}`))).toEqual([a2.ReceiptID, a1.ReceiptID]);
    expect(ids(await search(tenant.groupKey, `?customerid=${bob}`))).toEqual([b1.ReceiptID]);
    expect(ids(await search(tenant.groupKey, `?LocationID=${one.locationId}`))).toEqual([b1.ReceiptID, a1.ReceiptID]);
    expect(ids(await search(tenant.groupKey, `?LocationID=${two.locationId}`))).toEqual([a2.ReceiptID]);
    expect(ids(await search(tenant.groupKey, `?LocationID=${one.locationId}&CustomerID=${alice}`))).toEqual([a1.ReceiptID]);
    expect(ids(await search(tenant.groupKey, ""))).toEqual([a2.ReceiptID, b1.ReceiptID, a1.ReceiptID]);
    expect(ids(await search(tenant.groupKey, `?CustomerID=${alice + 1_000_000}`))).toEqual([]);
  });

  test("a location key sees only its own location's receipts", async () => {
    const tenant = await server.createTenant(2);
    const [one, two] = tenant.locations;
    const customerId = await registerCustomer(one.key);
    const atOne = await submitOk(one.key, receiptBody(customerId));
    const atTwo = await submitOk(two.key, receiptBody(customerId));
    const mine = await search(one.key, "");
    expect(ids(mine)).toEqual([atOne.ReceiptID]);
    expect(mine.headers.get("x-total-count")).toBe("1");
    expect(ids(await search(two.key, ""))).toEqual([atTwo.ReceiptID]);
    // Asking for another location does not widen a location key's view.
    expect(ids(await search(one.key, `?LocationID=${two.locationId}`))).not.toContain(atTwo.ReceiptID);
    expect(ids(await search(one.key, `?CustomerID=${customerId}`))).toEqual([atOne.ReceiptID]);
  });

  test("another group's receipts are never listed", async () => {
    const mine = await server.createTenant(1);
    const theirs = await server.createTenant(1);
    const customerId = await registerCustomer(theirs.locations[0].key);
    await submitOk(theirs.locations[0].key, receiptBody(customerId));
    expect(ids(await search(mine.groupKey, ""))).toEqual([]);
    expect(ids(await search(mine.groupKey, `?CustomerID=${customerId}`))).toEqual([]);
    expect(ids(await search(mine.groupKey, `?LocationID=${theirs.locations[0].locationId}`))).toEqual([]);
    expect(ids(await search(mine.locations[0].key, ""))).toEqual([]);
  });

  test("From and To take dates (whole days) and times", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const at = {
      march1: "2024-03-01T10:00:00.000Z",
      march2Start: "2024-03-02T00:00:00.000Z",
      march2Noon: "2024-03-02T12:00:00.000Z",
      march2End: "2024-03-02T23:59:59.999Z",
      march3: "2024-03-03T00:00:00.000Z",
    };
    const r: Record<string, string> = {};
    for (const [name, when] of Object.entries(at)) {
      r[name] = (await submitOk(key, receiptBody(customerId))).ReceiptID;
      await backdate(r[name], when);
    }
    const all = [r.march3, r.march2End, r.march2Noon, r.march2Start, r.march1];
    expect(ids(await search(key, ""))).toEqual(all);
    expect((await search(key, "")).json[0].CreatedAt).toBe(at.march3);

    expect(ids(await search(key, "?From=2024-03-02&To=2024-03-02"))).toEqual([r.march2End, r.march2Noon, r.march2Start]);
    expect(ids(await search(key, "?From=2024-03-02"))).toEqual([r.march3, r.march2End, r.march2Noon, r.march2Start]);
    expect(ids(await search(key, "?To=2024-03-01"))).toEqual([r.march1]);
    expect(ids(await search(key, "?from=2024-03-03&to=2024-03-03"))).toEqual([r.march3]);
    expect(ids(await search(key, "?From=2024-03-04"))).toEqual([]);

    expect(ids(await search(key, "?From=2024-03-02T06:00:00Z"))).toEqual([r.march3, r.march2End, r.march2Noon]);
    expect(ids(await search(key, "?To=2024-03-02T06:00:00Z"))).toEqual([r.march2Start, r.march1]);
    expect(ids(await search(key, "?From=2024-03-02T11:00:00Z&To=2024-03-02T13:00:00Z"))).toEqual([r.march2Noon]);
    expect(ids(await search(key, "?From=2024-03-02T12:00:00.001Z"))).toEqual([r.march3, r.march2End]);
    // A time with an offset is that instant; a time without one is UTC.
    expect(ids(await search(key, "?From=2024-03-02T08:00:00%2B02:00"))).toEqual([r.march3, r.march2End, r.march2Noon]);
    expect(ids(await search(key, "?To=2024-03-02T06:00:00"))).toEqual([r.march2Start, r.march1]);

    const bad = await server.call<ErrorBody>("GET", "/v1/Receipts?From=yesterday", { key });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.ModelState ?? {})).toContain("From");
    const badTo = await server.call<ErrorBody>("GET", "/v1/Receipts?To=2024-13-45", { key });
    expect(badTo.status).toBe(400);
  });

  test("filters by SKU", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const socks = await submitOk(key, receiptBody(customerId));
    await sleep(3);
    const both = await submitOk(
      key,
      receiptBody(customerId, {
        Skus: [
          { SKU: "HAT", Amount: 5, Quantity: 1 },
          { SKU: "SOCKS", Amount: 10.5, Quantity: 1 },
        ],
      }),
    );
    await sleep(3);
    const hat = await submitOk(key, receiptBody(customerId, { Skus: [{ SKU: "HAT", Amount: 5, Quantity: 1 }] }));
    expect(ids(await search(key, "?SKU=SOCKS"))).toEqual([both.ReceiptID, socks.ReceiptID]);
    expect(ids(await search(key, "?sku=HAT"))).toEqual([hat.ReceiptID, both.ReceiptID]);
    expect(ids(await search(key, "?SKU=GLOVES"))).toEqual([]);
    // A SKU filter keeps all of a matching receipt's lines.
    expect((await search(key, "?SKU=SOCKS")).json[0].Skus.map((s) => s.SKU)).toEqual(["HAT", "SOCKS"]);
  });

  test("filters by MinTotal and MaxTotal, both inclusive", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const made: Record<string, string> = {};
    for (const total of [5, 10.5, 22.58, 100]) {
      made[total] = (await submitOk(key, receiptBody(customerId, { Total: total }))).ReceiptID;
      await sleep(3);
    }
    expect(ids(await search(key, "?MinTotal=10.5"))).toEqual([made[100], made[22.58], made[10.5]]);
    expect(ids(await search(key, "?MaxTotal=22.58"))).toEqual([made[22.58], made[10.5], made[5]]);
    expect(ids(await search(key, "?MinTotal=10.51&MaxTotal=22.58"))).toEqual([made[22.58]]);
    expect(ids(await search(key, "?mintotal=22.5801"))).toEqual([made[100]]);
    expect(ids(await search(key, "?MinTotal=101"))).toEqual([]);
    const bad = await server.call<ErrorBody>("GET", "/v1/Receipts?MinTotal=lots", { key });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.ModelState ?? {})).toContain("MinTotal");
  });

  test("pages newest first with X-Total-Count and Link", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      made.push((await submitOk(key, receiptBody(customerId, { Total: i + 1 }))).ReceiptID);
      await sleep(3);
    }
    const newestFirst = [...made].reverse();

    const page1 = await search(key, "?PageSize=2");
    expect(page1.headers.get("x-total-count")).toBe("5");
    expect(ids(page1)).toEqual(newestFirst.slice(0, 2));
    const link1 = page1.headers.get("link") ?? "";
    expect(link1).toMatch(/<[^>]*Page=2[^>]*>; rel="next"/);
    expect(link1).not.toContain('rel="prev"');

    const page2 = await search(key, "?PageSize=2&Page=2");
    expect(page2.headers.get("x-total-count")).toBe("5");
    expect(ids(page2)).toEqual(newestFirst.slice(2, 4));
    const link2 = page2.headers.get("link") ?? "";
    expect(link2).toMatch(/<[^>]*Page=3[^>]*>; rel="next"/);
    expect(link2).toMatch(/<[^>]*Page=1[^>]*>; rel="prev"/);

    const page3 = await search(key, "?pagesize=2&page=3");
    expect(ids(page3)).toEqual(newestFirst.slice(4));
    const link3 = page3.headers.get("link") ?? "";
    expect(link3).not.toContain('rel="next"');
    expect(link3).toMatch(/<[^>]*Page=2[^>]*>; rel="prev"/);

    // Following the next link walks the whole list.
    const next = /<([^>]*)>; rel="next"/.exec(link1)![1];
    const followed = await search(key, next.replace(/^\/v1\/Receipts/i, ""));
    expect(ids(followed)).toEqual(newestFirst.slice(2, 4));

    // Filters count and page too.
    const filtered = await search(key, "?MinTotal=2&PageSize=3");
    expect(filtered.headers.get("x-total-count")).toBe("4");
    expect(ids(filtered)).toEqual(newestFirst.slice(0, 3));
    expect(filtered.headers.get("link") ?? "").toMatch(/MinTotal=2/);

    expect((await server.call("GET", "/v1/Receipts?PageSize=201", { key })).status).toBe(400);
    expect((await server.call("GET", "/v1/Receipts?Page=0", { key })).status).toBe(400);
  });
});

describe("GET /v1/Receipts paging defaults", () => {
  test("25 to a page unless PageSize says otherwise", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    for (let i = 0; i < 26; i++) await submitOk(key, receiptBody(customerId));
    const first = await server.call<Receipt[]>("GET", "/v1/Receipts", { key });
    expect(first.json).toHaveLength(25);
    expect(first.headers.get("x-total-count")).toBe("26");
    expect(first.headers.get("link") ?? "").toContain('rel="next"');
    const second = await server.call<Receipt[]>("GET", "/v1/Receipts?Page=2", { key });
    expect(second.json).toHaveLength(1);
    expect(new Set([...first.json, ...second.json].map((r) => r.ReceiptID)).size).toBe(26);
    const all = await server.call<Receipt[]>("GET", "/v1/Receipts?PageSize=200", { key });
    expect(all.json).toHaveLength(26);
    expect(all.headers.get("link") ?? "").not.toContain('rel="next"');
  });
});

describe("GET /v1/Receipts/{ReceiptID}", () => {
  test("200 for the group and the receipt's location; 404 otherwise", async () => {
    const tenant = await server.createTenant(2);
    const [one, two] = tenant.locations;
    const customerId = await registerCustomer(one.key);
    const r = await submitOk(one.key, receiptBody(customerId));

    const byLocation = await server.call<Receipt>("GET", `/v1/Receipts/${r.ReceiptID}`, { key: one.key });
    expect(byLocation.status).toBe(200);
    expect(byLocation.json).toMatchObject({ ReceiptID: r.ReceiptID, CustomerID: customerId, Total: 22.58, Skus: r.Skus });
    const byGroup = await server.call<Receipt>("GET", `/v1/Receipts/${r.ReceiptID}`, { key: tenant.groupKey });
    expect(byGroup.status).toBe(200);
    expect(byGroup.json.ReceiptID).toBe(r.ReceiptID);

    const otherLocation = await server.call<ErrorBody>("GET", `/v1/Receipts/${r.ReceiptID}`, { key: two.key });
    expect(otherLocation.status).toBe(404);
    expect(otherLocation.json.Code).toBe("not_found");

    const stranger = await server.createTenant(1);
    expect((await server.call("GET", `/v1/Receipts/${r.ReceiptID}`, { key: stranger.groupKey })).status).toBe(404);
    expect((await server.call("GET", `/v1/Receipts/${r.ReceiptID}`, { key: stranger.locations[0].key })).status).toBe(404);

    expect((await server.call("GET", `/v1/Receipts/${"0".repeat(32)}`, { key: tenant.groupKey })).status).toBe(404);
    expect((await server.call("GET", "/v1/Receipts/not-a-receipt", { key: tenant.groupKey })).status).toBe(404);
    expect((await server.call("GET", `/v1/Receipts/${r.ReceiptID}`, {})).status).toBe(401);
  });
});

describe("GET /v1/Customers/{CustomerID}/Receipts", () => {
  test("the customer's receipts visible to the key, newest first, paged", async () => {
    const tenant = await server.createTenant(2);
    const [one, two] = tenant.locations;
    const alice = await registerCustomer(one.key);
    const bob = await registerCustomer(one.key);
    const a1 = await submitOk(one.key, receiptBody(alice));
    await sleep(3);
    const a2 = await submitOk(two.key, receiptBody(alice));
    await sleep(3);
    const a3 = await submitOk(one.key, receiptBody(alice));
    await submitOk(one.key, receiptBody(bob));

    const byGroup = await server.call<Receipt[]>("GET", `/v1/Customers/${alice}/Receipts`, { key: tenant.groupKey });
    expect(byGroup.status).toBe(200);
    expect(byGroup.json.map((r) => r.ReceiptID)).toEqual([a3.ReceiptID, a2.ReceiptID, a1.ReceiptID]);
    expect(byGroup.headers.get("x-total-count")).toBe("3");

    const byOne = await server.call<Receipt[]>("GET", `/v1/Customers/${alice}/Receipts`, { key: one.key });
    expect(byOne.json.map((r) => r.ReceiptID)).toEqual([a3.ReceiptID, a1.ReceiptID]);
    expect(byOne.headers.get("x-total-count")).toBe("2");
    const byTwo = await server.call<Receipt[]>("GET", `/v1/Customers/${alice}/Receipts`, { key: two.key });
    expect(byTwo.json.map((r) => r.ReceiptID)).toEqual([a2.ReceiptID]);

    const paged = await server.call<Receipt[]>("GET", `/v1/Customers/${alice}/Receipts?PageSize=1&Page=2`, {
      key: tenant.groupKey,
    });
    expect(paged.json.map((r) => r.ReceiptID)).toEqual([a2.ReceiptID]);
    expect(paged.headers.get("x-total-count")).toBe("3");
    expect(paged.headers.get("link") ?? "").toContain('rel="next"');
    expect(paged.headers.get("link") ?? "").toContain('rel="prev"');

    expect((await server.call("GET", `/v1/Customers/${alice + 1_000_000}/Receipts`, { key: tenant.groupKey })).status).toBe(404);
    const stranger = await server.createTenant(1);
    expect((await server.call("GET", `/v1/Customers/${alice}/Receipts`, { key: stranger.groupKey })).status).toBe(404);
  });
});

describe("redemptions", () => {
  test("an Active offer of the customer is redeemed, matching its code in any case", async () => {
    const tenant = await server.createTenant(2);
    const [, two] = tenant.locations;
    const customerId = await registerCustomer(two.key);
    const offer = await issueOffer(tenant, customerId);
    expect(offer.Status).toBe("Active");
    const typed = offer.Code.slice(0, 4).toLowerCase() + offer.Code.slice(4);

    const r = await submitOk(
      two.key,
      receiptBody(customerId, { Discounts: [{ Code: typed, Description: "$5 off", Amount: 5 }], Total: 17.58 }),
    );
    expect(r.Redemptions).toEqual([{ Code: offer.Code, OfferID: offer.OfferID, Status: "Redeemed", Reason: null }]);
    expect(r.Discounts).toEqual([{ Code: offer.Code, Description: "$5 off", Amount: 5 }]);

    const redeemed = await getOffer(tenant.groupKey, offer.OfferID);
    expect(redeemed).toMatchObject({
      Status: "Redeemed",
      RedeemedReceiptID: r.ReceiptID,
      RedeemedLocationID: two.locationId,
    });
    expect(redeemed.RedeemedAt).toBe(r.CreatedAt);

    const stored = await server.call<Receipt>("GET", `/v1/Receipts/${r.ReceiptID}`, { key: two.key });
    expect(stored.json.Redemptions).toEqual(r.Redemptions);
    const redeemedList = await server.call<Offer[]>("GET", `/v1/Customers/${customerId}/Offers?Status=Redeemed`, {
      key: tenant.groupKey,
    });
    expect(redeemedList.json.map((o) => o.OfferID)).toEqual([offer.OfferID]);
  });

  test("a group key's receipt redeems at the LocationID it gives", async () => {
    const tenant = await server.createTenant(2);
    const customerId = await registerCustomer(tenant.groupKey);
    const offer = await issueOffer(tenant, customerId);
    const r = await submitOk(
      tenant.groupKey,
      receiptBody(customerId, { LocationID: tenant.locations[1].locationId, Discounts: [{ Code: offer.Code, Amount: 5 }] }),
    );
    expect(r.Redemptions[0].Status).toBe("Redeemed");
    expect((await getOffer(tenant.groupKey, offer.OfferID)).RedeemedLocationID).toBe(tenant.locations[1].locationId);
  });

  /** Submits a receipt whose rejected redemption must still store the receipt and count the visit. */
  async function expectRejected(
    key: string,
    groupKey: string,
    body: ReturnType<typeof receiptBody>,
    expected: Omit<Redemption, "Status">,
  ): Promise<Receipt> {
    const visitsBefore = (await getCustomer(groupKey, body.CustomerID)).VisitCount;
    const res = await submit(key, body);
    expect(res.status, res.text).toBe(201);
    expect(res.json.Redemptions).toEqual([{ ...expected, Status: "Rejected" }]);
    const stored = await server.call<Receipt>("GET", `/v1/Receipts/${res.json.ReceiptID}`, { key: groupKey });
    expect(stored.status).toBe(200);
    expect(stored.json.Redemptions).toEqual(res.json.Redemptions);
    expect((await getCustomer(groupKey, body.CustomerID)).VisitCount).toBe(visitsBefore + 1);
    return res.json;
  }

  test("UnknownCode: no such offer in the group", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    await expectRejected(key, tenant.groupKey, receiptBody(customerId, { Discounts: [{ Code: "ZZZZZZZZ", Amount: 5 }] }), {
      Code: "ZZZZZZZZ",
      OfferID: null,
      Reason: "UnknownCode",
    });

    // Another group's offer is unknown here, and stays Active there.
    const stranger = await server.createTenant(1);
    const theirCustomer = await registerCustomer(stranger.groupKey);
    const theirOffer = await issueOffer(stranger, theirCustomer);
    await expectRejected(key, tenant.groupKey, receiptBody(customerId, { Discounts: [{ Code: theirOffer.Code, Amount: 5 }] }), {
      Code: theirOffer.Code,
      OfferID: null,
      Reason: "UnknownCode",
    });
    expect((await getOffer(stranger.groupKey, theirOffer.OfferID)).Status).toBe("Active");
  });

  test("NotThisCustomer: another customer's offer", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const alice = await registerCustomer(key);
    const bob = await registerCustomer(key);
    const offer = await issueOffer(tenant, alice);
    await expectRejected(key, tenant.groupKey, receiptBody(bob, { Discounts: [{ Code: offer.Code, Amount: 5 }] }), {
      Code: offer.Code,
      OfferID: offer.OfferID,
      Reason: "NotThisCustomer",
    });
    const after = await getOffer(key, offer.OfferID);
    expect(after).toMatchObject({ Status: "Active", RedeemedAt: null, RedeemedReceiptID: null });
  });

  test("AlreadyRedeemed: a second use, on another receipt or on the same one", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const offer = await issueOffer(tenant, customerId);
    const first = await submitOk(key, receiptBody(customerId, { Discounts: [{ Code: offer.Code, Amount: 5 }] }));
    expect(first.Redemptions[0].Status).toBe("Redeemed");
    await expectRejected(key, tenant.groupKey, receiptBody(customerId, { Discounts: [{ Code: offer.Code, Amount: 5 }] }), {
      Code: offer.Code,
      OfferID: offer.OfferID,
      Reason: "AlreadyRedeemed",
    });
    expect((await getOffer(key, offer.OfferID)).RedeemedReceiptID).toBe(first.ReceiptID);

    const second = await issueOffer(tenant, customerId);
    const twice = await submitOk(
      key,
      receiptBody(customerId, {
        Discounts: [
          { Code: second.Code, Amount: 5 },
          { Code: second.Code.toLowerCase(), Amount: 5 },
        ],
      }),
    );
    expect(twice.Redemptions).toEqual([
      { Code: second.Code, OfferID: second.OfferID, Status: "Redeemed", Reason: null },
      { Code: second.Code, OfferID: second.OfferID, Status: "Rejected", Reason: "AlreadyRedeemed" },
    ]);
    expect((await getOffer(key, second.OfferID)).RedeemedReceiptID).toBe(twice.ReceiptID);
  });

  test("Expired: an offer past its ExpiresAt", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const offer = await issueOffer(tenant, customerId);
    await expireOffer(offer.OfferID);
    await expectRejected(key, tenant.groupKey, receiptBody(customerId, { Discounts: [{ Code: offer.Code, Amount: 5 }] }), {
      Code: offer.Code,
      OfferID: offer.OfferID,
      Reason: "Expired",
    });
    expect(await getOffer(key, offer.OfferID)).toMatchObject({ Status: "Expired", RedeemedAt: null, RedeemedReceiptID: null });
  });

  test("NotThisLocation: a location campaign's offer used at another location", async () => {
    const tenant = await server.createTenant(2);
    const [one, two] = tenant.locations;
    const customerId = await registerCustomer(one.key);
    await submitOk(one.key, receiptBody(customerId)); // a location campaign only offers its own shoppers
    const offer = await issueOffer(tenant, customerId, { level: "Location", location: 0 });
    await expectRejected(two.key, tenant.groupKey, receiptBody(customerId, { Discounts: [{ Code: offer.Code, Amount: 5 }] }), {
      Code: offer.Code,
      OfferID: offer.OfferID,
      Reason: "NotThisLocation",
    });
    await expectRejected(
      tenant.groupKey,
      tenant.groupKey,
      receiptBody(customerId, { LocationID: two.locationId, Discounts: [{ Code: offer.Code, Amount: 5 }] }),
      { Code: offer.Code, OfferID: offer.OfferID, Reason: "NotThisLocation" },
    );
    expect((await getOffer(tenant.groupKey, offer.OfferID)).Status).toBe("Active");

    const home = await submitOk(one.key, receiptBody(customerId, { Discounts: [{ Code: offer.Code, Amount: 5 }] }));
    expect(home.Redemptions[0]).toMatchObject({ Status: "Redeemed", OfferID: offer.OfferID });
    expect((await getOffer(tenant.groupKey, offer.OfferID)).RedeemedLocationID).toBe(one.locationId);
  });

  test("BelowMinimumPurchase: SubTotal under the offer's MinimumPurchase; equal is enough", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const offer = await issueOffer(tenant, customerId, { MinimumPurchase: 20 });
    // The SubTotal decides, not the Total.
    await expectRejected(
      key,
      tenant.groupKey,
      receiptBody(customerId, {
        Skus: [{ SKU: "SOCKS", Amount: 19.99, Quantity: 1 }],
        SubTotal: 19.99,
        Taxes: 5,
        Total: 24.99,
        Discounts: [{ Code: offer.Code, Amount: 5 }],
      }),
      { Code: offer.Code, OfferID: offer.OfferID, Reason: "BelowMinimumPurchase" },
    );
    expect((await getOffer(key, offer.OfferID)).Status).toBe("Active");
    const enough = await submitOk(
      key,
      receiptBody(customerId, {
        Skus: [{ SKU: "SOCKS", Amount: 20, Quantity: 1 }],
        SubTotal: 20,
        Taxes: 0,
        Total: 15,
        Discounts: [{ Code: offer.Code, Amount: 5 }],
      }),
    );
    expect(enough.Redemptions[0]).toMatchObject({ Status: "Redeemed", OfferID: offer.OfferID });
  });

  test("discounts without a code redeem nothing and are stored", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const r = await submitOk(
      key,
      receiptBody(customerId, { Discounts: [{ Description: "Staff discount", Amount: 2 }, { Code: "", Amount: 1 }] }),
    );
    expect(r.Redemptions).toEqual([]);
    const stored = await server.call<Receipt>("GET", `/v1/Receipts/${r.ReceiptID}`, { key });
    expect(stored.json.Discounts).toEqual([
      { Code: null, Description: "Staff discount", Amount: 2 },
      { Code: null, Description: null, Amount: 1 },
    ]);
    expect(stored.json.Redemptions).toEqual([]);
  });

  test("10 concurrent receipts with one code: exactly one redeems it, all are stored", async () => {
    const tenant = await server.createTenant(2);
    const customerId = await registerCustomer(tenant.groupKey);
    const offer = await issueOffer(tenant, customerId);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        submit(tenant.locations[i % 2].key, receiptBody(customerId, { Discounts: [{ Code: offer.Code, Amount: 5 }] })),
      ),
    );
    for (const res of results) expect(res.status, res.text).toBe(201);
    const redeemed = results.filter((r) => r.json.Redemptions[0].Status === "Redeemed");
    expect(redeemed).toHaveLength(1);
    for (const res of results.filter((r) => r !== redeemed[0])) {
      expect(res.json.Redemptions).toEqual([
        { Code: offer.Code, OfferID: offer.OfferID, Status: "Rejected", Reason: "AlreadyRedeemed" },
      ]);
    }
    expect(new Set(results.map((r) => r.json.ReceiptID)).size).toBe(10);
    expect(await receiptCount(tenant)).toBe(10);
    expect((await getOffer(tenant.groupKey, offer.OfferID)).RedeemedReceiptID).toBe(redeemed[0].json.ReceiptID);
    const customer = await getCustomer(tenant.groupKey, customerId);
    expect(customer.VisitCount).toBe(10);
    expect(customer.LifetimeSpend).toBe(225.8);
  });
});

describe("POST /v1/Receipts/{ReceiptID}/Void", () => {
  test("the receipt stays, marked Voided, and no longer counts for the customer", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const first = await submitOk(key, receiptBody(customerId, { Total: 10.1 }));
    await sleep(5);
    const second = await submitOk(key, receiptBody(customerId, { Total: 20.2 }));
    expect(await getCustomer(key, customerId)).toMatchObject({ VisitCount: 2, LifetimeSpend: 30.3, LastVisitAt: second.CreatedAt });

    const voided = await server.call<Receipt>("POST", `/v1/Receipts/${second.ReceiptID}/Void`, { key });
    expect(voided.status, voided.text).toBe(200);
    expect(voided.json).toMatchObject({ ReceiptID: second.ReceiptID, Voided: true, Total: 20.2 });
    expect(await getCustomer(key, customerId)).toMatchObject({ VisitCount: 1, LifetimeSpend: 10.1, LastVisitAt: first.CreatedAt });

    const stored = await server.call<Receipt>("GET", `/v1/Receipts/${second.ReceiptID}`, { key });
    expect(stored.status).toBe(200);
    expect(stored.json.Voided).toBe(true);
    expect(stored.json.Total).toBe(20.2);

    const again = await server.call<Receipt>("POST", `/v1/Receipts/${second.ReceiptID}/Void`, { key });
    expect(again.status).toBe(200);
    expect(again.json.Voided).toBe(true);
    expect(await getCustomer(key, customerId)).toMatchObject({ VisitCount: 1, LifetimeSpend: 10.1, LastVisitAt: first.CreatedAt });

    const last = await server.call<Receipt>("POST", `/v1/Receipts/${first.ReceiptID}/Void`, { key });
    expect(last.status).toBe(200);
    expect(await getCustomer(key, customerId)).toMatchObject({ VisitCount: 0, LifetimeSpend: 0, LastVisitAt: null });
  });

  test("concurrent voids of one receipt count it out once, and all answer Voided", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const offer = await issueOffer(tenant, customerId);
    await submitOk(key, receiptBody(customerId, { Total: 5 }));
    const r = await submitOk(key, receiptBody(customerId, { Total: 7, Discounts: [{ Code: offer.Code, Amount: 5 }] }));
    const results = await Promise.all(
      Array.from({ length: 8 }, () => server.call<Receipt>("POST", `/v1/Receipts/${r.ReceiptID}/Void`, { key })),
    );
    for (const res of results) {
      expect(res.status, res.text).toBe(200);
      expect(res.json.Voided).toBe(true);
    }
    expect(await getCustomer(key, customerId)).toMatchObject({ VisitCount: 1, LifetimeSpend: 5 });
    expect((await getOffer(key, offer.OfferID)).Status).toBe("Active");
  });

  test("concurrent receipts and voids leave VisitCount, LifetimeSpend and LastVisitAt exact", async () => {
    // Receipts committing out of order must not move LastVisitAt back, nor a void miss one.
    for (let round = 0; round < 8; round++) {
      const tenant = await server.createTenant(1);
      const key = tenant.locations[0].key;
      const customerId = await registerCustomer(key);
      const early: Receipt[] = [];
      for (let i = 0; i < 3; i++) early.push(await submitOk(key, receiptBody(customerId, { Total: 100 })));
      await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => submitOk(key, receiptBody(customerId, { Total: i + 0.1 }))),
        ...early.map((r) => server.call("POST", `/v1/Receipts/${r.ReceiptID}/Void`, { key })),
      ]);
      const receipts = await server.call<Receipt[]>("GET", `/v1/Customers/${customerId}/Receipts`, { key });
      const counted = receipts.json.filter((r) => !r.Voided);
      expect(counted).toHaveLength(6);
      const latest = counted.map((r) => r.CreatedAt).sort().at(-1);
      expect(await getCustomer(key, customerId), `round ${round}`).toMatchObject({
        VisitCount: 6,
        LifetimeSpend: 15.6,
        LastVisitAt: latest,
      });
    }
  });

  test("voiding an older receipt keeps the latest visit", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const first = await submitOk(key, receiptBody(customerId, { Total: 1 }));
    await sleep(5);
    const second = await submitOk(key, receiptBody(customerId, { Total: 2 }));
    expect((await server.call("POST", `/v1/Receipts/${first.ReceiptID}/Void`, { key })).status).toBe(200);
    expect(await getCustomer(key, customerId)).toMatchObject({ VisitCount: 1, LifetimeSpend: 2, LastVisitAt: second.CreatedAt });
  });

  test("another location's key, another group's key and unknown ids are 404 and change nothing", async () => {
    const tenant = await server.createTenant(2);
    const [one, two] = tenant.locations;
    const customerId = await registerCustomer(one.key);
    const r = await submitOk(one.key, receiptBody(customerId));
    const stranger = await server.createTenant(1);
    for (const key of [two.key, stranger.groupKey, stranger.locations[0].key]) {
      const res = await server.call<ErrorBody>("POST", `/v1/Receipts/${r.ReceiptID}/Void`, { key });
      expect(res.status).toBe(404);
      expect(res.json.Code).toBe("not_found");
    }
    expect((await server.call("POST", `/v1/Receipts/${"f".repeat(32)}/Void`, { key: tenant.groupKey })).status).toBe(404);
    const stored = await server.call<Receipt>("GET", `/v1/Receipts/${r.ReceiptID}`, { key: one.key });
    expect(stored.json.Voided).toBe(false);
    expect(await getCustomer(one.key, customerId)).toMatchObject({ VisitCount: 1, LifetimeSpend: 22.58 });

    // The group key may void any of its locations' receipts.
    const byGroup = await server.call<Receipt>("POST", `/v1/Receipts/${r.ReceiptID}/Void`, { key: tenant.groupKey });
    expect(byGroup.status).toBe(200);
    expect(byGroup.json.Voided).toBe(true);
  });

  test("offers the receipt redeemed are Active again, and can be redeemed anew", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const offer = await issueOffer(tenant, customerId);
    const first = await submitOk(key, receiptBody(customerId, { Discounts: [{ Code: offer.Code, Amount: 5 }] }));
    expect(first.Redemptions[0].Status).toBe("Redeemed");

    expect((await server.call("POST", `/v1/Receipts/${first.ReceiptID}/Void`, { key })).status).toBe(200);
    expect(await getOffer(key, offer.OfferID)).toMatchObject({
      Status: "Active",
      RedeemedAt: null,
      RedeemedReceiptID: null,
      RedeemedLocationID: null,
    });

    const second = await submitOk(key, receiptBody(customerId, { Discounts: [{ Code: offer.Code, Amount: 5 }] }));
    expect(second.Redemptions[0].Status).toBe("Redeemed");

    // Voiding the first receipt again changes nothing: the offer stays the second's.
    expect((await server.call("POST", `/v1/Receipts/${first.ReceiptID}/Void`, { key })).status).toBe(200);
    expect(await getOffer(key, offer.OfferID)).toMatchObject({ Status: "Redeemed", RedeemedReceiptID: second.ReceiptID });
    expect(await getCustomer(key, customerId)).toMatchObject({ VisitCount: 1, LifetimeSpend: 22.58 });
  });

  test("an offer that has expired since does not become Active again", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const offer = await issueOffer(tenant, customerId);
    const r = await submitOk(key, receiptBody(customerId, { Discounts: [{ Code: offer.Code, Amount: 5 }] }));
    expect(r.Redemptions[0].Status).toBe("Redeemed");
    await expireOffer(offer.OfferID);
    expect((await server.call("POST", `/v1/Receipts/${r.ReceiptID}/Void`, { key })).status).toBe(200);
    // Expired, and no longer pointing at a sale that was voided.
    expect(await getOffer(key, offer.OfferID)).toMatchObject({ Status: "Expired", RedeemedAt: null, RedeemedReceiptID: null });
    const retry = await submitOk(key, receiptBody(customerId, { Discounts: [{ Code: offer.Code, Amount: 5 }] }));
    expect(retry.Redemptions[0].Status).toBe("Rejected");
  });
});
