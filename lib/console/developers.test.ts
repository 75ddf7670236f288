// Settings → Developers on real parts: keys made, rolled and revoked in the embedded Engage
// and tried against the real HTTP API; another group's keys and the console's own keys out of
// reach; a remote Engage's keys left to it; the test receipt through the EngageClient, embedded
// and remote, with its exchanges as sent.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Receipt } from "../engage/receipts";
import { startTestServer, type Tenant, type TestServer } from "../engage/testing/harness";

process.env.ENGAGE_CONSOLE_SECRET ??= "developers-test-secret-0123456789abcdefghijkl";
delete process.env.ENGAGE_BASE_URL;

type DevelopersModule = typeof import("./developers");
type ClientModule = typeof import("./engage-client");
type DbModule = typeof import("../db");

let consoleServer: TestServer;
let remoteServer: TestServer;
let developers: DevelopersModule;
let client: ClientModule;
let dbModule: DbModule;
let tenant: Tenant;
let other: Tenant;

beforeAll(async () => {
  consoleServer = await startTestServer({ rateLimit: null });
  remoteServer = await startTestServer({ rateLimit: null });
  process.env.DATABASE_URL = consoleServer.databaseUrl;
  dbModule = await import("../db");
  developers = await import("./developers");
  client = await import("./engage-client");
  tenant = await consoleServer.createTenant(2);
  other = await consoleServer.createTenant(1);
});

afterAll(async () => {
  if (dbModule) await (await dbModule.getDatabase()).close();
  await remoteServer?.close();
  await consoleServer?.close();
});

const works = async (key: string) => (await consoleServer.call("GET", "/v1/Customers", { key })).status;

async function rejects(promise: Promise<unknown>): Promise<{ status: number; code: string; modelState?: Record<string, string[]> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status: number; code: string; modelState?: Record<string, string[]> };
    return { status: e.status, code: e.code, modelState: e.modelState };
  }
  throw new Error("expected a rejection");
}

describe("keys", () => {
  test("the list shows the group's live keys masked, the group key first, and never a whole key", async () => {
    const settings = await developers.listDeveloperKeys(tenant.groupId);
    expect(settings.Mode).toBe("embedded");
    expect(settings.Locations.map((l) => l.LocationID)).toEqual(tenant.locations.map((l) => l.locationId));
    expect(settings.Keys[0]).toMatchObject({ LocationID: null, LocationName: null, Masked: `eng_grp_…${tenant.groupKey.slice(-4)}` });
    expect(settings.Keys.map((k) => k.LocationID)).toEqual([null, ...tenant.locations.map((l) => l.locationId)]);
    const text = JSON.stringify(settings);
    for (const key of [tenant.groupKey, ...tenant.locations.map((l) => l.key)]) expect(text).not.toContain(key);
    expect(text).not.toContain(other.groupKey.slice(-4) + '"');
  });

  test("a new location key is returned whole once, works, and is then listed masked with its label", async () => {
    const created = await developers.createDeveloperKey(tenant.groupId, { LocationID: tenant.locations[1].locationId, Label: "Front counter" });
    expect(created.Key).toMatch(/^eng_loc_[0-9A-Za-z]{28}$/);
    expect(created).toMatchObject({ LocationID: tenant.locations[1].locationId, LocationName: "Store 2", Label: "Front counter", UsedByConsole: false });
    expect(created.Masked).toBe(`eng_loc_…${created.Key.slice(-4)}`);
    expect(await works(created.Key)).toBe(200);
    const listed = (await developers.listDeveloperKeys(tenant.groupId)).Keys.find((k) => k.KeyID === created.KeyID);
    const { Key: whole, ...shown } = created;
    expect(whole).toHaveLength(36);
    expect(listed).toEqual(shown);
    // A group key: LocationID null or absent.
    const group = await developers.createDeveloperKey(tenant.groupId, {});
    expect(group.Key).toMatch(/^eng_grp_/);
    expect(await works(group.Key)).toBe(200);
  });

  test("another group's location, a bad LocationID or a long label is a 400 naming the field, and nothing is made", async () => {
    const before = (await developers.listDeveloperKeys(tenant.groupId)).Keys.length;
    expect(await rejects(developers.createDeveloperKey(tenant.groupId, { LocationID: other.locations[0].locationId }))).toMatchObject({
      status: 400,
      modelState: { LocationID: ["is not a location of this group"] },
    });
    expect((await rejects(developers.createDeveloperKey(tenant.groupId, { LocationID: "x" }))).modelState).toHaveProperty("LocationID");
    expect((await rejects(developers.createDeveloperKey(tenant.groupId, { Label: "x".repeat(101) }))).modelState).toHaveProperty("Label");
    expect((await developers.listDeveloperKeys(tenant.groupId)).Keys.length).toBe(before);
  });

  test("rolling gives a working key for the same scope and label; the old one answers 401 at once", async () => {
    const old = await developers.createDeveloperKey(tenant.groupId, { LocationID: tenant.locations[0].locationId, Label: "Till 2" });
    const rolled = await developers.rollDeveloperKey(tenant.groupId, old.KeyID);
    expect(rolled).toMatchObject({ LocationID: old.LocationID, Label: "Till 2", ReplacedKeyID: old.KeyID });
    expect(rolled.Key).not.toBe(old.Key);
    expect(await works(rolled.Key)).toBe(200);
    expect(await works(old.Key)).toBe(401);
    const ids = (await developers.listDeveloperKeys(tenant.groupId)).Keys.map((k) => k.KeyID);
    expect(ids).toContain(rolled.KeyID);
    expect(ids).not.toContain(old.KeyID);
    expect(await rejects(developers.rollDeveloperKey(tenant.groupId, old.KeyID))).toMatchObject({ status: 404 });
  });

  test("revoking: the key answers 401; twice, or another group's key, is 404 and changes nothing", async () => {
    const key = await developers.createDeveloperKey(tenant.groupId, { LocationID: tenant.locations[0].locationId });
    const revoked = await developers.revokeDeveloperKey(tenant.groupId, key.KeyID);
    expect(revoked).toEqual({ KeyID: key.KeyID, RevokedAt: expect.stringMatching(/Z$/) });
    expect(await works(key.Key)).toBe(401);
    expect(await rejects(developers.revokeDeveloperKey(tenant.groupId, key.KeyID))).toMatchObject({ status: 404 });

    const theirs = await developers.createDeveloperKey(other.groupId, { LocationID: other.locations[0].locationId });
    expect(await rejects(developers.revokeDeveloperKey(tenant.groupId, theirs.KeyID))).toMatchObject({ status: 404, code: "not_found" });
    expect(await rejects(developers.rollDeveloperKey(tenant.groupId, theirs.KeyID))).toMatchObject({ status: 404 });
    expect(await works(theirs.Key)).toBe(200);
  });

  test("the console's own key is listed as such and can be neither rolled nor revoked here", async () => {
    const handle = await dbModule.getDatabase();
    const consoleKey = await client.consoleKey(handle, "embedded", tenant.groupId, tenant.locations[0].locationId);
    const listed = (await developers.listDeveloperKeys(tenant.groupId)).Keys.find((k) => k.Masked.endsWith(consoleKey!.slice(-4)));
    expect(listed?.UsedByConsole).toBe(true);
    expect(await rejects(developers.revokeDeveloperKey(tenant.groupId, listed!.KeyID))).toMatchObject({ status: 409, code: "conflict" });
    expect(await rejects(developers.rollDeveloperKey(tenant.groupId, listed!.KeyID))).toMatchObject({ status: 409 });
    expect(await works(consoleKey!)).toBe(200);
  });
});

describe("a test receipt", () => {
  test("embedded: the test customer is registered once, the guide's receipt stored, each exchange shown with the key masked", async () => {
    const origin = "http://console.example:3000";
    const first = await developers.sendTestReceipt({ id: "u1", email: "owner@example.com", groupId: tenant.groupId }, origin, {
      LocationID: tenant.locations[0].locationId,
    });
    expect(first.Exchanges.map((e) => [e.Title, e.Request.Method, e.Response.Status])).toEqual([
      ["Find the test customer", "GET", 200],
      ["Register the test customer", "POST", 201],
      ["Submit the guide's receipt", "POST", 201],
    ]);
    const receipt = first.Exchanges[2];
    expect(receipt.Request.URL).toBe(`${origin}/v1/Receipts`);
    expect(receipt.Request.Headers.Authorization).toMatch(/^eng_loc_…[0-9A-Za-z]{4}$/);
    expect(receipt.Request.Body).toMatchObject({ Skus: [{ SKU: "SOCKS", Amount: 10.5, Quantity: 2 }], SubTotal: 21, Taxes: 1.58, Total: 22.58 });
    const body = receipt.Response.Body as Receipt;
    expect(body).toMatchObject({ LocationID: tenant.locations[0].locationId, Total: 22.58, Tip: 0 });
    expect(receipt.Response.Headers.location).toBe(`/v1/Receipts/${body.ReceiptID}`);
    expect(JSON.stringify(first)).not.toMatch(/eng_(loc|grp)_[0-9A-Za-z]{28}/);

    // It is a real receipt: the API shows it.
    const stored = await consoleServer.call<Receipt>("GET", `/v1/Receipts/${body.ReceiptID}`, { key: tenant.groupKey });
    expect(stored.status).toBe(200);

    const second = await developers.sendTestReceipt({ id: "u1", email: "owner@example.com", groupId: tenant.groupId }, origin, {
      LocationID: tenant.locations[1].locationId,
    });
    expect(second.Exchanges.map((e) => e.Response.Status)).toEqual([200, 201]);
    expect((second.Exchanges[1].Response.Body as Receipt).CustomerID).toBe(body.CustomerID);
  });

  test("another group's location or no location is a 400 and sends nothing", async () => {
    expect(
      await rejects(developers.sendTestReceipt({ id: "u1", email: "o@example.com", groupId: tenant.groupId }, "http://x", { LocationID: other.locations[0].locationId })),
    ).toMatchObject({ status: 400, modelState: { LocationID: ["is not a location of this group"] } });
    expect((await rejects(developers.sendTestReceipt({ id: "u1", email: "o@example.com", groupId: tenant.groupId }, "http://x", {}))).modelState).toHaveProperty(
      "LocationID",
    );
  });
});

describe("against a remote Engage", () => {
  test("keys are left to that server; the test receipt goes to it with the stored location key", async () => {
    const group = await consoleServer.createTenant(1);
    const remote = await remoteServer.createTenant(1);
    const handle = await dbModule.getDatabase();
    await handle.db
      .insertInto("console_connections")
      .values({ group_id: group.groupId, mode: "remote", remote_url: remoteServer.baseUrl, updated_at: Date.now() })
      .execute();
    await client.storeRemoteKey(handle, group.groupId, group.locations[0].locationId, remote.locations[0].key);

    const settings = await developers.listDeveloperKeys(group.groupId);
    expect(settings).toMatchObject({ Mode: "remote", RemoteURL: remoteServer.baseUrl, Keys: [] });
    expect(await rejects(developers.createDeveloperKey(group.groupId, {}))).toMatchObject({ status: 409 });

    const sent = await developers.sendTestReceipt({ id: "u2", email: "o@example.com", groupId: group.groupId }, "http://ignored", {
      LocationID: group.locations[0].locationId,
    });
    expect(sent.Exchanges.map((e) => e.Response.Status)).toEqual([200, 201, 201]);
    expect(sent.Exchanges[2].Request.URL).toBe(`${remoteServer.baseUrl}/v1/Receipts`);
    expect(sent.Exchanges[2].Request.Headers.Authorization).toBe(`eng_loc_…${remote.locations[0].key.slice(-4)}`);
    const receiptId = (sent.Exchanges[2].Response.Body as Receipt).ReceiptID;
    expect((await remoteServer.call("GET", `/v1/Receipts/${receiptId}`, { key: remote.groupKey })).status).toBe(200);
  });
});
