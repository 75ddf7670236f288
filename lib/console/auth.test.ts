// Per-account sign-in throttling through better-auth's real handler on a real database: after
// ACCOUNT_FAILURES wrong passwords within ACCOUNT_WINDOW_MS the account is locked for the rest of
// that window, whatever the IP and even with the right password (429, TOO_MANY_ATTEMPTS). The
// count lives in the sign_in_failures table, so it holds for another app instance and across a
// restart; a successful sign-in clears it, and a failure after the window starts a new one.
// The per-address limit (SIGN_IN_ADDRESS_LIMIT) is tested in auth-address.test.ts, which sets a
// small limit before the module loads; here the default of 30 applies.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { openDatabase, type DatabaseHandle } from "../db";
import { startTestServer, type Tenant, type TestServer } from "../engage/testing/harness";
import { ACCOUNT_FAILURES, ACCOUNT_WINDOW_MS, authFor, createAuth, type Auth } from "./auth";
import { createStaffUser } from "./users";

// Before any import reads it: the default per-address limit, whatever the caller's environment says.
vi.hoisted(() => {
  delete process.env.SIGN_IN_ADDRESS_LIMIT;
});

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

const hasSession = (response: Response) => response.headers.getSetCookie().some((c) => c.startsWith("engage.session_token="));

/** A locked account's answer: 429, the TOO_MANY_ATTEMPTS code, and no session. */
async function expectLocked(response: Response, what = "sign-in"): Promise<void> {
  expect(response.status, what).toBe(429);
  const body = (await response.json()) as { code?: string };
  expect(body.code, what).toBe("TOO_MANY_ATTEMPTS");
  expect(hasSession(response), what).toBe(false);
}

async function expectSignedIn(response: Response, what = "sign-in"): Promise<void> {
  expect(response.status, what).toBe(200);
  expect(hasSession(response), what).toBe(true);
}

/** `count` wrong passwords from one IP, each refused as a wrong password (401). */
async function failTimes(auth: Auth, ip: string, email: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const response = await signIn(auth, ip, email, `wrong password ${i}`);
    expect(response.status, `wrong password ${i} for ${email} from ${ip}`).toBe(401);
  }
}

interface FailureRow {
  email: string;
  failures: number;
  first_failure_at: number;
}

function failureRow(handle: DatabaseHandle, email: string): Promise<FailureRow | undefined> {
  return handle.db.selectFrom("sign_in_failures").selectAll().where("email", "=", email).executeTakeFirst();
}

/** Moves the account's window start `msAgo` into the past, as if the failures were that old. */
async function ageWindow(handle: DatabaseHandle, email: string, msAgo: number): Promise<void> {
  const result = await handle.db
    .updateTable("sign_in_failures")
    .set({ first_failure_at: Date.now() - msAgo })
    .where("email", "=", email)
    .executeTakeFirst();
  expect(Number(result.numUpdatedRows)).toBe(1);
}

describe("per-account lock", () => {
  test("the rules are five wrong passwords in fifteen minutes", () => {
    expect(ACCOUNT_FAILURES).toBe(5);
    expect(ACCOUNT_WINDOW_MS).toBe(15 * 60_000);
  });

  test("after five wrong passwords the sixth attempt is 429 TOO_MANY_ATTEMPTS, even with the right password", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    const ip = "10.1.0.1";
    await failTimes(auth, ip, email, 5);

    // Counted in the database, by account.
    const row = await failureRow(server.database, email);
    expect(row?.failures).toBe(5);
    expect(Math.abs(Date.now() - Number(row?.first_failure_at))).toBeLessThan(60_000);

    await expectLocked(await signIn(auth, ip, email, PASSWORD), "the right password");
    await expectLocked(await signIn(auth, ip, email, "wrong password 6"), "another wrong password");
    // Refusals while locked do not move the window: the lock ends fifteen minutes after the first failure.
    expect((await failureRow(server.database, email))?.first_failure_at).toBe(row?.first_failure_at);
  });

  test("four wrong passwords do not lock the account", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    await failTimes(auth, "10.1.0.2", email, ACCOUNT_FAILURES - 1);
    await expectSignedIn(await signIn(auth, "10.1.0.2", email, PASSWORD));
  });

  test("another account signing in from the same IP is not affected", async () => {
    const auth = authFor(server.database);
    const locked = await createOwner();
    const colleague = await createOwner();
    const ip = "10.1.0.3";
    await failTimes(auth, ip, locked, ACCOUNT_FAILURES);
    await expectLocked(await signIn(auth, ip, locked, PASSWORD));

    await expectSignedIn(await signIn(auth, ip, colleague, PASSWORD), "a colleague at the same till");
    expect((await signIn(auth, ip, colleague, "a colleague's typo")).status).toBe(401);
    expect(await failureRow(server.database, colleague)).toMatchObject({ failures: 1 });
  });

  test("a different IP does not help the locked account", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    await failTimes(auth, "10.1.0.4", email, ACCOUNT_FAILURES);
    await expectLocked(await signIn(auth, "10.1.0.5", email, PASSWORD), "the right password from another IP");
    await expectLocked(await signIn(auth, "10.1.0.6", email, "wrong again"), "a wrong password from a third IP");
  });

  test("failures from several IPs add up on the account", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    for (let i = 1; i <= ACCOUNT_FAILURES; i++) expect((await signIn(auth, `10.1.1.${i}`, email, "nope nope nope")).status).toBe(401);
    await expectLocked(await signIn(auth, "10.1.1.99", email, PASSWORD));
  });

  test("the account is the same whatever the email's letter case", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    const ip = "10.1.0.7";
    const variants = [email.toUpperCase(), email, `O${email.slice(1)}`, email.toUpperCase(), email];
    for (const [i, variant] of variants.entries()) expect((await signIn(auth, ip, variant, `wrong password ${i}`)).status, variant).toBe(401);
    await expectLocked(await signIn(auth, ip, email, PASSWORD));
    await expectLocked(await signIn(auth, ip, email.toUpperCase(), PASSWORD));
  });

  test("only wrong passwords count: refused-as-malformed attempts (400) do not lock the account", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    const ip = "10.1.0.8";
    for (let i = 1; i <= 3; i++) {
      // Longer than maxPasswordLength: refused before any password check.
      expect((await signIn(auth, ip, email, "x".repeat(200 + i))).status, `too long ${i}`).toBe(400);
      // Not a valid address as sent, though it is the account's once trimmed.
      expect((await signIn(auth, ip, ` ${email} `, `wrong password ${i}`)).status, `untrimmed ${i}`).toBe(400);
    }
    await failTimes(auth, ip, email, 1);
    expect((await failureRow(server.database, email))?.failures).toBe(1);
    await expectSignedIn(await signIn(auth, ip, email, PASSWORD));
  });

  test("parallel wrong passwords from many IPs get no more than five checked", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signIn(auth, `10.1.2.${i + 1}`, email, `parallel guess ${i}`).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(ACCOUNT_FAILURES);
    expect(statuses.filter((s) => s === 429)).toHaveLength(12 - ACCOUNT_FAILURES);
    await expectLocked(await signIn(auth, "10.1.2.99", email, PASSWORD));
  });
});

describe("the lock is kept in the database", () => {
  test("another app instance on the same database (a new handle, a new auth) still refuses the account", async () => {
    const first = authFor(server.database);
    const email = await createOwner();
    await failTimes(first, "10.2.0.1", email, ACCOUNT_FAILURES);

    const handle = openDatabase(server.databaseUrl);
    extraHandles.push(handle);
    const second = createAuth(handle);
    expect(second).not.toBe(first);
    await expectLocked(await signIn(second, "10.2.0.2", email, PASSWORD), "the new instance");
  });

  test("the database decides: deleting the account's sign_in_failures row lets it in", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    await failTimes(auth, "10.2.0.3", email, ACCOUNT_FAILURES);
    await expectLocked(await signIn(auth, "10.2.0.3", email, PASSWORD));

    await server.database.db.deleteFrom("sign_in_failures").where("email", "=", email).execute();
    await expectSignedIn(await signIn(auth, "10.2.0.3", email, PASSWORD));

    // And a row written there by another instance locks an account this process never saw fail.
    const other = await createOwner();
    await sql`insert into ${sql.table("sign_in_failures")} (${sql.ref("email")}, ${sql.ref("failures")}, ${sql.ref("first_failure_at")})
      values (${other}, ${ACCOUNT_FAILURES}, ${Date.now()})`.execute(server.database.db);
    await expectLocked(await signIn(auth, "10.2.0.4", other, PASSWORD), "seeded by another instance");
  });

  test("the lock lasts for the rest of the window and ends with it", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    const ip = "10.2.0.5";
    await failTimes(auth, ip, email, ACCOUNT_FAILURES);

    // A minute before the window ends: still locked.
    await ageWindow(server.database, email, ACCOUNT_WINDOW_MS - 60_000);
    await expectLocked(await signIn(auth, ip, email, PASSWORD), "a minute before the window ends");

    // Just past it: the right password is accepted, and the success clears the row.
    await ageWindow(server.database, email, ACCOUNT_WINDOW_MS + 1_000);
    await expectSignedIn(await signIn(auth, ip, email, PASSWORD), "after the window");
    expect(await failureRow(server.database, email)).toBeUndefined();
  });

  test("a failure after the window starts a new window: five more lock the account again", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    const ip = "10.2.0.6";
    await failTimes(auth, ip, email, ACCOUNT_FAILURES);
    await ageWindow(server.database, email, ACCOUNT_WINDOW_MS + 1_000);

    await failTimes(auth, ip, email, 1);
    const row = await failureRow(server.database, email);
    expect(row?.failures).toBe(1);
    expect(Math.abs(Date.now() - Number(row?.first_failure_at))).toBeLessThan(60_000);

    await failTimes(auth, ip, email, ACCOUNT_FAILURES - 1);
    await expectLocked(await signIn(auth, ip, email, PASSWORD), "locked in the new window");
  });

  test("old failures do not count in a new window", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    const ip = "10.2.0.7";
    await failTimes(auth, ip, email, ACCOUNT_FAILURES - 1);
    await ageWindow(server.database, email, ACCOUNT_WINDOW_MS + 1_000);
    // Four old failures and one new one: one failure in the current window, not five.
    await failTimes(auth, ip, email, 1);
    expect((await failureRow(server.database, email))?.failures).toBe(1);
    await expectSignedIn(await signIn(auth, ip, email, PASSWORD));
  });
});

describe("a successful sign-in resets the count", () => {
  test("four failures, a success, four more failures: still allowed", async () => {
    const auth = authFor(server.database);
    const email = await createOwner();
    const ip = "10.3.0.1";
    await failTimes(auth, ip, email, ACCOUNT_FAILURES - 1);
    await expectSignedIn(await signIn(auth, ip, email, PASSWORD), "the success in between");
    expect(await failureRow(server.database, email)).toBeUndefined();

    await failTimes(auth, ip, email, ACCOUNT_FAILURES - 1);
    expect((await failureRow(server.database, email))?.failures).toBe(ACCOUNT_FAILURES - 1);
    await expectSignedIn(await signIn(auth, ip, email, PASSWORD), "after eight failures with a success between");
  });
});

describe("the per-address limit's default", () => {
  test("thirty sign-ins a minute from one IP, the 31st is 429 while another IP passes", async () => {
    const auth = authFor(server.database);
    const ip = "10.4.0.1";
    // Different accounts, each below its own lock: only the address limit can refuse.
    const emails = await Promise.all(Array.from({ length: 8 }, () => createOwner()));
    for (let i = 0; i < 30; i++) {
      const email = emails[i % emails.length];
      const response = await signIn(auth, ip, email, i % 4 === 3 ? PASSWORD : `wrong password ${i}`);
      expect(response.status, `attempt ${i + 1}`).toBe(i % 4 === 3 ? 200 : 401);
    }
    const refused = await signIn(auth, ip, emails[0], PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("x-retry-after"))).toBeGreaterThan(0);
    expect(hasSession(refused)).toBe(false);
    await expectSignedIn(await signIn(auth, "10.4.0.2", emails[0], PASSWORD), "another IP");
  });
});
