// Crash safety: the real API process is killed with SIGKILL over and over while 20 POS
// connections submit receipts and campaigns are sent, and started again each time. Clients
// retry a request that got no answer with the same Idempotency-Key, as a POS does. Afterwards
// every receipt that got a 201 is stored exactly once with its lines, customers' statistics
// add up, every send that got a 204 is fully decided, and SQLite's integrity_check passes
// (on PostgreSQL, amcheck's bt_index_check of every index).
// CRASH_ROUNDS (default 10) sets the number of kills.
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openDatabase, parseDatabaseUrl, type DatabaseHandle } from "../db";
import {
  freePort,
  freshDatabaseUrl,
  prepareTenant,
  sendUntilAnswered,
  startServerProcess,
  type ServerProcess,
} from "./testing/server-process";

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 10);
const CONNECTIONS = 20;
const CUSTOMERS = 100;
const SEND_SIZE = 40;

let fresh: Awaited<ReturnType<typeof freshDatabaseUrl>>;
beforeAll(async () => {
  fresh = await freshDatabaseUrl();
});
afterAll(async () => {
  await fresh?.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test(`${ROUNDS} kill -9s during a ${CONNECTIONS}-connection receipt load lose nothing and duplicate nothing`, { timeout: 600_000 }, async () => {
  const tenant = await prepareTenant(fresh.url, 2);
  const port = await freePort();
  let server: ServerProcess = await startServerProcess(fresh.url, port);
  const base = server.baseUrl;
  const json = (key: string) => ({ authorization: key, "content-type": "application/json" });

  for (let i = 1; i <= CUSTOMERS; i++) {
    const res = await sendUntilAnswered(`${base}/v1/Customers`, {
      method: "POST",
      headers: { ...json(tenant.groupKey), "idempotency-key": `customer-${i}` },
      body: JSON.stringify({ CustomerID: i, ExternalID: `crash-${i}` }),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
  }

  // Receipts: a unique SKU per sale tells which request a stored receipt came from.
  const acknowledged = new Map<string, { receiptId: string; customerId: number; totalE4: number }>();
  const failures: string[] = [];
  let retried = 0;
  let sequence = 0;
  let loading = true;
  const receiptWorker = async (worker: number) => {
    while (loading) {
      const tag = `W${worker}-${++sequence}`;
      const customerId = 1 + Math.floor(Math.random() * CUSTOMERS);
      const cents = 100 + Math.floor(Math.random() * 9900);
      const res = await sendUntilAnswered(`${base}/v1/Receipts`, {
        method: "POST",
        headers: { ...json(tenant.locations[worker % 2].key), "idempotency-key": `receipt-${tag}` },
        body: JSON.stringify({
          CustomerID: customerId,
          Skus: [{ SKU: tag, Amount: cents / 100, Quantity: 1 }],
          SubTotal: cents / 100,
          Taxes: 0,
          Total: cents / 100,
        }),
      });
      if (res.attempts > 1) retried++;
      if (res.status !== 201) failures.push(`${tag}: ${res.status} ${JSON.stringify(res.json)}`);
      else acknowledged.set(tag, { receiptId: (res.json as { ReceiptID: string }).ReceiptID, customerId, totalE4: cents * 100 });
    }
  };

  // Campaign sends: a new group campaign every so often, sent to 40 customers.
  const sent: number[] = [];
  let sendNo = 0;
  const sendWorker = async () => {
    while (loading) {
      const created = await sendUntilAnswered(`${base}/v1/Campaigns/Group`, {
        method: "POST",
        headers: json(tenant.groupKey),
        body: JSON.stringify({ AmountOff: 1, MinimumPurchase: 0, DaysTillExpiration: 30 }),
      });
      if (created.status !== 201) {
        failures.push(`campaign: ${created.status} ${JSON.stringify(created.json)}`);
        continue;
      }
      const campaignId = (created.json as { CampaignID: number }).CampaignID;
      const first = 1 + ((sendNo++ * 7) % (CUSTOMERS - SEND_SIZE));
      const ids = Array.from({ length: SEND_SIZE }, (_, k) => first + k);
      const res = await sendUntilAnswered(`${base}/v1/Campaigns/${campaignId}/Offers`, {
        method: "POST",
        headers: { ...json(tenant.groupKey), "idempotency-key": `send-${campaignId}` },
        body: JSON.stringify(ids),
      });
      if (res.status !== 204) failures.push(`send ${campaignId}: ${res.status} ${JSON.stringify(res.json)}`);
      else sent.push(campaignId);
      await sleep(100);
    }
  };

  const workers = [...Array.from({ length: CONNECTIONS }, (_, w) => receiptWorker(w)), sendWorker()];
  let kills = 0;
  const restartMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await sleep(500 + Math.random() * 500);
    await server.crash();
    kills++;
    const started = Date.now();
    server = await startServerProcess(fresh.url, port);
    restartMs.push(Date.now() - started);
  }
  await sleep(500);
  loading = false;
  await Promise.all(workers);
  // The last kill comes with no load: what the sends had left undecided must be resumed.
  await server.crash();
  kills++;
  server = await startServerProcess(fresh.url, port);

  const handle: DatabaseHandle = openDatabase(fresh.url);
  try {
    // Sends claimed by a killed process are resumed once its lease (60 s) runs out.
    const waitStarted = Date.now();
    const deadline = waitStarted + 150_000;
    for (;;) {
      const open = await handle.db
        .selectFrom("campaign_sends")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("completed_at", "is", null)
        .executeTakeFirstOrThrow();
      if (Number(open.n) === 0 || Date.now() > deadline) break;
      await sleep(500);
    }
    const sendsWaitMs = Date.now() - waitStarted;
    await server.stop();

    // Receipts: each acknowledged one present once, with its line; nothing stored that was not asked for.
    const lines = await handle.db.selectFrom("receipt_lines").select(["receipt_id", "sku"]).execute();
    const byTag = new Map<string, string[]>();
    for (const l of lines) byTag.set(l.sku, [...(byTag.get(l.sku) ?? []), l.receipt_id]);
    let lost = 0;
    let duplicated = 0;
    let wrongId = 0;
    for (const [tag, ack] of acknowledged) {
      const found = byTag.get(tag) ?? [];
      if (found.length === 0) lost++;
      else if (found.length > 1) duplicated++;
      else if (found[0] !== ack.receiptId) wrongId++;
    }
    const receipts = await handle.db
      .selectFrom("receipts")
      .select(["id", "customer_id", "total_e4"])
      .where("group_id", "=", tenant.groupId)
      .execute();

    // Every customer's statistics are the sum of their stored receipts: no half-applied sale.
    const expected = new Map<number, { visits: number; spend: number }>();
    for (const r of receipts) {
      const e = expected.get(r.customer_id) ?? { visits: 0, spend: 0 };
      e.visits++;
      e.spend += r.total_e4;
      expected.set(r.customer_id, e);
    }
    const customers = await handle.db
      .selectFrom("customers")
      .select(["customer_id", "visit_count", "lifetime_spend_e4"])
      .where("group_id", "=", tenant.groupId)
      .execute();
    const statsWrong = customers.filter((c) => {
      const e = expected.get(c.customer_id) ?? { visits: 0, spend: 0 };
      return c.visit_count !== e.visits || c.lifetime_spend_e4 !== e.spend;
    });

    // Sends: every acknowledged one has all its customers decided, each Offered with exactly one offer.
    let sendsIncomplete = 0;
    for (const campaignId of sent) {
      const send = await handle.db.selectFrom("campaign_sends").selectAll().where("campaign_id", "=", campaignId).execute();
      const items = await handle.db.selectFrom("campaign_send_items").selectAll().where("campaign_id", "=", campaignId).execute();
      const offers = await handle.db.selectFrom("offers").select(["id", "customer_id"]).where("campaign_id", "=", campaignId).execute();
      const offeredItems = items.filter((i) => i.status === "Offered");
      const complete =
        send.length === 1 &&
        send[0].completed_at !== null &&
        items.length === SEND_SIZE &&
        items.every((i) => i.status !== "Pending") &&
        offers.length === offeredItems.length &&
        new Set(offers.map((o) => o.customer_id)).size === offers.length &&
        offeredItems.every((i) => offers.some((o) => o.id === i.offer_id));
      if (!complete) sendsIncomplete++;
    }

    let integrity: string;
    const { dialect, target } = parseDatabaseUrl(fresh.url);
    if (dialect === "sqlite") {
      const sqlite = new BetterSqlite3(target, { readonly: true });
      integrity = (sqlite.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
      sqlite.close();
    } else {
      // PostgreSQL's counterpart: amcheck verifies every B-tree index against its table's rows.
      await sql`create extension if not exists amcheck`.execute(handle.db);
      const { rows } = await sql<{ checked: number }>`
        select count(bt_index_check(c.oid::regclass, true))::int as checked from pg_index i
        join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam join pg_namespace n on n.oid = c.relnamespace
        where a.amname = 'btree' and n.nspname = current_schema()`.execute(handle.db);
      integrity = `ok (amcheck: ${rows[0].checked} indexes match their tables)`;
    }

    console.log(
      `[crash] ${dialect}: ${kills} kill -9s survived (restarts took ${Math.min(...restartMs)}–${Math.max(...restartMs)} ms); ` +
        `${acknowledged.size} receipts acknowledged (${retried} after a retry), ${receipts.length} stored, ` +
        `${lost} lost, ${duplicated} duplicated, ${wrongId} with another ReceiptID; ` +
        `${sent.length} sends acknowledged, ${sendsIncomplete} not fully processed (waited ${sendsWaitMs} ms for them); ` +
        `${statsWrong.length} customers with wrong statistics; integrity_check: ${integrity}; ${failures.length} error answers`,
    );
    expect(failures).toEqual([]);
    expect(kills).toBe(ROUNDS + 1);
    expect(acknowledged.size).toBeGreaterThan(ROUNDS * 10);
    expect({ lost, duplicated, wrongId }).toEqual({ lost: 0, duplicated: 0, wrongId: 0 });
    expect(receipts.length).toBe(acknowledged.size);
    expect(statsWrong).toEqual([]);
    expect(sent.length).toBeGreaterThan(0);
    expect(sendsIncomplete).toBe(0);
    expect(integrity).toMatch(/^ok/);
  } finally {
    await handle.close();
    await server.stop();
  }
});
