// The campaign audience filters of GET /v1/Customers ([extension]): who bought at a location,
// visited (or not) lately, spent or visited enough, has a birthday in a month, consents to SMS or
// email — each alone, together, with paging, and within what the key may see.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Customer } from "./schemas/customer";
import { startTestServer, type Tenant, type TestServer } from "./testing/harness";

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

const DAY_MS = 86_400_000;

async function register(key: string, body: Record<string, unknown>): Promise<number> {
  const r = await server.call<Customer>("POST", "/v1/Customers", { key, body });
  expect(r.status, r.text).toBe(201);
  return r.json.CustomerID;
}

async function sale(key: string, customerId: number, total: number): Promise<string> {
  const r = await server.call<{ ReceiptID: string }>("POST", "/v1/Receipts", {
    key,
    body: { CustomerID: customerId, Skus: [{ SKU: "KIBBLE", Amount: total, Quantity: 1 }], SubTotal: total, Taxes: 0, Total: total },
  });
  expect(r.status, r.text).toBe(201);
  return r.json.ReceiptID;
}

/** Sets when a customer last visited, as if their last receipt had been that long ago. */
async function lastVisitDaysAgo(groupId: number, customerId: number, days: number): Promise<void> {
  await server.database.db
    .updateTable("customers")
    .set({ last_visit_at: Date.now() - days * DAY_MS })
    .where("group_id", "=", groupId)
    .where("customer_id", "=", customerId)
    .execute();
}

async function ids(key: string, query: string): Promise<number[]> {
  const r = await server.call<Customer[]>("GET", `/v1/Customers?PageSize=200&${query}`, { key });
  expect(r.status, `${query}: ${r.text}`).toBe(200);
  expect(r.headers.get("x-total-count")).toBe(String(r.json.length));
  return r.json.map((c) => c.CustomerID).sort((a, b) => a - b);
}

describe("GET /v1/Customers audience filters", () => {
  let tenant: Tenant;
  let group: string;
  let l1: string;
  let l2: string;
  const c: Record<"ann" | "bob" | "cat" | "dan" | "eve", number> = { ann: 0, bob: 0, cat: 0, dan: 0, eve: 0 };

  beforeAll(async () => {
    tenant = await server.createTenant(2);
    group = tenant.groupKey;
    l1 = tenant.locations[0].key;
    l2 = tenant.locations[1].key;
    // Ann: two sales at store 1 ($60), SMS, born in March.
    c.ann = await register(l1, { Phone: "3035550101", FirstName: "Ann", AcceptsSMS: true, Birthday: "1990-03-15" });
    await sale(l1, c.ann, 25);
    await sale(l1, c.ann, 35);
    // Bob: one sale at store 2 ($20), email, born in November.
    c.bob = await register(l2, { Email: "bob@example.com", FirstName: "Bob", AcceptsEmail: true, Birthday: "1985-11-02" });
    await sale(l2, c.bob, 20);
    // Cat: never bought; both consents; born in March.
    c.cat = await register(group, { Phone: "3035550103", Email: "cat@example.com", AcceptsSMS: true, AcceptsEmail: true, Birthday: "2000-03-01" });
    // Dan: his only sale at store 1 was voided.
    c.dan = await register(l1, { ExternalID: "POS-DAN" });
    const voided = await sale(l1, c.dan, 15);
    const v = await server.call("POST", `/v1/Receipts/${voided}/Void`, { key: l1 });
    expect(v.status, v.text).toBe(200);
    // Eve: bought at store 1 ($100) a hundred days ago.
    c.eve = await register(l1, { ExternalID: "POS-EVE", Birthday: "1977-12-31" });
    await sale(l1, c.eve, 100);
    await lastVisitDaysAgo(tenant.groupId, c.eve, 100);

    // Another group's customer who matches every filter: never listed.
    const rival = await server.createTenant(1);
    const rivalId = await register(rival.locations[0].key, { Phone: "3035550199", AcceptsSMS: true, AcceptsEmail: true, Birthday: "1990-03-10" });
    await sale(rival.locations[0].key, rivalId, 500);
  });

  test("PurchasedAtLocationID: customers with a receipt there that is not voided", async () => {
    expect(await ids(group, `PurchasedAtLocationID=${tenant.locations[0].locationId}`)).toEqual([c.ann, c.eve]);
    expect(await ids(group, `PurchasedAtLocationID=${tenant.locations[1].locationId}`)).toEqual([c.bob]);
    // A location key may ask about its own location.
    expect(await ids(l2, `PurchasedAtLocationID=${tenant.locations[1].locationId}`)).toEqual([c.bob]);
  });

  test("VisitedWithinDays and NotVisitedWithinDays (which includes those who never visited)", async () => {
    expect(await ids(group, "VisitedWithinDays=30")).toEqual([c.ann, c.bob]);
    expect(await ids(group, "VisitedWithinDays=365")).toEqual([c.ann, c.bob, c.eve]);
    expect(await ids(group, "NotVisitedWithinDays=30")).toEqual([c.cat, c.dan, c.eve]);
    expect(await ids(group, "NotVisitedWithinDays=365")).toEqual([c.cat, c.dan]);
  });

  test("MinLifetimeSpend and MinVisits count what was not voided", async () => {
    expect(await ids(group, "MinLifetimeSpend=60")).toEqual([c.ann, c.eve]);
    expect(await ids(group, "MinLifetimeSpend=59.9999")).toEqual([c.ann, c.eve]);
    expect(await ids(group, "MinLifetimeSpend=60.0001")).toEqual([c.eve]);
    expect(await ids(group, "MinLifetimeSpend=0")).toEqual([c.ann, c.bob, c.cat, c.dan, c.eve]);
    expect(await ids(group, "MinVisits=2")).toEqual([c.ann]);
    expect(await ids(group, "MinVisits=1")).toEqual([c.ann, c.bob, c.eve]);
  });

  test("BirthdayMonth matches the month of any year; customers without a birthday never match", async () => {
    expect(await ids(group, "BirthdayMonth=3")).toEqual([c.ann, c.cat]);
    expect(await ids(group, "BirthdayMonth=03")).toEqual([c.ann, c.cat]);
    expect(await ids(group, "BirthdayMonth=12")).toEqual([c.eve]);
    expect(await ids(group, "BirthdayMonth=1")).toEqual([]);
  });

  test("AcceptsSMS and AcceptsEmail, true or false in any case", async () => {
    expect(await ids(group, "AcceptsSMS=true")).toEqual([c.ann, c.cat]);
    expect(await ids(group, "acceptssms=TRUE")).toEqual([c.ann, c.cat]);
    expect(await ids(group, "AcceptsEmail=1")).toEqual([c.bob, c.cat]);
    expect(await ids(group, "AcceptsSMS=false")).toEqual([c.bob, c.dan, c.eve]);
  });

  test("filters combine with each other and with the text search", async () => {
    expect(await ids(group, `PurchasedAtLocationID=${tenant.locations[0].locationId}&VisitedWithinDays=30`)).toEqual([c.ann]);
    expect(await ids(group, "BirthdayMonth=3&AcceptsEmail=true")).toEqual([c.cat]);
    expect(await ids(group, "AcceptsSMS=true&NotVisitedWithinDays=7")).toEqual([c.cat]);
    expect(await ids(group, "Query=Ann&MinVisits=1")).toEqual([c.ann]);
    expect(await ids(group, "Query=Bob&MinVisits=2")).toEqual([]);
  });

  test("filtered results page with X-Total-Count and Link", async () => {
    const first = await server.call<Customer[]>("GET", "/v1/Customers?NotVisitedWithinDays=30&PageSize=2&Page=1", { key: group });
    expect(first.status).toBe(200);
    expect(first.headers.get("x-total-count")).toBe("3");
    expect(first.headers.get("link")).toContain('rel="next"');
    const second = await server.call<Customer[]>("GET", "/v1/Customers?NotVisitedWithinDays=30&PageSize=2&Page=2", { key: group });
    const all = [...first.json, ...second.json].map((x) => x.CustomerID).sort((a, b) => a - b);
    expect(all).toEqual([c.cat, c.dan, c.eve]);
  });

  test("a location key may not ask who bought at another location: 403", async () => {
    const r = await server.call<ApiError>("GET", `/v1/Customers?PurchasedAtLocationID=${tenant.locations[1].locationId}`, { key: l1 });
    expect(r.status, r.text).toBe(403);
    expect(r.json.Code).toBe("forbidden");
  });

  test("a location of no group of the key's is 400 naming PurchasedAtLocationID", async () => {
    const rival = await server.createTenant(1);
    for (const locationId of [rival.locations[0].locationId, 987654]) {
      const r = await server.call<ApiError>("GET", `/v1/Customers?PurchasedAtLocationID=${locationId}`, { key: group });
      expect(r.status, r.text).toBe(400);
      expect(Object.keys(r.json.ModelState ?? {})).toEqual(["PurchasedAtLocationID"]);
    }
  });

  test.each([
    ["BirthdayMonth=13", "BirthdayMonth"],
    ["BirthdayMonth=0", "BirthdayMonth"],
    ["VisitedWithinDays=0", "VisitedWithinDays"],
    ["NotVisitedWithinDays=3651", "NotVisitedWithinDays"],
    ["VisitedWithinDays=1.5", "VisitedWithinDays"],
    ["MinLifetimeSpend=-1", "MinLifetimeSpend"],
    ["MinLifetimeSpend=1.23456", "MinLifetimeSpend"],
    ["MinVisits=many", "MinVisits"],
    ["AcceptsSMS=maybe", "AcceptsSMS"],
    ["AcceptsEmail=", "AcceptsEmail"],
    ["PurchasedAtLocationID=0", "PurchasedAtLocationID"],
  ])("%s is 400 with ModelState naming the parameter", async (query, name) => {
    const r = await server.call<ApiError>("GET", `/v1/Customers?${query}`, { key: group });
    expect(r.status, r.text).toBe(400);
    expect(r.json.Code).toBe("validation_failed");
    expect(Object.keys(r.json.ModelState ?? {})).toEqual([name]);
  });
});
