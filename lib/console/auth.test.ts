// Sign-in throttling through better-auth's real handler on a real database: five attempts a
// minute per IP, counted in the database (the rateLimit table) so the limit holds for another
// app instance and across a restart, and one IP's failures do not lock out another.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDatabase, type DatabaseHandle } from "../db";
import { startTestServer, type Tenant, type TestServer } from "../engage/testing/harness";
import { authFor, createAuth, type Auth } from "./auth";
import { createStaffUser } from "./users";

process.env.ENGAGE_CONSOLE_SECRET ??= "auth-test-secret-0123456789abcdefghijklmnopq";

const ORIGIN = "http://127.0.0.1:3000";
const PASSWORD = "correct horse battery";

let server: TestServer;
let tenant: Tenant;
const extraHandles: DatabaseHandle[] = [];

beforeAll(async () => {
  server = await startTestServer();
  tenant = await server.createTenant(1);
});
afterAll(async () => {
  for (const handle of extraHandles) await handle.close();
  await server?.close();
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

interface RateLimitRow {
  key: string;
  count: number | string;
  lastRequest: number | string;
}

async function rateLimitRows(handle: DatabaseHandle, ip: string): Promise<RateLimitRow[]> {
  const result = await sql<RateLimitRow>`select * from ${sql.table("rateLimit")} where ${sql.ref("key")} like ${`${ip}|%`}`.execute(handle.db);
  return result.rows;
}

describe("sign-in throttling", () => {
  test("the 6th failed sign-in from one IP within a minute is 429, even with the right password", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    const ip = "10.0.0.1";
    for (let i = 1; i <= 5; i++) {
      const response = await signIn(auth, ip, email, `wrong password ${i}`);
      expect(response.status, `attempt ${i}`).toBe(401);
    }
    const sixth = await signIn(auth, ip, email, "wrong password 6");
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get("x-retry-after"))).toBeGreaterThan(0);
    expect(Number(sixth.headers.get("x-retry-after"))).toBeLessThanOrEqual(60);
    const right = await signIn(auth, ip, email, PASSWORD);
    expect(right.status).toBe(429);
    expect(right.headers.getSetCookie().some((c) => c.startsWith("engage.session_token="))).toBe(false);

    // The count lives in the database, keyed by the IP and the path.
    const rows = await rateLimitRows(server.database, ip);
    expect(rows).toHaveLength(1);
    expect(rows[0].key).toBe(`${ip}|/sign-in/email`);
    expect(Number(rows[0].count)).toBe(5);
    expect(Math.abs(Date.now() - Number(rows[0].lastRequest))).toBeLessThan(60_000);
  });

  test("another app instance on the same database (a new handle, a new auth) still refuses that IP", async () => {
    const email = await createOwner();
    const ip = "10.0.0.2";
    const first = authFor(server.database);
    for (let i = 1; i <= 5; i++) expect((await signIn(first, ip, email, "nope nope nope")).status).toBe(401);

    const handle = openDatabase(server.databaseUrl);
    extraHandles.push(handle);
    const second = createAuth(handle);
    expect(second).not.toBe(first);
    expect((await signIn(second, ip, email, PASSWORD)).status).toBe(429);
    expect((await signIn(second, ip, email, "nope nope nope")).status).toBe(429);
    // Refusals do not extend the count beyond the limit.
    const rows = await rateLimitRows(handle, ip);
    expect(rows.map((r) => Number(r.count))).toEqual([5]);

    // The database is what decides, not the process's memory: a count written there by another
    // instance refuses an IP this process has never seen, and removing it lets the IP in.
    const seen = "10.0.0.7";
    await sql`insert into ${sql.table("rateLimit")} (${sql.ref("id")}, ${sql.ref("key")}, ${sql.ref("count")}, ${sql.ref("lastRequest")})
      values (${"seeded-by-test"}, ${`${seen}|/sign-in/email`}, ${5}, ${Date.now()})`.execute(handle.db);
    expect((await signIn(second, seen, email, PASSWORD)).status).toBe(429);
    expect((await signIn(first, seen, email, PASSWORD)).status).toBe(429);
    await sql`delete from ${sql.table("rateLimit")} where ${sql.ref("key")} = ${`${seen}|/sign-in/email`}`.execute(handle.db);
    expect((await signIn(second, seen, email, PASSWORD)).status).toBe(200);
  });

  test("other IPs are not affected by one IP's failures", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    for (let i = 1; i <= 6; i++) await signIn(auth, "10.0.0.3", email, "nope nope nope");
    expect((await signIn(auth, "10.0.0.3", email, PASSWORD)).status).toBe(429);

    const other = await signIn(auth, "10.0.0.4", email, PASSWORD);
    expect(other.status).toBe(200);
    expect(other.headers.getSetCookie().some((c) => c.startsWith("engage.session_token="))).toBe(true);
    const wrongElsewhere = await signIn(auth, "10.0.0.5", email, "nope nope nope");
    expect(wrongElsewhere.status).toBe(401);
  });

  test("parallel attempts from one IP get no more than five through", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    const ip = "10.0.0.8";
    const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(auth, ip, email, `parallel guess ${i}`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    const rows = await rateLimitRows(server.database, ip);
    expect(rows.map((r) => Number(r.count))).toEqual([5]);
  });

  test("an attempt more than a minute after the last is allowed again", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    const ip = "10.0.0.6";
    for (let i = 1; i <= 6; i++) await signIn(auth, ip, email, "nope nope nope");
    expect((await signIn(auth, ip, email, PASSWORD)).status).toBe(429);
    // Age the stored row instead of waiting a minute: the window is measured from it.
    await sql`update ${sql.table("rateLimit")} set ${sql.ref("lastRequest")} = ${Date.now() - 61_000} where ${sql.ref("key")} = ${`${ip}|/sign-in/email`}`.execute(
      server.database.db,
    );
    expect((await signIn(auth, ip, email, PASSWORD)).status).toBe(200);
  });
});
