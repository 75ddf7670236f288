// API tests of automated campaigns (ENGAGE_API.md §7) over real HTTP on a real database: the
// /v1/Automations configuration (scopes, validation, visibility) and the receipt-triggered
// templates (welcome, spend and visit milestones), exactly once each under concurrency,
// retries and voids. The daily templates are in automations-daily.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type ApiResponse, type Tenant, type TestServer } from "./testing/harness";
import type { Customer } from "./schemas/customer";
import type { Automation } from "./schemas/automation";
import type { Receipt } from "./receipts";
import type { Offer } from "./offers";

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

const DAY = 86_400_000;
let externalCounter = 0;

async function registerCustomer(key: string, extra: Record<string, unknown> = {}): Promise<number> {
  const res = await server.call<Customer>("POST", "/v1/Customers", {
    key,
    body: { ExternalID: `automations-test-${++externalCounter}-${Date.now()}`, ...extra },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.CustomerID;
}

function receiptBody(customerId: number, total = 20, extra: Record<string, unknown> = {}) {
  return {
    CustomerID: customerId,
    Skus: [{ SKU: "KIBBLE", Description: "Dog food", Amount: total, Quantity: 1 }],
    SubTotal: total,
    Taxes: 0,
    Total: total,
    ...extra,
  };
}

async function submit(key: string, customerId: number, total = 20, extra: Record<string, unknown> = {}): Promise<Receipt> {
  const res = await server.call<Receipt>("POST", "/v1/Receipts", { key, body: receiptBody(customerId, total, extra) });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

function put(key: string, template: string, body: unknown): Promise<ApiResponse<Automation & ErrorBody>> {
  return server.call<Automation & ErrorBody>("PUT", `/v1/Automations/${template}`, { key, body });
}

async function configure(key: string, template: string, body: Record<string, unknown>): Promise<Automation> {
  const res = await put(key, template, { Enabled: true, AmountOff: 5, ...body });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function list(key: string, query = ""): Promise<ApiResponse<Automation[]>> {
  return server.call<Automation[]>("GET", `/v1/Automations${query}`, { key });
}

async function customerOffers(tenant: Tenant, customerId: number): Promise<Offer[]> {
  const res = await server.call<Offer[]>("GET", `/v1/Customers/${customerId}/Offers`, { key: tenant.groupKey });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

/** Every offer of the customer in the database, whatever any key may see. */
async function storedOffers(tenant: Tenant, customerId: number) {
  return server.database.db
    .selectFrom("offers")
    .select(["id", "template_name", "trigger_key", "source_receipt_id", "location_id"])
    .where("group_id", "=", tenant.groupId)
    .where("customer_id", "=", customerId)
    .orderBy("id")
    .execute();
}

const TEMPLATES = ["welcome", "spend-milestone", "visit-milestone", "birthday", "win-back"];

describe("GET /v1/Automations", () => {
  test("a group key sees the five group-wide templates and five per location, unconfigured ones off with defaults", async () => {
    const tenant = await server.createTenant(2);
    const res = await list(tenant.groupKey);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toHaveLength(15);
    const scopes = [null, tenant.locations[0].locationId, tenant.locations[1].locationId];
    expect(res.json.map((a) => [a.LocationID, a.TemplateName])).toEqual(scopes.flatMap((s) => TEMPLATES.map((t) => [s, t])));
    for (const a of res.json) {
      expect(a.Enabled).toBe(false);
      expect(a.UpdatedAt).toBeNull();
      expect(a.DaysTillExpiration).toBe(30);
      expect(a.MinimumPurchase).toBe(0);
      expect(a.AmountOff).toBeGreaterThan(0);
      expect(a.Message).toBeNull();
    }
    const groupWide = Object.fromEntries(res.json.filter((a) => a.LocationID === null).map((a) => [a.TemplateName, a]));
    // Each template shows its own parameter, and only its own.
    expect(groupWide.welcome).toMatchObject({ SpendThreshold: null, VisitInterval: null, DaysBefore: null, LapseDays: null });
    expect(groupWide["spend-milestone"]).toMatchObject({ SpendThreshold: expect.any(Number), VisitInterval: null, DaysBefore: null, LapseDays: null });
    expect(groupWide["visit-milestone"]).toMatchObject({ SpendThreshold: null, VisitInterval: expect.any(Number), DaysBefore: null, LapseDays: null });
    expect(groupWide.birthday).toMatchObject({ SpendThreshold: null, VisitInterval: null, DaysBefore: expect.any(Number), LapseDays: null });
    expect(groupWide["win-back"]).toMatchObject({ SpendThreshold: null, VisitInterval: null, DaysBefore: null, LapseDays: expect.any(Number) });
  });

  test("a location key sees the group-wide templates and its own location's, never another location's", async () => {
    const tenant = await server.createTenant(2);
    const [a, b] = tenant.locations;
    await configure(a.key, "welcome", { AmountOff: 7 });
    await configure(b.key, "welcome", { AmountOff: 9 });
    const res = await list(a.key);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toHaveLength(10);
    expect(new Set(res.json.map((x) => x.LocationID))).toEqual(new Set([null, a.locationId]));
    expect(res.json.find((x) => x.LocationID === a.locationId && x.TemplateName === "welcome")).toMatchObject({ Enabled: true, AmountOff: 7 });
    expect(JSON.stringify(res.json)).not.toContain(`"LocationID":${b.locationId}`);

    expect((await list(a.key, `?LocationID=${a.locationId}`)).json).toHaveLength(5);
    const other = await server.call<ErrorBody>("GET", `/v1/Automations?LocationID=${b.locationId}`, { key: a.key });
    expect(other.status).toBe(403);
    expect(other.json.Code).toBe("forbidden");
    // The group key sees both.
    const all = (await list(tenant.groupKey)).json;
    expect(all.find((x) => x.LocationID === b.locationId && x.TemplateName === "welcome")).toMatchObject({ Enabled: true, AmountOff: 9 });
  });

  test("?LocationID= narrows a group key's list to that location; another group's location is refused", async () => {
    const tenant = await server.createTenant(2);
    const stranger = await server.createTenant(1);
    const res = await list(tenant.groupKey, `?locationid=${tenant.locations[1].locationId}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.map((a) => a.LocationID)).toEqual(Array(5).fill(tenant.locations[1].locationId));
    const foreign = await server.call<ErrorBody>("GET", `/v1/Automations?LocationID=${stranger.locations[0].locationId}`, { key: tenant.groupKey });
    expect(foreign.status).toBe(400);
    expect(foreign.json.ModelState).toHaveProperty("LocationID");
    const bad = await server.call<ErrorBody>("GET", "/v1/Automations?LocationID=abc", { key: tenant.groupKey });
    expect(bad.status).toBe(400);
    expect(bad.json.Code).toBe("validation_failed");
  });

  test("another group sees none of this group's configuration", async () => {
    const tenant = await server.createTenant(1);
    const stranger = await server.createTenant(1);
    await configure(tenant.groupKey, "welcome", { AmountOff: 3.25, Message: "Welcome to Bark & Meow" });
    const theirs = (await list(stranger.groupKey)).json;
    expect(theirs).toHaveLength(10);
    expect(theirs.every((a) => !a.Enabled && a.UpdatedAt === null)).toBe(true);
    expect(JSON.stringify(theirs)).not.toContain("Bark & Meow");
  });

  test("no key is 401", async () => {
    expect((await server.call("GET", "/v1/Automations")).status).toBe(401);
    expect((await server.call("PUT", "/v1/Automations/welcome", { body: { Enabled: true, AmountOff: 1 } })).status).toBe(401);
  });
});

describe("PUT /v1/Automations/{TemplateName}", () => {
  test("a group key saves a group-wide template; names and the template bind case-insensitively", async () => {
    const tenant = await server.createTenant(1);
    const before = Date.now();
    const res = await server.call<Automation>("PUT", "/v1/automations/SPEND-Milestone/", {
      key: tenant.groupKey,
      body: { enabled: true, AMOUNTOFF: 12.5, minimumPurchase: 20, daystillexpiration: 14, SpendThreshold: 250, Message: "  Thanks!  ", Colour: "red" },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      TemplateName: "spend-milestone",
      LocationID: null,
      Enabled: true,
      AmountOff: 12.5,
      MinimumPurchase: 20,
      DaysTillExpiration: 14,
      SpendThreshold: 250,
      VisitInterval: null,
      DaysBefore: null,
      LapseDays: null,
      Message: "Thanks!",
      UpdatedAt: expect.any(String),
    });
    expect(Date.parse(res.json.UpdatedAt!)).toBeGreaterThanOrEqual(before - 1000);
    const listed = (await list(tenant.groupKey)).json.find((a) => a.LocationID === null && a.TemplateName === "spend-milestone");
    expect(listed).toEqual(res.json);
  });

  test("the body replaces the configuration: left-out properties take their defaults; turning off keeps the parameter", async () => {
    const tenant = await server.createTenant(1);
    await configure(tenant.groupKey, "visit-milestone", { VisitInterval: 4, MinimumPurchase: 10, DaysTillExpiration: 60, Message: "Hi" });
    const off = await put(tenant.groupKey, "visit-milestone", { Enabled: false, AmountOff: 5 });
    expect(off.status, off.text).toBe(200);
    expect(off.json).toMatchObject({ Enabled: false, VisitInterval: 4, MinimumPurchase: 0, DaysTillExpiration: 30, Message: null });
    const on = await put(tenant.groupKey, "visit-milestone", { Enabled: true, AmountOff: 5, VisitInterval: 6 });
    expect(on.json).toMatchObject({ Enabled: true, VisitInterval: 6 });
    // One row per scope and template, however often it is saved.
    const rows = await server.database.db.selectFrom("automations").select("id").where("group_id", "=", tenant.groupId).execute();
    expect(rows).toHaveLength(1);
  });

  test("a group key configures any location of its group; a location key only its own", async () => {
    const tenant = await server.createTenant(2);
    const [a, b] = tenant.locations;
    const byGroup = await put(tenant.groupKey, "birthday", { Enabled: true, AmountOff: 10, DaysBefore: 3, LocationID: b.locationId });
    expect(byGroup.status, byGroup.text).toBe(200);
    expect(byGroup.json).toMatchObject({ LocationID: b.locationId, DaysBefore: 3 });

    // A location key acts for its own location when the body names none.
    const own = await put(a.key, "birthday", { Enabled: true, AmountOff: 8, DaysBefore: 5 });
    expect(own.status, own.text).toBe(200);
    expect(own.json).toMatchObject({ LocationID: a.locationId, AmountOff: 8 });
    const ownNamed = await put(a.key, "birthday", { Enabled: true, AmountOff: 9, DaysBefore: 5, LocationID: a.locationId });
    expect(ownNamed.status, ownNamed.text).toBe(200);

    for (const LocationID of [null, b.locationId]) {
      const refused = await put(a.key, "birthday", { Enabled: true, AmountOff: 1, DaysBefore: 1, LocationID });
      expect(refused.status, refused.text).toBe(403);
      expect(refused.json.Code).toBe("forbidden");
    }
    // Nothing the refused requests asked for was saved.
    const all = (await list(tenant.groupKey)).json.filter((x) => x.TemplateName === "birthday");
    expect(all.map((x) => [x.LocationID, x.Enabled, x.AmountOff])).toEqual([
      [null, false, expect.any(Number)],
      [a.locationId, true, 9],
      [b.locationId, true, 10],
    ]);
  });

  test("a location of another group is refused and nothing is saved there", async () => {
    const tenant = await server.createTenant(1);
    const stranger = await server.createTenant(1);
    const res = await put(tenant.groupKey, "welcome", { Enabled: true, AmountOff: 5, LocationID: stranger.locations[0].locationId });
    expect(res.status).toBe(400);
    expect(res.json.ModelState).toEqual({ LocationID: ["is not a location of this group"] });
    const theirs = await server.database.db.selectFrom("automations").select("id").where("group_id", "=", stranger.groupId).execute();
    expect(theirs).toHaveLength(0);
  });

  test("an unknown template is 404", async () => {
    const tenant = await server.createTenant(1);
    const res = await put(tenant.groupKey, "anniversary", { Enabled: true, AmountOff: 5 });
    expect(res.status).toBe(404);
    expect(res.json.Code).toBe("not_found");
  });

  test.each([
    ["welcome", { AmountOff: 5 }, "Enabled"],
    ["welcome", { Enabled: "yes", AmountOff: 5 }, "Enabled"],
    ["welcome", { Enabled: true }, "AmountOff"],
    ["welcome", { Enabled: true, AmountOff: 0 }, "AmountOff"],
    ["welcome", { Enabled: true, AmountOff: 1.23456 }, "AmountOff"],
    ["welcome", { Enabled: true, AmountOff: 5, MinimumPurchase: -1 }, "MinimumPurchase"],
    ["welcome", { Enabled: true, AmountOff: 5, DaysTillExpiration: 0 }, "DaysTillExpiration"],
    ["welcome", { Enabled: true, AmountOff: 5, DaysTillExpiration: 366 }, "DaysTillExpiration"],
    ["welcome", { Enabled: true, AmountOff: 5, Message: "x".repeat(481) }, "Message"],
    ["welcome", { Enabled: true, AmountOff: 5, LocationID: "one" }, "LocationID"],
    ["spend-milestone", { Enabled: true, AmountOff: 5 }, "SpendThreshold"],
    ["spend-milestone", { Enabled: true, AmountOff: 5, SpendThreshold: 0.5 }, "SpendThreshold"],
    ["visit-milestone", { Enabled: true, AmountOff: 5 }, "VisitInterval"],
    ["visit-milestone", { Enabled: true, AmountOff: 5, VisitInterval: 2.5 }, "VisitInterval"],
    ["birthday", { Enabled: true, AmountOff: 5 }, "DaysBefore"],
    ["birthday", { Enabled: true, AmountOff: 5, DaysBefore: 61 }, "DaysBefore"],
    ["win-back", { Enabled: true, AmountOff: 5 }, "LapseDays"],
    ["win-back", { Enabled: true, AmountOff: 5, LapseDays: 3 }, "LapseDays"],
  ])("%s with %j: 400 with ModelState[%s], nothing saved", async (template, body, field) => {
    const tenant = await server.createTenant(1);
    const res = await put(tenant.groupKey, template, body);
    expect(res.status, res.text).toBe(400);
    expect(res.json.Code).toBe("validation_failed");
    expect(Object.keys(res.json.ModelState ?? {})).toEqual([field]);
    const rows = await server.database.db.selectFrom("automations").select("id").where("group_id", "=", tenant.groupId).execute();
    expect(rows).toHaveLength(0);
  });

  test("a body that is not JSON is refused", async () => {
    const tenant = await server.createTenant(1);
    const res = await server.call("PUT", "/v1/Automations/welcome", {
      key: tenant.groupKey,
      body: "Enabled=true",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
  });
});

describe("welcome", () => {
  test("a customer's first receipt spawns one welcome offer, in the POST's Offers and in GET receipt", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    await configure(tenant.groupKey, "welcome", { AmountOff: 5, MinimumPurchase: 15, DaysTillExpiration: 10 });
    const customerId = await registerCustomer(key);
    const first = await submit(key, customerId);
    expect(first.Offers).toHaveLength(1);
    const offer = first.Offers[0];
    expect(offer).toMatchObject({
      CustomerID: customerId,
      CampaignID: null,
      TemplateName: "welcome",
      AmountOff: 5,
      MinimumPurchase: 15,
      IsLocationSpecific: false,
      LocationID: null,
      Status: "Active",
      RedeemedAt: null,
    });
    expect(offer.Code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
    expect(Date.parse(offer.ExpiresAt) - Date.parse(offer.CreatedAt)).toBe(10 * DAY);

    const again = await server.call<Receipt>("GET", `/v1/Receipts/${first.ReceiptID}`, { key });
    expect(again.status).toBe(200);
    expect(again.json.Offers).toEqual(first.Offers);
    const searched = await server.call<Receipt[]>("GET", `/v1/Customers/${customerId}/Receipts`, { key });
    expect(searched.json[0].Offers).toEqual(first.Offers);
    expect((await customerOffers(tenant, customerId)).map((o) => o.OfferID)).toEqual([offer.OfferID]);

    const second = await submit(key, customerId);
    expect(second.Offers).toEqual([]);
    // The offer works at the till: the next receipt redeems it.
    const third = await submit(key, customerId, 20, { Discounts: [{ Code: offer.Code, Amount: 5 }] });
    expect(third.Redemptions).toEqual([{ Code: offer.Code, OfferID: offer.OfferID, Status: "Redeemed", Reason: null }]);
    const redeemed = await server.call<Receipt>("GET", `/v1/Receipts/${first.ReceiptID}`, { key });
    expect(redeemed.json.Offers[0].Status).toBe("Redeemed");
    expect(await storedOffers(tenant, customerId)).toHaveLength(1);
  });

  test("off, or for a customer who had visited before it was turned on: no welcome", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const early = await registerCustomer(key);
    expect((await submit(key, early)).Offers).toEqual([]);
    await put(tenant.groupKey, "welcome", { Enabled: false, AmountOff: 5 });
    const whileOff = await registerCustomer(key);
    expect((await submit(key, whileOff)).Offers).toEqual([]);
    await configure(tenant.groupKey, "welcome", {});
    expect((await submit(key, early)).Offers).toEqual([]);
    expect((await submit(key, whileOff)).Offers).toEqual([]);
    const newcomer = await registerCustomer(key);
    expect((await submit(key, newcomer)).Offers.map((o) => o.TemplateName)).toEqual(["welcome"]);
  });

  test("a location's own configuration takes precedence there; the group's applies elsewhere; one welcome per customer", async () => {
    const tenant = await server.createTenant(2);
    const [a, b] = tenant.locations;
    await configure(tenant.groupKey, "welcome", { AmountOff: 5 });
    await configure(a.key, "welcome", { AmountOff: 7, MinimumPurchase: 25 });

    const atA = await registerCustomer(a.key);
    const offerA = (await submit(a.key, atA)).Offers;
    expect(offerA).toHaveLength(1);
    expect(offerA[0]).toMatchObject({ AmountOff: 7, MinimumPurchase: 25, IsLocationSpecific: true, LocationID: a.locationId });

    const atB = await registerCustomer(b.key);
    const offerB = (await submit(b.key, atB)).Offers;
    expect(offerB).toHaveLength(1);
    expect(offerB[0]).toMatchObject({ AmountOff: 5, IsLocationSpecific: false, LocationID: null });
    // Their first receipt was at B: a later one at A welcomes no one twice.
    expect((await submit(a.key, atB)).Offers).toEqual([]);

    // A group key naming the location is a receipt at that location.
    const viaGroupKey = await registerCustomer(tenant.groupKey);
    const offerG = (await submit(tenant.groupKey, viaGroupKey, 20, { LocationID: a.locationId })).Offers;
    expect(offerG[0]).toMatchObject({ AmountOff: 7, LocationID: a.locationId });

    // A location's configuration that is off leaves the group's in force there.
    await put(a.key, "welcome", { Enabled: false, AmountOff: 7 });
    const later = await registerCustomer(a.key);
    expect((await submit(a.key, later)).Offers[0]).toMatchObject({ AmountOff: 5, LocationID: null });
  });

  test("a location's automations do not fire at other locations, nor in other groups", async () => {
    const tenant = await server.createTenant(2);
    const stranger = await server.createTenant(1);
    await configure(tenant.locations[0].key, "welcome", {});
    const atB = await registerCustomer(tenant.locations[1].key);
    expect((await submit(tenant.locations[1].key, atB)).Offers).toEqual([]);
    const theirs = await registerCustomer(stranger.locations[0].key);
    expect((await submit(stranger.locations[0].key, theirs)).Offers).toEqual([]);
  });

  test("10 concurrent first receipts of one customer: exactly one welcome", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    await configure(tenant.groupKey, "welcome", {});
    await configure(tenant.groupKey, "visit-milestone", { VisitInterval: 5 });
    const customerId = await registerCustomer(key);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => server.call<Receipt>("POST", "/v1/Receipts", { key, body: receiptBody(customerId) })),
    );
    for (const r of results) expect(r.status, r.text).toBe(201);
    const spawned = results.flatMap((r) => r.json.Offers);
    expect(spawned.filter((o) => o.TemplateName === "welcome")).toHaveLength(1);
    // Each receipt saw its own visit count: visits 5 and 10, one offer each.
    expect(spawned.filter((o) => o.TemplateName === "visit-milestone")).toHaveLength(2);
    const stored = await storedOffers(tenant, customerId);
    expect(stored.map((o) => o.trigger_key).sort()).toEqual(
      [`visit-milestone:customer:${stored[0].trigger_key.split(":")[2]}:10`, `visit-milestone:customer:${stored[0].trigger_key.split(":")[2]}:5`, `welcome:customer:${stored[0].trigger_key.split(":")[2]}`].sort(),
    );
    expect((await server.call<Customer>("GET", `/v1/Customers/${customerId}`, { key })).json.VisitCount).toBe(10);
  });

  test("a retried receipt (same Idempotency-Key) answers the same offers and issues none again", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    await configure(tenant.groupKey, "welcome", {});
    const customerId = await registerCustomer(key);
    const headers = { "idempotency-key": `retry-${customerId}` };
    const first = await server.call<Receipt>("POST", "/v1/Receipts", { key, body: receiptBody(customerId), headers });
    expect(first.status, first.text).toBe(201);
    expect(first.json.Offers).toHaveLength(1);
    const retries = await Promise.all(
      Array.from({ length: 3 }, () => server.call<Receipt>("POST", "/v1/Receipts", { key, body: receiptBody(customerId), headers })),
    );
    for (const r of retries) {
      expect(r.status, r.text).toBe(201);
      expect(r.headers.get("idempotent-replayed")).toBe("true");
      expect(r.json.Offers).toEqual(first.json.Offers);
    }
    expect(await storedOffers(tenant, customerId)).toHaveLength(1);
  });

  test("a voided first visit is no visit: the next receipt is welcomed, and only once", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const first = await submit(key, customerId);
    expect((await server.call("POST", `/v1/Receipts/${first.ReceiptID}/Void`, { key })).status).toBe(200);
    await configure(tenant.groupKey, "welcome", {});
    const next = await submit(key, customerId);
    expect(next.Offers.map((o) => o.TemplateName)).toEqual(["welcome"]);
    expect((await server.call("POST", `/v1/Receipts/${next.ReceiptID}/Void`, { key })).status).toBe(200);
    // Voiding does not take the offer back, and the next "first" visit welcomes no one again.
    expect((await submit(key, customerId)).Offers).toEqual([]);
    expect((await server.call<Receipt>("GET", `/v1/Receipts/${next.ReceiptID}`, { key })).json.Offers).toHaveLength(1);
  });
});

describe("spend-milestone", () => {
  test("one offer per multiple of the threshold crossed, never twice for an amount, voids included", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    await configure(tenant.groupKey, "spend-milestone", { AmountOff: 10, SpendThreshold: 50 });
    const customerId = await registerCustomer(key);
    expect((await submit(key, customerId, 30)).Offers).toEqual([]); // 30
    const crossed50 = await submit(key, customerId, 30); // 60
    expect(crossed50.Offers).toHaveLength(1);
    expect(crossed50.Offers[0]).toMatchObject({ TemplateName: "spend-milestone", AmountOff: 10, CampaignID: null });
    expect((await submit(key, customerId, 39.99)).Offers).toEqual([]); // 99.99
    const big = await submit(key, customerId, 60.01); // 160: crosses 100 and 150
    expect(big.Offers).toHaveLength(2);
    expect((await submit(key, customerId, 40)).Offers).toHaveLength(1); // 200: exactly a multiple
    const voided = await server.call("POST", `/v1/Receipts/${big.ReceiptID}/Void`, { key }); // back to 139.99
    expect(voided.status).toBe(200);
    // Crossing 150 and 200 again issues nothing: those amounts were rewarded already.
    expect((await submit(key, customerId, 70)).Offers).toEqual([]); // 209.99
    expect((await submit(key, customerId, 45)).Offers).toHaveLength(1); // 254.99: 250 is new

    const keys = (await storedOffers(tenant, customerId)).map((o) => o.trigger_key.split(":").pop());
    expect(keys).toEqual(["500000", "1000000", "1500000", "2000000", "2500000"]);
    expect((await server.call<Customer>("GET", `/v1/Customers/${customerId}`, { key })).json.LifetimeSpend).toBe(254.99);
  });

  test("a receipt crossing many multiples at once issues the last ten", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    await configure(tenant.groupKey, "spend-milestone", { SpendThreshold: 1 });
    const customerId = await registerCustomer(key);
    const r = await submit(key, customerId, 25.5);
    expect(r.Offers).toHaveLength(10);
    const amounts = (await storedOffers(tenant, customerId)).map((o) => Number(o.trigger_key.split(":").pop()) / 10_000);
    expect(amounts).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
  });
});

describe("visit-milestone", () => {
  test("every Nth visit, each visit count once, voids included", async () => {
    const tenant = await server.createTenant(2);
    const [a, b] = tenant.locations;
    await configure(tenant.groupKey, "visit-milestone", { AmountOff: 4, VisitInterval: 3 });
    await configure(b.key, "visit-milestone", { AmountOff: 6, VisitInterval: 3 });
    const customerId = await registerCustomer(a.key);
    const counts: number[] = [];
    const receipts: Receipt[] = [];
    for (let visit = 1; visit <= 6; visit++) {
      const r = await submit(visit === 6 ? b.key : a.key, customerId);
      receipts.push(r);
      counts.push(r.Offers.length);
    }
    expect(counts).toEqual([0, 0, 1, 0, 0, 1]);
    expect(receipts[2].Offers[0]).toMatchObject({ TemplateName: "visit-milestone", AmountOff: 4, LocationID: null });
    // The sixth visit was at B, whose own configuration applies there.
    expect(receipts[5].Offers[0]).toMatchObject({ AmountOff: 6, IsLocationSpecific: true, LocationID: b.locationId });
    expect((await server.call("POST", `/v1/Receipts/${receipts[5].ReceiptID}/Void`, { key: b.key })).status).toBe(200);
    // Visit 6 again: rewarded already; then 7 and 8, and 9 is new.
    const after = [];
    for (let visit = 6; visit <= 9; visit++) after.push((await submit(a.key, customerId)).Offers.length);
    expect(after).toEqual([0, 0, 0, 1]);
    // A location key sees the offers it may: the group-wide ones and its own location's.
    const seenByA = await server.call<Offer[]>("GET", `/v1/Customers/${customerId}/Offers`, { key: a.key });
    expect(seenByA.json.map((o) => o.LocationID)).toEqual([null, null]);
    expect(await storedOffers(tenant, customerId)).toHaveLength(3);
  });
});
