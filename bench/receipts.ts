// Benchmark: POST /v1/Receipts on the production server (embedded SQLite, synchronous=FULL),
// pinned to core 0, against the bare reference server doing the same transaction.
// Goal: ≥ 0.8 × the reference's throughput, p99 ≤ 40 ms; the server's peak RSS ≤ 300 MB.
// BENCH_DIALECT=postgres: both on fresh PostgreSQL databases (the reference over pg).
// Run: npm run bench -- receipts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { load, peakRssMb, startPinned, stop } from "./lib";
import { freshPostgresDatabase, prepareReceiptsDatabase, RECEIPT_CUSTOMERS, receiptBody } from "./receipt-setup";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engage-bench-"));
const dialect = process.env.BENCH_DIALECT === "postgres" ? "postgres" : "sqlite";

/** A fresh database for one side of the comparison. */
async function freshDatabase(name: string): Promise<string> {
  if (dialect === "sqlite") return `file:${path.join(dir, `${name}.sqlite`)}`;
  return freshPostgresDatabase(`engage_bench_receipts_${name}`);
}

const built = fs.existsSync(`${process.env.NEXT_DIST_DIR || ".next"}/BUILD_ID`);
const refUrl = await freshDatabase("ref");
const reference = await startPinned(
  0,
  dialect === "sqlite"
    ? ["--import", "tsx", "bench/reference-server.ts", refUrl.slice("file:".length), "3901", String(RECEIPT_CUSTOMERS)]
    : ["--import", "tsx", "bench/reference-server-pg.ts", refUrl, "3901", String(RECEIPT_CUSTOMERS)],
  {},
  /listening/,
);
await load({ url: "http://127.0.0.1:3901/", connections: CONNECTIONS, seconds: 2, method: "POST", body: receiptBody, headers: { "content-type": "application/json" } });
const ref = await load({ url: "http://127.0.0.1:3901/", connections: CONNECTIONS, seconds: SECONDS, method: "POST", body: receiptBody, headers: { "content-type": "application/json" } });
await stop(reference);

const oursUrl = await freshDatabase("ours");
const key = await prepareReceiptsDatabase(oursUrl);
const entry = built ? "server.ts" : "lib/engage/http/standalone.ts";
const ours = await startPinned(
  0,
  ["--import", "tsx", "--import", "./lib/node/server-only-hook.mjs", entry, "-p", "3902", "-H", "127.0.0.1"],
  { NODE_ENV: "production", DATABASE_URL: oursUrl, ENGAGE_RATE_LIMIT: "off" },
  /ready on|listening on/,
);
const headers = { "content-type": "application/json", authorization: key };
await load({ url: "http://127.0.0.1:3902/v1/Receipts", connections: CONNECTIONS, seconds: 2, method: "POST", body: receiptBody, headers });
const result = await load({ url: "http://127.0.0.1:3902/v1/Receipts", connections: CONNECTIONS, seconds: SECONDS, method: "POST", body: receiptBody, headers });
const rss = peakRssMb(ours);
await stop(ours);
fs.rmSync(dir, { recursive: true, force: true });

const ratio = result.requestsPerSecond / ref.requestsPerSecond;
console.log(`receipts (${dialect}, ${CONNECTIONS} connections, ${SECONDS} s, server on one core, ${built ? "server.ts" : "standalone API: no build"})`);
console.log(`  reference  ${ref.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${ref.p50} ms  p99 ${ref.p99} ms  errors ${ref.errors + ref.non2xx}`);
console.log(`  engage     ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  errors ${result.errors + result.non2xx} (${result.statuses})`);
console.log(`  ratio ${ratio.toFixed(2)} (goal ≥ 0.80), p99 ${result.p99} ms (goal ≤ 40)`);
console.log(`memory: the server's peak RSS during the load ${rss.toFixed(0)} MB (goal ≤ 300 MB)`);
