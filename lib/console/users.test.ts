// Staff accounts on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL), signed in
// through better-auth's real request handler: creation rules, sessions and their cookie,
// deactivation, password resets and access changes.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EngageError } from "../engage/errors";
import { startTestServer, type Tenant, type TestServer } from "../engage/testing/harness";
import { authFor, createAuth, type Auth } from "./auth";
import { createStaffUser, listStaffUsers, resetStaffPassword, setStaffActive, updateStaffAccess } from "./users";

// Sessions are signed with a key derived from this; never the developer's ./data/console-secret.
process.env.ENGAGE_CONSOLE_SECRET ??= "users-test-secret-0123456789abcdefghijklmnop";

const ORIGIN = "http://127.0.0.1:3000";
const PASSWORD = "correct horse battery";

let server: TestServer;
let auth: Auth;
let tenant: Tenant;
let otherTenant: Tenant;

beforeAll(async () => {
  server = await startTestServer();
  auth = authFor(server.database);
  tenant = await server.createTenant(2);
  otherTenant = await server.createTenant(1);
});
afterAll(async () => {
  await server?.close();
});

let emailCounter = 0;
const freshEmail = (prefix = "person") => `${prefix}.${++emailCounter}.${Date.now()}@example.com`;

// Sign-in is throttled per IP (5 a minute); each attempt here comes from its own address so
// these tests never meet the limit, which throttle.test.ts covers.
let ipCounter = 0;
function nextIp(): string {
  ipCounter++;
  return `10.20.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

function authRequest(path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${ORIGIN}/api/auth${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": nextIp(), ...headers },
    body: JSON.stringify(body),
  });
}

function signIn(email: string, password: string): Promise<Response> {
  return auth.handler(authRequest("/sign-in/email", { email, password }));
}

const SESSION_COOKIE = "engage.session_token";

function sessionSetCookie(response: Response): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
}

/** Signs in and returns the Cookie header a browser would send afterwards. */
async function signInCookie(email: string, password: string): Promise<string> {
  const response = await signIn(email, password);
  expect(response.status, await response.clone().text()).toBe(200);
  const setCookie = sessionSetCookie(response);
  expect(setCookie).toBeDefined();
  return setCookie!.split(";")[0];
}

async function sessionUserId(cookie: string): Promise<string | null> {
  const session = await auth.api.getSession({ headers: new Headers({ cookie }) });
  return session?.user.id ?? null;
}

async function sessionCount(userId: string): Promise<number> {
  const rows = await server.database.db.selectFrom("session").select("id").where("userId", "=", userId).execute();
  return rows.length;
}

/** The error a call throws, checked to be an EngageError with this status. */
async function engageError(promise: Promise<unknown>, status: number): Promise<EngageError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngageError);
  expect((error as EngageError).status).toBe(status);
  return error as EngageError;
}

async function createPerson(overrides: Partial<Parameters<typeof createStaffUser>[1]> = {}) {
  return createStaffUser(server.database, {
    groupId: tenant.groupId,
    email: freshEmail(),
    role: "staff",
    locationIds: [tenant.locations[0].locationId],
    password: PASSWORD,
    ...overrides,
  });
}

describe("createStaffUser", () => {
  test("makes an Owner (no locations), a Manager (several) and Staff (one), as listStaffUsers shows them", async () => {
    const [one, two] = tenant.locations.map((l) => l.locationId);
    const ownerEmail = freshEmail("owner");
    const owner = await createPerson({ email: `  ${ownerEmail.toUpperCase()} `, name: " Olive Owner ", role: "owner", locationIds: [one] });
    expect(owner).toMatchObject({ Email: ownerEmail, Name: "Olive Owner", Role: "owner", GroupID: tenant.groupId, LocationIDs: [], Active: true });
    const manager = await createPerson({ role: "manager", locationIds: [two, one, two] });
    expect(manager.Role).toBe("manager");
    expect([...manager.LocationIDs].sort((a, b) => a - b)).toEqual([one, two].sort((a, b) => a - b));
    const staff = await createPerson({ role: "staff", locationIds: [two] });
    expect(staff).toMatchObject({ Role: "staff", LocationIDs: [two], Active: true });
    // Without a name, the name is the email's local part.
    expect(staff.Name).toBe(staff.Email.split("@")[0]);

    const listed = await listStaffUsers(server.database, tenant.groupId);
    const byId = new Map(listed.map((u) => [u.UserID, u]));
    expect(byId.get(owner.UserID)).toEqual(owner);
    expect(byId.get(manager.UserID)).toMatchObject({ Role: "manager", LocationIDs: [one, two].sort((a, b) => a - b) });
    expect(byId.get(staff.UserID)).toEqual(staff);
    // Another group's list does not include them.
    const others = await listStaffUsers(server.database, otherTenant.groupId);
    expect(others.map((u) => u.UserID)).not.toContain(staff.UserID);
  });

  test("refuses an unknown role, a bad email and a short or overlong password", async () => {
    const role = await engageError(createPerson({ role: "admin" as never }), 400);
    expect(Object.keys(role.modelState ?? {})).toEqual(["Role"]);
    for (const email of ["not-an-email", "a@b", "two words@example.com", ""]) {
      const bad = await engageError(createPerson({ email }), 400);
      expect(Object.keys(bad.modelState ?? {})).toEqual(["Email"]);
    }
    const short = await engageError(createPerson({ password: "123456789" }), 400);
    expect(Object.keys(short.modelState ?? {})).toEqual(["Password"]);
    const long = await engageError(createPerson({ password: "x".repeat(129) }), 400);
    expect(Object.keys(long.modelState ?? {})).toEqual(["Password"]);
    // Exactly ten characters is enough.
    await expect(createPerson({ password: "1234567890" })).resolves.toMatchObject({ Active: true });
  });

  test("Staff work at exactly one location, a Manager at one or more, all of the group's", async () => {
    const [one, two] = tenant.locations.map((l) => l.locationId);
    const foreign = otherTenant.locations[0].locationId;
    for (const locationIds of [[], [one, two]]) {
      const e = await engageError(createPerson({ role: "staff", locationIds }), 400);
      expect(Object.keys(e.modelState ?? {})).toEqual(["LocationIDs"]);
    }
    const noLocation = await engageError(createPerson({ role: "manager", locationIds: [] }), 400);
    expect(Object.keys(noLocation.modelState ?? {})).toEqual(["LocationIDs"]);
    for (const [role, locationIds] of [
      ["staff", [foreign]],
      ["manager", [one, foreign]],
      ["manager", [987_654_321]],
    ] as const) {
      const e = await engageError(createPerson({ role, locationIds: [...locationIds] }), 400);
      expect(Object.keys(e.modelState ?? {})).toEqual(["LocationIDs"]);
    }
    // None of the refused attempts left a user behind.
    const rows = await server.database.db.selectFrom("staff_locations").select("user_id").where("location_id", "=", foreign).execute();
    expect(rows).toEqual([]);
  });

  test("a second account with the same email (in any case) is a 409 conflict", async () => {
    const email = freshEmail("dup");
    await createPerson({ email });
    const e = await engageError(createPerson({ email: email.toUpperCase(), role: "owner" }), 409);
    expect(Object.keys(e.modelState ?? {})).toEqual(["Email"]);
    // Not in another group either: an email signs in to one account.
    await engageError(createPerson({ email, groupId: otherTenant.groupId, locationIds: [otherTenant.locations[0].locationId] }), 409);
    const rows = await server.database.db.selectFrom("user").select("id").where("email", "=", email).execute();
    expect(rows).toHaveLength(1);
  });

  test("an email the sign-in form would refuse is refused here too: every account can sign in", async () => {
    for (const local of ["josé", "first.last+tag", "o'brien", "x"]) {
      for (const domain of ["example.com", "sub.example.co.uk", "example.c", "example.123"]) {
        const email = `${local}.${++emailCounter}@${domain}`;
        const created = await createPerson({ email }).then(
          (user) => user,
          (error: unknown) => error,
        );
        if (created instanceof EngageError) {
          expect(Object.keys(created.modelState ?? {}), email).toEqual(["Email"]);
          continue;
        }
        const response = await signIn(email, PASSWORD);
        expect(response.status, `${email} was created but cannot sign in`).toBe(200);
      }
    }
  });

  test("simultaneous creations with one email make one account; the others are 409", async () => {
    const email = freshEmail("race");
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => createPerson({ email })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === "rejected")) {
      expect(r.reason).toBeInstanceOf(EngageError);
      expect((r.reason as EngageError).status).toBe(409);
    }
    const rows = await server.database.db.selectFrom("user").select("id").where("email", "=", email).execute();
    expect(rows).toHaveLength(1);
  });

  test("a group that does not exist is a 404", async () => {
    await engageError(createPerson({ groupId: 987_654_321, role: "owner", locationIds: [] }), 404);
  });

  test("a failure after the user row is written leaves nothing behind: no user, password or locations", async () => {
    const [one, two] = tenant.locations.map((l) => l.locationId);
    const before = await authRows();
    // The database refuses the step (a trigger, on either dialect), as a lost connection or a
    // constraint would: first the locations, the last step; then the password, the one before.
    for (const [table, failing] of [
      ["staff_locations", { role: "manager", locationIds: [one, two] }],
      ["account", { role: "staff", locationIds: [two] }],
    ] as const) {
      const email = freshEmail(`half-made-${table}`);
      const removeTrigger = await failInserts(table);
      try {
        const error = await createPerson({ email, ...failing, locationIds: [...failing.locationIds] }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error, `creating with a failing ${table} insert`).toBeInstanceOf(Error);
        expect(String((error as Error).message)).toContain("forced failure");
      } finally {
        await removeTrigger();
      }
      expect(await authRows(), `after a failing ${table} insert`).toEqual(before);
      expect(await listStaffUsers(server.database, tenant.groupId)).not.toContainEqual(expect.objectContaining({ Email: email }));
      // The address is not taken by a half-made account: it can be made now, and signs in.
      const person = await createPerson({ email, ...failing, locationIds: [...failing.locationIds] });
      expect(person.LocationIDs).toEqual([...failing.locationIds].sort((a, b) => a - b));
      expect((await signIn(email, PASSWORD)).status).toBe(200);
      before.users += 1;
      before.accounts += 1;
      before.staffLocations += failing.locationIds.length;
    }
  });
});

/** How many users, passwords (accounts) and location links the database holds. */
async function authRows() {
  const db = server.database.db;
  const count = async (table: "user" | "staff_locations") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  const accounts = await sql<{ n: number | string }>`select count(*) as n from ${sql.table("account")}`.execute(db);
  return { users: await count("user"), accounts: Number(accounts.rows[0].n), staffLocations: await count("staff_locations") };
}

/** Makes every insert into `table` fail until the returned function is called. */
async function failInserts(table: "staff_locations" | "account"): Promise<() => Promise<void>> {
  const db = server.database.db;
  const trigger = sql.id(`fail_${table}_insert`);
  if (server.database.dialect === "sqlite") {
    await sql`create trigger ${trigger} before insert on ${sql.table(table)} begin select raise(abort, 'forced failure'); end`.execute(db);
    return async () => void (await sql`drop trigger ${trigger}`.execute(db));
  }
  await sql`create or replace function fail_insert() returns trigger language plpgsql as $$ begin raise exception 'forced failure'; end $$`.execute(db);
  await sql`create trigger ${trigger} before insert on ${sql.table(table)} for each row execute function fail_insert()`.execute(db);
  return async () => void (await sql`drop trigger ${trigger} on ${sql.table(table)}`.execute(db));
}

describe("signing in (better-auth's handler)", () => {
  test("the right password starts a session; the cookie is HttpOnly and SameSite=Lax", async () => {
    const person = await createPerson();
    const response = await signIn(person.Email, PASSWORD);
    expect(response.status).toBe(200);
    const setCookie = sessionSetCookie(response);
    expect(setCookie).toBeDefined();
    const attributes = setCookie!.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=lax");
    expect(attributes).toContain("path=/");
    // Plain http (no CONSOLE_URL): not Secure, or the browser would drop it.
    expect(attributes).not.toContain("secure");
    const maxAge = attributes.find((a) => a.startsWith("max-age="));
    expect(Number(maxAge?.slice("max-age=".length))).toBe(12 * 3600);

    const cookie = setCookie!.split(";")[0];
    expect(await sessionUserId(cookie)).toBe(person.UserID);
    const session = await auth.api.getSession({ headers: new Headers({ cookie }) });
    expect(session?.user).toMatchObject({ email: person.Email, role: "staff", groupId: tenant.groupId });
  });

  test("served over https (CONSOLE_URL), the cookie is a Secure __Host- cookie", async () => {
    const person = await createPerson();
    const saved = process.env.CONSOLE_URL;
    process.env.CONSOLE_URL = "https://console.example.com";
    let httpsAuth: Auth;
    try {
      httpsAuth = createAuth(server.database);
    } finally {
      if (saved === undefined) delete process.env.CONSOLE_URL;
      else process.env.CONSOLE_URL = saved;
    }
    const response = await httpsAuth.handler(
      new Request("https://console.example.com/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://console.example.com", "x-forwarded-for": nextIp() },
        body: JSON.stringify({ email: person.Email, password: PASSWORD }),
      }),
    );
    expect(response.status).toBe(200);
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith("__Host-engage.session_token="));
    expect(setCookie).toBeDefined();
    const attributes = setCookie!.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=lax", "path=/"]));
    expect(attributes.some((a) => a.startsWith("domain="))).toBe(false);
    expect(response.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
    // The same session, read back over https.
    const cookie = setCookie!.split(";")[0];
    const session = await httpsAuth.api.getSession({ headers: new Headers({ cookie }) });
    expect(session?.user.id).toBe(person.UserID);
    // And the https instance refuses a sign-in from the plain-http origin.
    const fromHttp = await httpsAuth.handler(
      new Request("https://console.example.com/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://console.example.com", "x-forwarded-for": nextIp() },
        body: JSON.stringify({ email: person.Email, password: PASSWORD }),
      }),
    );
    expect(fromHttp.status).toBe(403);
  });

  test("the email is matched in any case", async () => {
    const person = await createPerson();
    const cookie = await signInCookie(person.Email.toUpperCase(), PASSWORD);
    expect(await sessionUserId(cookie)).toBe(person.UserID);
  });

  test("a wrong password or an unknown email is refused with the same answer and no cookie", async () => {
    const person = await createPerson();
    const wrong = await signIn(person.Email, `${PASSWORD}!`);
    const unknown = await signIn(freshEmail("nobody"), PASSWORD);
    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(401);
      expect(sessionSetCookie(response)).toBeUndefined();
      expect(((await response.json()) as { code: string }).code).toBe("INVALID_EMAIL_OR_PASSWORD");
    }
    expect(await sessionCount(person.UserID)).toBe(0);
  });

  test("a made-up or tampered session cookie is no session", async () => {
    const person = await createPerson();
    const cookie = await signInCookie(person.Email, PASSWORD);
    expect(await sessionUserId(`${SESSION_COOKIE}=not-a-token`)).toBeNull();
    const [name, value] = cookie.split("=");
    const decoded = decodeURIComponent(value);
    const tampered = `${decoded.slice(0, 5)}${decoded[5] === "a" ? "b" : "a"}${decoded.slice(6)}`;
    expect(await sessionUserId(`${name}=${encodeURIComponent(tampered)}`)).toBeNull();
  });

  test("signing up is refused: accounts are made by an Owner", async () => {
    const email = freshEmail("signup");
    const response = await auth.handler(authRequest("/sign-up/email", { email, password: PASSWORD, name: "Mallory" }));
    expect(response.status).toBe(400);
    expect(((await response.clone().json()) as { code: string }).code).toBe("EMAIL_PASSWORD_SIGN_UP_DISABLED");
    expect(sessionSetCookie(response)).toBeUndefined();
    const rows = await server.database.db.selectFrom("user").select("id").where("email", "=", email).execute();
    expect(rows).toEqual([]);
  });

  test("a signed-in Staff user cannot give themselves another role, group or email through better-auth", async () => {
    const person = await createPerson();
    const cookie = await signInCookie(person.Email, PASSWORD);
    const attempts: [string, unknown][] = [
      ["/update-user", { role: "owner", groupId: otherTenant.groupId, active: true }],
      ["/update-user", { name: "Still Staff", role: "owner" }],
      ["/change-email", { newEmail: freshEmail("taken") }],
    ];
    for (const [path, body] of attempts) {
      const response = await auth.handler(authRequest(path, body, { cookie }));
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
    }
    const [row] = await server.database.db.selectFrom("user").select(["role", "groupId", "email"]).where("id", "=", person.UserID).execute();
    expect(row).toEqual({ role: "staff", groupId: tenant.groupId, email: person.Email });
  });

  test("a sign-in from a foreign origin is refused", async () => {
    const person = await createPerson();
    const response = await auth.handler(
      authRequest("/sign-in/email", { email: person.Email, password: PASSWORD }, { origin: "https://evil.example" }),
    );
    expect(response.status).toBe(403);
    expect(sessionSetCookie(response)).toBeUndefined();
    expect(await sessionCount(person.UserID)).toBe(0);
  });
});

describe("setStaffActive", () => {
  test("deactivating ends every session and refuses sign-in; reactivating lets the person back in", async () => {
    const person = await createPerson();
    const first = await signInCookie(person.Email, PASSWORD);
    const second = await signInCookie(person.Email, PASSWORD);
    expect(await sessionUserId(first)).toBe(person.UserID);

    const inactive = await setStaffActive(server.database, { groupId: tenant.groupId, userId: person.UserID, active: false });
    expect(inactive.Active).toBe(false);
    expect(await sessionUserId(first)).toBeNull();
    expect(await sessionUserId(second)).toBeNull();
    expect(await sessionCount(person.UserID)).toBe(0);

    const refused = await signIn(person.Email, PASSWORD);
    expect(refused.status).toBe(401);
    // The same answer as a wrong password: nothing tells that the password was right.
    const wrong = await signIn(person.Email, "not-the-password");
    expect(await refused.clone().json()).toEqual(await wrong.clone().json());
    expect(sessionSetCookie(refused)).toBeUndefined();
    expect(await sessionCount(person.UserID)).toBe(0);
    expect((await listStaffUsers(server.database, tenant.groupId)).find((u) => u.UserID === person.UserID)?.Active).toBe(false);

    const active = await setStaffActive(server.database, { groupId: tenant.groupId, userId: person.UserID, active: true });
    expect(active.Active).toBe(true);
    const again = await signInCookie(person.Email, PASSWORD);
    expect(await sessionUserId(again)).toBe(person.UserID);
    // The sessions ended at deactivation stay ended.
    expect(await sessionUserId(first)).toBeNull();
  });

  test("deactivating one person leaves the others signed in", async () => {
    const leaving = await createPerson();
    const staying = await createPerson();
    const staysCookie = await signInCookie(staying.Email, PASSWORD);
    await signInCookie(leaving.Email, PASSWORD);
    await setStaffActive(server.database, { groupId: tenant.groupId, userId: leaving.UserID, active: false });
    expect(await sessionUserId(staysCookie)).toBe(staying.UserID);
  });

  test("another group's user is not found and stays active", async () => {
    const theirs = await createStaffUser(server.database, {
      groupId: otherTenant.groupId,
      email: freshEmail("theirs"),
      role: "owner",
      locationIds: [],
      password: PASSWORD,
    });
    const cookie = await signInCookie(theirs.Email, PASSWORD);
    await engageError(setStaffActive(server.database, { groupId: tenant.groupId, userId: theirs.UserID, active: false }), 404);
    expect(await sessionUserId(cookie)).toBe(theirs.UserID);
  });
});

describe("resetStaffPassword", () => {
  test("the old password stops working, the new one works, and old sessions end", async () => {
    const person = await createPerson();
    const before = await signInCookie(person.Email, PASSWORD);
    const next = "a brand new passphrase";
    await resetStaffPassword(server.database, { groupId: tenant.groupId, userId: person.UserID, password: next });
    expect(await sessionUserId(before)).toBeNull();
    const old = await signIn(person.Email, PASSWORD);
    expect(old.status).toBe(401);
    expect(sessionSetCookie(old)).toBeUndefined();
    const after = await signInCookie(person.Email, next);
    expect(await sessionUserId(after)).toBe(person.UserID);
  });

  test("a short password is refused and changes nothing", async () => {
    const person = await createPerson();
    const cookie = await signInCookie(person.Email, PASSWORD);
    const e = await engageError(resetStaffPassword(server.database, { groupId: tenant.groupId, userId: person.UserID, password: "short" }), 400);
    expect(Object.keys(e.modelState ?? {})).toEqual(["Password"]);
    expect(await sessionUserId(cookie)).toBe(person.UserID);
    await signInCookie(person.Email, PASSWORD);
  });

  test("another group's user is not found and keeps their password", async () => {
    const theirs = await createStaffUser(server.database, {
      groupId: otherTenant.groupId,
      email: freshEmail("theirs"),
      role: "owner",
      locationIds: [],
      password: PASSWORD,
    });
    await engageError(
      resetStaffPassword(server.database, { groupId: tenant.groupId, userId: theirs.UserID, password: "taken over by them" }),
      404,
    );
    await signInCookie(theirs.Email, PASSWORD);
  });
});

describe("updateStaffAccess", () => {
  test("changes the role and locations, with the same rules as creation", async () => {
    const [one, two] = tenant.locations.map((l) => l.locationId);
    const person = await createPerson({ role: "staff", locationIds: [one] });

    const manager = await updateStaffAccess(server.database, { groupId: tenant.groupId, userId: person.UserID, role: "manager", locationIds: [one, two] });
    expect(manager).toMatchObject({ UserID: person.UserID, Role: "manager", LocationIDs: [one, two].sort((a, b) => a - b) });

    const staff = await updateStaffAccess(server.database, { groupId: tenant.groupId, userId: person.UserID, role: "staff", locationIds: [two] });
    expect(staff).toMatchObject({ Role: "staff", LocationIDs: [two] });

    const owner = await updateStaffAccess(server.database, { groupId: tenant.groupId, userId: person.UserID, role: "owner", locationIds: [one] });
    expect(owner).toMatchObject({ Role: "owner", LocationIDs: [] });

    // The session sees the new role.
    const cookie = await signInCookie(person.Email, PASSWORD);
    const session = await auth.api.getSession({ headers: new Headers({ cookie }) });
    expect(session?.user).toMatchObject({ role: "owner" });

    // Refused changes leave the access as it was.
    await engageError(updateStaffAccess(server.database, { groupId: tenant.groupId, userId: person.UserID, role: "staff", locationIds: [one, two] }), 400);
    await engageError(
      updateStaffAccess(server.database, { groupId: tenant.groupId, userId: person.UserID, role: "manager", locationIds: [otherTenant.locations[0].locationId] }),
      400,
    );
    await engageError(updateStaffAccess(server.database, { groupId: tenant.groupId, userId: person.UserID, role: "boss" as never, locationIds: [] }), 400);
    const listed = (await listStaffUsers(server.database, tenant.groupId)).find((u) => u.UserID === person.UserID);
    expect(listed).toMatchObject({ Role: "owner", LocationIDs: [] });
  });

  test("another group's user is not found and keeps their access", async () => {
    const theirs = await createStaffUser(server.database, {
      groupId: otherTenant.groupId,
      email: freshEmail("theirs"),
      role: "staff",
      locationIds: [otherTenant.locations[0].locationId],
      password: PASSWORD,
    });
    await engageError(updateStaffAccess(server.database, { groupId: tenant.groupId, userId: theirs.UserID, role: "owner", locationIds: [] }), 404);
    const listed = (await listStaffUsers(server.database, otherTenant.groupId)).find((u) => u.UserID === theirs.UserID);
    expect(listed).toMatchObject({ Role: "staff", LocationIDs: [otherTenant.locations[0].locationId] });
  });
});
