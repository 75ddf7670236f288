// Benchmark: POST /v1/Receipts on the production server (embedded SQLite, synchronous=FULL),
// pinned to core 0, against the bare reference server doing the same transaction.
// Goal: ≥ 0.8 × the reference's throughput, p99 ≤ 40 ms; the server's peak RSS ≤ 300 MB.
// BENCH_DIALECT=postgres: both on fresh PostgreSQL databases (the reference over pg).
// Run: npm run bench -- receipts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate, openDatabase } from "../lib/db";
import { createGroup, createLocation } from "../lib/engage/tenancy";
import pg from "pg";
import { PG_ADMIN_URL } from "./data";
import { load, peakRssMb, startPinned, stop } from "./lib";

const CUSTOMERS = 10_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engage-bench-"));
const dialect = process.env.BENCH_DIALECT === "postgres" ? "postgres" : "sqlite";

/** A fresh database for one side of the comparison. */
async function freshDatabase(name: string): Promise<string> {
  if (dialect === "sqlite") return `file:${path.join(dir, `${name}.sqlite`)}`;
  const database = `engage_bench_receipts_${name}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.query(`create database ${database}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

const body = () =>
  JSON.stringify({
    CustomerID: 1 + Math.floor(Math.random() * CUSTOMERS),
    Skus: [
      { SKU: "SOCKS", Description: "AWESOME 80s Socks!", Amount: 10.5, Quantity: 2 },
      { SKU: "TREATS-DOG", Description: "Peanut butter dog treats", Amount: 8.99, Quantity: 1 },
    ],
    Discounts: [],
    SubTotal: 29.99,
    Taxes: 2.32,
    Total: 32.31,
  });

async function prepareOurs(databaseUrl: string): Promise<string> {
  const handle = openDatabase(databaseUrl);
  await migrate(handle);
  const group = await createGroup(handle.db, { name: "Bench" });
  const location = await createLocation(handle.db, { groupId: group.GroupID, name: "Bench store" });
  await handle.db.transaction().execute(async (trx) => {
    for (let i = 1; i <= CUSTOMERS; i += 500) {
      await trx
        .insertInto("customers")
        .values(
          Array.from({ length: Math.min(500, CUSTOMERS - i + 1) }, (_, k) => ({
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

const built = fs.existsSync(`${process.env.NEXT_DIST_DIR || ".next"}/BUILD_ID`);
const refUrl = await freshDatabase("ref");
const reference = await startPinned(
  0,
  dialect === "sqlite"
    ? ["--import", "tsx", "bench/reference-server.ts", refUrl.slice("file:".length), "3901", String(CUSTOMERS)]
    : ["--import", "tsx", "bench/reference-server-pg.ts", refUrl, "3901", String(CUSTOMERS)],
  {},
  /listening/,
);
await load({ url: "http://127.0.0.1:3901/", connections: CONNECTIONS, seconds: 2, method: "POST", body, headers: { "content-type": "application/json" } });
const ref = await load({ url: "http://127.0.0.1:3901/", connections: CONNECTIONS, seconds: SECONDS, method: "POST", body, headers: { "content-type": "application/json" } });
await stop(reference);

const oursUrl = await freshDatabase("ours");
const key = await prepareOurs(oursUrl);
const entry = built ? "server.ts" : "lib/engage/http/standalone.ts";
const ours = await startPinned(
  0,
  ["--import", "tsx", "--import", "./lib/node/server-only-hook.mjs", entry, "-p", "3902", "-H", "127.0.0.1"],
  { NODE_ENV: "production", DATABASE_URL: oursUrl, ENGAGE_RATE_LIMIT: "off" },
  /ready on|listening on/,
);
const headers = { "content-type": "application/json", authorization: key };
await load({ url: "http://127.0.0.1:3902/v1/Receipts", connections: CONNECTIONS, seconds: 2, method: "POST", body, headers });
const result = await load({ url: "http://127.0.0.1:3902/v1/Receipts", connections: CONNECTIONS, seconds: SECONDS, method: "POST", body, headers });
const rss = peakRssMb(ours);
await stop(ours);
fs.rmSync(dir, { recursive: true, force: true });

const ratio = result.requestsPerSecond / ref.requestsPerSecond;
console.log(`receipts (${dialect}, ${CONNECTIONS} connections, ${SECONDS} s, server on one core, ${built ? "server.ts" : "standalone API: no build"})`);
console.log(`  reference  ${ref.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${ref.p50} ms  p99 ${ref.p99} ms  errors ${ref.errors + ref.non2xx}`);
console.log(`  engage     ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  errors ${result.errors + result.non2xx} (${result.statuses})`);
console.log(`  ratio ${ratio.toFixed(2)} (goal ≥ 0.80), p99 ${result.p99} ms (goal ≤ 40)`);
console.log(`memory: the server's peak RSS during the load ${rss.toFixed(0)} MB (goal ≤ 300 MB)`);
