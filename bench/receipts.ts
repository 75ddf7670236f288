// Benchmark: POST /v1/Receipts on the production server (embedded SQLite, synchronous=FULL),
// pinned to core 0, against the bare reference server doing the same transaction.
// Goal: ≥ 0.8 × the reference's throughput, p99 ≤ 40 ms. Run: npm run bench -- receipts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate, openDatabase } from "../lib/db";
import { createGroup, createLocation } from "../lib/engage/tenancy";
import { load, startPinned, stop } from "./lib";

const CUSTOMERS = 10_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engage-bench-"));

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

async function prepareOurs(file: string): Promise<string> {
  const handle = openDatabase(`file:${file}`);
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

const built = fs.existsSync(".next/BUILD_ID");
const reference = await startPinned(0, ["--import", "tsx", "bench/reference-server.ts", path.join(dir, "ref.sqlite"), "3901", String(CUSTOMERS)], {}, /listening/);
await load({ url: "http://127.0.0.1:3901/", connections: CONNECTIONS, seconds: 2, method: "POST", body, headers: { "content-type": "application/json" } });
const ref = await load({ url: "http://127.0.0.1:3901/", connections: CONNECTIONS, seconds: SECONDS, method: "POST", body, headers: { "content-type": "application/json" } });
await stop(reference);

const key = await prepareOurs(path.join(dir, "ours.sqlite"));
const entry = built ? "server.ts" : "lib/engage/http/standalone.ts";
const ours = await startPinned(
  0,
  ["--import", "tsx", "--import", "./lib/node/server-only-hook.mjs", entry, "-p", "3902", "-H", "127.0.0.1"],
  { NODE_ENV: "production", DATABASE_URL: `file:${path.join(dir, "ours.sqlite")}` },
  /ready on|listening on/,
);
const headers = { "content-type": "application/json", authorization: key };
await load({ url: "http://127.0.0.1:3902/v1/Receipts", connections: CONNECTIONS, seconds: 2, method: "POST", body, headers });
const result = await load({ url: "http://127.0.0.1:3902/v1/Receipts", connections: CONNECTIONS, seconds: SECONDS, method: "POST", body, headers });
await stop(ours);
fs.rmSync(dir, { recursive: true, force: true });

const ratio = result.requestsPerSecond / ref.requestsPerSecond;
console.log(`receipts (${CONNECTIONS} connections, ${SECONDS} s, server on one core, ${built ? "server.ts" : "standalone API: no build"})`);
console.log(`  reference  ${ref.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${ref.p50} ms  p99 ${ref.p99} ms  errors ${ref.errors + ref.non2xx}`);
console.log(`  engage     ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  errors ${result.errors + result.non2xx}`);
console.log(`  ratio ${ratio.toFixed(2)} (goal ≥ 0.80), p99 ${result.p99} ms (goal ≤ 40)`);
