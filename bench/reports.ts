// Benchmark: the Home page's reports over the scale group (5,000,000 receipts): GET
// /v1/Reports/Summary and /v1/Reports/Daily for the last 30 and 365 days, with the group key
// (every location) and a location key. Goal: ≤ 200 ms each. The production server runs pinned
// to core 0 (BENCH_DIALECT=postgres: on PostgreSQL); requests one at a time, as a page makes them.
import fs from "node:fs";
import { scaleData } from "./data";
import { startPinned, stop } from "./lib";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const dialect = process.env.BENCH_DIALECT === "postgres" ? "postgres" : "sqlite";
const data = await scaleData(dialect);
const port = 3942;

const built = fs.existsSync(`${process.env.NEXT_DIST_DIR || ".next"}/BUILD_ID`);
const entry = built ? "server.ts" : "lib/engage/http/standalone.ts";
const server = await startPinned(
  0,
  ["--import", "tsx", "--import", "./lib/node/server-only-hook.mjs", entry, "-p", String(port), "-H", "127.0.0.1"],
  { NODE_ENV: "production", DATABASE_URL: data.databaseUrl, ENGAGE_RATE_LIMIT: "off" },
  /ready on|listening on/,
);

const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
const cases: { name: string; path: string; key: string }[] = [];
for (const [range, days] of [["30 days", 29], ["365 days", 364]] as const) {
  for (const report of ["Summary", "Daily"]) {
    cases.push({ name: `${report} ${range}, group key`, path: `/v1/Reports/${report}?From=${day(days)}&To=${day(0)}`, key: data.GroupKey });
    cases.push({ name: `${report} ${range}, location key`, path: `/v1/Reports/${report}?From=${day(days)}&To=${day(0)}`, key: data.Locations[0].Key });
  }
}

let worstOverall = 0;
try {
  console.log(`reports over ${data.Receipts} receipts, ${data.Customers} customers (${dialect}, ${entry}; ${ROUNDS} requests each)`);
  for (const c of cases) {
    const times: number[] = [];
    for (let i = 0; i < ROUNDS + 2; i++) {
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}${c.path}`, { headers: { authorization: c.key } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${c.path}: ${res.status} ${body.slice(0, 200)}`);
      if (i >= 2) times.push(performance.now() - started); // two warm-ups
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    const worst = times[times.length - 1];
    worstOverall = Math.max(worstOverall, worst);
    console.log(`  ${c.name.padEnd(32)} median ${median.toFixed(0).padStart(4)} ms  worst ${worst.toFixed(0).padStart(4)} ms`);
  }
  console.log(`  worst of all ${worstOverall.toFixed(0)} ms (goal ≤ 200 ms)`);
} finally {
  await stop(server);
}
