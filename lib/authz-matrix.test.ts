// The authorization matrix (lib/authz-matrix.ts), cell by cell: every Engage endpoint through
// the real HTTP server with six kinds of key, every console route handler and every request the
// console's proxy forwards with five kinds of caller (real sessions, the handlers called as Next
// calls them). Fails when the router, the app directory or the proxy's rules have a route the
// table has no row for (and the other way round). The console's pages: e2e/authz-matrix.spec.ts.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CONSOLE_API_MATRIX, ENGAGE_MATRIX, KEY_CALLERS, matrixSize, PAGE_MATRIX, PROXY_MATRIX, USER_CALLERS, type KeyCaller, type UserCaller } from "./authz-matrix";
import type { TestPerson } from "./console/testing/console-session";
import { engage } from "./engage/http/routes";
import { startTestServer, type Tenant, type TestServer } from "./engage/testing/harness";

process.env.ENGAGE_CONSOLE_SECRET ??= "authz-matrix-secret-0123456789abcdefghijklmnop";
// Hundreds of requests a minute with the same keys: who may do what is the question here, not
// how often (the rate limit has its own tests).
process.env.ENGAGE_RATE_LIMIT = "100000/60s";

const ROOT = path.resolve(import.meta.dirname, "..");
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Files under app/ named `name`, as routes: route groups dropped, "/" for the root. */
function appRoutes(name: "route.ts" | "page.tsx"): { route: string; file: string }[] {
  const out: { route: string; file: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === name) {
        const segments = path.relative(path.join(ROOT, "app"), dir).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
        out.push({ route: `/${segments.join("/")}`, file: full });
      }
    }
  };
  walk(path.join(ROOT, "app"));
  return out;
}

let cells = 0;
const checked = { engage: 0, consoleApi: 0, proxy: 0 };

let server: TestServer;
let a: Tenant;
let b: Tenant;
const keyOf = {} as Record<KeyCaller, string | null>;

let phoneCounter = 0;
const uniquePhone = () => `555${String((Date.now() * 10 + ++phoneCounter) % 10_000_000).padStart(7, "0")}`;

beforeAll(async () => {
  server = await startTestServer();
  a = await server.createTenant(2);
  b = await server.createTenant(1);
  const revoked = await server.createKey(a.groupId, a.locations[0].locationId);
  await server.database.db.updateTable("api_keys").set({ revoked_at: Date.now() }).where("id", "=", revoked.KeyID).execute();
  Object.assign(keyOf, {
    noKey: null,
    revokedKey: revoked.Key,
    otherGroupKey: b.groupKey,
    otherLocationKey: a.locations[1].key,
    locationKey: a.locations[0].key,
    groupKey: a.groupKey,
  } satisfies Record<KeyCaller, string | null>);
});
afterAll(async () => {
  console.log(
    `[authz-matrix] rows: ${JSON.stringify(matrixSize())}; cells checked here: ${cells} (Engage ${checked.engage}, console routes ${checked.consoleApi}, proxy ${checked.proxy}); pages: e2e/authz-matrix.spec.ts`,
  );
  if (consoleDb) await (await consoleDb.getDatabase()).close();
  await server?.close();
});

/** A customer of A registered at L1, with a sale there, an L1 campaign's offer and its SMS message. */
async function world(key = a.locations[0].key) {
  const customer = await server.call<{ CustomerID: number }>("POST", "/v1/Customers", { key, body: { Phone: uniquePhone(), AcceptsSMS: true } });
  expect(customer.status).toBe(201);
  const CustomerID = customer.json.CustomerID;
  const receipt = await server.call<{ ReceiptID: string }>("POST", "/v1/Receipts", {
    key,
    body: { CustomerID, LocationID: a.locations[0].locationId, Skus: [{ SKU: "A", Amount: 10, Quantity: 1 }], Discounts: [], SubTotal: 10, Taxes: 0, Total: 10 },
  });
  expect(receipt.status).toBe(201);
  const campaign = await server.call<{ CampaignID: number }>("POST", "/v1/Campaigns/Location", {
    key: a.locations[0].key,
    body: { AmountOff: 1, DaysTillExpiration: 30 },
  });
  expect(campaign.status).toBe(201);
  expect((await server.call("POST", `/v1/Campaigns/${campaign.json.CampaignID}/Offers`, { key: a.locations[0].key, body: [CustomerID] })).status).toBe(204);
  await server.drain();
  const offer = await server.database.db.selectFrom("offers").select(["id", "code"]).where("customer_id", "=", CustomerID).where("group_id", "=", a.groupId).executeTakeFirstOrThrow();
  const notification = await server.database.db.selectFrom("notifications").select("id").where("offer_id", "=", offer.id).executeTakeFirstOrThrow();
  return {
    CustomerID: String(CustomerID),
    ReceiptID: receipt.json.ReceiptID,
    CampaignID: String(campaign.json.CampaignID),
    OfferID: String(offer.id),
    Code: offer.code,
    NotificationID: String(notification.id),
    TemplateName: "welcome",
  };
}
type World = Awaited<ReturnType<typeof world>>;

/** The query and body each route is called with (any other route: none). */
function requestFor(route: string, w: World): { query?: string; body?: unknown } {
  const sale = { CustomerID: Number(w.CustomerID), LocationID: a.locations[0].locationId, Skus: [{ SKU: "B", Amount: 5, Quantity: 1 }], Discounts: [], SubTotal: 5, Taxes: 0, Total: 5 };
  const requests: Record<string, { query?: string; body?: unknown }> = {
    "POST /Customers": { body: { Phone: uniquePhone() } },
    "PUT /Customers/{CustomerID}": { body: { City: "Durango" } },
    "POST /Receipts": { body: sale },
    "GET /Reports/Summary": { query: "From=2025-01-01&To=2025-01-31" },
    "GET /Reports/Daily": { query: "From=2025-01-01&To=2025-01-31" },
    "GET /Offers": { query: `Code=${w.Code}` },
    "POST /Campaigns/Location": { body: { AmountOff: 1, DaysTillExpiration: 5 } },
    "POST /Campaigns/Group": { body: { AmountOff: 1, DaysTillExpiration: 5 } },
    "POST /Campaigns/{CampaignID}/Offers": { body: [Number(w.CustomerID)] },
    "POST /Campaigns/{CampaignID}/Preview": { body: [Number(w.CustomerID)] },
    "PUT /Automations/{TemplateName}": { body: { Enabled: false, AmountOff: 5 } },
  };
  return requests[route] ?? {};
}

const fill = (pattern: string, w: World) => pattern.replace(/\{(\w+)\}/g, (_, name: string) => (w as Record<string, string>)[name]);

/** Routes whose first success changes what the next caller sees: a fresh world per caller. */
const FRESH = new Set(["POST /Customers/{CustomerID}/Erase"]);

describe("coverage: every route has a row, every row a route", () => {
  test("Engage: the router's endpoints are exactly the table's", () => {
    const served = engage.routes().map((r) => `${r.method} ${r.pattern}`.toLowerCase());
    const rows = ENGAGE_MATRIX.map((r) => r.route.toLowerCase());
    expect(served.filter((r) => !rows.includes(r)), "routes without a row").toEqual([]);
    expect(rows.filter((r) => !served.includes(r)), "rows without a route").toEqual([]);
    expect(new Set(rows).size).toBe(rows.length);
  });

  test("console: every route handler's method is a row (the proxy's by its rules), and every row a handler", async () => {
    const handlers: string[] = [];
    for (const { route, file } of appRoutes("route.ts")) {
      const routeModule = (await import(file)) as Record<string, unknown>;
      for (const method of HTTP_METHODS) if (typeof routeModule[method] === "function") handlers.push(`${method} ${route}`);
    }
    const proxyHandlers = handlers.filter((h) => h.endsWith(" /api/engage/[...path]"));
    expect(proxyHandlers.length).toBeGreaterThan(0);
    const rows = CONSOLE_API_MATRIX.map((r) => r.route);
    const others = handlers.filter((h) => !proxyHandlers.includes(h));
    expect(others.filter((h) => !rows.includes(h)), "handlers without a row").toEqual([]);
    expect(rows.filter((r) => !handlers.includes(r)), "rows without a handler").toEqual([]);
    // Every method the proxy answers has rows.
    for (const h of proxyHandlers) expect(PROXY_MATRIX.some((r) => r.route.startsWith(`${h.split(" ")[0]} `)), h).toBe(true);
  });

  test("the proxy: every rule has a row, every row (but the unlisted one) a rule", async () => {
    const { PROXY_RULES, findProxyRule } = await import("./console/proxy-rules");
    const sample: World = { CustomerID: "42", ReceiptID: "0123456789abcdef0123456789abcdef", CampaignID: "3", OfferID: "7", Code: "ABCDEFGH", NotificationID: "9", TemplateName: "welcome" };
    const matched = new Set<unknown>();
    for (const row of PROXY_MATRIX) {
      const [method, pattern] = row.route.split(" ");
      const rule = findProxyRule(method, fill(pattern, sample));
      if (pattern === "/Unlisted") expect(rule).toBeUndefined();
      else expect(rule, row.route).toBeDefined();
      matched.add(rule);
    }
    expect(PROXY_RULES.filter((r) => !matched.has(r)).map((r) => `${r.method} ${r.pattern}`), "rules without a row").toEqual([]);
  });

  test("pages: every page of the app is a row of the page matrix, and every row a page", () => {
    const found = appRoutes("page.tsx").map((p) => p.route);
    const rows = PAGE_MATRIX.map((p) => p.page);
    expect(found.filter((p) => !rows.includes(p)), "pages without a row").toEqual([]);
    expect(rows.filter((p) => !found.includes(p)), "rows without a page").toEqual([]);
  });
});

describe("Engage API × keys", () => {
  test.each(ENGAGE_MATRIX)("$route", async ({ route, expect: expected }) => {
    const [method, pattern] = route.split(" ");
    let shared: World | null = FRESH.has(route) ? null : await world();
    const got = {} as Record<KeyCaller, number>;
    for (const caller of KEY_CALLERS) {
      const w = shared ?? (await world());
      const { query, body } = requestFor(route, w);
      const response = await server.call(method, `/v1${fill(pattern, w)}${query ? `?${query}` : ""}`, { key: keyOf[caller], body });
      got[caller] = response.status;
      cells++;
      checked.engage++;
      shared = FRESH.has(route) ? null : shared;
    }
    expect(got).toEqual(expected);
  });
});

let consoleDb: typeof import("./db") | undefined;

describe("console routes × callers", () => {
  let session: typeof import("./console/testing/console-session");
  const person = {} as Record<Exclude<UserCaller, "signedOut">, TestPerson>;

  beforeAll(async () => {
    process.env.DATABASE_URL = server.databaseUrl;
    consoleDb = await import("./db");
    session = await import("./console/testing/console-session");
    const l1 = a.locations[0].locationId;
    person.staff = await session.signedInPerson(server.database, a.groupId, "staff", [l1]);
    person.manager = await session.signedInPerson(server.database, a.groupId, "manager", [l1]);
    person.owner = await session.signedInPerson(server.database, a.groupId, "owner");
    person.otherGroupOwner = await session.signedInPerson(server.database, b.groupId, "owner");
  });

  const cookieOf = (caller: UserCaller) => (caller === "signedOut" ? null : person[caller].cookie);

  /** Fresh records of group A a route acts on, made before each call. */
  async function targets() {
    const { createStaffUser } = await import("./console/users");
    const staff = await createStaffUser(server.database, {
      groupId: a.groupId,
      email: `target.${Date.now()}.${++phoneCounter}@example.com`,
      role: "staff",
      locationIds: [a.locations[0].locationId],
      password: session.PASSWORD,
    });
    const key = await server.createKey(a.groupId, a.locations[0].locationId);
    return { userId: staff.UserID, keyId: String(key.KeyID), locationId: String(a.locations[0].locationId) };
  }

  function consoleCall(route: string, sample: string | undefined, t: Awaited<ReturnType<typeof targets>>, caller: UserCaller) {
    const [method, pattern] = route.split(" ");
    const url = sample ?? pattern.replace("[userId]", t.userId).replace("[keyId]", t.keyId).replace("[locationId]", t.locationId);
    const bodies: Record<string, unknown> = {
      // A new address each time: the per-account lock is not what this row is about.
      "POST /api/auth/[...all]": { email: `nobody.${++phoneCounter}@example.com`, password: "not the password" },
      "POST /api/customers/import/preview": { Csv: `Phone,First name\n${uniquePhone()},Ida\n`, FileName: "people.csv" },
      "POST /api/customers/import": { Csv: `Phone,First name\n${uniquePhone()},Ida\n`, FileName: "people.csv" },
      "PUT /api/session/location": { LocationID: null },
      "PUT /api/settings/connection": { Mode: "embedded" },
      "POST /api/settings/developers/test-receipt": { LocationID: a.locations[0].locationId },
      "POST /api/settings/keys": { LocationID: a.locations[0].locationId, Label: "matrix" },
      "POST /api/settings/locations": { Name: `Store ${++phoneCounter}` },
      "PUT /api/settings/locations/[locationId]": { Name: "Store 1" },
      "POST /api/settings/people": { Email: `new.${Date.now()}.${++phoneCounter}@example.com`, Role: "owner", LocationIDs: [], Password: "a long password 123" },
      "PUT /api/settings/people/[userId]": { Role: "staff", LocationIDs: [a.locations[0].locationId] },
      "POST /api/settings/people/[userId]/active": { Active: true },
      "POST /api/settings/people/[userId]/password": { Password: "another long password" },
      "POST /api/setup": { GroupName: "Second", Locations: ["One"], Name: "Ann", Email: "ann@example.com", Password: "a long password 123" },
    };
    if (route === "POST /api/hooks/sms" || route === "POST /api/unsubscribe") {
      return session.consoleRequest(method, url, {
        cookie: cookieOf(caller),
        body: route === "POST /api/hooks/sms" ? "From=%2B15550001111&Body=HELLO" : "List-Unsubscribe=One-Click",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
    }
    return session.consoleRequest(method, url, { cookie: cookieOf(caller), body: bodies[route] });
  }

  const files = new Map(appRoutes("route.ts").map((r) => [r.route, r.file]));

  test.each(CONSOLE_API_MATRIX)("$route", async ({ route, sample, expect: expected }) => {
    const [method, pattern] = route.split(" ");
    const routeModule = (await import(files.get(pattern)!)) as Record<string, unknown>;
    const got = {} as Record<UserCaller, number>;
    for (const caller of USER_CALLERS) {
      const t = await targets();
      const params: Record<string, unknown> = { userId: t.userId, keyId: t.keyId, locationId: t.locationId };
      if (sample && pattern.includes("[...all]")) params.all = sample.split("/").slice(3);
      const response = await session.callRoute(routeModule, method, consoleCall(route, sample, t, caller), params);
      await response.arrayBuffer();
      got[caller] = response.status;
      cells++;
      checked.consoleApi++;
    }
    expect(got).toEqual(expected);
  });

  test.each(PROXY_MATRIX)("/api/engage: $route", async ({ route, expect: expected }) => {
    const proxy = (await import(files.get("/api/engage/[...path]")!)) as Record<string, unknown>;
    const [method, pattern] = route.split(" ");
    const got = {} as Record<UserCaller, number>;
    for (const caller of USER_CALLERS) {
      // Staff, the Manager and the Owner act on the same records; a fresh world for an erasure.
      const w = await world();
      const { query, body } = requestFor(route, w);
      const url = `/api/engage${fill(pattern, w)}${query ? `?${query}` : ""}`;
      const response = await session.callRoute(proxy, method, session.consoleRequest(method, url, { cookie: cookieOf(caller), body }), {
        path: fill(pattern, w).split("/").filter(Boolean),
      });
      await response.arrayBuffer();
      got[caller] = response.status;
      cells++;
      checked.proxy++;
    }
    expect(got).toEqual(expected);
  });
});
