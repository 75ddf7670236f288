// API tests of offers (ENGAGE_API.md §5) over real HTTP on a real database: looking an offer
// up by code and by id, its fields and read-time Status, and a customer's offers.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type Tenant, type TestServer } from "./testing/harness";
import type { Receipt } from "./receipts";
import type { Offer } from "./offers";

interface ErrorBody {
  Message: string;
  Code: string;
  ModelState?: Record<string, string[]>;
}

const DAY = 86_400_000;
const CODE = /^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{8}$/;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

let externalCounter = 0;

async function registerCustomer(key: string): Promise<number> {
  const res = await server.call<{ CustomerID: number }>("POST", "/v1/Customers", {
    key,
    body: { ExternalID: `offers-test-${++externalCounter}-${Date.now()}` },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.CustomerID;
}

async function submitReceipt(key: string, customerId: number, codes: string[] = []): Promise<Receipt> {
  const res = await server.call<Receipt>("POST", "/v1/Receipts", {
    key,
    body: {
      CustomerID: customerId,
      Skus: [{ SKU: "SOCKS", Amount: 10.5, Quantity: 2 }],
      Discounts: codes.map((Code) => ({ Code, Amount: 1 })),
      SubTotal: 21,
      Taxes: 1.58,
      Total: 22.58,
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

interface CampaignOptions {
  level?: "Group" | "Location";
  location?: number;
  AmountOff?: number;
  MinimumPurchase?: number;
  DaysTillExpiration?: number;
}

/** A manual campaign sent to the customers; returns the campaign's id once its offers exist. */
async function runCampaign(tenant: Tenant, customerIds: number[], options: CampaignOptions = {}): Promise<number> {
  const level = options.level ?? "Group";
  const key = level === "Group" ? tenant.groupKey : tenant.locations[options.location ?? 0].key;
  const campaign = await server.call<{ CampaignID: number }>("POST", `/v1/Campaigns/${level}`, {
    key,
    body: {
      AmountOff: options.AmountOff ?? 5,
      MinimumPurchase: options.MinimumPurchase ?? 0,
      DaysTillExpiration: options.DaysTillExpiration ?? 30,
    },
  });
  expect(campaign.status, campaign.text).toBe(201);
  const sent = await server.call("POST", `/v1/Campaigns/${campaign.json.CampaignID}/Offers`, { key, body: customerIds });
  expect(sent.status, sent.text).toBe(204);
  await server.drain();
  return campaign.json.CampaignID;
}

async function customerOffers(key: string, customerId: number, query = ""): Promise<Offer[]> {
  const res = await server.call<Offer[]>("GET", `/v1/Customers/${customerId}/Offers${query}`, { key });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function issueOffer(tenant: Tenant, customerId: number, options: CampaignOptions = {}): Promise<Offer> {
  const campaignId = await runCampaign(tenant, [customerId], options);
  const offer = (await customerOffers(tenant.groupKey, customerId)).find((o) => o.CampaignID === campaignId);
  expect(offer, `an offer of campaign ${campaignId}`).toBeDefined();
  return offer!;
}

async function getOffer(key: string, offerId: number): Promise<Offer> {
  const res = await server.call<Offer>("GET", `/v1/Offers/${offerId}`, { key });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function setExpiresAt(offerId: number, at: number): Promise<void> {
  await server.database.db.updateTable("offers").set({ expires_at: at }).where("id", "=", offerId).execute();
}

describe("an offer's fields", () => {
  test("a group campaign's offer: the campaign's terms, a code, ExpiresAt = CreatedAt + DaysTillExpiration", async () => {
    const tenant = await server.createTenant(1);
    const customerId = await registerCustomer(tenant.groupKey);
    const before = Date.now();
    const campaignId = await runCampaign(tenant, [customerId], { AmountOff: 10.05, MinimumPurchase: 0.5, DaysTillExpiration: 31 });
    const [offer] = await customerOffers(tenant.groupKey, customerId);
    expect(offer).toMatchObject({
      CustomerID: customerId,
      CampaignID: campaignId,
      TemplateName: "manual",
      AmountOff: 10.05,
      MinimumPurchase: 0.5,
      IsLocationSpecific: false,
      LocationID: null,
      Status: "Active",
      RedeemedAt: null,
      RedeemedReceiptID: null,
      RedeemedLocationID: null,
    });
    expect(offer.OfferID).toEqual(expect.any(Number));
    expect(offer.Code).toMatch(CODE);
    expect(offer.CreatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(offer.ExpiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(Date.parse(offer.CreatedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(offer.CreatedAt)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(Date.parse(offer.ExpiresAt) - Date.parse(offer.CreatedAt)).toBe(31 * DAY);
  });

  test("a location campaign's offer is location specific, with its LocationID", async () => {
    const tenant = await server.createTenant(2);
    const [, two] = tenant.locations;
    const customerId = await registerCustomer(two.key);
    await submitReceipt(two.key, customerId);
    const offer = await issueOffer(tenant, customerId, { level: "Location", location: 1, DaysTillExpiration: 1 });
    expect(offer).toMatchObject({ TemplateName: "manual", IsLocationSpecific: true, LocationID: two.locationId, Status: "Active" });
    expect(Date.parse(offer.ExpiresAt) - Date.parse(offer.CreatedAt)).toBe(DAY);
  });

  test("codes are 8 characters of the unambiguous alphabet, and unique", async () => {
    const tenant = await server.createTenant(1);
    const customers: number[] = [];
    for (let i = 0; i < 60; i++) customers.push(await registerCustomer(tenant.groupKey));
    const campaignId = await runCampaign(tenant, customers);
    const codes: string[] = [];
    for (const customerId of customers) {
      const offers = await customerOffers(tenant.groupKey, customerId);
      expect(offers).toHaveLength(1);
      expect(offers[0].CampaignID).toBe(campaignId);
      codes.push(offers[0].Code);
    }
    for (const code of codes) expect(code).toMatch(CODE);
    expect(new Set(codes).size).toBe(codes.length);
    // 480 random characters: a generator stuck on a few would show here.
    expect(new Set(codes.join("")).size).toBeGreaterThan(15);
  });
});

describe("GET /v1/Offers?Code=", () => {
  test("finds the offer by its code in any case; 404 when unknown in the group", async () => {
    const tenant = await server.createTenant(1);
    const customerId = await registerCustomer(tenant.groupKey);
    const offer = await issueOffer(tenant, customerId);
    const mixed = offer.Code.slice(0, 4).toLowerCase() + offer.Code.slice(4);
    for (const [key, query] of [
      [tenant.groupKey, `?Code=${offer.Code}`],
      [tenant.groupKey, `?Code=${offer.Code.toLowerCase()}`],
      [tenant.locations[0].key, `?code=${mixed}`],
      [tenant.groupKey, `?CODE=%20${offer.Code}%20`],
    ]) {
      const res = await server.call<Offer>("GET", `/v1/Offers${query}`, { key });
      expect(res.status, `${query}: ${res.text}`).toBe(200);
      expect(res.json).toEqual(offer);
    }

    const unknown = await server.call<ErrorBody>("GET", "/v1/Offers?Code=ZZZZZZZZ", { key: tenant.groupKey });
    expect(unknown.status).toBe(404);
    expect(unknown.json.Code).toBe("not_found");

    const missing = await server.call<ErrorBody>("GET", "/v1/Offers", { key: tenant.groupKey });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.json.ModelState ?? {})).toContain("Code");
  });

  test("another group's code is 404", async () => {
    const tenant = await server.createTenant(1);
    const customerId = await registerCustomer(tenant.groupKey);
    const offer = await issueOffer(tenant, customerId);
    const stranger = await server.createTenant(1);
    for (const key of [stranger.groupKey, stranger.locations[0].key]) {
      const res = await server.call<ErrorBody>("GET", `/v1/Offers?Code=${offer.Code}`, { key });
      expect(res.status).toBe(404);
      expect(res.text).not.toContain(String(customerId));
    }
  });
});

describe("GET /v1/Offers/{OfferID}", () => {
  test("200 for the group's keys; 404 for unknown ids and for another group", async () => {
    const tenant = await server.createTenant(1);
    const customerId = await registerCustomer(tenant.groupKey);
    const offer = await issueOffer(tenant, customerId);

    expect(await getOffer(tenant.groupKey, offer.OfferID)).toEqual(offer);
    expect(await getOffer(tenant.locations[0].key, offer.OfferID)).toEqual(offer);

    const stranger = await server.createTenant(1);
    for (const key of [stranger.groupKey, stranger.locations[0].key]) {
      const res = await server.call<ErrorBody>("GET", `/v1/Offers/${offer.OfferID}`, { key });
      expect(res.status).toBe(404);
      expect(res.json.Code).toBe("not_found");
    }
    expect((await server.call("GET", `/v1/Offers/${offer.OfferID + 1_000_000}`, { key: tenant.groupKey })).status).toBe(404);
    expect((await server.call("GET", "/v1/Offers/abc", { key: tenant.groupKey })).status).toBe(404);
    expect((await server.call("GET", `/v1/offers/${offer.OfferID}/`, { key: tenant.groupKey })).status).toBe(200);
    expect((await server.call("GET", `/v1/Offers/${offer.OfferID}`, {})).status).toBe(401);
  });
});

describe("Status", () => {
  test("Expired follows from ExpiresAt at read time, in every view", async () => {
    const tenant = await server.createTenant(1);
    const customerId = await registerCustomer(tenant.groupKey);
    const offer = await issueOffer(tenant, customerId);
    const views = async () => [
      (await getOffer(tenant.groupKey, offer.OfferID)).Status,
      (await server.call<Offer>("GET", `/v1/Offers?Code=${offer.Code}`, { key: tenant.groupKey })).json.Status,
      (await customerOffers(tenant.groupKey, customerId))[0].Status,
    ];
    expect(await views()).toEqual(["Active", "Active", "Active"]);

    await setExpiresAt(offer.OfferID, Date.now() - 1000);
    expect(await views()).toEqual(["Expired", "Expired", "Expired"]);
    const expired = await getOffer(tenant.groupKey, offer.OfferID);
    expect(Date.parse(expired.ExpiresAt)).toBeLessThan(Date.now());

    // Nothing was stored as Expired: moving ExpiresAt back makes it Active again.
    await setExpiresAt(offer.OfferID, Date.now() + DAY);
    expect(await views()).toEqual(["Active", "Active", "Active"]);

    // An offer about to expire becomes Expired by waiting alone.
    await setExpiresAt(offer.OfferID, Date.now() + 300);
    expect((await getOffer(tenant.groupKey, offer.OfferID)).Status).toBe("Active");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await views()).toEqual(["Expired", "Expired", "Expired"]);
  });

  test("Redeemed once a receipt redeems it, with when, which receipt and where", async () => {
    const tenant = await server.createTenant(2);
    const [, two] = tenant.locations;
    const customerId = await registerCustomer(tenant.groupKey);
    const offer = await issueOffer(tenant, customerId);
    const receipt = await submitReceipt(two.key, customerId, [offer.Code]);
    expect(receipt.Redemptions[0].Status).toBe("Redeemed");
    const redeemed = await getOffer(tenant.groupKey, offer.OfferID);
    expect(redeemed).toMatchObject({
      Status: "Redeemed",
      RedeemedAt: receipt.CreatedAt,
      RedeemedReceiptID: receipt.ReceiptID,
      RedeemedLocationID: two.locationId,
      Code: offer.Code,
      ExpiresAt: offer.ExpiresAt,
    });
    // A redeemed offer stays Redeemed after its expiry date.
    await setExpiresAt(offer.OfferID, Date.now() - 1000);
    expect((await getOffer(tenant.groupKey, offer.OfferID)).Status).toBe("Redeemed");
  });
});

describe("GET /v1/Customers/{CustomerID}/Offers", () => {
  test("newest first, filtered by Status in any case", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const first = await issueOffer(tenant, customerId);
    const second = await issueOffer(tenant, customerId);
    const third = await issueOffer(tenant, customerId);
    const fourth = await issueOffer(tenant, customerId);
    expect((await customerOffers(key, customerId)).map((o) => o.OfferID)).toEqual([
      fourth.OfferID,
      third.OfferID,
      second.OfferID,
      first.OfferID,
    ]);

    await submitReceipt(key, customerId, [second.Code]);
    await setExpiresAt(third.OfferID, Date.now() - 1000);

    const ids = async (query: string) => (await customerOffers(key, customerId, query)).map((o) => o.OfferID);
    expect(await ids("?Status=Active")).toEqual([fourth.OfferID, first.OfferID]);
    expect(await ids("?status=active")).toEqual([fourth.OfferID, first.OfferID]);
    expect(await ids("?Status=REDEEMED")).toEqual([second.OfferID]);
    expect(await ids("?STATUS=Expired")).toEqual([third.OfferID]);
    for (const o of await customerOffers(key, customerId, "?Status=Expired")) expect(o.Status).toBe("Expired");
    expect((await customerOffers(key, customerId)).map((o) => o.Status)).toEqual(["Active", "Expired", "Redeemed", "Active"]);

    const bad = await server.call<ErrorBody>("GET", `/v1/Customers/${customerId}/Offers?Status=Used`, { key });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.ModelState ?? {})).toContain("Status");
  });

  test("only the customer's own offers", async () => {
    const tenant = await server.createTenant(1);
    const alice = await registerCustomer(tenant.groupKey);
    const bob = await registerCustomer(tenant.groupKey);
    const campaignId = await runCampaign(tenant, [alice, bob]);
    const aliceOffers = await customerOffers(tenant.groupKey, alice);
    const bobOffers = await customerOffers(tenant.groupKey, bob);
    expect(aliceOffers.map((o) => [o.CustomerID, o.CampaignID])).toEqual([[alice, campaignId]]);
    expect(bobOffers.map((o) => [o.CustomerID, o.CampaignID])).toEqual([[bob, campaignId]]);
    expect(aliceOffers[0].Code).not.toBe(bobOffers[0].Code);
  });

  test("a location key sees group-wide offers and its own location's, not another location's", async () => {
    const tenant = await server.createTenant(2);
    const [one, two] = tenant.locations;
    const customerId = await registerCustomer(one.key);
    await submitReceipt(one.key, customerId);
    await submitReceipt(two.key, customerId);
    const group = await issueOffer(tenant, customerId);
    const atOne = await issueOffer(tenant, customerId, { level: "Location", location: 0 });
    const atTwo = await issueOffer(tenant, customerId, { level: "Location", location: 1 });

    const ids = async (key: string, query = "") => (await customerOffers(key, customerId, query)).map((o) => o.OfferID);
    expect(await ids(tenant.groupKey)).toEqual([atTwo.OfferID, atOne.OfferID, group.OfferID]);
    expect(await ids(one.key)).toEqual([atOne.OfferID, group.OfferID]);
    expect(await ids(two.key)).toEqual([atTwo.OfferID, group.OfferID]);
    expect(await ids(one.key, "?Status=Active")).toEqual([atOne.OfferID, group.OfferID]);
  });

  test("404 for an unknown customer and for another group's key", async () => {
    const tenant = await server.createTenant(1);
    const customerId = await registerCustomer(tenant.groupKey);
    await issueOffer(tenant, customerId);
    expect((await server.call("GET", `/v1/Customers/${customerId + 1_000_000}/Offers`, { key: tenant.groupKey })).status).toBe(404);
    const stranger = await server.createTenant(1);
    for (const key of [stranger.groupKey, stranger.locations[0].key]) {
      const res = await server.call("GET", `/v1/Customers/${customerId}/Offers`, { key });
      expect(res.status).toBe(404);
    }
  });
});
