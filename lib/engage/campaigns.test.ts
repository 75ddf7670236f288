// Manual campaigns over real HTTP (ENGAGE_API.md §6): creating them, who may send them, who
// gets an offer and why the others are skipped, preview, idempotent sends and listing.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type Tenant, type TestServer } from "./testing/harness";
import type { Offer } from "./offers";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

interface ApiError {
  Message: string;
  Code: string;
  ModelState?: Record<string, string[]>;
}

interface Campaign {
  CampaignID: number;
  TemplateName: string;
  AmountOff: number;
  MinimumPurchase: number;
  DaysTillExpiration: number;
  IsLocationSpecific: boolean;
  Name: string | null;
  Message: string | null;
  LocationID: number | null;
  CreatedAt: string;
}

interface Stats {
  OffersIssued: number;
  OffersRedeemed: number;
  RedemptionRate: number;
  RedeemedRevenue: number;
  Pending: number;
  Skipped: { NotRegistered: number; NoPurchaseAtLocation: number; AlreadyOffered: number };
}

interface Recipient {
  CustomerID: number;
  Status: "Offered" | "Skipped" | "Pending";
  Reason: string | null;
  OfferID: number | null;
}

interface Preview {
  CampaignID: number;
  Requested: number;
  WouldOffer: number;
  Skipped: Stats["Skipped"];
}

/** The guide's example payload for Campaigns/Location and Campaigns/Group. */
const GUIDE_CAMPAIGN = { AmountOff: 10.05, MinimumPurchase: 0.5, DaysTillExpiration: 31 };
const DAY_MS = 86_400_000;
const NO_SKIPS = { NotRegistered: 0, NoPurchaseAtLocation: 0, AlreadyOffered: 0 };

async function registerCustomer(key: string, customerId: number): Promise<void> {
  const r = await server.call("POST", "/v1/Customers", { key, body: { CustomerID: customerId, ExternalID: `POS-${customerId}` } });
  expect(r.status, r.text).toBe(201);
}

async function submitReceipt(
  key: string,
  customerId: number,
  extra: { LocationID?: number; Code?: string; SubTotal?: number; Total?: number } = {},
) {
  const subTotal = extra.SubTotal ?? 20;
  const r = await server.call<{ ReceiptID: string; Redemptions: { Code: string; Status: string; Reason: string | null }[] }>(
    "POST",
    "/v1/Receipts",
    {
      key,
      body: {
        CustomerID: customerId,
        LocationID: extra.LocationID,
        Skus: [{ SKU: "SOCKS", Amount: subTotal, Quantity: 1 }],
        Discounts: extra.Code ? [{ Code: extra.Code, Amount: 10.05 }] : [],
        SubTotal: subTotal,
        Taxes: 0,
        Total: extra.Total ?? subTotal,
      },
    },
  );
  expect(r.status, r.text).toBe(201);
  return r.json;
}

async function createCampaign(key: string, level: "Location" | "Group", body: object = GUIDE_CAMPAIGN): Promise<Campaign> {
  const r = await server.call<Campaign>("POST", `/v1/Campaigns/${level}`, { key, body });
  expect(r.status, r.text).toBe(201);
  return r.json;
}

async function send(key: string, campaignId: number, customerIds: unknown, headers?: Record<string, string>) {
  return server.call<ApiError>("POST", `/v1/Campaigns/${campaignId}/Offers`, { key, body: customerIds, headers });
}

async function sendAndDrain(key: string, campaignId: number, customerIds: number[]): Promise<void> {
  const r = await send(key, campaignId, customerIds);
  expect(r.status, r.text).toBe(204);
  await server.drain();
}

async function recipients(key: string, campaignId: number): Promise<Recipient[]> {
  const r = await server.call<Recipient[]>("GET", `/v1/Campaigns/${campaignId}/Offers?PageSize=200`, { key });
  expect(r.status, r.text).toBe(200);
  return r.json;
}

async function statsOf(key: string, campaignId: number): Promise<Stats> {
  const r = await server.call<Campaign & { Stats: Stats }>("GET", `/v1/Campaigns/${campaignId}`, { key });
  expect(r.status, r.text).toBe(200);
  return r.json.Stats;
}

async function offersOf(key: string, customerId: number): Promise<Offer[]> {
  const r = await server.call<Offer[]>("GET", `/v1/Customers/${customerId}/Offers`, { key });
  expect(r.status, r.text).toBe(200);
  return r.json;
}

/** Send rows stored for a campaign, read from the database. */
async function sendRowCount(campaignId: number): Promise<number> {
  const row = await server.database.db
    .selectFrom("campaign_sends")
    .where("campaign_id", "=", campaignId)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const location = (tenant: Tenant, i: number) => tenant.locations[i];

describe("POST /v1/Campaigns/Location and /v1/Campaigns/Group", () => {
  test("a location key creates a location campaign: 201, the guide's response and a Location header", async () => {
    const tenant = await server.createTenant(2);
    const before = Date.now();
    const r = await server.call<Campaign>("POST", "/v1/Campaigns/Location", { key: location(tenant, 0).key, body: GUIDE_CAMPAIGN });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toEqual({
      CampaignID: expect.any(Number),
      TemplateName: "manual",
      AmountOff: 10.05,
      MinimumPurchase: 0.5,
      DaysTillExpiration: 31,
      IsLocationSpecific: true,
      Name: null,
      Message: null,
      LocationID: location(tenant, 0).locationId,
      CreatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    expect(Number.isInteger(r.json.CampaignID) && r.json.CampaignID > 0).toBe(true);
    expect(Date.parse(r.json.CreatedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(r.json.CreatedAt)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(r.headers.get("location")).toBe(`/v1/Campaigns/${r.json.CampaignID}`);

    const read = await server.call<Campaign & { Stats: Stats }>("GET", r.headers.get("location")!, { key: location(tenant, 0).key });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject(r.json);
    expect(read.json.Stats).toEqual({
      OffersIssued: 0,
      OffersRedeemed: 0,
      RedemptionRate: 0,
      RedeemedRevenue: 0,
      Pending: 0,
      Skipped: NO_SKIPS,
    });
  });

  test("a group key may not create a location campaign: 403 forbidden, nothing created", async () => {
    const tenant = await server.createTenant(1);
    const r = await server.call<ApiError>("POST", "/v1/Campaigns/Location", { key: tenant.groupKey, body: GUIDE_CAMPAIGN });
    expect(r.status).toBe(403);
    expect(r.json.Code).toBe("forbidden");
    expect(r.json.Message).toEqual(expect.any(String));
    const list = await server.call<Campaign[]>("GET", "/v1/Campaigns", { key: tenant.groupKey });
    expect(list.json).toEqual([]);
    expect(list.headers.get("x-total-count")).toBe("0");
  });

  test("the group key creates a group campaign: 201, IsLocationSpecific false, no location", async () => {
    const tenant = await server.createTenant(1);
    const r = await server.call<Campaign>("POST", "/v1/Campaigns/Group", { key: tenant.groupKey, body: GUIDE_CAMPAIGN });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toMatchObject({
      TemplateName: "manual",
      AmountOff: 10.05,
      MinimumPurchase: 0.5,
      DaysTillExpiration: 31,
      IsLocationSpecific: false,
      LocationID: null,
    });
    expect(r.headers.get("location")).toBe(`/v1/Campaigns/${r.json.CampaignID}`);
  });

  test("a location key may not create a group campaign: 403 forbidden, nothing created", async () => {
    const tenant = await server.createTenant(1);
    const r = await server.call<ApiError>("POST", "/v1/Campaigns/Group", { key: location(tenant, 0).key, body: GUIDE_CAMPAIGN });
    expect(r.status).toBe(403);
    expect(r.json.Code).toBe("forbidden");
    const list = await server.call<Campaign[]>("GET", "/v1/Campaigns", { key: tenant.groupKey });
    expect(list.json).toEqual([]);
  });

  test("paths match case-insensitively, with a trailing slash", async () => {
    const tenant = await server.createTenant(1);
    const r = await server.call<Campaign>("POST", "/V1/campaigns/location/", { key: location(tenant, 0).key, body: GUIDE_CAMPAIGN });
    expect(r.status, r.text).toBe(201);
    expect(r.json.IsLocationSpecific).toBe(true);
  });

  test.each([
    ["AmountOff of 0", { ...GUIDE_CAMPAIGN, AmountOff: 0 }, "AmountOff"],
    ["a negative AmountOff", { ...GUIDE_CAMPAIGN, AmountOff: -1 }, "AmountOff"],
    ["no AmountOff", { MinimumPurchase: 0.5, DaysTillExpiration: 31 }, "AmountOff"],
    ["AmountOff as a string", { ...GUIDE_CAMPAIGN, AmountOff: "10.05" }, "AmountOff"],
    ["AmountOff with 5 decimal places", { ...GUIDE_CAMPAIGN, AmountOff: 10.00001 }, "AmountOff"],
    ["a negative MinimumPurchase", { ...GUIDE_CAMPAIGN, MinimumPurchase: -0.01 }, "MinimumPurchase"],
    ["DaysTillExpiration 0", { ...GUIDE_CAMPAIGN, DaysTillExpiration: 0 }, "DaysTillExpiration"],
    ["DaysTillExpiration 366", { ...GUIDE_CAMPAIGN, DaysTillExpiration: 366 }, "DaysTillExpiration"],
    ["DaysTillExpiration 1.5", { ...GUIDE_CAMPAIGN, DaysTillExpiration: 1.5 }, "DaysTillExpiration"],
    ["a negative DaysTillExpiration", { ...GUIDE_CAMPAIGN, DaysTillExpiration: -31 }, "DaysTillExpiration"],
    ["no DaysTillExpiration", { AmountOff: 10.05 }, "DaysTillExpiration"],
    ["DaysTillExpiration as a string", { ...GUIDE_CAMPAIGN, DaysTillExpiration: "31" }, "DaysTillExpiration"],
    ["a Name over 100 characters", { ...GUIDE_CAMPAIGN, Name: "x".repeat(101) }, "Name"],
  ])("%s is 400 with ModelState naming the property, on both endpoints", async (_, body, property) => {
    const tenant = await server.createTenant(1);
    for (const [level, key] of [
      ["Location", location(tenant, 0).key],
      ["Group", tenant.groupKey],
    ] as const) {
      const r = await server.call<ApiError>("POST", `/v1/Campaigns/${level}`, { key, body });
      expect(r.status, `${level}: ${r.text}`).toBe(400);
      expect(r.json.Code).toBe("validation_failed");
      expect(Object.keys(r.json.ModelState ?? {})).toEqual([property]);
      expect(r.json.ModelState![property][0]).toEqual(expect.any(String));
    }
    const list = await server.call<Campaign[]>("GET", "/v1/Campaigns", { key: tenant.groupKey });
    expect(list.json).toEqual([]);
  });

  test("a body that is not a JSON object is 400", async () => {
    const tenant = await server.createTenant(1);
    for (const body of [[GUIDE_CAMPAIGN], "31", "null"]) {
      const r = await server.call<ApiError>("POST", "/v1/Campaigns/Location", {
        key: location(tenant, 0).key,
        body,
        headers: { "content-type": "application/json" },
      });
      expect(r.status, r.text).toBe(400);
      expect(r.json.Code).toBe("validation_failed");
    }
  });

  test("the limits themselves are accepted: 1 and 365 days, AmountOff 0.0001, MinimumPurchase 0", async () => {
    const tenant = await server.createTenant(1);
    const key = location(tenant, 0).key;
    expect((await createCampaign(key, "Location", { AmountOff: 0.0001, DaysTillExpiration: 1 })).DaysTillExpiration).toBe(1);
    const long = await createCampaign(key, "Location", { AmountOff: 5, MinimumPurchase: 0, DaysTillExpiration: 365 });
    expect(long).toMatchObject({ AmountOff: 5, MinimumPurchase: 0, DaysTillExpiration: 365 });
  });

  test("MinimumPurchase defaults to 0 when absent or null", async () => {
    const tenant = await server.createTenant(1);
    const absent = await createCampaign(tenant.groupKey, "Group", { AmountOff: 3, DaysTillExpiration: 7 });
    expect(absent.MinimumPurchase).toBe(0);
    const nulled = await createCampaign(tenant.groupKey, "Group", { AmountOff: 3, MinimumPurchase: null, DaysTillExpiration: 7 });
    expect(nulled.MinimumPurchase).toBe(0);
  });

  test("money is kept exactly (4 decimal places)", async () => {
    const tenant = await server.createTenant(1);
    const c = await createCampaign(tenant.groupKey, "Group", { AmountOff: 1234567.8901, MinimumPurchase: 0.1234, DaysTillExpiration: 30 });
    expect(c).toMatchObject({ AmountOff: 1234567.8901, MinimumPurchase: 0.1234 });
    const read = await server.call<Campaign>("GET", `/v1/Campaigns/${c.CampaignID}`, { key: tenant.groupKey });
    expect(read.json).toMatchObject({ AmountOff: 1234567.8901, MinimumPurchase: 0.1234 });
  });

  test("properties the server owns are ignored: CampaignID, TemplateName, IsLocationSpecific, LocationID, CreatedAt", async () => {
    const tenant = await server.createTenant(2);
    const owned = {
      CampaignID: 424242,
      TemplateName: "birthday",
      LocationID: location(tenant, 1).locationId,
      CreatedAt: "2001-01-01T00:00:00.000Z",
    };
    const loc = await createCampaign(location(tenant, 0).key, "Location", { ...GUIDE_CAMPAIGN, ...owned, IsLocationSpecific: false });
    expect(loc.CampaignID).not.toBe(424242);
    expect(loc.TemplateName).toBe("manual");
    expect(loc.IsLocationSpecific).toBe(true);
    expect(loc.LocationID).toBe(location(tenant, 0).locationId);
    expect(loc.CreatedAt).not.toBe(owned.CreatedAt);

    const grp = await createCampaign(tenant.groupKey, "Group", { ...GUIDE_CAMPAIGN, ...owned, IsLocationSpecific: true });
    expect(grp.CampaignID).not.toBe(424242);
    expect(grp.TemplateName).toBe("manual");
    expect(grp.IsLocationSpecific).toBe(false);
    expect(grp.LocationID).toBeNull();
    expect(grp.CreatedAt).not.toBe(owned.CreatedAt);
    const missing = await server.call("GET", "/v1/Campaigns/424242", { key: tenant.groupKey });
    expect(missing.status).toBe(404);
  });

  test("Name and Message are optional labels, kept when given", async () => {
    const tenant = await server.createTenant(1);
    const plain = await createCampaign(tenant.groupKey, "Group", GUIDE_CAMPAIGN);
    expect(plain).toMatchObject({ Name: null, Message: null });
    const named = await createCampaign(tenant.groupKey, "Group", {
      ...GUIDE_CAMPAIGN,
      Name: "Spring sale",
      Message: "$10.05 off your next visit",
    });
    expect(named).toMatchObject({ Name: "Spring sale", Message: "$10.05 off your next visit" });
    const read = await server.call<Campaign>("GET", `/v1/Campaigns/${named.CampaignID}`, { key: tenant.groupKey });
    expect(read.json).toMatchObject({ Name: "Spring sale", Message: "$10.05 off your next visit" });
  });

  test("property names match case-insensitively and unknown properties are ignored", async () => {
    const tenant = await server.createTenant(1);
    const c = await createCampaign(tenant.groupKey, "Group", {
      amountoff: 2.5,
      MINIMUMPURCHASE: 1,
      daysTillExpiration: 14,
      Color: "blue",
    });
    expect(c).toMatchObject({ AmountOff: 2.5, MinimumPurchase: 1, DaysTillExpiration: 14 });
  });

  test("no key is 401; a body that is not JSON is 415 or 400", async () => {
    const tenant = await server.createTenant(1);
    const anonymous = await server.call<ApiError>("POST", "/v1/Campaigns/Group", { body: GUIDE_CAMPAIGN });
    expect(anonymous.status).toBe(401);
    const form = await server.call<ApiError>("POST", "/v1/Campaigns/Group", {
      key: tenant.groupKey,
      body: "AmountOff=10",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    const broken = await server.call<ApiError>("POST", "/v1/Campaigns/Group", {
      key: tenant.groupKey,
      body: '{"AmountOff": 10,',
      headers: { "content-type": "application/json" },
    });
    expect(broken.status).toBe(400);
    expect(broken.json.Code).toBe("invalid_json");
    const list = await server.call<Campaign[]>("GET", "/v1/Campaigns", { key: tenant.groupKey });
    expect(list.json).toEqual([]);
  });
});

describe("POST /v1/Campaigns/{CampaignID}/Offers: the request", () => {
  test("the guide's list [101,345,332] is 204 with an empty body", async () => {
    const tenant = await server.createTenant(1);
    for (const id of [101, 345, 332]) await registerCustomer(tenant.groupKey, id);
    const campaign = await createCampaign(tenant.groupKey, "Group");
    const r = await server.call("POST", `/v1/Campaigns/${campaign.CampaignID}/Offers`, {
      key: tenant.groupKey,
      body: "[101,345,332]",
      headers: { "content-type": "application/json" },
    });
    expect(r.status).toBe(204);
    expect(r.text).toBe("");
    expect(r.headers.get("content-type")).toBeNull();
    await server.drain();
    for (const id of [101, 345, 332]) {
      const offers = await offersOf(tenant.groupKey, id);
      expect(offers.map((o) => o.CampaignID)).toEqual([campaign.CampaignID]);
    }
  });

  test.each([
    ["an object", { CustomerIDs: [101] }, ""],
    ["a bare number", 101, ""],
    ["a string among the ids", [101, 345, "332"], "[2]"],
    ["zero", [101, 0], "[1]"],
    ["a negative id", [-5], "[0]"],
    ["a fractional id", [101, 345, 1.5], "[2]"],
    ["null", [101, null], "[1]"],
    ["a nested array", [[101]], "[0]"],
    ["an id beyond 2^53", [101, 2 ** 53], "[1]"],
  ])("a body with %s is 400 with ModelState %j, and stores nothing", async (_, body, key) => {
    const tenant = await server.createTenant(1);
    await registerCustomer(tenant.groupKey, 101);
    const campaign = await createCampaign(tenant.groupKey, "Group");
    const r = await send(tenant.groupKey, campaign.CampaignID, body);
    expect(r.status, r.text).toBe(400);
    expect(r.json.Code).toBe("validation_failed");
    expect(Object.keys(r.json.ModelState ?? {})).toContain(key);
    await server.drain();
    expect(await sendRowCount(campaign.CampaignID)).toBe(0);
    expect(await offersOf(tenant.groupKey, 101)).toEqual([]);
  });

  test("at most 10,000 CustomerIDs: 10,001 is 400 and stores nothing", async () => {
    const tenant = await server.createTenant(1);
    const campaign = await createCampaign(tenant.groupKey, "Group");
    const ids = Array.from({ length: 10_001 }, (_, i) => i + 1);
    const r = await send(tenant.groupKey, campaign.CampaignID, ids);
    expect(r.status, r.text).toBe(400);
    expect(r.json.Code).toBe("validation_failed");
    expect(r.json.ModelState).toHaveProperty([""]);
    expect(await sendRowCount(campaign.CampaignID)).toBe(0);
  });

  test("10,000 CustomerIDs, the limit, are accepted", async () => {
    const tenant = await server.createTenant(1);
    const campaign = await createCampaign(tenant.groupKey, "Group");
    const ids = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const r = await send(tenant.groupKey, campaign.CampaignID, ids);
    expect(r.status, r.text).toBe(204);
    await server.drain();
    expect((await statsOf(tenant.groupKey, campaign.CampaignID)).Skipped.NotRegistered).toBe(10_000);
  });

  test("duplicates are ignored: one offer, one recipient, nothing skipped as AlreadyOffered", async () => {
    const tenant = await server.createTenant(1);
    await registerCustomer(tenant.groupKey, 7);
    const campaign = await createCampaign(tenant.groupKey, "Group");
    await sendAndDrain(tenant.groupKey, campaign.CampaignID, [7, 7, 7, 404, 404]);
    expect(await offersOf(tenant.groupKey, 7)).toHaveLength(1);
    const list = await recipients(tenant.groupKey, campaign.CampaignID);
    expect(list.map((r) => [r.CustomerID, r.Status, r.Reason])).toEqual([
      [7, "Offered", null],
      [404, "Skipped", "NotRegistered"],
    ]);
    const stats = await statsOf(tenant.groupKey, campaign.CampaignID);
    expect(stats).toMatchObject({ OffersIssued: 1, Pending: 0, Skipped: { NotRegistered: 1, NoPurchaseAtLocation: 0, AlreadyOffered: 0 } });
  });

  test("an empty list is accepted and changes nothing", async () => {
    const tenant = await server.createTenant(1);
    const campaign = await createCampaign(tenant.groupKey, "Group");
    const r = await send(tenant.groupKey, campaign.CampaignID, []);
    expect(r.status).toBe(204);
    await server.drain();
    expect(await recipients(tenant.groupKey, campaign.CampaignID)).toEqual([]);
  });
});

describe("who may send a campaign", () => {
  // A location campaign of location 0 and a group campaign, tried with every kind of key.
  const CASES = [
    { campaign: "location", sender: "its location's key", status: 204 },
    { campaign: "location", sender: "the group key", status: 204 },
    { campaign: "location", sender: "another location's key", status: 404, code: "not_found" },
    { campaign: "location", sender: "another group's key", status: 404, code: "not_found" },
    { campaign: "location", sender: "another group's location key", status: 404, code: "not_found" },
    { campaign: "group", sender: "the group key", status: 204 },
    { campaign: "group", sender: "its location's key", status: 403, code: "forbidden" },
    { campaign: "group", sender: "another group's key", status: 404, code: "not_found" },
    { campaign: "group", sender: "another group's location key", status: 404, code: "not_found" },
  ] as const;

  test.each(CASES)("a $campaign campaign sent with $sender: $status", async ({ campaign: level, sender, status, ...rest }) => {
    const tenant = await server.createTenant(2);
    const other = await server.createTenant(1);
    await registerCustomer(tenant.groupKey, 11);
    await submitReceipt(location(tenant, 0).key, 11);
    const campaign =
      level === "location" ? await createCampaign(location(tenant, 0).key, "Location") : await createCampaign(tenant.groupKey, "Group");
    const key = {
      "its location's key": location(tenant, 0).key,
      "the group key": tenant.groupKey,
      "another location's key": location(tenant, 1).key,
      "another group's key": other.groupKey,
      "another group's location key": location(other, 0).key,
    }[sender];

    for (const path of ["Offers", "Preview"]) {
      const r = await server.call<ApiError>("POST", `/v1/Campaigns/${campaign.CampaignID}/${path}`, { key, body: [11] });
      expect(r.status, `${path}: ${r.text}`).toBe(path === "Preview" && status === 204 ? 200 : status);
      if ("code" in rest) expect(r.json.Code).toBe(rest.code);
    }
    await server.drain();
    const offers = await offersOf(tenant.groupKey, 11);
    expect(offers).toHaveLength(status === 204 ? 1 : 0);
    expect(await sendRowCount(campaign.CampaignID)).toBe(status === 204 ? 1 : 0);
  });

  test("another group's campaign answers exactly as a campaign that does not exist", async () => {
    const tenant = await server.createTenant(1);
    const other = await server.createTenant(1);
    const theirs = await createCampaign(other.groupKey, "Group");
    const missing = 987_654_321;
    for (const path of ["Offers", "Preview"]) {
      const a = await server.call("POST", `/v1/Campaigns/${theirs.CampaignID}/${path}`, { key: tenant.groupKey, body: [1] });
      const b = await server.call("POST", `/v1/Campaigns/${missing}/${path}`, { key: tenant.groupKey, body: [1] });
      expect(a.status).toBe(404);
      expect(b.status).toBe(404);
      expect(a.text.replaceAll(String(theirs.CampaignID), "{id}")).toBe(b.text.replaceAll(String(missing), "{id}"));
    }
    const notAnId = await server.call<ApiError>("POST", "/v1/Campaigns/abc/Offers", { key: tenant.groupKey, body: [1] });
    expect(notAnId.status).toBe(404);
  });
});

describe("who gets an offer", () => {
  /** A tenant with customers 1 (bought at location 0), 2 (bought at location 1 only), 3 (no receipt). */
  async function shop() {
    const tenant = await server.createTenant(2);
    const other = await server.createTenant(1);
    for (const id of [1, 2, 3]) await registerCustomer(tenant.groupKey, id);
    await submitReceipt(location(tenant, 0).key, 1);
    await submitReceipt(location(tenant, 1).key, 2);
    // Customer 4 exists only in another group; 999 nowhere.
    await registerCustomer(other.groupKey, 4);
    await submitReceipt(location(other, 0).key, 4);
    return { tenant, other };
  }

  test("a location campaign offers only customers with a receipt at its location; the others are skipped with a reason", async () => {
    const { tenant, other } = await shop();
    const key = location(tenant, 0).key;
    const campaign = await createCampaign(key, "Location");
    const sentAt = Date.now();
    await sendAndDrain(key, campaign.CampaignID, [1, 2, 3, 4, 999]);

    const list = await recipients(key, campaign.CampaignID);
    const offers = await offersOf(key, 1);
    expect(offers).toHaveLength(1);
    const offer = offers[0];
    expect(list).toEqual([
      { CustomerID: 1, Status: "Offered", Reason: null, OfferID: offer.OfferID },
      { CustomerID: 2, Status: "Skipped", Reason: "NoPurchaseAtLocation", OfferID: null },
      { CustomerID: 3, Status: "Skipped", Reason: "NoPurchaseAtLocation", OfferID: null },
      { CustomerID: 4, Status: "Skipped", Reason: "NotRegistered", OfferID: null },
      { CustomerID: 999, Status: "Skipped", Reason: "NotRegistered", OfferID: null },
    ]);
    expect(offer).toMatchObject({
      CustomerID: 1,
      CampaignID: campaign.CampaignID,
      TemplateName: "manual",
      AmountOff: 10.05,
      MinimumPurchase: 0.5,
      IsLocationSpecific: true,
      LocationID: location(tenant, 0).locationId,
      Status: "Active",
    });
    expect(offer.Code).toMatch(/^[2-9A-HJKMNP-TV-Z]{8}$/);
    expect(Date.parse(offer.CreatedAt)).toBeGreaterThanOrEqual(sentAt - 1000);
    expect(Date.parse(offer.ExpiresAt) - Date.parse(offer.CreatedAt)).toBe(31 * DAY_MS);

    expect(await offersOf(tenant.groupKey, 2)).toEqual([]);
    expect(await offersOf(tenant.groupKey, 3)).toEqual([]);
    expect(await offersOf(other.groupKey, 4)).toEqual([]);

    expect(await statsOf(key, campaign.CampaignID)).toEqual({
      OffersIssued: 1,
      OffersRedeemed: 0,
      RedemptionRate: 0,
      RedeemedRevenue: 0,
      Pending: 0,
      Skipped: { NotRegistered: 2, NoPurchaseAtLocation: 2, AlreadyOffered: 0 },
    });
  });

  test("sent with the group key, a location campaign still requires a receipt at its own location", async () => {
    const { tenant } = await shop();
    const campaign = await createCampaign(location(tenant, 0).key, "Location");
    await sendAndDrain(tenant.groupKey, campaign.CampaignID, [1, 2, 3]);
    const list = await recipients(tenant.groupKey, campaign.CampaignID);
    expect(list.map((r) => [r.CustomerID, r.Status, r.Reason])).toEqual([
      [1, "Offered", null],
      [2, "Skipped", "NoPurchaseAtLocation"],
      [3, "Skipped", "NoPurchaseAtLocation"],
    ]);
    const [offer] = await offersOf(tenant.groupKey, 1);
    expect(offer).toMatchObject({ IsLocationSpecific: true, LocationID: location(tenant, 0).locationId });
  });

  test("a receipt that was voided is no purchase at the location", async () => {
    const tenant = await server.createTenant(1);
    await registerCustomer(tenant.groupKey, 5);
    const receipt = await submitReceipt(location(tenant, 0).key, 5);
    const voided = await server.call("POST", `/v1/Receipts/${receipt.ReceiptID}/Void`, { key: location(tenant, 0).key });
    expect(voided.status, voided.text).toBe(200);
    const campaign = await createCampaign(location(tenant, 0).key, "Location");
    await sendAndDrain(location(tenant, 0).key, campaign.CampaignID, [5]);
    expect((await recipients(tenant.groupKey, campaign.CampaignID))[0]).toMatchObject({ Status: "Skipped", Reason: "NoPurchaseAtLocation" });
  });

  test("a group campaign offers every registered customer of the group, receipts or not", async () => {
    const { tenant, other } = await shop();
    const campaign = await createCampaign(tenant.groupKey, "Group", { AmountOff: 5, DaysTillExpiration: 1 });
    await sendAndDrain(tenant.groupKey, campaign.CampaignID, [3, 2, 1, 4, 999]);
    const list = await recipients(tenant.groupKey, campaign.CampaignID);
    expect(list.map((r) => [r.CustomerID, r.Status, r.Reason])).toEqual([
      [1, "Offered", null],
      [2, "Offered", null],
      [3, "Offered", null],
      [4, "Skipped", "NotRegistered"],
      [999, "Skipped", "NotRegistered"],
    ]);
    for (const id of [1, 2, 3]) {
      const offers = await offersOf(location(tenant, 1).key, id);
      expect(offers).toHaveLength(1);
      expect(offers[0]).toMatchObject({
        CustomerID: id,
        CampaignID: campaign.CampaignID,
        TemplateName: "manual",
        AmountOff: 5,
        MinimumPurchase: 0,
        IsLocationSpecific: false,
        LocationID: null,
        Status: "Active",
      });
      expect(offers[0].OfferID).toBe(list.find((r) => r.CustomerID === id)!.OfferID);
      expect(Date.parse(offers[0].ExpiresAt) - Date.parse(offers[0].CreatedAt)).toBe(DAY_MS);
    }
    expect(await offersOf(other.groupKey, 4)).toEqual([]);
    expect(await statsOf(tenant.groupKey, campaign.CampaignID)).toMatchObject({
      OffersIssued: 3,
      Pending: 0,
      Skipped: { NotRegistered: 2, NoPurchaseAtLocation: 0, AlreadyOffered: 0 },
    });
  });

  test("sending the same customers again never gives a second offer: AlreadyOffered", async () => {
    const { tenant } = await shop();
    const campaign = await createCampaign(tenant.groupKey, "Group");
    await sendAndDrain(tenant.groupKey, campaign.CampaignID, [1]);
    const [first] = await offersOf(tenant.groupKey, 1);
    await sendAndDrain(tenant.groupKey, campaign.CampaignID, [1, 2]);
    await sendAndDrain(tenant.groupKey, campaign.CampaignID, [2, 1]);

    expect(await offersOf(tenant.groupKey, 1)).toEqual([first]);
    expect(await offersOf(tenant.groupKey, 2)).toHaveLength(1);
    const list = await recipients(tenant.groupKey, campaign.CampaignID);
    expect(list.map((r) => [r.CustomerID, r.Status, r.Reason, r.OfferID])).toEqual([
      [1, "Offered", null, first.OfferID],
      [2, "Offered", null, expect.any(Number)],
    ]);
    expect(await statsOf(tenant.groupKey, campaign.CampaignID)).toMatchObject({
      OffersIssued: 2,
      Pending: 0,
      Skipped: { NotRegistered: 0, NoPurchaseAtLocation: 0, AlreadyOffered: 3 },
    });
  });

  test("the same list sent concurrently still gives one offer per customer", async () => {
    const { tenant } = await shop();
    const campaign = await createCampaign(tenant.groupKey, "Group");
    const results = await Promise.all(Array.from({ length: 5 }, () => send(tenant.groupKey, campaign.CampaignID, [1, 2, 3])));
    expect(results.map((r) => r.status)).toEqual([204, 204, 204, 204, 204]);
    await server.drain();
    for (const id of [1, 2, 3]) expect(await offersOf(tenant.groupKey, id)).toHaveLength(1);
    expect(await statsOf(tenant.groupKey, campaign.CampaignID)).toMatchObject({
      OffersIssued: 3,
      Pending: 0,
      Skipped: { AlreadyOffered: 12 },
    });
  });

  test("a customer skipped for no purchase who then buys at the location is offered on the next send", async () => {
    const { tenant } = await shop();
    const key = location(tenant, 0).key;
    const campaign = await createCampaign(key, "Location");
    await sendAndDrain(key, campaign.CampaignID, [3]);
    expect((await recipients(key, campaign.CampaignID))[0]).toMatchObject({ Status: "Skipped", Reason: "NoPurchaseAtLocation" });
    await submitReceipt(key, 3);
    await sendAndDrain(key, campaign.CampaignID, [3]);
    const offers = await offersOf(key, 3);
    expect(offers).toHaveLength(1);
    expect(await recipients(key, campaign.CampaignID)).toEqual([
      { CustomerID: 3, Status: "Offered", Reason: null, OfferID: offers[0].OfferID },
    ]);
  });

  test("another campaign is another offer: AlreadyOffered is per campaign", async () => {
    const { tenant } = await shop();
    const a = await createCampaign(tenant.groupKey, "Group");
    const b = await createCampaign(tenant.groupKey, "Group");
    await sendAndDrain(tenant.groupKey, a.CampaignID, [1]);
    await sendAndDrain(tenant.groupKey, b.CampaignID, [1]);
    const offers = await offersOf(tenant.groupKey, 1);
    expect(offers.map((o) => o.CampaignID).sort()).toEqual([a.CampaignID, b.CampaignID].sort());
  });

  test("a location campaign's offer redeems only at its location; Stats count redemptions and their revenue", async () => {
    const { tenant } = await shop();
    await registerCustomer(tenant.groupKey, 6);
    await submitReceipt(location(tenant, 0).key, 6);
    const key = location(tenant, 0).key;
    const campaign = await createCampaign(key, "Location");
    await sendAndDrain(key, campaign.CampaignID, [1, 6]);
    const [offer] = await offersOf(key, 1);

    const elsewhere = await submitReceipt(location(tenant, 1).key, 1, { Code: offer.Code, SubTotal: 30, Total: 32.4 });
    expect(elsewhere.Redemptions).toEqual([expect.objectContaining({ Status: "Rejected", Reason: "NotThisLocation" })]);
    const tooSmall = await submitReceipt(key, 1, { Code: offer.Code, SubTotal: 0.25, Total: 0.25 });
    expect(tooSmall.Redemptions).toEqual([expect.objectContaining({ Status: "Rejected", Reason: "BelowMinimumPurchase" })]);
    const here = await submitReceipt(key, 1, { Code: offer.Code, SubTotal: 30, Total: 32.4 });
    expect(here.Redemptions).toEqual([expect.objectContaining({ Status: "Redeemed", OfferID: offer.OfferID })]);

    expect(await statsOf(tenant.groupKey, campaign.CampaignID)).toEqual({
      OffersIssued: 2,
      OffersRedeemed: 1,
      RedemptionRate: 0.5,
      RedeemedRevenue: 32.4,
      Pending: 0,
      Skipped: NO_SKIPS,
    });
  });
});

describe("POST /v1/Campaigns/{CampaignID}/Preview", () => {
  test("counts who would get an offer and who would be skipped, and creates nothing", async () => {
    const tenant = await server.createTenant(2);
    const other = await server.createTenant(1);
    for (const id of [1, 2, 3]) await registerCustomer(tenant.groupKey, id);
    await submitReceipt(location(tenant, 0).key, 1);
    await submitReceipt(location(tenant, 0).key, 2);
    await submitReceipt(location(tenant, 1).key, 3);
    await registerCustomer(other.groupKey, 4);
    const key = location(tenant, 0).key;
    const campaign = await createCampaign(key, "Location");

    const r = await server.call<Preview>("POST", `/v1/Campaigns/${campaign.CampaignID}/Preview`, { key, body: [1, 2, 3, 4, 999, 1] });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({
      CampaignID: campaign.CampaignID,
      Requested: 5,
      WouldOffer: 2,
      Skipped: { NotRegistered: 2, NoPurchaseAtLocation: 1, AlreadyOffered: 0 },
    });

    await server.drain();
    expect(await sendRowCount(campaign.CampaignID)).toBe(0);
    expect(await recipients(key, campaign.CampaignID)).toEqual([]);
    for (const id of [1, 2, 3]) expect(await offersOf(tenant.groupKey, id)).toEqual([]);
    expect(await statsOf(key, campaign.CampaignID)).toMatchObject({ OffersIssued: 0, Pending: 0, Skipped: NO_SKIPS });

    // Once sent, a preview of the same list says they already hold their offer.
    await sendAndDrain(key, campaign.CampaignID, [1]);
    const again = await server.call<Preview>("POST", `/v1/Campaigns/${campaign.CampaignID}/Preview`, { key, body: [1, 2] });
    expect(again.json).toEqual({
      CampaignID: campaign.CampaignID,
      Requested: 2,
      WouldOffer: 1,
      Skipped: { NotRegistered: 0, NoPurchaseAtLocation: 0, AlreadyOffered: 1 },
    });
    expect(await offersOf(tenant.groupKey, 2)).toEqual([]);
  });

  test("takes the same body as a send: not an array of positive integers, or over 10,000, is 400", async () => {
    const tenant = await server.createTenant(1);
    const campaign = await createCampaign(tenant.groupKey, "Group");
    const bad = await server.call<ApiError>("POST", `/v1/Campaigns/${campaign.CampaignID}/Preview`, {
      key: tenant.groupKey,
      body: [1, "2", 3],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.ModelState).toHaveProperty(["[1]"]);
    const tooMany = await server.call<ApiError>("POST", `/v1/Campaigns/${campaign.CampaignID}/Preview`, {
      key: tenant.groupKey,
      body: Array.from({ length: 10_001 }, (_, i) => i + 1),
    });
    expect(tooMany.status).toBe(400);
  });
});

describe("Idempotency-Key on POST /v1/Campaigns/{CampaignID}/Offers", () => {
  test("the same key and body is 204 again and stores no second send; another body is 422", async () => {
    const tenant = await server.createTenant(1);
    for (const id of [1, 2]) await registerCustomer(tenant.groupKey, id);
    const campaign = await createCampaign(tenant.groupKey, "Group");
    const headers = { "Idempotency-Key": "send-2024-05-01" };

    const first = await send(tenant.groupKey, campaign.CampaignID, [1], headers);
    expect(first.status).toBe(204);
    const replay = await send(tenant.groupKey, campaign.CampaignID, [1], headers);
    expect(replay.status).toBe(204);
    expect(replay.text).toBe("");
    await server.drain();
    expect(await sendRowCount(campaign.CampaignID)).toBe(1);

    const other = await send(tenant.groupKey, campaign.CampaignID, [1, 2], headers);
    expect(other.status).toBe(422);
    expect(other.json.Code).toBe("idempotency_key_reused");
    await server.drain();
    expect(await sendRowCount(campaign.CampaignID)).toBe(1);
    expect(await offersOf(tenant.groupKey, 2)).toEqual([]);
    // A replay is not an AlreadyOffered skip: nothing was decided twice.
    expect(await statsOf(tenant.groupKey, campaign.CampaignID)).toMatchObject({ OffersIssued: 1, Skipped: NO_SKIPS });
  });

  test("concurrent duplicates with one key store one send: each answers 204 (first or replayed) or 409 (in flight)", async () => {
    const tenant = await server.createTenant(1);
    await registerCustomer(tenant.groupKey, 1);
    const campaign = await createCampaign(tenant.groupKey, "Group");
    const headers = { "Idempotency-Key": "burst" };
    const results = await Promise.all(Array.from({ length: 6 }, () => send(tenant.groupKey, campaign.CampaignID, [1], headers)));
    const statuses = results.map((r) => r.status);
    expect(statuses).toContain(204);
    for (const status of statuses) expect([204, 409]).toContain(status);
    await server.drain();
    expect(await sendRowCount(campaign.CampaignID)).toBe(1);
    expect(await statsOf(tenant.groupKey, campaign.CampaignID)).toMatchObject({ OffersIssued: 1, Skipped: NO_SKIPS });
  });

  test("the same Idempotency-Key with another campaign's path is another request: 422", async () => {
    const tenant = await server.createTenant(1);
    const a = await createCampaign(tenant.groupKey, "Group");
    const b = await createCampaign(tenant.groupKey, "Group");
    const headers = { "Idempotency-Key": "k-1" };
    expect((await send(tenant.groupKey, a.CampaignID, [1], headers)).status).toBe(204);
    expect((await send(tenant.groupKey, b.CampaignID, [1], headers)).status).toBe(422);
    expect(await sendRowCount(b.CampaignID)).toBe(0);
  });

  test("keys are scoped to the API key: another key's identical request is a new send", async () => {
    const tenant = await server.createTenant(1);
    await registerCustomer(tenant.groupKey, 1);
    await submitReceipt(location(tenant, 0).key, 1);
    const campaign = await createCampaign(location(tenant, 0).key, "Location");
    const headers = { "Idempotency-Key": "same-key" };
    expect((await send(location(tenant, 0).key, campaign.CampaignID, [1], headers)).status).toBe(204);
    expect((await send(tenant.groupKey, campaign.CampaignID, [1], headers)).status).toBe(204);
    await server.drain();
    expect(await sendRowCount(campaign.CampaignID)).toBe(2);
    expect(await offersOf(tenant.groupKey, 1)).toHaveLength(1);
  });

  test("a refused send is not remembered: the same key works once the request is valid", async () => {
    const tenant = await server.createTenant(1);
    const campaign = await createCampaign(tenant.groupKey, "Group");
    const headers = { "Idempotency-Key": "retry-me" };
    expect((await send(tenant.groupKey, campaign.CampaignID, [0], headers)).status).toBe(400);
    expect((await send(tenant.groupKey, campaign.CampaignID, [1], headers)).status).toBe(204);
    expect(await sendRowCount(campaign.CampaignID)).toBe(1);
  });
});

describe("GET /v1/Campaigns and /v1/Campaigns/{CampaignID}", () => {
  test("visible campaigns, newest first, paged with X-Total-Count and Link", async () => {
    const tenant = await server.createTenant(1);
    const created: Campaign[] = [];
    for (let i = 0; i < 3; i++) created.push(await createCampaign(tenant.groupKey, "Group", { ...GUIDE_CAMPAIGN, Name: `c${i}` }));

    const first = await server.call<Campaign[]>("GET", "/v1/Campaigns?PageSize=2", { key: tenant.groupKey });
    expect(first.status).toBe(200);
    expect(first.json.map((c) => c.CampaignID)).toEqual([created[2].CampaignID, created[1].CampaignID]);
    // Each listed campaign also carries its Stats (campaigns-list.test.ts).
    expect(first.json[0]).toEqual({ ...created[2], Stats: { OffersIssued: 0, OffersRedeemed: 0, RedemptionRate: 0, RedeemedRevenue: 0, Pending: 0, Skipped: NO_SKIPS } });
    expect(first.headers.get("x-total-count")).toBe("3");
    expect(first.headers.get("link")).toContain('rel="next"');
    expect(first.headers.get("link")).not.toContain('rel="prev"');

    const second = await server.call<Campaign[]>("GET", "/v1/Campaigns?Page=2&PageSize=2", { key: tenant.groupKey });
    expect(second.json.map((c) => c.CampaignID)).toEqual([created[0].CampaignID]);
    expect(second.headers.get("x-total-count")).toBe("3");
    expect(second.headers.get("link")).toContain('rel="prev"');
    expect(second.headers.get("link")).not.toContain('rel="next"');

    const tooBig = await server.call<ApiError>("GET", "/v1/Campaigns?PageSize=201", { key: tenant.groupKey });
    expect(tooBig.status).toBe(400);
  });

  test("a location key sees group campaigns and its own location's, not another location's", async () => {
    const tenant = await server.createTenant(2);
    const other = await server.createTenant(1);
    const group = await createCampaign(tenant.groupKey, "Group");
    const mine = await createCampaign(location(tenant, 0).key, "Location");
    const theirs = await createCampaign(location(tenant, 1).key, "Location");
    const foreign = await createCampaign(other.groupKey, "Group");

    const ids = async (key: string) => {
      const r = await server.call<Campaign[]>("GET", "/v1/Campaigns", { key });
      expect(r.headers.get("x-total-count")).toBe(String(r.json.length));
      return r.json.map((c) => c.CampaignID);
    };
    expect(await ids(tenant.groupKey)).toEqual([theirs.CampaignID, mine.CampaignID, group.CampaignID]);
    expect(await ids(location(tenant, 0).key)).toEqual([mine.CampaignID, group.CampaignID]);
    expect(await ids(location(tenant, 1).key)).toEqual([theirs.CampaignID, group.CampaignID]);
    expect(await ids(other.groupKey)).toEqual([foreign.CampaignID]);

    const get = (key: string, id: number) => server.call("GET", `/v1/Campaigns/${id}`, { key });
    expect((await get(location(tenant, 0).key, group.CampaignID)).status).toBe(200);
    expect((await get(location(tenant, 0).key, mine.CampaignID)).status).toBe(200);
    expect((await get(location(tenant, 0).key, theirs.CampaignID)).status).toBe(404);
    expect((await get(tenant.groupKey, theirs.CampaignID)).status).toBe(200);
    expect((await get(tenant.groupKey, foreign.CampaignID)).status).toBe(404);
    expect((await get(location(other, 0).key, mine.CampaignID)).status).toBe(404);

    const invisible = await get(location(tenant, 0).key, theirs.CampaignID);
    const missing = await get(location(tenant, 0).key, 987_654_321);
    expect(invisible.text.replaceAll(String(theirs.CampaignID), "{id}")).toBe(missing.text.replaceAll("987654321", "{id}"));
  });

  test("a campaign's recipients are paged with X-Total-Count", async () => {
    const tenant = await server.createTenant(1);
    const campaign = await createCampaign(tenant.groupKey, "Group");
    await sendAndDrain(tenant.groupKey, campaign.CampaignID, [5, 4, 3, 2, 1]);
    const r = await server.call<Recipient[]>("GET", `/v1/Campaigns/${campaign.CampaignID}/Offers?Page=2&PageSize=2`, {
      key: tenant.groupKey,
    });
    expect(r.status).toBe(200);
    expect(r.headers.get("x-total-count")).toBe("5");
    expect(r.json.map((x) => x.CustomerID)).toEqual([3, 4]);
  });
});
