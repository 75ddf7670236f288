// What the receipt benchmarks (receipts.ts, cpu.ts) share: the customers a receipt may name, a
// receipt body for one of them at random, a fresh PostgreSQL database, and our side's database
// (migrated, one group and store, the customers written in bulk) with the store's key.
import pg from "pg";
import { migrate, openDatabase } from "../lib/db";
import { createGroup, createLocation } from "../lib/engage/tenancy";
import { PG_ADMIN_URL } from "./data";

export const RECEIPT_CUSTOMERS = 10_000;

export const receiptBody = () =>
  JSON.stringify({
    CustomerID: 1 + Math.floor(Math.random() * RECEIPT_CUSTOMERS),
    Skus: [
      { SKU: "SOCKS", Description: "AWESOME 80s Socks!", Amount: 10.5, Quantity: 2 },
      { SKU: "TREATS-DOG", Description: "Peanut butter dog treats", Amount: 8.99, Quantity: 1 },
    ],
    Discounts: [],
    SubTotal: 29.99,
    Taxes: 2.32,
    Total: 32.31,
  });

/** Drops and makes the database `name` on the benchmark's PostgreSQL; its URL. */
export async function freshPostgresDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Our side of a receipt benchmark: the database made ready; the store's key. */
export async function prepareReceiptsDatabase(databaseUrl: string): Promise<string> {
  const handle = openDatabase(databaseUrl);
  await migrate(handle);
  const group = await createGroup(handle.db, { name: "Bench" });
  const location = await createLocation(handle.db, { groupId: group.GroupID, name: "Bench store" });
  await handle.db.transaction().execute(async (trx) => {
    for (let i = 1; i <= RECEIPT_CUSTOMERS; i += 500) {
      await trx
        .insertInto("customers")
        .values(
          Array.from({ length: Math.min(500, RECEIPT_CUSTOMERS - i + 1) }, (_, k) => ({
            group_id: group.GroupID,
            customer_id: i + k,
            phone: String(5550000000 + i + k),
            phone_last4: String(5550000000 + i + k).slice(-4),
            accepts_sms: 0,
            accepts_email: 0,
            created_at: Date.now(),
            updated_at: Date.now(),
          })),
        )
        .execute();
    }
  });
  await handle.close();
  return location.Key;
}
