// API tests of Idempotency-Key on POST /v1/Receipts (ENGAGE_API.md §4): a retried submit
// replays the first response and stores nothing new, whatever the timing.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type ApiResponse, type Tenant, type TestServer } from "./testing/harness";
import type { Receipt } from "./receipts";

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

let counter = 0;
const idemKey = () => `idem-${++counter}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

async function registerCustomer(key: string): Promise<number> {
  const res = await server.call<{ CustomerID: number }>("POST", "/v1/Customers", {
    key,
    body: { ExternalID: `idempotency-test-${++counter}-${Date.now()}` },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.CustomerID;
}

function receiptBody(customerId: number, overrides: Record<string, unknown> = {}) {
  return {
    CustomerID: customerId,
    Skus: [{ SKU: "SOCKS", Description: "AWESOME 80s Socks!", Amount: 10.5, Quantity: 2 }],
    Discounts: [],
    SubTotal: 21,
    Taxes: 1.58,
    Total: 22.58,
    ...overrides,
  };
}

function submit(key: string, body: unknown, idempotencyKey?: string): Promise<ApiResponse<Receipt>> {
  return server.call<Receipt>("POST", "/v1/Receipts", {
    key,
    body,
    headers: idempotencyKey === undefined ? undefined : { "Idempotency-Key": idempotencyKey },
  });
}

async function receiptCount(tenant: Tenant): Promise<number> {
  const row = await server.database.db
    .selectFrom("receipts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("group_id", "=", tenant.groupId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function visitCount(key: string, customerId: number): Promise<{ VisitCount: number; LifetimeSpend: number }> {
  const res = await server.call<{ VisitCount: number; LifetimeSpend: number }>("GET", `/v1/Customers/${customerId}`, { key });
  expect(res.status).toBe(200);
  return { VisitCount: res.json.VisitCount, LifetimeSpend: res.json.LifetimeSpend };
}

describe("Idempotency-Key on POST /v1/Receipts", () => {
  test("the same key and body replay the first response and store nothing new", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const k = idemKey();
    const first = await submit(key, receiptBody(customerId), k);
    expect(first.status, first.text).toBe(201);
    const second = await submit(key, receiptBody(customerId), k);
    expect(second.status, second.text).toBe(201);
    expect(second.text).toBe(first.text);
    expect(second.json.ReceiptID).toBe(first.json.ReceiptID);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    const third = await submit(key, receiptBody(customerId), k);
    expect(third.json.ReceiptID).toBe(first.json.ReceiptID);

    expect(await receiptCount(tenant)).toBe(1);
    expect(await visitCount(key, customerId)).toEqual({ VisitCount: 1, LifetimeSpend: 22.58 });
    const list = await server.call<Receipt[]>("GET", "/v1/Receipts", { key });
    expect(list.json.map((r) => r.ReceiptID)).toEqual([first.json.ReceiptID]);
  });

  test("a retry at another spelling of the path is the same request", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const k = idemKey();
    const first = await submit(key, receiptBody(customerId), k);
    expect(first.status).toBe(201);
    for (const path of ["/V1/receipts", "/v1/Receipts/", "/V1/RECEIPTS/"]) {
      const retry = await server.call<Receipt>("POST", path, { key, body: receiptBody(customerId), headers: { "Idempotency-Key": k } });
      expect(retry.status, `${path}: ${retry.text}`).toBe(201);
      expect(retry.json.ReceiptID).toBe(first.json.ReceiptID);
    }
    expect(await receiptCount(tenant)).toBe(1);
  });

  test("a retry that encodes the same JSON differently is the same request", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const body = receiptBody(customerId);
    const headers = { "content-type": "application/json", "Idempotency-Key": "reencoded-1" };
    const first = await server.call<Receipt>("POST", "/v1/Receipts", { key, body: JSON.stringify(body), headers });
    const second = await server.call<Receipt>("POST", "/v1/Receipts", { key, body: JSON.stringify(body, null, 2), headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json.ReceiptID).toBe(first.json.ReceiptID);
    expect(await receiptCount(tenant)).toBe(1);
  });

  test("without an Idempotency-Key two identical submits are two sales", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const a = await submit(key, receiptBody(customerId));
    const b = await submit(key, receiptBody(customerId));
    expect(a.json.ReceiptID).not.toBe(b.json.ReceiptID);
    expect(await receiptCount(tenant)).toBe(2);
  });

  test("the same key with another body is 422 idempotency_key_reused and stores nothing", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const k = idemKey();
    const first = await submit(key, receiptBody(customerId), k);
    expect(first.status).toBe(201);
    const other = await server.call<ErrorBody>("POST", "/v1/Receipts", {
      key,
      body: receiptBody(customerId, { Total: 99.99 }),
      headers: { "Idempotency-Key": k },
    });
    expect(other.status, other.text).toBe(422);
    expect(other.json.Code).toBe("idempotency_key_reused");
    expect(await receiptCount(tenant)).toBe(1);
    expect(await visitCount(key, customerId)).toEqual({ VisitCount: 1, LifetimeSpend: 22.58 });
    // The first body still replays.
    const replay = await submit(key, receiptBody(customerId), k);
    expect(replay.status).toBe(201);
    expect(replay.json.ReceiptID).toBe(first.json.ReceiptID);
  });

  test("the replay is the first response, not a fresh read", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const campaign = await server.call<{ CampaignID: number }>("POST", "/v1/Campaigns/Group", {
      key: tenant.groupKey,
      body: { AmountOff: 5, DaysTillExpiration: 30 },
    });
    expect(campaign.status).toBe(201);
    expect(
      (await server.call("POST", `/v1/Campaigns/${campaign.json.CampaignID}/Offers`, { key: tenant.groupKey, body: [customerId] }))
        .status,
    ).toBe(204);
    await server.drain();
    const offers = await server.call<{ Code: string; OfferID: number }[]>("GET", `/v1/Customers/${customerId}/Offers`, { key });
    const code = offers.json[0].Code;

    const k = idemKey();
    const body = receiptBody(customerId, { Discounts: [{ Code: code, Amount: 5 }] });
    const first = await submit(key, body, k);
    expect(first.json.Redemptions[0].Status).toBe("Redeemed");
    expect((await server.call("POST", `/v1/Receipts/${first.json.ReceiptID}/Void`, { key })).status).toBe(200);

    const replay = await submit(key, body, k);
    expect(replay.status).toBe(201);
    expect(replay.text).toBe(first.text);
    expect(replay.json.Voided).toBe(false);
    expect(replay.json.Redemptions[0].Status).toBe("Redeemed");
    expect(await receiptCount(tenant)).toBe(1);
    // The replay redeemed nothing: the void made the offer Active again, and it still is.
    const offer = await server.call<{ Status: string }>("GET", `/v1/Offers/${offers.json[0].OfferID}`, { key });
    expect(offer.json.Status).toBe("Active");
  });

  test("20 concurrent duplicates store exactly one receipt", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const k = idemKey();
    const results = await Promise.all(Array.from({ length: 20 }, () => submit(key, receiptBody(customerId), k)));
    const created = results.filter((r) => r.status === 201);
    const inFlight = results.filter((r) => r.status === 409);
    expect(created.length + inFlight.length, results.map((r) => `${r.status} ${r.text}`).join("\n")).toBe(20);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.json.ReceiptID)).size).toBe(1);
    for (const r of created) expect(r.text).toBe(created[0].text);
    for (const r of inFlight) expect((r.json as unknown as ErrorBody).Code).toBe("idempotency_in_flight");

    expect(await receiptCount(tenant)).toBe(1);
    expect(await visitCount(key, customerId)).toEqual({ VisitCount: 1, LifetimeSpend: 22.58 });
    // Once settled, a retry replays the one receipt.
    const retry = await submit(key, receiptBody(customerId), k);
    expect(retry.status).toBe(201);
    expect(retry.json.ReceiptID).toBe(created[0].json.ReceiptID);
  });

  test("20 concurrent submits with different keys are 20 receipts", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const results = await Promise.all(Array.from({ length: 20 }, () => submit(key, receiptBody(customerId), idemKey())));
    for (const r of results) expect(r.status, r.text).toBe(201);
    expect(new Set(results.map((r) => r.json.ReceiptID)).size).toBe(20);
    expect(await receiptCount(tenant)).toBe(20);
    expect((await visitCount(key, customerId)).VisitCount).toBe(20);
  });

  test("keys are scoped to the API key", async () => {
    const tenant = await server.createTenant(2);
    const [one, two] = tenant.locations;
    const customerId = await registerCustomer(one.key);
    const k = idemKey();
    const a = await submit(one.key, receiptBody(customerId), k);
    const b = await submit(two.key, receiptBody(customerId), k);
    const second = await server.createKey(tenant.groupId, one.locationId);
    const c = await submit(second.Key, receiptBody(customerId), k);
    for (const r of [a, b, c]) expect(r.status, r.text).toBe(201);
    expect(new Set([a.json.ReceiptID, b.json.ReceiptID, c.json.ReceiptID]).size).toBe(3);
    expect(await receiptCount(tenant)).toBe(3);
    expect((await visitCount(one.key, customerId)).VisitCount).toBe(3);

    // Another group using the same key string is unaffected, in both directions.
    const stranger = await server.createTenant(1);
    const theirs = await registerCustomer(stranger.locations[0].key);
    const d = await submit(stranger.locations[0].key, receiptBody(theirs), k);
    expect(d.status, d.text).toBe(201);
    expect(d.json.CustomerID).toBe(theirs);
    expect(await receiptCount(stranger)).toBe(1);
  });

  test("a rejected request does not use up its key", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const k = idemKey();
    const unknownCustomer = receiptBody(customerId + 1_000_000);
    const bad = await submit(key, unknownCustomer, k);
    expect(bad.status).toBe(400);
    const badAgain = await submit(key, unknownCustomer, k);
    expect(badAgain.status).toBe(400);
    expect(await receiptCount(tenant)).toBe(0);
    const keys = await server.database.db.selectFrom("idempotency_keys").select("idem_key").where("idem_key", "=", k).execute();
    expect(keys).toEqual([]);
  });

  test("after 24 hours the key is fresh again", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(key);
    const k = idemKey();
    const first = await submit(key, receiptBody(customerId), k);
    expect(first.status).toBe(201);
    await server.database.db
      .updateTable("idempotency_keys")
      .set({ created_at: Date.now() - 23 * 3600_000 })
      .where("idem_key", "=", k)
      .execute();
    const within = await submit(key, receiptBody(customerId), k);
    expect(within.json.ReceiptID).toBe(first.json.ReceiptID);
    await server.database.db
      .updateTable("idempotency_keys")
      .set({ created_at: Date.now() - 25 * 3600_000 })
      .where("idem_key", "=", k)
      .execute();
    const later = await submit(key, receiptBody(customerId), k);
    expect(later.status).toBe(201);
    expect(later.json.ReceiptID).not.toBe(first.json.ReceiptID);
    expect(await receiptCount(tenant)).toBe(2);
  });
});
