// Per-key rate limits (ENGAGE_API.md §9) over real HTTP: 429 with Retry-After and the
// RateLimit headers, nothing stored past the limit, one key's flood not slowing another, a
// key's own limit, and (on PostgreSQL) one limit across two app instances on one database.
import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrate, openDatabase } from "../../db";
import { startEngageRuntime } from "../runtime";
import { setKeyRateLimit } from "../tenancy";
import { startTestServer, wrongKey, type TestServer } from "../testing/harness";
import { NODE_ARGS } from "../testing/server-process";
import { MemoryRateLimiter, parseRateLimit, rateLimitFromEnv } from "./rate-limit";

interface ErrorBody {
  Message: string;
  Code: string;
}

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const run = promisify(execFile);

async function admin(databaseUrl: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...NODE_ARGS, "lib/cli/main.ts", ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("parseRateLimit", () => {
  test("reads REQUESTS/WINDOW in seconds, minutes or hours, and off", () => {
    expect(parseRateLimit("600/60s")).toEqual({ name: "default", quota: 600, windowSeconds: 60 });
    expect(parseRateLimit(" 600 / 1m ")).toEqual({ name: "default", quota: 600, windowSeconds: 60 });
    expect(parseRateLimit("10000/1h", "key")).toEqual({ name: "key", quota: 10000, windowSeconds: 3600 });
    expect(parseRateLimit("5/30")).toEqual({ name: "default", quota: 5, windowSeconds: 30 });
    expect(parseRateLimit("off")).toBeNull();
  });

  test("refuses anything else with a message naming the forms", () => {
    for (const bad of ["", "600", "0/60s", "600/0s", "-1/60s", "600/60d", "abc", "1e3/60s"]) {
      expect(() => parseRateLimit(bad), bad).toThrow(/REQUESTS\/WINDOW/);
    }
    expect(() => rateLimitFromEnv({ ENGAGE_RATE_LIMIT: "lots" })).toThrow(/^ENGAGE_RATE_LIMIT: /);
    expect(rateLimitFromEnv({})).toEqual({ name: "default", quota: 600, windowSeconds: 60 });
  });
});

describe("MemoryRateLimiter", () => {
  test("counts per key in fixed windows and starts over in the next", () => {
    let now = 1_000_000_000_000; // a multiple of 10 s: the window starts here
    const limiter = new MemoryRateLimiter({ policy: parseRateLimit("3/10s"), now: () => now });
    const take = (key: number) => limiter.take(key)!;
    expect([take(1), take(1), take(1)].map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
    ]);
    now += 2_500;
    expect(take(1)).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 8 });
    expect(take(2)).toMatchObject({ allowed: true, remaining: 2 });
    now += 7_500;
    expect(take(1)).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 10 });
  });

  test("a key's own limit replaces the default; a malformed one falls back to it", () => {
    const limiter = new MemoryRateLimiter({ policy: parseRateLimit("100/60s") });
    expect(limiter.take(1, "1/60s")).toMatchObject({ allowed: true, policy: { name: "key", quota: 1 } });
    expect(limiter.take(1, "1/60s")).toMatchObject({ allowed: false });
    expect(limiter.take(2, "nonsense")).toMatchObject({ allowed: true, policy: { name: "default", quota: 100 } });
    expect(new MemoryRateLimiter({ policy: null }).take(1)).toBeNull();
  });
});

function receiptBody(customerId: number) {
  return { CustomerID: customerId, Skus: [{ SKU: "A", Amount: 1, Quantity: 1 }], SubTotal: 1, Taxes: 0, Total: 1 };
}

async function registerCustomer(server: TestServer, key: string): Promise<number> {
  const res = await server.call<{ CustomerID: number }>("POST", "/v1/Customers", {
    key,
    body: { ExternalID: `rl-${Math.random().toString(36).slice(2)}` },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.CustomerID;
}

describe("over HTTP, 5 requests an hour", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ rateLimit: parseRateLimit("5/1h") });
  });
  afterAll(async () => {
    await server?.close();
  });

  test("every answer to the key says its limit; the 6th is 429 with Retry-After, and stores nothing", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customerId = await registerCustomer(server, key); // 1
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await server.call("POST", "/v1/Receipts", { key, body: receiptBody(customerId) }); // 2..5
      expect(res.status, res.text).toBe(201);
      expect(res.headers.get("ratelimit-policy")).toBe('"default";q=5;w=3600');
      seen.push(res.headers.get("ratelimit")!.replace(/;t=\d+$/, ""));
      expect(Number(/;t=(\d+)$/.exec(res.headers.get("ratelimit")!)![1])).toBeGreaterThan(0);
      expect(res.headers.get("retry-after")).toBeNull();
    }
    expect(seen).toEqual(['"default";r=3', '"default";r=2', '"default";r=1', '"default";r=0']);

    const refused = await server.call<ErrorBody>("POST", "/v1/Receipts", { key, body: receiptBody(customerId) });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toMatch(/^application\/json/);
    expect(refused.json.Code).toBe("rate_limited");
    expect(refused.json.Message).toMatch(/5 requests in 3600 s/);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 3600).toBe(true);
    expect(refused.headers.get("ratelimit")).toBe(`"default";r=0;t=${retryAfter}`);
    expect(refused.headers.get("ratelimit-policy")).toBe('"default";q=5;w=3600');

    // Reads are refused too, and the refused receipt was never stored.
    expect((await server.call("GET", `/v1/Customers/${customerId}`, { key })).status).toBe(429);
    const stored = await server.database.db
      .selectFrom("receipts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("group_id", "=", tenant.groupId)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(4);

    // The group's other keys have their own count.
    const other = await server.call("GET", `/v1/Customers/${customerId}`, { key: tenant.groupKey });
    expect(other.status).toBe(200);
    expect(other.headers.get("ratelimit")).toMatch(/^"default";r=4;t=\d+$/);
  });

  test("errors carry the headers too; a refused key (401) is not counted against anyone", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const bad = await server.call<ErrorBody>("POST", "/v1/Receipts", { key, body: { Total: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("ratelimit")).toMatch(/^"default";r=4;t=\d+$/);
    const unknown = await server.call("GET", "/v1/Customers", { key: wrongKey(key) });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("ratelimit")).toBeNull();
    expect((await server.call("GET", "/v1/Customers", { key })).headers.get("ratelimit")).toMatch(/r=3;/);
  });

  test("a key's own limit (npm run admin -- key rate-limit) replaces the default", { timeout: 60_000 }, async () => {
    const tenant = await server.createTenant(1);
    const extra = await server.createKey(tenant.groupId, tenant.locations[0].locationId);
    const set = await admin(server.databaseUrl, ["key", "rate-limit", String(extra.KeyID), "--limit", "2/1h", "--json"]);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({ KeyID: extra.KeyID, RateLimit: "2/1h" });
    const bad = await admin(server.databaseUrl, ["key", "rate-limit", String(extra.KeyID), "--limit", "lots"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--limit: a rate limit is REQUESTS\/WINDOW/);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await server.call("GET", "/v1/Customers", { key: extra.Key }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(answers[0].headers.get("ratelimit-policy")).toBe('"key";q=2;w=3600');
    expect((await admin(server.databaseUrl, ["key", "rate-limit", String(extra.KeyID), "--limit", "default"])).code).toBe(0);
    const back = await server.call("GET", "/v1/Customers", { key: extra.Key });
    expect(back.status).toBe(200);
    expect(back.headers.get("ratelimit-policy")).toBe('"default";q=5;w=3600');
  });
});

describe("over HTTP, 3 requests a second", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ rateLimit: parseRateLimit("3/1s") });
  });
  afterAll(async () => {
    await server?.close();
  });

  test("after Retry-After the key is served again", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.groupKey;
    let refused;
    for (let i = 0; i < 10 && !refused; i++) {
      const res = await server.call("GET", "/v1/Customers", { key });
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(200);
    }
    expect(refused, "a 429 within 10 requests").toBeDefined();
    const wait = Number(refused!.headers.get("retry-after"));
    expect(wait).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 50));
    expect((await server.call("GET", "/v1/Customers", { key })).status).toBe(200);
  });
});

const FLOOD_SCRIPT = `
const { workerData, parentPort } = require("node:worker_threads");
let flooding = true;
parentPort.on("message", () => { flooding = false; });
const statuses = {};
let sent = 0;
const headers = { authorization: workerData.key, "content-type": "application/json" };
Promise.all(Array.from({ length: 20 }, async () => {
  while (flooding) {
    const res = await fetch(workerData.url, { method: "POST", headers, body: workerData.body });
    await res.arrayBuffer();
    statuses[res.status] = (statuses[res.status] || 0) + 1;
    if (++sent % 20 === 0) parentPort.postMessage({ sent });
  }
})).then(() => parentPort.postMessage({ statuses }));
`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

describe("one key's flood", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ rateLimit: parseRateLimit("100/1h") });
  });
  afterAll(async () => {
    await server?.close();
  });

  test("does not slow another key: 20 connections flood key A while key B reads", async () => {
    const tenant = await server.createTenant(2);
    const flooder = tenant.locations[0].key;
    const quiet = tenant.locations[1].key;
    // B's own limit is generous: this test is about A's refusals, not B's count.
    const quietKey = await server.database.db
      .selectFrom("api_keys")
      .select("id")
      .where("location_id", "=", tenant.locations[1].locationId)
      .executeTakeFirstOrThrow();
    await setKeyRateLimit(server.database.db, quietKey.id, "10000/1h");
    const customerId = await registerCustomer(server, quiet);

    const timeReads = async (count: number): Promise<{ latencies: number[]; statuses: number[] }> => {
      const latencies: number[] = [];
      const statuses: number[] = [];
      for (let i = 0; i < count; i++) {
        const started = performance.now();
        const res = await server.call("GET", `/v1/Customers/${customerId}`, { key: quiet });
        latencies.push(performance.now() - started);
        statuses.push(res.status);
      }
      return { latencies: latencies.sort((a, b) => a - b), statuses };
    };

    // A spends its 100 first (writes: each a synced commit that any key would wait behind).
    for (let i = 0; i < 100; i++) {
      expect((await server.call("POST", "/v1/Receipts", { key: flooder, body: receiptBody(customerId) })).status).toBe(201);
    }
    const baseline = await timeReads(100);

    // The flood comes from another thread (the other core), as it would from another machine.
    const flood = new Worker(FLOOD_SCRIPT, {
      eval: true,
      workerData: { url: `${server.baseUrl}/v1/Receipts`, key: flooder, body: JSON.stringify(receiptBody(customerId)) },
    });
    let floodSent = 0;
    const floodDone = new Promise<Record<string, number>>((resolve, reject) => {
      flood.on("message", (m: { sent?: number; statuses?: Record<string, number> }) => {
        if (m.statuses) resolve(m.statuses);
        else floodSent = m.sent ?? floodSent;
      });
      flood.on("error", reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // B reads all through the flood: at least 100 reads, and on until A has sent 300 (on a slow machine too).
    const during = await timeReads(100);
    const deadline = Date.now() + 30_000;
    while (floodSent < 300 && Date.now() < deadline) {
      const more = await timeReads(10);
      during.latencies.push(...more.latencies);
      during.statuses.push(...more.statuses);
    }
    during.latencies.sort((a, b) => a - b);
    flood.postMessage("stop");
    const floodStatuses = new Map(Object.entries(await floodDone).map(([s, n]) => [Number(s), n]));

    const floodTotal = [...floodStatuses.values()].reduce((a, b) => a + b, 0);
    console.log(
      `[rate-limit] flood: key A (its 100 spent) sent ${floodTotal} more on 20 connections (${[...floodStatuses].map(([s, n]) => `${n}× ${s}`).join(", ")}); ` +
        `key B p50/p99 ${percentile(baseline.latencies, 50).toFixed(1)}/${percentile(baseline.latencies, 99).toFixed(1)} ms alone, ` +
        `${percentile(during.latencies, 50).toFixed(1)}/${percentile(during.latencies, 99).toFixed(1)} ms during the flood (${during.latencies.length} reads)`,
    );
    // Key A was refused everything past its 100.
    expect(floodStatuses.get(201)).toBeUndefined();
    expect(floodStatuses.get(429)).toBeGreaterThanOrEqual(300);
    // Key B was never refused, and stayed fast: the refusals cost no database work.
    expect(during.statuses.every((s) => s === 200)).toBe(true);
    expect(percentile(during.latencies, 50)).toBeLessThan(50);
  });
});

describe.skipIf(!onPostgres)("two app instances on one PostgreSQL", () => {
  let server: TestServer;
  let second: { baseUrl: string; close(): Promise<void> };
  beforeAll(async () => {
    server = await startTestServer({ rateLimit: null });
    // A second instance: its own pool, limiter and HTTP server on the same database.
    const database = openDatabase(server.databaseUrl);
    await migrate(database);
    const runtime = await startEngageRuntime(database, { rateLimit: null });
    const httpServer = http.createServer((req, res) => void runtime.nodeHandler(req, res));
    await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
    second = {
      baseUrl: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`,
      async close() {
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeAllConnections();
        await runtime.close();
        await database.close();
      },
    };
  });
  afterAll(async () => {
    await second?.close();
    await server?.close();
  });

  async function hammer(key: string, total: number): Promise<{ served: number; refused: number; other: number }> {
    const counts = { served: 0, refused: 0, other: 0 };
    const bases = [server.baseUrl, second.baseUrl];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async (_, worker) => {
        while (next < total) {
          next++;
          const res = await fetch(`${bases[worker % 2]}/v1/Customers?PageSize=1`, { headers: { authorization: key } });
          await res.arrayBuffer();
          if (res.status === 200) counts.served++;
          else if (res.status === 429) counts.refused++;
          else counts.other++;
        }
      }),
    );
    return counts;
  }

  test("40 an hour: the two instances together serve exactly 40", async () => {
    const tenant = await server.createTenant(1);
    const key = await server.createKey(tenant.groupId);
    await setKeyRateLimit(server.database.db, key.KeyID, "40/1h");
    const counts = await hammer(key.Key, 150);
    console.log(`[rate-limit] 2 instances, 40/1h, 150 requests: ${counts.served} served, ${counts.refused} refused`);
    expect(counts).toEqual({ served: 40, refused: 110, other: 0 });
  });

  test("1000 an hour: never more than 1000 across both, and at most 2 blocks of 20 lost", async () => {
    const tenant = await server.createTenant(1);
    const key = await server.createKey(tenant.groupId);
    await setKeyRateLimit(server.database.db, key.KeyID, "1000/1h");
    const counts = await hammer(key.Key, 1300);
    const row = await server.database.db
      .selectFrom("engage_rate_limits")
      .selectAll()
      .where("key_id", "=", key.KeyID)
      .executeTakeFirstOrThrow();
    console.log(
      `[rate-limit] 2 instances, 1000/1h, 1300 requests: ${counts.served} served, ${counts.refused} refused; shared count ${row.used}`,
    );
    expect(counts.other).toBe(0);
    expect(counts.served).toBeLessThanOrEqual(1000);
    expect(counts.served).toBeGreaterThanOrEqual(1000 - 2 * 20);
    expect(counts.served + counts.refused).toBe(1300);
  });
});
