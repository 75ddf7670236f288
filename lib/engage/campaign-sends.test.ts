// The campaign send worker (campaign-sends.ts, ENGAGE_API.md §6): an accepted list is stored
// before the 204 and never lost — a new worker resumes it after a stop or a dead process —
// several workers share the work without a second offer, and 10,000 customers are decided.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startSendWorker, type SendWorker } from "./campaign-sends";
import { startTestServer, type Tenant, type TestServer } from "./testing/harness";

let server: TestServer;
/** Workers these tests started in place of the runtime's; stopped before the server closes. */
const extraWorkers: SendWorker[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const worker of extraWorkers) await worker.stop();
  await server?.close();
});

interface Stats {
  OffersIssued: number;
  Pending: number;
  Skipped: { NotRegistered: number; NoPurchaseAtLocation: number; AlreadyOffered: number };
}

interface Recipient {
  CustomerID: number;
  Status: "Offered" | "Skipped" | "Pending";
  Reason: string | null;
  OfferID: number | null;
}

const GUIDE_CAMPAIGN = { AmountOff: 10.05, MinimumPurchase: 0.5, DaysTillExpiration: 31 };

/** Stops the worker the API kicks, so nothing decides accepted sends until a new one starts. */
async function stopTheWorker(): Promise<void> {
  await server.runtime.deps.worker!.stop();
}

/** A new worker, as a restarted process would start; it also becomes the one the API kicks. */
function startNewWorker(): SendWorker {
  const worker = startSendWorker(server.database);
  extraWorkers.push(worker);
  server.runtime.deps.worker = worker;
  return worker;
}

/**
 * Waits until no accepted send is left open. The workers earlier tests started still poll, and
 * one of them may hold the send, so the runtime's worker alone finding nothing to claim is not
 * enough.
 */
async function decideAll(): Promise<void> {
  for (;;) {
    await Promise.all([server.drain(), ...extraWorkers.map((worker) => worker.drain())]);
    const open = await server.database.db.selectFrom("campaign_sends").select("id").where("completed_at", "is", null).executeTakeFirst();
    if (!open) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function registerCustomers(key: string, ids: number[], concurrency = 25): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const r = await server.call("POST", "/v1/Customers", { key, body: { CustomerID: id, ExternalID: `POS-${id}` } });
        expect(r.status, r.text).toBe(201);
      }
    }),
  );
}

async function createGroupCampaign(tenant: Tenant): Promise<number> {
  const r = await server.call<{ CampaignID: number }>("POST", "/v1/Campaigns/Group", { key: tenant.groupKey, body: GUIDE_CAMPAIGN });
  expect(r.status, r.text).toBe(201);
  return r.json.CampaignID;
}

async function send(tenant: Tenant, campaignId: number, ids: number[]): Promise<void> {
  const r = await server.call("POST", `/v1/Campaigns/${campaignId}/Offers`, { key: tenant.groupKey, body: ids });
  expect(r.status, r.text).toBe(204);
}

async function statsOf(tenant: Tenant, campaignId: number): Promise<Stats> {
  const r = await server.call<{ Stats: Stats }>("GET", `/v1/Campaigns/${campaignId}`, { key: tenant.groupKey });
  expect(r.status, r.text).toBe(200);
  return r.json.Stats;
}

function sendItems(campaignId: number) {
  return server.database.db
    .selectFrom("campaign_send_items")
    .select(["customer_id", "status", "reason", "offer_id"])
    .where("campaign_id", "=", campaignId)
    .orderBy("customer_id")
    .execute();
}

async function offerCountsByCustomer(campaignId: number): Promise<Map<number, number>> {
  const rows = await server.database.db
    .selectFrom("offers")
    .select(["customer_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("campaign_id", "=", campaignId)
    .groupBy("customer_id")
    .execute();
  return new Map(rows.map((r) => [Number(r.customer_id), Number(r.n)]));
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

test("the accepted list is stored, Pending, before the 204; a new worker resumes and decides it", async () => {
  const tenant = await server.createTenant(1);
  await registerCustomers(tenant.groupKey, [1, 2, 3]);
  const campaignId = await createGroupCampaign(tenant);

  await stopTheWorker();
  await send(tenant, campaignId, [3, 1, 2, 1, 777]);

  const stored = await sendItems(campaignId);
  expect(stored).toEqual(
    [1, 2, 3, 777].map((id) => ({ customer_id: id, status: "Pending", reason: null, offer_id: null })),
  );
  const sends = await server.database.db.selectFrom("campaign_sends").selectAll().where("campaign_id", "=", campaignId).execute();
  expect(sends).toHaveLength(1);
  expect(sends[0]).toMatchObject({ item_count: 4, completed_at: null });

  // What a client sees meanwhile: every customer Pending.
  const pending = await server.call<Recipient[]>("GET", `/v1/Campaigns/${campaignId}/Offers`, { key: tenant.groupKey });
  expect(pending.json.map((r) => [r.CustomerID, r.Status, r.Reason, r.OfferID])).toEqual(
    [1, 2, 3, 777].map((id) => [id, "Pending", null, null]),
  );
  expect(await statsOf(tenant, campaignId)).toMatchObject({ OffersIssued: 0, Pending: 4 });

  const worker = startNewWorker();
  await worker.drain();

  const decided = await sendItems(campaignId);
  expect(decided.map((i) => [i.customer_id, i.status, i.reason])).toEqual([
    [1, "Offered", null],
    [2, "Offered", null],
    [3, "Offered", null],
    [777, "Skipped", "NotRegistered"],
  ]);
  expect(decided.filter((i) => i.status === "Offered").every((i) => i.offer_id !== null)).toBe(true);
  expect(await statsOf(tenant, campaignId)).toMatchObject({ OffersIssued: 3, Pending: 0, Skipped: { NotRegistered: 1 } });
  const done = await server.database.db.selectFrom("campaign_sends").select("completed_at").where("campaign_id", "=", campaignId).execute();
  expect(done[0].completed_at).not.toBeNull();
});

test("a worker stopped right after the 204, mid-send, leaves nothing lost: a new worker finishes at once", async () => {
  const tenant = await server.createTenant(1);
  const registered = range(1, 300);
  await registerCustomers(tenant.groupKey, registered);
  const campaignId = await createGroupCampaign(tenant);
  const ids = range(1, 8000); // 4 batches of the worker's 2,000

  await send(tenant, campaignId, ids);
  await stopTheWorker();
  const stored = await sendItems(campaignId);
  expect(stored.map((i) => i.customer_id)).toEqual(ids);

  const worker = startNewWorker();
  const started = Date.now();
  await worker.drain();
  // A stopped worker gives its claim up; nobody waits for the 60-second lease of a live process.
  expect(Date.now() - started).toBeLessThan(20_000);
  const decided = await sendItems(campaignId);
  expect(decided.filter((i) => i.status === "Pending")).toEqual([]);
  expect(await statsOf(tenant, campaignId)).toMatchObject({
    OffersIssued: 300,
    Pending: 0,
    Skipped: { NotRegistered: 7700, NoPurchaseAtLocation: 0, AlreadyOffered: 0 },
  });
  const counts = await offerCountsByCustomer(campaignId);
  expect(counts.size).toBe(300);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
});

test("a worker stopped just after claiming a send gives the claim up: a new worker decides it at once", async () => {
  const tenant = await server.createTenant(1);
  await registerCustomers(tenant.groupKey, [1, 2]);
  const campaignId = await createGroupCampaign(tenant);
  await stopTheWorker();
  await send(tenant, campaignId, [1, 2, 3]);

  // A worker starts looking for work at once; stopping it now leaves it holding a claim it never works on.
  const stopped = startSendWorker(server.database);
  await stopped.stop();
  expect((await sendItems(campaignId)).map((i) => i.status)).toEqual(["Pending", "Pending", "Pending"]);

  const worker = startNewWorker();
  await worker.drain();
  expect((await sendItems(campaignId)).map((i) => [i.customer_id, i.status, i.reason])).toEqual([
    [1, "Offered", null],
    [2, "Offered", null],
    [3, "Skipped", "NotRegistered"],
  ]);
});

test("a send claimed by a process that died is taken over once its lease has expired, and not before", async () => {
  const tenant = await server.createTenant(1);
  await registerCustomers(tenant.groupKey, [1, 2]);
  const campaignId = await createGroupCampaign(tenant);
  await stopTheWorker();
  await send(tenant, campaignId, [1, 2]);

  // Another instance claimed the send, then its process died: its lease is still running.
  await server.database.db
    .updateTable("campaign_sends")
    .set({ lease_until: Date.now() + 60_000 })
    .where("campaign_id", "=", campaignId)
    .execute();
  const worker = startNewWorker();
  await worker.drain();
  expect((await sendItems(campaignId)).map((i) => i.status)).toEqual(["Pending", "Pending"]);

  // The lease runs out: the send is picked up and decided.
  await server.database.db
    .updateTable("campaign_sends")
    .set({ lease_until: Date.now() - 1 })
    .where("campaign_id", "=", campaignId)
    .execute();
  await worker.drain();
  expect((await sendItems(campaignId)).map((i) => i.status)).toEqual(["Offered", "Offered"]);
});

test("two workers on one database share the sends and never give a customer a second offer", async () => {
  const tenant = await server.createTenant(1);
  const registered = range(1, 1000);
  await registerCustomers(tenant.groupKey, registered);
  const campaignId = await createGroupCampaign(tenant);
  await stopTheWorker();
  // The same customers in opposite orders, so two workers issue the same offers at once.
  await send(tenant, campaignId, registered);
  await send(tenant, campaignId, [...registered].reverse());
  await send(tenant, campaignId, [...range(200, 100), ...range(5001, 50)]);

  const a = startSendWorker(server.database);
  extraWorkers.push(a);
  const b = startNewWorker();
  await Promise.all([a.drain(), b.drain()]);

  expect((await sendItems(campaignId)).filter((i) => i.status === "Pending")).toEqual([]);
  const counts = await offerCountsByCustomer(campaignId);
  expect(counts.size).toBe(1000);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  expect(await statsOf(tenant, campaignId)).toMatchObject({
    OffersIssued: 1000,
    Pending: 0,
    Skipped: { NotRegistered: 50, NoPurchaseAtLocation: 0, AlreadyOffered: 1000 + 100 },
  });
});

test("the 204 does not wait for the decisions, and other requests are answered while a send is decided", async () => {
  const tenant = await server.createTenant(1);
  const campaignId = await createGroupCampaign(tenant);
  await send(tenant, campaignId, range(1, 10_000));
  const right = await server.call<{ Stats: Stats }>("GET", `/v1/Campaigns/${campaignId}`, { key: tenant.groupKey });
  expect(right.json.Stats.Pending).toBeGreaterThan(0);
  await decideAll();
  expect(await statsOf(tenant, campaignId)).toMatchObject({ Pending: 0, Skipped: { NotRegistered: 10_000 } });
});

test("a send of 10,000 registered customers is fully decided", { timeout: 300_000 }, async () => {
  const tenant = await server.createTenant(1);
  const ids = range(1, 10_000);
  let started = Date.now();
  await registerCustomers(tenant.groupKey, ids);
  const registering = Date.now() - started;
  const campaignId = await createGroupCampaign(tenant);

  started = Date.now();
  await send(tenant, campaignId, ids);
  const accepted = Date.now() - started;
  await decideAll();
  const decided = Date.now() - started;
  console.log(
    `[${server.database.dialect}] 10,000 customers: registered in ${registering} ms; send accepted (204) in ${accepted} ms; all decided ${decided} ms after the request`,
  );

  expect(await statsOf(tenant, campaignId)).toMatchObject({
    OffersIssued: 10_000,
    Pending: 0,
    Skipped: { NotRegistered: 0, NoPurchaseAtLocation: 0, AlreadyOffered: 0 },
  });
  const page = await server.call<Recipient[]>("GET", `/v1/Campaigns/${campaignId}/Offers?Page=50&PageSize=200`, {
    key: tenant.groupKey,
  });
  expect(page.headers.get("x-total-count")).toBe("10000");
  expect(page.json).toHaveLength(200);
  expect(page.json.every((r) => r.Status === "Offered" && r.OfferID !== null)).toBe(true);
  const counts = await offerCountsByCustomer(campaignId);
  expect(counts.size).toBe(10_000);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
});
