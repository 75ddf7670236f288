// The campaigns list's [extension]s for the console: each campaign's Stats in the list (the
// same as its own page's), and the Scope and LocationID filters, within what the key may see.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Campaign, CampaignStats } from "./campaigns";
import { startTestServer, type Tenant, type TestServer } from "./testing/harness";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

type Listed = Campaign & { Stats: CampaignStats };

interface ApiError {
  Code: string;
  ModelState?: Record<string, string[]>;
}

async function create(key: string, level: "Location" | "Group", name: string): Promise<number> {
  const r = await server.call<Campaign>("POST", `/v1/Campaigns/${level}`, { key, body: { AmountOff: 5, DaysTillExpiration: 30, Name: name } });
  expect(r.status, r.text).toBe(201);
  return r.json.CampaignID;
}

async function list(key: string, query = ""): Promise<Listed[]> {
  const r = await server.call<Listed[]>("GET", `/v1/Campaigns?PageSize=200${query}`, { key });
  expect(r.status, r.text).toBe(200);
  return r.json;
}

describe("GET /v1/Campaigns for the console", () => {
  let tenant: Tenant;
  const ids = { group: 0, store1: 0, store2: 0 };

  beforeAll(async () => {
    tenant = await server.createTenant(2);
    const [l1, l2] = tenant.locations;
    ids.group = await create(tenant.groupKey, "Group", "Everyone");
    ids.store1 = await create(l1.key, "Location", "Store 1");
    ids.store2 = await create(l2.key, "Location", "Store 2");
    // Customer 1 bought at store 1 and redeems the store's offer; customer 2 never bought there.
    for (const customerId of [1, 2]) {
      const r = await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { CustomerID: customerId, ExternalID: `C${customerId}` } });
      expect(r.status, r.text).toBe(201);
    }
    const sale = (body: Record<string, unknown>) => server.call<{ ReceiptID: string }>("POST", "/v1/Receipts", { key: l1.key, body });
    expect((await sale({ CustomerID: 1, Skus: [{ SKU: "A", Amount: 20, Quantity: 1 }], SubTotal: 20, Taxes: 0, Total: 20 })).status).toBe(201);
    const send = await server.call("POST", `/v1/Campaigns/${ids.store1}/Offers`, { key: l1.key, body: [1, 2, 3] });
    expect(send.status, send.text).toBe(204);
    await server.drain();
    const offers = await server.call<{ Code: string; CampaignID: number }[]>("GET", "/v1/Customers/1/Offers", { key: l1.key });
    const code = offers.json.find((o) => o.CampaignID === ids.store1)!.Code;
    const redeemed = await sale({
      CustomerID: 1,
      Skus: [{ SKU: "B", Amount: 40, Quantity: 1 }],
      Discounts: [{ Code: code, Description: "Offer", Amount: 5 }],
      SubTotal: 40,
      Taxes: 0,
      Total: 35,
    });
    expect(redeemed.status, redeemed.text).toBe(201);
  });

  test("each listed campaign carries the same Stats as its own page", async () => {
    const listed = await list(tenant.groupKey);
    expect(listed.map((c) => c.CampaignID)).toEqual([ids.store2, ids.store1, ids.group]);
    for (const campaign of listed) {
      const one = await server.call<Listed>("GET", `/v1/Campaigns/${campaign.CampaignID}`, { key: tenant.groupKey });
      expect(campaign.Stats).toEqual(one.json.Stats);
    }
    expect(listed.find((c) => c.CampaignID === ids.store1)!.Stats).toEqual({
      OffersIssued: 1,
      OffersRedeemed: 1,
      RedemptionRate: 1,
      RedeemedRevenue: 35,
      Pending: 0,
      Skipped: { NotRegistered: 1, NoPurchaseAtLocation: 1, AlreadyOffered: 0 },
    });
    expect(listed.find((c) => c.CampaignID === ids.group)!.Stats).toMatchObject({ OffersIssued: 0, RedemptionRate: 0, RedeemedRevenue: 0 });
  });

  test("Scope=Group, Scope=Location and LocationID narrow the list; Scope in any case", async () => {
    expect((await list(tenant.groupKey, "&Scope=Group")).map((c) => c.CampaignID)).toEqual([ids.group]);
    expect((await list(tenant.groupKey, "&scope=location")).map((c) => c.CampaignID)).toEqual([ids.store2, ids.store1]);
    expect((await list(tenant.groupKey, `&LocationID=${tenant.locations[1].locationId}`)).map((c) => c.CampaignID)).toEqual([ids.store2]);
    // A location key: its own location's, and group campaigns.
    const l1 = tenant.locations[0];
    expect((await list(l1.key)).map((c) => c.CampaignID)).toEqual([ids.store1, ids.group]);
    expect((await list(l1.key, `&LocationID=${l1.locationId}`)).map((c) => c.CampaignID)).toEqual([ids.store1]);
    expect((await list(l1.key, "&Scope=Location")).map((c) => c.CampaignID)).toEqual([ids.store1]);
  });

  test("a location key asking for another location's campaigns is 403", async () => {
    const r = await server.call<ApiError>("GET", `/v1/Campaigns?LocationID=${tenant.locations[1].locationId}`, { key: tenant.locations[0].key });
    expect(r.status, r.text).toBe(403);
    expect(r.json.Code).toBe("forbidden");
  });

  test("another group's location lists nothing of it", async () => {
    const rival = await server.createTenant(1);
    await create(rival.locations[0].key, "Location", "Rival");
    expect(await list(tenant.groupKey, `&LocationID=${rival.locations[0].locationId}`)).toEqual([]);
  });

  test.each([
    ["Scope=Everyone", "Scope"],
    ["LocationID=0", "LocationID"],
    ["LocationID=x", "LocationID"],
  ])("%s is 400 naming the parameter", async (query, name) => {
    const r = await server.call<ApiError>("GET", `/v1/Campaigns?${query}`, { key: tenant.groupKey });
    expect(r.status, JSON.stringify(r.json)).toBe(400);
    expect(Object.keys(r.json.ModelState ?? {})).toEqual([name]);
  });
});
