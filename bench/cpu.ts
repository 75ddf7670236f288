// CPU cost per request of the hot paths, ours against the bare reference: on a shared, busy
// machine throughput measures the neighbours too, but the CPU time a server spends on N requests
// does not. Each server runs pinned to core 0; the CPU time of all its threads (and, on
// PostgreSQL, of the database's backends) is read from /proc before and after N requests.
//   npm run bench -- cpu (all three), or
//   node --import tsx --import ./lib/node/server-only-hook.mjs bench/cpu.ts receipts|phone|query [N]
// BENCH_DIALECT=postgres for PostgreSQL; BENCH_PROF=DIR writes our server's --cpu-prof there;
// BENCH_ONLY=ours|ref measures one side.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, type ChildProcess } from "node:child_process";
import autocannon from "autocannon";
import pg from "pg";
import { AREA_CODES, LAST } from "../lib/cli/seed-scale";
import { normalizeName } from "../lib/engage/customers";
import { PG_ADMIN_URL, QUICK, scaleData } from "./data";
import { requestOf, startPinned, stop, type RequestShape } from "./lib";
import { freshPostgresDatabase, prepareReceiptsDatabase, RECEIPT_CUSTOMERS, receiptBody } from "./receipt-setup";

const KINDS = ["receipts", "phone", "query"] as const;
if (process.argv[2] === undefined) {
  // Each kind in a process of its own, one after the other.
  for (const k of KINDS) execFileSync(process.execPath, [...process.execArgv, process.argv[1], k], { stdio: "inherit" });
  process.exit(0);
}
const kind = process.argv[2] as (typeof KINDS)[number];
if (!KINDS.includes(kind)) throw new Error("usage: bench/cpu.ts [receipts|phone|query [N]]");
const N = Number(process.argv[3] ?? (QUICK ? 300 : kind === "receipts" ? 6000 : 3000));
const dialect = process.env.BENCH_DIALECT === "postgres" ? "postgres" : "sqlite";
const only = process.env.BENCH_ONLY;
const CONNECTIONS = kind === "receipts" ? 32 : 16;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engage-cpu-"));

/** CPU time (ns) of every thread of the process, from the scheduler's accounting. */
function cpuNs(pid: number): number {
  let total = 0;
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return total;
}

/** The PostgreSQL backends serving `database` (their CPU is the request's too). */
async function backends(database: string | null): Promise<number[]> {
  if (!database) return [];
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query("select pid from pg_stat_activity where datname = $1", [database]);
    return rows.map((r: { pid: number }) => r.pid);
  } finally {
    await admin.end();
  }
}

async function measure(
  name: string,
  child: ChildProcess,
  database: string | null,
  options: RequestShape & { url: string },
) {
  let lastResponseAt = 0;
  const run = (amount: number) =>
    autocannon({
      url: options.url,
      connections: CONNECTIONS,
      amount,
      requests: [
        requestOf(options, () => {
          lastResponseAt = performance.now();
        }),
      ],
    });
  if (process.env.BENCH_VERBOSE) child.stderr!.on("data", (c: Buffer) => process.stderr.write(c));
  await run(Math.min(2000, N));
  const pids = await backends(database);
  const server0 = cpuNs(child.pid!);
  const db0 = pids.reduce((n, p) => n + cpuNs(p), 0);
  const started = performance.now();
  const result = await run(N);
  // autocannon notices the end of `amount` on a 1 s tick: the last response says when it was.
  const seconds = (lastResponseAt - started) / 1000;
  const server = (cpuNs(child.pid!) - server0) / N / 1000;
  const db = (pids.reduce((n, p) => n + cpuNs(p), 0) - db0) / N / 1000;
  const bad = result.non2xx + result.errors + result.timeouts;
  console.log(
    `  ${name.padEnd(9)} ${server.toFixed(0).padStart(5)} µs CPU/request in the server` +
      (database ? ` + ${db.toFixed(0).padStart(4)} µs in PostgreSQL` : "") +
      `   ${(N / seconds).toFixed(0).padStart(5)} req/s p99 ${result.latency.p99} ms${bad ? `  ${bad} errors/non-2xx` : ""}`,
  );
  return server + db;
}

async function freshDatabase(name: string): Promise<{ url: string; database: string | null }> {
  if (dialect === "sqlite") return { url: `file:${path.join(dir, `${name}.sqlite`)}`, database: null };
  const database = `engage_cpu_${kind}_${name}`;
  return { url: await freshPostgresDatabase(database), database };
}

const oursArgs = (port: number) => [
  "--import",
  "tsx",
  "--import",
  "./lib/node/server-only-hook.mjs",
  ...(process.env.BENCH_PROF ? ["--cpu-prof", "--cpu-prof-interval", "200", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
  "lib/engage/http/standalone.ts",
  "-p",
  String(port),
  "-H",
  "127.0.0.1",
];
const oursEnv = (url: string) => ({ NODE_ENV: "production", DATABASE_URL: url, ENGAGE_RATE_LIMIT: "off" });

console.log(`${kind}: ${N} requests, ${CONNECTIONS} connections, ${dialect}, servers on core 0; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
let ref = 0;
let ours = 0;
if (kind === "receipts") {
  if (only !== "ours") {
    const db = await freshDatabase("ref");
    const server = await startPinned(
      0,
      dialect === "sqlite"
        ? ["--import", "tsx", "bench/reference-server.ts", db.url.slice("file:".length), "3951", String(RECEIPT_CUSTOMERS)]
        : ["--import", "tsx", "bench/reference-server-pg.ts", db.url, "3951", String(RECEIPT_CUSTOMERS)],
      {},
      /listening/,
    );
    ref = await measure("reference", server, db.database, {
      url: "http://127.0.0.1:3951/",
      method: "POST",
      body: receiptBody,
      headers: { "content-type": "application/json" },
    });
    await stop(server);
  }
  if (only !== "ref") {
    const db = await freshDatabase("ours");
    const key = await prepareReceiptsDatabase(db.url);
    const server = await startPinned(0, oursArgs(3952), oursEnv(db.url), /listening on/);
    ours = await measure("engage", server, db.database, {
      url: "http://127.0.0.1:3952/v1/Receipts",
      method: "POST",
      body: receiptBody,
      headers: { "content-type": "application/json", authorization: key },
    });
    await stop(server);
  }
} else {
  const data = await scaleData(dialect);
  const database = dialect === "postgres" ? new URL(data.databaseUrl).pathname.slice(1) : null;
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  const term = () =>
    kind === "phone"
      ? `Phone=${AREA_CODES[Math.floor(rand() * AREA_CODES.length)]}${Math.floor(rand() * 100).toString().padStart(2, "0")}`
      : `Query=${encodeURIComponent(normalizeName(LAST[Math.floor(rand() * LAST.length)])!)}`;
  if (only !== "ours") {
    const server = await startPinned(
      0,
      ["--import", "tsx", "bench/reference-search-server.ts", data.databaseUrl, "3953", String(data.GroupID)],
      {},
      /listening/,
    );
    ref = await measure("reference", server, database, { url: "http://127.0.0.1:3953/", path: () => `/?${term()}` });
    await stop(server);
  }
  if (only !== "ref") {
    seed = 42;
    const server = await startPinned(0, oursArgs(3954), oursEnv(data.databaseUrl), /listening on/);
    ours = await measure("engage", server, database, {
      url: "http://127.0.0.1:3954/v1/Customers",
      headers: { authorization: data.GroupKey },
      path: () => `/v1/Customers?${term()}`,
    });
    await stop(server);
  }
}
if (ref && ours) console.log(`  CPU ratio reference/engage ${(ref / ours).toFixed(2)}`);
fs.rmSync(dir, { recursive: true, force: true });
