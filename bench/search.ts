// Benchmark: GET /v1/Customers?Phone=<5-digit prefix> and ?Query=<surname> over the scale group
// (1,000,000 customers), the production server pinned to core 0, against the bare reference
// server doing the same indexed queries. Goals: ≥ 0.6 × the reference; p99 ≤ 15 ms (phone),
// ≤ 50 ms (free text). BENCH_DIALECT=postgres runs it on PostgreSQL (the reference over pg).
import fs from "node:fs";
import { AREA_CODES, LAST } from "../lib/cli/seed-scale";
import { normalizeName } from "../lib/engage/customers";
import { scaleData } from "./data";
import { load, startPinned, stop, type LoadResult } from "./lib";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const dialect = process.env.BENCH_DIALECT === "postgres" ? "postgres" : "sqlite";
const data = await scaleData(dialect);

let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
};
const phonePrefix = () => `${AREA_CODES[Math.floor(rand() * AREA_CODES.length)]}${Math.floor(rand() * 100).toString().padStart(2, "0")}`;
const surname = () => normalizeName(LAST[Math.floor(rand() * LAST.length)])!;
const kinds = {
  phone: { goalP99: 15, path: (base: string) => `${base}?Phone=${phonePrefix()}` },
  query: { goalP99: 50, path: (base: string) => `${base}?Query=${encodeURIComponent(surname())}` },
} as const;

async function measure(port: number, base: string, kind: keyof typeof kinds, headers: Record<string, string>): Promise<LoadResult> {
  const options = { url: `http://127.0.0.1:${port}${base}`, connections: CONNECTIONS, headers, path: () => kinds[kind].path(base) };
  await load({ ...options, seconds: 2 });
  return load({ ...options, seconds: SECONDS });
}

const results: Record<string, { ref: LoadResult; ours: LoadResult }> = {};
const reference = await startPinned(
  0,
  ["--import", "tsx", "bench/reference-search-server.ts", data.databaseUrl, "3911", String(data.GroupID)],
  {},
  /listening/,
);
// The same answers, or the comparison means nothing: each server's total and page for a few terms.
const SAMPLES = { phone: ["97012", "30355", "41599"], query: ["smith", "james", "garcia"] } as const;
async function answers(port: number, base: string, headers: Record<string, string>, id: (row: Record<string, unknown>) => unknown) {
  const seen: string[] = [];
  for (const [kind, terms] of Object.entries(SAMPLES)) {
    for (const term of terms) {
      const r = await fetch(`http://127.0.0.1:${port}${base}?${kind === "phone" ? "Phone" : "Query"}=${encodeURIComponent(term)}`, { headers });
      const rows = (await r.json()) as Record<string, unknown>[];
      seen.push(`${kind}=${term}: ${r.headers.get("x-total-count")} ${rows.map(id).join(",")}`);
    }
  }
  return seen;
}
const refAnswers = await answers(3911, "/", {}, (row) => row.customer_id);
const refResults: Partial<Record<keyof typeof kinds, LoadResult>> = {};
for (const kind of Object.keys(kinds) as (keyof typeof kinds)[]) refResults[kind] = await measure(3911, "/", kind, {});
await stop(reference);

const built = fs.existsSync(`${process.env.NEXT_DIST_DIR || ".next"}/BUILD_ID`);
const entry = built ? "server.ts" : "lib/engage/http/standalone.ts";
const ours = await startPinned(
  0,
  ["--import", "tsx", "--import", "./lib/node/server-only-hook.mjs", entry, "-p", "3912", "-H", "127.0.0.1"],
  { NODE_ENV: "production", DATABASE_URL: data.databaseUrl, ENGAGE_RATE_LIMIT: "off" },
  /ready on|listening on/,
);
const ourAnswers = await answers(3912, "/v1/Customers", { authorization: data.GroupKey }, (row) => row.CustomerID);
const differ = ourAnswers.filter((a, i) => a !== refAnswers[i]);
for (const kind of Object.keys(kinds) as (keyof typeof kinds)[]) {
  results[kind] = { ref: refResults[kind]!, ours: await measure(3912, "/v1/Customers", kind, { authorization: data.GroupKey }) };
}
await stop(ours);

if (differ.length > 0) {
  console.log(`search: the reference answers differently (${differ.length} of ${ourAnswers.length} samples): ${differ.join(" | ")}`);
  process.exitCode = 1;
}
console.log(`search over ${data.Customers} customers (${dialect}, ${CONNECTIONS} connections, ${SECONDS} s each, server on one core, ${entry})`);
for (const [kind, { ref, ours: o }] of Object.entries(results)) {
  const ratio = o.requestsPerSecond / ref.requestsPerSecond;
  console.log(`  ${kind.padEnd(5)} reference ${ref.requestsPerSecond.toFixed(0).padStart(6)} req/s p99 ${ref.p99} ms errors ${ref.errors + ref.non2xx}`);
  console.log(`  ${kind.padEnd(5)} engage    ${o.requestsPerSecond.toFixed(0).padStart(6)} req/s p99 ${o.p99} ms errors ${o.errors + o.non2xx}`);
  console.log(`  ${kind.padEnd(5)} ratio ${ratio.toFixed(2)} (goal ≥ 0.60), p99 ${o.p99} ms (goal ≤ ${kinds[kind as keyof typeof kinds].goalP99})`);
}
