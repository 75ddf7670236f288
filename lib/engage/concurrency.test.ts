// Concurrency: 50 writers at once never get a 500 — in one process (SQLite's single writer
// connection queues them) and split over two processes on one database (SQLite: BEGIN IMMEDIATE
// and the busy timeout; PostgreSQL: row locks). One offer code on 10 concurrent receipts sent
// to both processes is redeemed once. (10 concurrent receipts on one process:
// receipts.test.ts, "redemptions".)
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type Tenant, type TestServer } from "./testing/harness";
import { freePort, sendUntilAnswered, startServerProcess, type ServerProcess } from "./testing/server-process";

let server: TestServer;
let other: ServerProcess;
beforeAll(async () => {
  server = await startTestServer({ rateLimit: null });
  // A second app process on the very same database.
  other = await startServerProcess(server.databaseUrl, await freePort());
}, 90_000);
afterAll(async () => {
  await other?.stop();
  await server?.close();
});

interface Tally {
  statuses: Map<number, number>;
  errors: string[];
}

async function call(base: string, key: string, method: string, path: string, body?: unknown, tally?: Tally) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: key, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (tally) {
    tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500) tally.errors.push(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  }
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** One writer: registers a customer, then receipts, updates, a void, a campaign sent to its customer. */
async function writer(base: string, tenant: Tenant, w: number, rounds: number, tally: Tally): Promise<number> {
  const key = tenant.locations[w % tenant.locations.length].key;
  const customerId = 100_000 + w;
  const reg = await call(base, key, "POST", "/v1/Customers", { CustomerID: customerId, ExternalID: `writer-${w}`, Phone: `555${String(w).padStart(7, "0")}` }, tally);
  expect(reg.status).toBe(201);
  let receipts = 0;
  for (let i = 0; i < rounds; i++) {
    const receipt = await call(base, key, "POST", "/v1/Receipts", { CustomerID: customerId, Skus: [{ SKU: `S${i}`, Amount: 3, Quantity: 1 }], SubTotal: 3, Taxes: 0, Total: 3 }, tally);
    if (receipt.status === 201) receipts++;
    await call(base, key, "PUT", `/v1/Customers/${customerId}`, { FirstName: `W${w}R${i}`, AcceptsSMS: i % 2 === 0 }, tally);
    if (i === 0 && receipt.status === 201) {
      const voided = await call(base, key, "POST", `/v1/Receipts/${String(receipt.json!.ReceiptID)}/Void`, undefined, tally);
      if (voided.status === 200) receipts--;
    }
  }
  const campaign = await call(base, key, "POST", "/v1/Campaigns/Location", { AmountOff: 1, MinimumPurchase: 0, DaysTillExpiration: 10 }, tally);
  if (campaign.status === 201) await call(base, key, "POST", `/v1/Campaigns/${String(campaign.json!.CampaignID)}/Offers`, [customerId], tally);
  return receipts;
}

async function countedVisits(tenant: Tenant): Promise<number> {
  const row = await server.database.db
    .selectFrom("customers")
    .select((eb) => eb.fn.sum<number>("visit_count").as("n"))
    .where("group_id", "=", tenant.groupId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("50 concurrent writers", () => {
  test("in one process: no 500, every write lands", { timeout: 180_000 }, async () => {
    const tenant = await server.createTenant(3);
    const tally: Tally = { statuses: new Map(), errors: [] };
    const started = Date.now();
    const kept = await Promise.all(Array.from({ length: 50 }, (_, w) => writer(server.baseUrl, tenant, w, 6, tally)));
    const total = [...tally.statuses.values()].reduce((a, b) => a + b, 0);
    console.log(
      `[concurrency] ${server.database.dialect}, one process: 50 writers, ${total} writes in ${Date.now() - started} ms: ` +
        `${[...tally.statuses].sort().map(([s, n]) => `${n}× ${s}`).join(", ")}`,
    );
    expect(tally.errors).toEqual([]);
    expect([...tally.statuses.keys()].sort()).toEqual([200, 201, 204]);
    expect(await countedVisits(tenant)).toBe(kept.reduce((a, b) => a + b, 0));
    await server.drain();
  });

  test("split over two processes on one database: no 500, every write lands", { timeout: 180_000 }, async () => {
    const tenant = await server.createTenant(3);
    const tally: Tally = { statuses: new Map(), errors: [] };
    const started = Date.now();
    const kept = await Promise.all(
      Array.from({ length: 50 }, (_, w) => writer(w % 2 === 0 ? server.baseUrl : other.baseUrl, tenant, w, 6, tally)),
    );
    const total = [...tally.statuses.values()].reduce((a, b) => a + b, 0);
    console.log(
      `[concurrency] ${server.database.dialect}, two processes: 50 writers, ${total} writes in ${Date.now() - started} ms: ` +
        `${[...tally.statuses].sort().map(([s, n]) => `${n}× ${s}`).join(", ")}`,
    );
    expect(tally.errors).toEqual([]);
    expect([...tally.statuses.keys()].sort()).toEqual([200, 201, 204]);
    expect(await countedVisits(tenant)).toBe(kept.reduce((a, b) => a + b, 0));
  });

  test("one offer code on 10 concurrent receipts across both processes is redeemed once", { timeout: 120_000 }, async () => {
    const tenant = await server.createTenant(2);
    const key = tenant.groupKey;
    expect((await call(server.baseUrl, key, "POST", "/v1/Customers", { CustomerID: 1, ExternalID: "one" })).status).toBe(201);
    const campaign = await call(server.baseUrl, key, "POST", "/v1/Campaigns/Group", { AmountOff: 5, MinimumPurchase: 0, DaysTillExpiration: 30 });
    expect((await call(server.baseUrl, key, "POST", `/v1/Campaigns/${String(campaign.json!.CampaignID)}/Offers`, [1])).status).toBe(204);
    await server.drain();
    const offers = await sendUntilAnswered(`${server.baseUrl}/v1/Customers/1/Offers`, { method: "GET", headers: { authorization: key } });
    const code = (offers.json as { Code: string }[])[0].Code;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(i % 2 === 0 ? server.baseUrl : other.baseUrl, tenant.locations[i % 2].key, "POST", "/v1/Receipts", {
          CustomerID: 1,
          Skus: [{ SKU: "A", Amount: 10, Quantity: 1 }],
          Discounts: [{ Code: code, Amount: 5 }],
          SubTotal: 10,
          Taxes: 0,
          Total: 5,
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const statuses = results.map((r) => (r.json!.Redemptions as { Status: string }[])[0].Status);
    console.log(`[concurrency] ${server.database.dialect}: one code, 10 concurrent receipts over 2 processes: ${statuses.filter((s) => s === "Redeemed").length} redeemed`);
    expect(statuses.filter((s) => s === "Redeemed")).toHaveLength(1);
    expect(statuses.filter((s) => s === "Rejected")).toHaveLength(9);
  });
});
