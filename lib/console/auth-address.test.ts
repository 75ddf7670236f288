// The per-address sign-in limit through better-auth's real handler on a real database:
// SIGN_IN_ADDRESS_LIMIT attempts a minute per IP on /sign-in/email, whatever the account and
// whether the password was right, counted in the database (the rateLimit table) so the limit
// holds for another app instance and across a restart. The limit is read when lib/console/auth
// loads, so this file sets a small one first and imports the module afterwards (vitest gives
// each test file its own modules). The per-account lock is tested in auth.test.ts.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { DatabaseHandle } from "../db";
import type { Tenant, TestServer } from "../engage/testing/harness";
import type { Auth } from "./auth";

const LIMIT = 3;

// Before any module reads it (the database migration loads lib/console/auth too).
const previousLimit = vi.hoisted(() => {
  const previous = process.env.SIGN_IN_ADDRESS_LIMIT;
  process.env.SIGN_IN_ADDRESS_LIMIT = "3";
  return previous;
});

process.env.ENGAGE_CONSOLE_SECRET ??= "auth-test-secret-0123456789abcdefghijklmnopq";

const ORIGIN = "http://127.0.0.1:3000";
const PASSWORD = "correct horse battery";

let authModule: typeof import("./auth");
let dbModule: typeof import("../db");
let createStaffUser: typeof import("./users").createStaffUser;
let server: TestServer;
let tenant: Tenant;
const extraHandles: DatabaseHandle[] = [];

beforeAll(async () => {
  expect(process.env.SIGN_IN_ADDRESS_LIMIT).toBe(String(LIMIT));
  authModule = await import("./auth");
  dbModule = await import("../db");
  ({ createStaffUser } = await import("./users"));
  const { startTestServer } = await import("../engage/testing/harness");
  server = await startTestServer();
  tenant = await server.createTenant(1);
});
afterAll(async () => {
  for (const handle of extraHandles) await handle.close();
  await server?.close();
  if (previousLimit === undefined) delete process.env.SIGN_IN_ADDRESS_LIMIT;
  else process.env.SIGN_IN_ADDRESS_LIMIT = previousLimit;
});

let emailCounter = 0;
async function createOwner(): Promise<string> {
  const user = await createStaffUser(server.database, {
    groupId: tenant.groupId,
    email: `owner.${++emailCounter}.${Date.now()}@example.com`,
    role: "owner",
    locationIds: [],
    password: PASSWORD,
  });
  return user.Email;
}

function signIn(auth: Auth, ip: string, email: string, password: string): Promise<Response> {
  return auth.handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": ip },
      body: JSON.stringify({ email, password }),
    }),
  );
}

const hasSession = (response: Response) => response.headers.getSetCookie().some((c) => c.startsWith("engage.session_token="));

/** The address limit's answer: 429 with a retry delay within the minute, not the account lock, and no session. */
async function expectAddressLimited(response: Response, what = "sign-in"): Promise<void> {
  expect(response.status, what).toBe(429);
  const retryAfter = Number(response.headers.get("x-retry-after"));
  expect(retryAfter, what).toBeGreaterThan(0);
  expect(retryAfter, what).toBeLessThanOrEqual(60);
  const body = (await response.json()) as { code?: string };
  expect(body.code, what).not.toBe("TOO_MANY_ATTEMPTS");
  expect(hasSession(response), what).toBe(false);
}

async function expectSignedIn(response: Response, what = "sign-in"): Promise<void> {
  expect(response.status, what).toBe(200);
  expect(hasSession(response), what).toBe(true);
}

interface RateLimitRow {
  key: string;
  count: number | string;
  lastRequest: number | string;
}

async function rateLimitRows(handle: DatabaseHandle, ip: string): Promise<RateLimitRow[]> {
  const result = await sql<RateLimitRow>`select * from ${sql.table("rateLimit")} where ${sql.ref("key")} like ${`${ip}|%`}`.execute(handle.db);
  return result.rows;
}

describe("per-address limit (SIGN_IN_ADDRESS_LIMIT=3)", () => {
  test(`${LIMIT} attempts a minute from one IP pass, the next is 429 even with the right password; another IP passes`, async () => {
    const auth = authModule.authFor(server.database);
    const email = await createOwner();
    const ip = "10.9.0.1";
    for (let i = 1; i <= LIMIT; i++) expect((await signIn(auth, ip, email, `wrong password ${i}`)).status, `attempt ${i}`).toBe(401);
    // Three wrong passwords do not lock the account (that takes five): only the address limit refuses.
    await expectAddressLimited(await signIn(auth, ip, email, PASSWORD), `attempt ${LIMIT + 1}`);

    await expectSignedIn(await signIn(auth, "10.9.0.2", email, PASSWORD), "another IP");

    // The count lives in the database, keyed by the IP and the path.
    const rows = await rateLimitRows(server.database, ip);
    expect(rows).toHaveLength(1);
    expect(rows[0].key).toBe(`${ip}|/sign-in/email`);
    expect(Number(rows[0].count)).toBe(LIMIT);
    expect(Math.abs(Date.now() - Number(rows[0].lastRequest))).toBeLessThan(60_000);
  });

  test("every attempt counts, successful ones and other accounts' too", async () => {
    const auth = authModule.authFor(server.database);
    const emails = [await createOwner(), await createOwner(), await createOwner(), await createOwner()];
    const ip = "10.9.0.3";
    for (let i = 0; i < LIMIT; i++) await expectSignedIn(await signIn(auth, ip, emails[i], PASSWORD), `${emails[i]}`);
    await expectAddressLimited(await signIn(auth, ip, emails[LIMIT], PASSWORD), "a fourth colleague from the same IP");
  });

  test("parallel attempts from one IP get no more than the limit through", async () => {
    const auth = authModule.authFor(server.database);
    const email = await createOwner();
    const ip = "10.9.0.4";
    const statuses = await Promise.all(Array.from({ length: 10 }, (_, i) => signIn(auth, ip, email, `parallel guess ${i}`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10 - LIMIT);
    const rows = await rateLimitRows(server.database, ip);
    expect(rows.map((r) => Number(r.count))).toEqual([LIMIT]);
  });

  test("another app instance on the same database (a new handle, a new auth) still refuses that IP", async () => {
    const first = authModule.authFor(server.database);
    const email = await createOwner();
    const ip = "10.9.0.5";
    for (let i = 1; i <= LIMIT; i++) expect((await signIn(first, ip, email, "nope nope nope")).status).toBe(401);
    await expectAddressLimited(await signIn(first, ip, email, PASSWORD));

    const handle = dbModule.openDatabase(server.databaseUrl);
    extraHandles.push(handle);
    const second = authModule.createAuth(handle);
    expect(second).not.toBe(first);
    await expectAddressLimited(await signIn(second, ip, email, PASSWORD), "the new instance");
    // The row is still there, and refusals do not count beyond the limit.
    const rows = await rateLimitRows(handle, ip);
    expect(rows.map((r) => r.key)).toEqual([`${ip}|/sign-in/email`]);
    expect(Number(rows[0].count)).toBe(LIMIT);

    await expectSignedIn(await signIn(second, "10.9.0.6", email, PASSWORD), "another IP on the new instance");
  });

  test("the database decides: a row written by another instance refuses an IP, deleting it lets the IP in", async () => {
    const auth = authModule.authFor(server.database);
    const email = await createOwner();
    const seen = "10.9.0.7";
    await sql`insert into ${sql.table("rateLimit")} (${sql.ref("id")}, ${sql.ref("key")}, ${sql.ref("count")}, ${sql.ref("lastRequest")})
      values (${"seeded-by-test"}, ${`${seen}|/sign-in/email`}, ${LIMIT}, ${Date.now()})`.execute(server.database.db);
    await expectAddressLimited(await signIn(auth, seen, email, PASSWORD), "seeded by another instance");
    await sql`delete from ${sql.table("rateLimit")} where ${sql.ref("key")} = ${`${seen}|/sign-in/email`}`.execute(server.database.db);
    await expectSignedIn(await signIn(auth, seen, email, PASSWORD), "row deleted");
  });

  test("an attempt more than a minute after the last is allowed again", async () => {
    const auth = authModule.authFor(server.database);
    const email = await createOwner();
    const ip = "10.9.0.8";
    for (let i = 1; i <= LIMIT; i++) await signIn(auth, ip, email, "nope nope nope");
    await expectAddressLimited(await signIn(auth, ip, email, PASSWORD));
    // Age the stored row instead of waiting a minute: the window is measured from it.
    await sql`update ${sql.table("rateLimit")} set ${sql.ref("lastRequest")} = ${Date.now() - 61_000} where ${sql.ref("key")} = ${`${ip}|/sign-in/email`}`.execute(
      server.database.db,
    );
    await expectSignedIn(await signIn(auth, ip, email, PASSWORD), "a minute later");
  });
});
