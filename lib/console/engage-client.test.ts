// The console's Engage client against real parts: embedded (in-process to the Engage core on
// the console's own database) and remote (over HTTP to a second real Engage server), and the
// ways a remote server fails: silence (504), a closed port (502), a 500 (502), no key (503).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type Tenant, type TestServer } from "../engage/testing/harness";
import type { Customer } from "../engage/schemas/customer";
import type { Receipt } from "../engage/receipts";

const TIMEOUT_MS = 400;

// engage-client.ts reads these when it is loaded, and getDatabase() opens DATABASE_URL: both
// are set before the dynamic import below.
process.env.ENGAGE_CONSOLE_SECRET ??= "client-test-secret-0123456789abcdefghijklmno";
process.env.ENGAGE_TIMEOUT_MS = String(TIMEOUT_MS);
// Each test chooses its group's connection; a deployment-wide remote would override them all.
delete process.env.ENGAGE_BASE_URL;

type ClientModule = typeof import("./engage-client");
type DbModule = typeof import("../db");

/** The server whose database the console uses (and whose core the embedded client calls). */
let consoleServer: TestServer;
/** Another Engage server, reached over HTTP. */
let remoteServer: TestServer;
let client: ClientModule;
let dbModule: DbModule;
const extraServers: http.Server[] = [];

beforeAll(async () => {
  consoleServer = await startTestServer();
  remoteServer = await startTestServer();
  process.env.DATABASE_URL = consoleServer.databaseUrl;
  dbModule = await import("../db");
  client = await import("./engage-client");
});

afterAll(async () => {
  for (const s of extraServers) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  if (dbModule) await (await dbModule.getDatabase()).close();
  await remoteServer?.close();
  await consoleServer?.close();
});

function json<T>(result: { body: string | null }): T {
  return JSON.parse(result.body ?? "null") as T;
}

let counter = 0;
const externalId = () => `client-test-${++counter}-${Date.now()}`;

function receiptBody(customerId: number) {
  return {
    CustomerID: customerId,
    Skus: [{ SKU: "SOCKS", Description: "Socks", Amount: 10.5, Quantity: 2 }],
    Discounts: [],
    SubTotal: 21.0,
    Taxes: 1.58,
    Total: 22.58,
  };
}

async function listen(server: http.Server): Promise<string> {
  extraServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A console group connected to a remote Engage at `url`. */
async function remoteGroup(url: string, locations = 1): Promise<Tenant> {
  const tenant = await consoleServer.createTenant(locations);
  await consoleServer.database.db
    .insertInto("console_connections")
    .values({ group_id: tenant.groupId, mode: "remote", remote_url: url, updated_at: Date.now() })
    .execute();
  return tenant;
}

async function unavailable(promise: Promise<unknown>): Promise<InstanceType<ClientModule["EngageUnavailableError"]>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(client.EngageUnavailableError);
  return error as InstanceType<ClientModule["EngageUnavailableError"]>;
}

describe("embedded", () => {
  test("registers a customer through the core with a key it makes and stores, and reads it back", async () => {
    const tenant = await consoleServer.createTenant(2);
    const engage = await client.engageClientFor(tenant.groupId);
    expect(engage.mode).toBe("embedded");
    const scope = { groupId: tenant.groupId, locationId: tenant.locations[0].locationId };

    const ext = externalId();
    const created = await engage.call(scope, { method: "POST", path: "/v1/Customers", body: { ExternalID: ext, FirstName: "Ada" } });
    expect(created.status, created.body ?? "").toBe(201);
    const customer = json<Customer>(created);
    expect(customer).toMatchObject({ ExternalID: ext, FirstName: "Ada" });

    const read = await engage.call(scope, { method: "GET", path: `/v1/Customers/${customer.CustomerID}` });
    expect(read.status).toBe(200);
    expect(read.headers["content-type"]).toMatch(/application\/json/);
    expect(json<Customer>(read)).toMatchObject({ CustomerID: customer.CustomerID, ExternalID: ext });

    // The group-wide scope sees it too, and so does a POS with the group's own key over HTTP:
    // the console wrote to the real Engage, not to a copy.
    const groupRead = await engage.call({ groupId: tenant.groupId, locationId: null }, { method: "GET", path: `/v1/Customers/${customer.CustomerID}` });
    expect(groupRead.status).toBe(200);
    const overHttp = await consoleServer.call<Customer>("GET", `/v1/Customers/${customer.CustomerID}`, { key: tenant.groupKey });
    expect(overHttp.status).toBe(200);
    expect(overHttp.json.ExternalID).toBe(ext);

    // consoleKey made one key per scope it used, stored sealed.
    const keys = await consoleServer.database.db.selectFrom("console_keys").select(["location_id", "mode"]).where("group_id", "=", tenant.groupId).execute();
    expect(keys.map((k) => (k.location_id === null ? null : Number(k.location_id))).sort()).toEqual([scope.locationId, null].sort());
    expect(keys.every((k) => k.mode === "embedded")).toBe(true);
  });

  test("the core's answers come back as they are: validation (400) and not found (404)", async () => {
    const tenant = await consoleServer.createTenant(1);
    const engage = await client.engageClientFor(tenant.groupId);
    const scope = { groupId: tenant.groupId, locationId: null };
    const invalid = await engage.call(scope, { method: "POST", path: "/v1/Customers", body: { Email: "not an email" } });
    expect(invalid.status).toBe(400);
    expect(json<{ ModelState: Record<string, string[]> }>(invalid).ModelState).toHaveProperty("Email");
    const missing = await engage.call(scope, { method: "GET", path: "/v1/Customers/987654321" });
    expect(missing.status).toBe(404);
  });

  test("a location-scoped call cannot see another location's receipts; the group scope sees both", async () => {
    const tenant = await consoleServer.createTenant(2);
    const engage = await client.engageClientFor(tenant.groupId);
    const [one, two] = tenant.locations.map((l) => ({ groupId: tenant.groupId, locationId: l.locationId }));
    const group = { groupId: tenant.groupId, locationId: null };

    const customer = json<Customer>(await engage.call(one, { method: "POST", path: "/v1/Customers", body: { ExternalID: externalId() } }));
    const atOne = await engage.call(one, { method: "POST", path: "/v1/Receipts", body: receiptBody(customer.CustomerID) });
    const atTwo = await engage.call(two, { method: "POST", path: "/v1/Receipts", body: receiptBody(customer.CustomerID) });
    expect(atOne.status, atOne.body ?? "").toBe(201);
    expect(atTwo.status, atTwo.body ?? "").toBe(201);
    const receiptOne = json<Receipt>(atOne);
    const receiptTwo = json<Receipt>(atTwo);
    expect(receiptOne.LocationID).toBe(one.locationId);
    expect(receiptTwo.LocationID).toBe(two.locationId);

    const ids = (result: { body: string | null }) => json<Receipt[]>(result).map((r) => r.ReceiptID);
    expect(ids(await engage.call(one, { method: "GET", path: "/v1/Receipts" }))).toEqual([receiptOne.ReceiptID]);
    // Asking for the other location by query does not widen the view.
    const asked = await engage.call(one, { method: "GET", path: "/v1/Receipts", query: new URLSearchParams({ LocationID: String(two.locationId) }) });
    expect(ids(asked)).not.toContain(receiptTwo.ReceiptID);
    expect((await engage.call(one, { method: "GET", path: `/v1/Receipts/${receiptTwo.ReceiptID}` })).status).toBe(404);
    expect((await engage.call(two, { method: "GET", path: `/v1/Receipts/${receiptTwo.ReceiptID}` })).status).toBe(200);
    expect(ids(await engage.call(group, { method: "GET", path: "/v1/Receipts" })).sort()).toEqual([receiptOne.ReceiptID, receiptTwo.ReceiptID].sort());
  });

  test("another group's customer is not found from this group's scope", async () => {
    const mine = await consoleServer.createTenant(1);
    const theirs = await consoleServer.createTenant(1);
    const theirsClient = await client.engageClientFor(theirs.groupId);
    const customer = json<Customer>(
      await theirsClient.call({ groupId: theirs.groupId, locationId: null }, { method: "POST", path: "/v1/Customers", body: { ExternalID: externalId() } }),
    );
    const mineClient = await client.engageClientFor(mine.groupId);
    const read = await mineClient.call({ groupId: mine.groupId, locationId: null }, { method: "GET", path: `/v1/Customers/${customer.CustomerID}` });
    expect(read.status).toBe(404);
  });
});

describe("getConnection", () => {
  test("embedded by default, remote with a console_connections row, and ENGAGE_BASE_URL overrides both", async () => {
    const embedded = await consoleServer.createTenant(1);
    const remote = await remoteGroup("http://engage.example:8080");
    expect(await client.getConnection(consoleServer.database, embedded.groupId)).toEqual({ mode: "embedded", remoteUrl: null });
    expect(await client.getConnection(consoleServer.database, remote.groupId)).toEqual({ mode: "remote", remoteUrl: "http://engage.example:8080" });
    // A row that says remote but names no server is embedded.
    const noUrl = await consoleServer.createTenant(1);
    await consoleServer.database.db
      .insertInto("console_connections")
      .values({ group_id: noUrl.groupId, mode: "remote", remote_url: null, updated_at: Date.now() })
      .execute();
    expect((await client.getConnection(consoleServer.database, noUrl.groupId)).mode).toBe("embedded");

    process.env.ENGAGE_BASE_URL = "https://engage.example.com/v1/";
    try {
      for (const groupId of [embedded.groupId, remote.groupId]) {
        expect(await client.getConnection(consoleServer.database, groupId)).toEqual({ mode: "remote", remoteUrl: "https://engage.example.com" });
      }
    } finally {
      delete process.env.ENGAGE_BASE_URL;
    }
  });
});

describe("remote", () => {
  test("calls another Engage server with the stored keys: registers, reads back, keeps locations apart", async () => {
    const remote = await remoteServer.createTenant(2);
    const consoleGroup = await remoteGroup(remoteServer.baseUrl, 2);
    const [localOne, localTwo] = consoleGroup.locations.map((l) => l.locationId);
    await client.storeRemoteKey(consoleServer.database, consoleGroup.groupId, null, remote.groupKey);
    await client.storeRemoteKey(consoleServer.database, consoleGroup.groupId, localOne, remote.locations[0].key);
    await client.storeRemoteKey(consoleServer.database, consoleGroup.groupId, localTwo, remote.locations[1].key);

    const engage = await client.engageClientFor(consoleGroup.groupId);
    expect(engage.mode).toBe("remote");
    const one = { groupId: consoleGroup.groupId, locationId: localOne };
    const two = { groupId: consoleGroup.groupId, locationId: localTwo };
    const group = { groupId: consoleGroup.groupId, locationId: null };

    const ext = externalId();
    const created = await engage.call(one, { method: "POST", path: "/v1/Customers", body: { ExternalID: ext, FirstName: "Grace" } });
    expect(created.status, created.body ?? "").toBe(201);
    expect(created.headers["content-type"]).toMatch(/application\/json/);
    const customer = json<Customer>(created);
    const read = await engage.call(group, { method: "GET", path: `/v1/Customers/${customer.CustomerID}` });
    expect(read.status).toBe(200);
    expect(json<Customer>(read)).toMatchObject({ ExternalID: ext, FirstName: "Grace" });

    // It lives on the remote server (its own group key finds it by ExternalID), not in the
    // console's database.
    const onRemote = await remoteServer.call<Customer[]>("GET", `/v1/Customers?ExternalID=${ext}`, { key: remote.groupKey });
    expect(onRemote.status).toBe(200);
    expect(onRemote.json.map((c) => c.ExternalID)).toEqual([ext]);
    const local = await consoleServer.database.db.selectFrom("customers").select("id").where("external_id", "=", ext).execute();
    expect(local).toEqual([]);

    // Receipts at each location, through each location's key.
    const r1 = json<Receipt>(await engage.call(one, { method: "POST", path: "/v1/Receipts", body: receiptBody(customer.CustomerID) }));
    const r2 = json<Receipt>(await engage.call(two, { method: "POST", path: "/v1/Receipts", body: receiptBody(customer.CustomerID) }));
    expect(r1.LocationID).toBe(remote.locations[0].locationId);
    expect(r2.LocationID).toBe(remote.locations[1].locationId);
    const listed = await engage.call(one, { method: "GET", path: "/v1/Receipts", query: new URLSearchParams({ CustomerID: String(customer.CustomerID) }) });
    expect(listed.status).toBe(200);
    expect(json<Receipt[]>(listed).map((r) => r.ReceiptID)).toEqual([r1.ReceiptID]);
    expect(listed.headers["x-total-count"]).toBe("1");
    expect((await engage.call(one, { method: "GET", path: `/v1/Receipts/${r2.ReceiptID}` })).status).toBe(404);

    // The remote server's 4xx answers pass through unchanged.
    const missing = await engage.call(group, { method: "GET", path: "/v1/Customers/987654321" });
    expect(missing.status).toBe(404);
    expect(json<{ Code: string }>(missing).Code).toBe("not_found");
  });

  test("sends the stored key, the method, the path with its query and the JSON body", async () => {
    const seen: { method?: string; url?: string; authorization?: string; contentType?: string; body?: string } = {};
    const url = await listen(
      http.createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
          Object.assign(seen, { method: req.method, url: req.url, authorization: req.headers.authorization, contentType: req.headers["content-type"], body });
          res.writeHead(201, { "content-type": "application/json", "x-total-count": "7" });
          res.end(JSON.stringify({ Echo: true }));
        });
      }),
    );
    const consoleGroup = await remoteGroup(`${url}/`);
    const key = "eng_grp_0123456789abcdefghijklmnopqr";
    await client.storeRemoteKey(consoleServer.database, consoleGroup.groupId, null, key);
    const engage = await client.engageClientFor(consoleGroup.groupId);
    const result = await engage.call(
      { groupId: consoleGroup.groupId, locationId: null },
      { method: "POST", path: "/v1/Campaigns/12/Offers", query: new URLSearchParams({ a: "1 2" }), body: { Hello: "wörld" } },
    );
    expect(result).toEqual({ status: 201, headers: expect.objectContaining({ "x-total-count": "7" }), body: '{"Echo":true}' });
    expect(seen).toEqual({
      method: "POST",
      url: "/v1/Campaigns/12/Offers?a=1+2",
      authorization: key,
      contentType: "application/json",
      body: JSON.stringify({ Hello: "wörld" }),
    });
  });

  test("a server that never answers is a 504 within ENGAGE_TIMEOUT_MS", async () => {
    let arrived = 0;
    const url = await listen(http.createServer(() => void arrived++));
    const consoleGroup = await remoteGroup(url);
    await client.storeRemoteKey(consoleServer.database, consoleGroup.groupId, null, "eng_grp_0123456789abcdefghijklmnopqr");
    const engage = await client.engageClientFor(consoleGroup.groupId);
    const started = performance.now();
    const error = await unavailable(engage.call({ groupId: consoleGroup.groupId, locationId: null }, { method: "GET", path: "/v1/Customers" }));
    const elapsed = performance.now() - started;
    expect(error.status).toBe(504);
    expect(error.message).toContain(url);
    expect(arrived).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1500);
  });

  test("a server that sends its headers and then stalls is a 504 too", async () => {
    const url = await listen(
      http.createServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"Customers": [');
      }),
    );
    const consoleGroup = await remoteGroup(url);
    await client.storeRemoteKey(consoleServer.database, consoleGroup.groupId, null, "eng_grp_0123456789abcdefghijklmnopqr");
    const engage = await client.engageClientFor(consoleGroup.groupId);
    const started = performance.now();
    const error = await unavailable(engage.call({ groupId: consoleGroup.groupId, locationId: null }, { method: "GET", path: "/v1/Customers" }));
    expect(error.status).toBe(504);
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 1500);
  });

  test("a closed port is a 502", async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const consoleGroup = await remoteGroup(`http://127.0.0.1:${port}`);
    await client.storeRemoteKey(consoleServer.database, consoleGroup.groupId, null, "eng_grp_0123456789abcdefghijklmnopqr");
    const engage = await client.engageClientFor(consoleGroup.groupId);
    const error = await unavailable(engage.call({ groupId: consoleGroup.groupId, locationId: null }, { method: "GET", path: "/v1/Customers" }));
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/could not be reached/);
  });

  test("a redirect is not followed: the key never goes to another address, and the answer is a 502", async () => {
    let elsewhere = 0;
    const target = await listen(
      http.createServer((_req, res) => {
        elsewhere++;
        res.writeHead(200, { "content-type": "application/json" }).end("[]");
      }),
    );
    const url = await listen(
      http.createServer((req, res) => {
        res.writeHead(307, { location: `${target}${req.url}` }).end();
      }),
    );
    const consoleGroup = await remoteGroup(url);
    await client.storeRemoteKey(consoleServer.database, consoleGroup.groupId, null, "eng_grp_0123456789abcdefghijklmnopqr");
    const engage = await client.engageClientFor(consoleGroup.groupId);
    const error = await unavailable(engage.call({ groupId: consoleGroup.groupId, locationId: null }, { method: "GET", path: "/v1/Customers" }));
    expect(error.status).toBe(502);
    expect(elsewhere).toBe(0);
  });

  test("a server answering 500 is a 502, and its body is not passed on", async () => {
    const url = await listen(
      http.createServer((_req, res) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ Message: "stack trace: secret internals" }));
      }),
    );
    const consoleGroup = await remoteGroup(url);
    await client.storeRemoteKey(consoleServer.database, consoleGroup.groupId, null, "eng_grp_0123456789abcdefghijklmnopqr");
    const engage = await client.engageClientFor(consoleGroup.groupId);
    const error = await unavailable(engage.call({ groupId: consoleGroup.groupId, locationId: null }, { method: "GET", path: "/v1/Customers" }));
    expect(error.status).toBe(502);
    expect(error.message).toContain("500");
    expect(error.message).not.toContain("secret internals");
  });

  test("no key stored for the scope is a 503, before anything is sent", async () => {
    let arrived = 0;
    const url = await listen(
      http.createServer((_req, res) => {
        arrived++;
        res.writeHead(200).end("[]");
      }),
    );
    const consoleGroup = await remoteGroup(url, 2);
    const [withKey, withoutKey] = consoleGroup.locations.map((l) => l.locationId);
    await client.storeRemoteKey(consoleServer.database, consoleGroup.groupId, withKey, "eng_loc_0123456789abcdefghijklmnopqr");
    const engage = await client.engageClientFor(consoleGroup.groupId);

    const noLocationKey = await unavailable(engage.call({ groupId: consoleGroup.groupId, locationId: withoutKey }, { method: "GET", path: "/v1/Customers" }));
    expect(noLocationKey.status).toBe(503);
    expect(noLocationKey.message).toMatch(/location/);
    const noGroupKey = await unavailable(engage.call({ groupId: consoleGroup.groupId, locationId: null }, { method: "GET", path: "/v1/Customers" }));
    expect(noGroupKey.status).toBe(503);
    expect(noGroupKey.message).toMatch(/group key/);
    expect(arrived).toBe(0);

    // An embedded key of the same scope is never sent to a remote server.
    const embeddedTenant = await consoleServer.createTenant(1);
    await client.consoleKey(consoleServer.database, "embedded", embeddedTenant.groupId, null);
    await consoleServer.database.db
      .insertInto("console_connections")
      .values({ group_id: embeddedTenant.groupId, mode: "remote", remote_url: url, updated_at: Date.now() })
      .execute();
    const switched = await client.engageClientFor(embeddedTenant.groupId);
    expect((await unavailable(switched.call({ groupId: embeddedTenant.groupId, locationId: null }, { method: "GET", path: "/v1/Customers" }))).status).toBe(503);
    expect(arrived).toBe(0);

    // With the key, the same call goes through.
    const ok = await engage.call({ groupId: consoleGroup.groupId, locationId: withKey }, { method: "GET", path: "/v1/Customers" });
    expect(ok.status).toBe(200);
    expect(arrived).toBe(1);
  });
});
