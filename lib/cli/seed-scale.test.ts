// The scale generator, on the suite's database (SQLite or PostgreSQL): the data is
// consistent (each customer's statistics are what their receipts add up to; unique phones,
// emails and offer codes), reproducible (same seed, same data) and usable through the API. Two
// blocks of 10,000 receipts and a rest: PostgreSQL writes a block's lines beside the next receipts.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../engage/testing/harness";
import { seedScale, type ScaleResult } from "./seed-scale";

let server: TestServer;
let first: ScaleResult;
let second: ScaleResult;
const NOW = Date.parse("2026-11-01T12:00:00Z");

beforeAll(async () => {
  server = await startTestServer();
  first = await seedScale(server.database, { customers: 2_000, receipts: 21_000, locations: 4, seed: 7, now: NOW });
  second = await seedScale(server.database, { customers: 2_000, receipts: 21_000, locations: 4, seed: 7, now: NOW });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe("seed-scale", () => {
  test("writes the rows it reports", async () => {
    const { db } = server.database;
    const count = async (table: "customers" | "receipts" | "offers", groupId: number) =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).where("group_id", "=", groupId).executeTakeFirstOrThrow()).n);
    expect(await count("customers", first.GroupID)).toBe(2_000);
    expect(await count("receipts", first.GroupID)).toBe(21_000);
    expect(await count("offers", first.GroupID)).toBe(first.Offers);
    expect(first.Offers).toBeGreaterThan(40);
    expect(first.Redeemed).toBeGreaterThan(0);
    expect(first.ReceiptLines).toBeGreaterThanOrEqual(21_000);
    const lines = await db
      .selectFrom("receipt_lines")
      .innerJoin("receipts", "receipts.id", "receipt_lines.receipt_id")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("receipts.group_id", "=", first.GroupID)
      .executeTakeFirstOrThrow();
    expect(Number(lines.n)).toBe(first.ReceiptLines);
    expect(first.Locations).toHaveLength(4);
  });

  test("each customer's statistics are the sum of their receipts, and receipts add up", async () => {
    const { db } = server.database;
    const mismatches = await sql<{ n: number }>`
      select count(*) as n from customers c
      left join (
        select customer_pk, count(*) as visits, sum(total_e4) as spend, min(created_at) as first_at, max(created_at) as last_at
        from receipts where group_id = ${first.GroupID} group by customer_pk
      ) r on r.customer_pk = c.id
      where c.group_id = ${first.GroupID}
        and (c.visit_count <> coalesce(r.visits, 0)
          or c.lifetime_spend_e4 <> coalesce(r.spend, 0)
          or coalesce(c.first_visit_at, 0) <> coalesce(r.first_at, 0)
          or coalesce(c.last_visit_at, 0) <> coalesce(r.last_at, 0))`.execute(db);
    expect(Number(mismatches.rows[0].n)).toBe(0);
    const badTotals = await sql<{ n: number }>`
      select count(*) as n from receipts r
      where r.group_id = ${first.GroupID}
        and (r.total_e4 <> r.subtotal_e4 + r.taxes_e4 + r.tip_e4 + r.shipping_e4
          or r.subtotal_e4 <> (select sum(l.amount_e4 * l.quantity_e4 / 10000) from receipt_lines l where l.receipt_id = r.id))`.execute(db);
    expect(Number(badTotals.rows[0].n)).toBe(0);
    // Receipts fall within the two years before "now" and after their customer joined.
    const early = await sql<{ n: number }>`
      select count(*) as n from receipts r join customers c on c.id = r.customer_pk
      where r.group_id = ${first.GroupID} and (r.created_at < c.created_at or r.created_at > ${NOW})`.execute(db);
    expect(Number(early.rows[0].n)).toBe(0);
    // As the API requires: every customer has a phone, an email or an ExternalID.
    const unreachable = await db
      .selectFrom("customers")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("group_id", "=", first.GroupID)
      .where("phone", "is", null)
      .where("email", "is", null)
      .where("external_id", "is", null)
      .executeTakeFirstOrThrow();
    expect(Number(unreachable.n)).toBe(0);
  });

  test("is reproducible: the same seed gives the same customers, receipts and offers", async () => {
    const { db } = server.database;
    const snapshot = async (groupId: number) => {
      const customers = await db
        .selectFrom("customers")
        .select(["customer_id", "phone", "email", "first_name", "last_name", "birthday", "accepts_sms", "accepts_email", "visit_count", "lifetime_spend_e4"])
        .where("group_id", "=", groupId)
        .orderBy("customer_id")
        .execute();
      const receipts = await db
        .selectFrom("receipts")
        .select(["id", "customer_id", "total_e4", "created_at"])
        .where("group_id", "=", groupId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return { customers, receipts };
    };
    const a = await snapshot(first.GroupID);
    const b = await snapshot(second.GroupID);
    expect(b.customers).toEqual(a.customers);
    // Receipt ids are global primary keys: the second run must draw other ids, or it could
    // not be written next to the first; everything else is the same.
    const withoutId = (rows: typeof a.receipts) => rows.map((r) => [r.customer_id, r.total_e4, r.created_at]);
    expect(withoutId(b.receipts)).toEqual(withoutId(a.receipts));
  });

  test("the data answers through the API: phone-prefix search, a receipt, an offer by code", async () => {
    const { db } = server.database;
    const someone = await db
      .selectFrom("customers")
      .select(["customer_id", "phone"])
      .where("group_id", "=", first.GroupID)
      .where("phone", "is not", null)
      .orderBy("customer_id")
      .limit(1)
      .executeTakeFirstOrThrow();
    const found = await server.call<{ CustomerID: number }[]>("GET", `/v1/Customers?Phone=${someone.phone}`, { key: first.GroupKey });
    expect(found.status).toBe(200);
    expect(found.json.map((c) => c.CustomerID)).toContain(someone.customer_id);
    const offer = await db.selectFrom("offers").select("code").where("group_id", "=", first.GroupID).limit(1).executeTakeFirstOrThrow();
    const byCode = await server.call<{ Code: string }>("GET", `/v1/Offers?Code=${offer.code.toLowerCase()}`, { key: first.GroupKey });
    expect(byCode.status).toBe(200);
    const receipt = await db.selectFrom("receipts").select("id").where("group_id", "=", first.GroupID).limit(1).executeTakeFirstOrThrow();
    const got = await server.call<{ ReceiptID: string; Lines: unknown[] }>("GET", `/v1/Receipts/${receipt.id}`, { key: first.GroupKey });
    expect(got.status).toBe(200);
    // A new registration continues after the seeded CustomerIDs.
    const created = await server.call<{ CustomerID: number }>("POST", "/v1/Customers", {
      key: first.Locations[0].Key,
      body: { FirstName: "New", LastName: "Comer", Email: "new.comer@example.net" },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json.CustomerID).toBeGreaterThan(2_000);
  });
});
