// The console's route wrapper: the CSRF check on state-changing requests, then a real session
// (signed in through better-auth's handler on a real database), the role's permission, JSON
// parsing and the conversion of errors, as a browser would see them.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { EngageError, invalidField } from "../engage/errors";
import { startTestServer, type Tenant, type TestServer } from "../engage/testing/harness";

process.env.ENGAGE_CONSOLE_SECRET ??= "route-test-secret-0123456789abcdefghijklmnop";

type RouteModule = typeof import("./route");

const ORIGIN = "http://127.0.0.1:3000";
const HOST = "127.0.0.1:3000";
const PASSWORD = "correct horse battery";

let server: TestServer;
let tenant: Tenant;
let route: RouteModule;
let engageClient: typeof import("./engage-client");
let users: typeof import("./users");
let db: typeof import("../db");

beforeAll(async () => {
  server = await startTestServer();
  tenant = await server.createTenant(2);
  // route.ts reads the session through getDatabase(): the process-wide database is this one.
  process.env.DATABASE_URL = server.databaseUrl;
  route = await import("./route");
  engageClient = await import("./engage-client");
  users = await import("./users");
  db = await import("../db");
});
afterAll(async () => {
  if (db) await (await db.getDatabase()).close();
  await server?.close();
});

function request(method: string, headers: Record<string, string> = {}, body?: string, url = `${ORIGIN}/api/test`): Request {
  return new Request(url, { method, headers, body });
}

const SAME_ORIGIN_JSON = { host: HOST, origin: ORIGIN, "content-type": "application/json" };

async function problem(response: Response | null): Promise<{ status: number; Code: string }> {
  expect(response).not.toBeNull();
  const body = (await response!.json()) as { Code: string };
  return { status: response!.status, Code: body.Code };
}

describe("csrfProblem", () => {
  test("GET, HEAD and OPTIONS pass, whatever their origin", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      expect(route.csrfProblem(request(method))).toBeNull();
      expect(route.csrfProblem(request(method, { host: HOST, origin: "https://evil.example", "sec-fetch-site": "cross-site" }))).toBeNull();
    }
  });

  test("a same-origin JSON request passes (POST, PUT, DELETE; with a charset; as a browser marks it)", () => {
    for (const method of ["POST", "PUT", "DELETE"]) expect(route.csrfProblem(request(method, SAME_ORIGIN_JSON, "{}"))).toBeNull();
    expect(route.csrfProblem(request("POST", { ...SAME_ORIGIN_JSON, "content-type": "application/json; charset=utf-8" }, "{}"))).toBeNull();
    expect(route.csrfProblem(request("POST", { ...SAME_ORIGIN_JSON, "content-type": "Application/JSON" }, "{}"))).toBeNull();
    expect(route.csrfProblem(request("POST", { ...SAME_ORIGIN_JSON, "sec-fetch-site": "same-origin" }, "{}"))).toBeNull();
    // Behind a proxy that names the public host.
    expect(
      route.csrfProblem(request("POST", { host: "127.0.0.1:3000", "x-forwarded-host": "console.example.com", origin: "https://console.example.com", "content-type": "application/json" }, "{}")),
    ).toBeNull();
  });

  test("a POST without an Origin is 403", async () => {
    const { host, "content-type": type } = SAME_ORIGIN_JSON;
    expect(await problem(route.csrfProblem(request("POST", { host, "content-type": type }, "{}")))).toEqual({ status: 403, Code: "forbidden" });
    expect(await problem(route.csrfProblem(request("POST", { ...SAME_ORIGIN_JSON, origin: "null" }, "{}")))).toEqual({ status: 403, Code: "forbidden" });
  });

  test("a foreign Origin is 403: another site, another port, another scheme's host, a look-alike", async () => {
    for (const origin of ["https://evil.example", "http://127.0.0.1:3001", "http://127.0.0.1", "http://127.0.0.1:3000.evil.example", "http://localhost:3000"]) {
      expect(await problem(route.csrfProblem(request("POST", { ...SAME_ORIGIN_JSON, origin }, "{}"))), origin).toEqual({ status: 403, Code: "forbidden" });
    }
  });

  test("Sec-Fetch-Site other than same-origin is 403, even with a matching Origin", async () => {
    for (const site of ["cross-site", "same-site", "none"]) {
      const response = route.csrfProblem(request("PUT", { ...SAME_ORIGIN_JSON, "sec-fetch-site": site }, "{}"));
      expect(await problem(response), site).toEqual({ status: 403, Code: "forbidden" });
    }
  });

  test("anything but JSON is 415: text/plain, forms, multipart, no type", async () => {
    for (const type of ["text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", undefined]) {
      const headers: Record<string, string> = { host: HOST, origin: ORIGIN };
      if (type) headers["content-type"] = type;
      expect(await problem(route.csrfProblem(request("POST", headers, "{}"))), String(type)).toEqual({ status: 415, Code: "unsupported_media_type" });
    }
  });

  test("refusals are JSON the console's fetch helper reads, and not cached", async () => {
    const response = route.csrfProblem(request("POST", { host: HOST, "content-type": "application/json" }, "{}"))!;
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(await response.json()).toMatchObject({ Code: "forbidden", Message: expect.any(String) });
  });
});

describe("consoleRoute", () => {
  let emailCounter = 0;
  let ipCounter = 0;

  async function person(role: "owner" | "manager" | "staff", locationIds: number[] = [tenant.locations[0].locationId]) {
    return users.createStaffUser(server.database, {
      groupId: tenant.groupId,
      email: `${role}.${++emailCounter}.${Date.now()}@example.com`,
      role,
      locationIds: role === "owner" ? [] : locationIds,
      password: PASSWORD,
    });
  }

  /** The Cookie header after signing in through better-auth's handler. */
  async function signIn(email: string): Promise<string> {
    const { getAuth } = await import("./auth");
    const response = await (await getAuth()).handler(
      new Request(`${ORIGIN}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": `10.30.0.${++ipCounter}` },
        body: JSON.stringify({ email, password: PASSWORD }),
      }),
    );
    expect(response.status).toBe(200);
    return response.headers.getSetCookie().find((c) => c.startsWith("engage.session_token="))!.split(";")[0];
  }

  const noParams = { params: Promise.resolve({}) };

  test("the CSRF check comes first: a cross-site POST is refused before the session is read", async () => {
    const handler = vi.fn(async () => route.jsonResponse({ ok: true }));
    const wrapped = route.consoleRoute({ handler });
    const response = await wrapped(request("POST", { host: HOST, origin: "https://evil.example", "content-type": "application/json" }, "{}"), noParams);
    expect(response.status).toBe(403);
    expect(handler).not.toHaveBeenCalled();
  });

  test("without a session (or with a made-up one) it is 401", async () => {
    const handler = vi.fn(async () => route.jsonResponse({ ok: true }));
    const wrapped = route.consoleRoute({ handler });
    const attempts: Record<string, string>[] = [{ host: HOST }, { host: HOST, cookie: "engage.session_token=forged.value" }];
    for (const headers of attempts) {
      const response = await wrapped(request("GET", headers), noParams);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ Code: "unauthorized" });
      expect(response.headers.get("cache-control")).toBe("private, no-store");
    }
    expect(handler).not.toHaveBeenCalled();
  });

  test("the signed-in user, with their role and location, reaches the handler", async () => {
    const staff = await person("staff", [tenant.locations[1].locationId]);
    const cookie = await signIn(staff.Email);
    const wrapped = route.consoleRoute<{ id: string }>({
      permission: "customers",
      handler: async ({ user, params }) => route.jsonResponse({ user, params }),
    });
    const response = await wrapped(request("GET", { host: HOST, cookie }), { params: Promise.resolve({ id: "42" }) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { user: Record<string, unknown>; params: unknown };
    expect(body.params).toEqual({ id: "42" });
    expect(body.user).toMatchObject({
      id: staff.UserID,
      email: staff.Email,
      role: "staff",
      groupId: tenant.groupId,
      locations: [{ LocationID: tenant.locations[1].locationId, Name: expect.any(String) }],
      currentLocationId: tenant.locations[1].locationId,
    });
  });

  test("a role without the permission is 403 and the handler never runs", async () => {
    const staff = await person("staff");
    const manager = await person("manager");
    const handler = vi.fn(async () => route.jsonResponse({ ok: true }));
    const groupCampaigns = route.consoleRoute({ permission: "campaigns:group", handler });
    for (const who of [staff, manager]) {
      const response = await groupCampaigns(request("POST", { ...SAME_ORIGIN_JSON, cookie: await signIn(who.Email) }, "{}"), noParams);
      expect(response.status, who.Role).toBe(403);
    }
    const settings = route.consoleRoute({ permission: "settings", handler });
    expect((await settings(request("GET", { host: HOST, cookie: await signIn(manager.Email) }), noParams)).status).toBe(403);
    expect(handler).not.toHaveBeenCalled();
    const owner = await person("owner");
    expect((await groupCampaigns(request("POST", { ...SAME_ORIGIN_JSON, cookie: await signIn(owner.Email) }, "{}"), noParams)).status).toBe(200);
  });

  test("a deactivated user's cookie is 401 at once", async () => {
    const staff = await person("staff");
    const cookie = await signIn(staff.Email);
    const wrapped = route.consoleRoute({ handler: async () => route.jsonResponse({ ok: true }) });
    expect((await wrapped(request("GET", { host: HOST, cookie }), noParams)).status).toBe(200);
    await users.setStaffActive(server.database, { groupId: tenant.groupId, userId: staff.UserID, active: false });
    expect((await wrapped(request("GET", { host: HOST, cookie }), noParams)).status).toBe(401);
  });

  test("the JSON body is parsed; invalid JSON is 400 and an empty body is undefined", async () => {
    const owner = await person("owner");
    const cookie = await signIn(owner.Email);
    const seen: unknown[] = [];
    const wrapped = route.consoleRoute({
      handler: async ({ body }) => {
        seen.push(body);
        return route.jsonResponse(undefined, 204);
      },
    });
    const ok = await wrapped(request("POST", { ...SAME_ORIGIN_JSON, cookie }, JSON.stringify({ Name: "Ada", Tags: [1, 2] })), noParams);
    expect(ok.status).toBe(204);
    const empty = await wrapped(request("POST", { ...SAME_ORIGIN_JSON, cookie }), noParams);
    expect(empty.status).toBe(204);
    expect(seen).toEqual([{ Name: "Ada", Tags: [1, 2] }, undefined]);
    const bad = await wrapped(request("POST", { ...SAME_ORIGIN_JSON, cookie }, "{not json"), noParams);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ Code: "invalid_json" });
    expect(seen).toHaveLength(2);
  });

  test("errors become the contract's error body; unknown errors are a generic 500 that echoes nothing", async () => {
    const owner = await person("owner");
    const cookie = await signIn(owner.Email);
    const failing = (error: unknown) => route.consoleRoute({ handler: async () => Promise.reject(error) });

    const invalid = await failing(invalidField("Email", "must be a valid email address"))(request("GET", { host: HOST, cookie }), noParams);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({ Message: expect.any(String), Code: "validation_failed", ModelState: { Email: ["must be a valid email address"] } });

    const conflict = await failing(new EngageError(409, "conflict", "Already there."))(request("GET", { host: HOST, cookie }), noParams);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({ Message: "Already there.", Code: "conflict" });

    const down = await failing(new engageClient.EngageUnavailableError("The Engage server did not answer.", 504))(request("GET", { host: HOST, cookie }), noParams);
    expect(down.status).toBe(504);
    expect(await down.json()).toEqual({ Message: "The Engage server did not answer.", Code: "engage_unavailable" });

    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const crash = await failing(new Error("connection to postgres://admin:hunter2@db failed"))(request("GET", { host: HOST, cookie }), noParams);
      expect(crash.status).toBe(500);
      const text = await crash.text();
      expect(text).not.toContain("hunter2");
      expect(text).not.toContain("postgres");
      const body = JSON.parse(text) as { Code: string; Message: string };
      expect(body.Code).toBe("internal_error");
      const id = /Quote ([0-9a-f-]{36})/.exec(body.Message)?.[1];
      expect(id).toBeDefined();
      // The details go to the log, under the id the user can quote.
      expect(logged).toHaveBeenCalledTimes(1);
      expect(String(logged.mock.calls[0][0])).toContain(id!);
    } finally {
      logged.mockRestore();
    }
  });
});
