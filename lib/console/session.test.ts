// Who the console thinks is signed in, read from a real better-auth session on a real
// database: role, group, the locations the user may act at, and which one they act at now (a
// cookie the user controls, so it only ever picks among their own).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type Tenant, type TestServer } from "../engage/testing/harness";

process.env.ENGAGE_CONSOLE_SECRET ??= "session-test-secret-0123456789abcdefghijklmno";

const ORIGIN = "http://127.0.0.1:3000";
const PASSWORD = "correct horse battery";

let server: TestServer;
let tenant: Tenant;
let other: Tenant;
let session: typeof import("./session");
let users: typeof import("./users");
let auth: typeof import("./auth");
let db: typeof import("../db");

beforeAll(async () => {
  server = await startTestServer();
  tenant = await server.createTenant(3);
  other = await server.createTenant(1);
  process.env.DATABASE_URL = server.databaseUrl;
  session = await import("./session");
  users = await import("./users");
  auth = await import("./auth");
  db = await import("../db");
});
afterAll(async () => {
  if (db) await (await db.getDatabase()).close();
  await server?.close();
});

let counter = 0;
async function signedIn(role: "owner" | "manager" | "staff", locationIds: number[], groupId = tenant.groupId): Promise<{ userId: string; cookie: string }> {
  const user = await users.createStaffUser(server.database, {
    groupId,
    email: `${role}.${++counter}.${Date.now()}@example.com`,
    role,
    locationIds,
    password: PASSWORD,
  });
  const response = await (await auth.getAuth()).handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": `10.40.0.${counter}` },
      body: JSON.stringify({ email: user.Email, password: PASSWORD }),
    }),
  );
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("engage.session_token="))!.split(";")[0];
  return { userId: user.UserID, cookie };
}

function consoleUser(cookie: string, location?: string) {
  return session.getConsoleUser(new Headers({ cookie: location === undefined ? cookie : `${cookie}; ${session.LOCATION_COOKIE}=${location}` }));
}

const ids = (t: Tenant) => t.locations.map((l) => l.locationId);

describe("getConsoleUser", () => {
  test("an Owner may act at every location of the group, and group-wide by default", async () => {
    const { userId, cookie } = await signedIn("owner", []);
    const user = await consoleUser(cookie);
    expect(user).toMatchObject({ id: userId, role: "owner", groupId: tenant.groupId, groupName: expect.any(String), currentLocationId: null });
    expect(user!.locations.map((l) => l.LocationID)).toEqual(ids(tenant));
    expect((await consoleUser(cookie, String(ids(tenant)[2])))!.currentLocationId).toBe(ids(tenant)[2]);
  });

  test("a Manager acts at their first location, or the one they chose among theirs", async () => {
    const [one, two, three] = ids(tenant);
    const { cookie } = await signedIn("manager", [three, two]);
    const user = await consoleUser(cookie);
    expect(user!.locations.map((l) => l.LocationID)).toEqual([two, three]);
    expect(user!.currentLocationId).toBe(two);
    expect((await consoleUser(cookie, String(three)))!.currentLocationId).toBe(three);
    // A location that is not theirs (in the group, or another group's) is ignored.
    expect((await consoleUser(cookie, String(one)))!.currentLocationId).toBe(two);
    expect((await consoleUser(cookie, String(other.locations[0].locationId)))!.currentLocationId).toBe(two);
  });

  test("Staff act at their one location; a chosen location cannot move them", async () => {
    const [one, two] = ids(tenant);
    const { cookie } = await signedIn("staff", [two]);
    for (const chosen of [undefined, String(one), String(other.locations[0].locationId), "", "abc", `${one}%20`, "-1", "1e3", "null"]) {
      const user = await consoleUser(cookie, chosen);
      expect(user!.currentLocationId, String(chosen)).toBe(two);
      expect(user!.locations.map((l) => l.LocationID)).toEqual([two]);
    }
  });

  test("an Owner of another group sees only that group's locations", async () => {
    const { cookie } = await signedIn("owner", [], other.groupId);
    const user = await consoleUser(cookie, String(ids(tenant)[0]));
    expect(user!.groupId).toBe(other.groupId);
    expect(user!.locations.map((l) => l.LocationID)).toEqual(ids(other));
    expect(user!.currentLocationId).toBeNull();
  });

  test("a changed role or location counts at the next request, without signing in again", async () => {
    const [one, two] = ids(tenant);
    const { userId, cookie } = await signedIn("staff", [one]);
    await users.updateStaffAccess(server.database, { groupId: tenant.groupId, userId, role: "manager", locationIds: [two] });
    const user = await consoleUser(cookie);
    expect(user).toMatchObject({ role: "manager", currentLocationId: two });
  });

  test("no cookie, a forged cookie, or a deactivated user is nobody", async () => {
    expect(await session.getConsoleUser(new Headers())).toBeNull();
    expect(await consoleUser("engage.session_token=forged.value")).toBeNull();
    const { userId, cookie } = await signedIn("staff", [ids(tenant)[0]]);
    expect(await consoleUser(cookie)).not.toBeNull();
    await users.setStaffActive(server.database, { groupId: tenant.groupId, userId, active: false });
    expect(await consoleUser(cookie)).toBeNull();
  });
});
