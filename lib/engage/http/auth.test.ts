// Authentication and keys over real HTTP (ENGAGE_API.md §1): which keys are refused, how a key
// may be sent, what is stored of it, and that a key never sees another group's customers.
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { generateKey, hashKey } from "../keys";
import { revokeKey } from "../tenancy";
import { startTestServer, type TestServer } from "../testing/harness";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

interface ErrorBody {
  Message: string;
  Code: string;
  ModelState?: Record<string, string[]>;
}

async function register(key: string, body: Record<string, unknown>) {
  const response = await server.call<{ CustomerID: number }>("POST", "/v1/Customers", { key, body });
  expect(response.status, response.text).toBe(201);
  return response.json;
}

/** A key with a correct shape and checksum, one character changed: the checksum no longer matches. */
function withTypo(key: string): string {
  const i = key.length - 10;
  return key.slice(0, i) + (key[i] === "x" ? "y" : "x") + key.slice(i + 1);
}

describe("401: every refused key gets the same answer", () => {
  test("missing, empty, malformed, checksum-broken, unknown and revoked keys are all 401 with one body", async () => {
    const tenant = await server.createTenant(1);
    const revoked = await server.createKey(tenant.groupId, tenant.locations[0].locationId);
    await revokeKey(server.database.db, revoked.KeyID);

    const attempts: Record<string, Record<string, string>> = {
      missing: {},
      empty: { authorization: "" },
      blank: { authorization: "   " },
      "bearer without key": { authorization: "Bearer " },
      "the guide's placeholder": { authorization: "secretKEYGOESHERE" },
      malformed: { authorization: "eng_loc_tooShort" },
      "checksum broken": { authorization: withTypo(tenant.locations[0].key) },
      "checksum broken (bearer)": { authorization: `Bearer ${withTypo(tenant.groupKey)}` },
      "unknown but well formed": { authorization: generateKey("location") },
      "unknown group key (bearer)": { authorization: `Bearer ${generateKey("group")}` },
      revoked: { authorization: revoked.Key },
      "revoked (bearer)": { authorization: `Bearer ${revoked.Key}` },
      "basic scheme": { authorization: `Basic ${Buffer.from(`${tenant.groupKey}:`).toString("base64")}` },
    };
    const bodies = new Set<string>();
    for (const [name, headers] of Object.entries(attempts)) {
      const response = await server.call<ErrorBody>("GET", "/v1/Customers", { headers });
      expect(response.status, name).toBe(401);
      expect(response.headers.get("content-type"), name).toMatch(/^application\/json/);
      expect(response.json.Code, name).toBe("unauthorized");
      expect(response.json.ModelState, name).toBeUndefined();
      bodies.add(response.text);
    }
    expect(bodies.size).toBe(1);
  });

  test("a refused key learns nothing of the resource: a real customer id answers as a made-up one", async () => {
    const tenant = await server.createTenant(1);
    await register(tenant.groupKey, { CustomerID: 41, Phone: "5554440041" });
    const unknown = generateKey("location");
    const real = await server.call("GET", "/v1/Customers/41", { key: unknown });
    const madeUp = await server.call("GET", "/v1/Customers/987654", { key: unknown });
    expect(real.status).toBe(401);
    expect(real.text).toBe(madeUp.text);
  });

  test("every endpoint demands a key, writes included, and a refused write stores nothing", async () => {
    const countAll = async () =>
      Number(
        (await server.database.db.selectFrom("customers").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n,
      );
    const before = await countAll();
    const unknown = generateKey("group");
    const calls: [string, string, unknown][] = [
      ["GET", "/v1/Customers", undefined],
      ["POST", "/v1/Customers", { Phone: "5554440001" }],
      ["GET", "/v1/Customers/1", undefined],
      ["PUT", "/v1/Customers/1", { FirstName: "Eve" }],
      ["GET", "/v1/Customers/1/Offers", undefined],
      ["GET", "/v1/Customers/1/Receipts", undefined],
      ["GET", "/v1/Receipts", undefined],
      ["GET", "/v1/Offers/1", undefined],
      ["GET", "/v1/Campaigns", undefined],
    ];
    for (const [method, path, body] of calls) {
      for (const key of [null, unknown]) {
        const response = await server.call(method, path, { key, body });
        expect(response.status, `${method} ${path} with ${key ? "unknown key" : "no key"}`).toBe(401);
      }
    }
    expect(await countAll()).toBe(before);
  });

  test("revoking a key refuses it from then on", async () => {
    const tenant = await server.createTenant(1);
    const key = await server.createKey(tenant.groupId, tenant.locations[0].locationId);
    expect((await server.call("GET", "/v1/Customers", { key: key.Key })).status).toBe(200);
    await revokeKey(server.database.db, key.KeyID);
    expect((await server.call("GET", "/v1/Customers", { key: key.Key })).status).toBe(401);
  });
});

describe("how a key is sent", () => {
  test("the raw key in Authorization, as in the guide", async () => {
    const tenant = await server.createTenant(1);
    const response = await server.call("GET", "/v1/Customers", { headers: { authorization: tenant.locations[0].key } });
    expect(response.status).toBe(200);
  });

  test("Authorization: Bearer <key>, the scheme in any case", async () => {
    const tenant = await server.createTenant(1);
    for (const scheme of ["Bearer", "bearer", "BEARER"]) {
      const response = await server.call("GET", "/v1/Customers", { headers: { authorization: `${scheme} ${tenant.groupKey}` } });
      expect(response.status, scheme).toBe(200);
    }
  });

  test("a customer registered with a Bearer key is the raw key's customer too", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const created = await server.call<{ CustomerID: number; RegisteredLocationID: number }>("POST", "/v1/Customers", {
      headers: { authorization: `Bearer ${key}` },
      body: { Phone: "5554440002" },
    });
    expect(created.status).toBe(201);
    expect(created.json.RegisteredLocationID).toBe(tenant.locations[0].locationId);
    const read = await server.call("GET", `/v1/Customers/${created.json.CustomerID}`, { key });
    expect(read.status).toBe(200);
  });
});

describe("keys are stored only as a hash", () => {
  test("no api_keys row holds a plaintext key; the hash and last 4 characters are kept", async () => {
    const tenant = await server.createTenant(2);
    const extra = await server.createKey(tenant.groupId, tenant.locations[1].locationId);
    const keys = [tenant.groupKey, ...tenant.locations.map((l) => l.key), extra.Key];
    const rows = await server.database.db.selectFrom("api_keys").selectAll().where("group_id", "=", tenant.groupId).execute();
    expect(rows).toHaveLength(keys.length);

    const stored = JSON.stringify(rows);
    for (const key of keys) {
      expect(stored).not.toContain(key);
      // Not even the random part without its prefix.
      expect(stored).not.toContain(key.slice("eng_xxx_".length, -6));
      const row = rows.find((r) => r.hash === hashKey(key));
      expect(row, "a row with the key's SHA-256").toBeDefined();
      expect(row!.last4).toBe(key.slice(-4));
    }
    const groupRow = rows.find((r) => r.hash === hashKey(tenant.groupKey))!;
    expect(groupRow.location_id).toBeNull();
  });

  test("a key is never logged, not even when it is refused", async () => {
    const tenant = await server.createTenant(1);
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
    try {
      const revoked = await server.createKey(tenant.groupId);
      await revokeKey(server.database.db, revoked.KeyID);
      const keys = [tenant.groupKey, withTypo(tenant.groupKey), revoked.Key, generateKey("location")];
      for (const key of keys) {
        await server.call("GET", "/v1/Customers", { key });
        await server.call("POST", "/v1/Customers", { key, body: "{broken" });
        await server.call("GET", "/v1/Nowhere", { key });
      }
      const logged = spies.flatMap((s) => s.mock.calls).map((args) => args.map(String).join(" ")).join("\n");
      for (const key of keys) expect(logged).not.toContain(key.slice(8));
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });
});

describe("several live keys per scope, so a key can be rolled without downtime", () => {
  test("two keys of one location both work, act as that location, and revoking one leaves the other", async () => {
    const tenant = await server.createTenant(1);
    const location = tenant.locations[0];
    const second = await server.createKey(tenant.groupId, location.locationId);
    expect(second.Key).not.toBe(location.key);

    const a = await server.call<{ RegisteredLocationID: number | null }>("POST", "/v1/Customers", {
      key: location.key,
      body: { Phone: "5554440003" },
    });
    const b = await server.call<{ RegisteredLocationID: number | null }>("POST", "/v1/Customers", {
      key: second.Key,
      body: { Phone: "5554440004" },
    });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.json.RegisteredLocationID).toBe(location.locationId);
    expect(b.json.RegisteredLocationID).toBe(location.locationId);

    const oldKeyId = (await server.database.db
      .selectFrom("api_keys")
      .select("id")
      .where("hash", "=", hashKey(location.key))
      .executeTakeFirstOrThrow()).id;
    await revokeKey(server.database.db, oldKeyId);
    expect((await server.call("GET", "/v1/Customers", { key: location.key })).status).toBe(401);
    const list = await server.call<unknown[]>("GET", "/v1/Customers", { key: second.Key });
    expect(list.status).toBe(200);
    expect(list.json).toHaveLength(2);
  });

  test("two group keys both act for the whole group", async () => {
    const tenant = await server.createTenant(1);
    const second = await server.createKey(tenant.groupId);
    const created = await server.call<{ CustomerID: number; RegisteredLocationID: number | null }>("POST", "/v1/Customers", {
      key: second.Key,
      body: { Email: "roll@example.com" },
    });
    expect(created.status).toBe(201);
    expect(created.json.RegisteredLocationID).toBeNull();
    expect((await server.call("GET", `/v1/Customers/${created.json.CustomerID}`, { key: tenant.groupKey })).status).toBe(200);
  });
});

describe("a key never sees another group", () => {
  const foreignCalls = (id: number) =>
    [
      ["GET", `/v1/Customers/${id}`, undefined],
      ["PUT", `/v1/Customers/${id}`, { FirstName: "Mallory" }],
      ["GET", `/v1/Customers/${id}/Offers`, undefined],
      ["GET", `/v1/Customers/${id}/Receipts`, undefined],
    ] as const;

  test("another group's customer answers exactly as a customer that does not exist", async () => {
    const owner = await server.createTenant(1);
    const other = await server.createTenant(1);
    const id = 777;
    const keys = [other.groupKey, other.locations[0].key];
    const answers = async () => {
      const texts: string[] = [];
      for (const key of keys) {
        for (const [method, path, body] of foreignCalls(id)) {
          const response = await server.call<ErrorBody>(method, path, { key, body });
          expect(response.status, `${method} ${path}`).toBe(404);
          expect(response.json.Code).toBe("not_found");
          texts.push(response.text);
        }
      }
      return texts;
    };
    const before = await answers();
    // The same id now exists in the owner's group: nothing about the other group's answers may change.
    await register(owner.locations[0].key, { CustomerID: id, Phone: "5554440777", Email: "owner@example.com", FirstName: "Frodo" });
    expect(await answers()).toEqual(before);
    // The attempted updates changed nothing.
    const mine = await server.call<{ FirstName: string }>("GET", `/v1/Customers/${id}`, { key: owner.groupKey });
    expect(mine.status).toBe(200);
    expect(mine.json.FirstName).toBe("Frodo");
  });

  test("search never returns another group's customers, whatever the filter", async () => {
    const owner = await server.createTenant(1);
    const other = await server.createTenant(1);
    await register(owner.groupKey, {
      CustomerID: 5,
      ExternalID: "OWN-5",
      Phone: "5554440555",
      Email: "secret@example.com",
      FirstName: "Samwise",
      LastName: "Gamgee",
    });
    const queries = [
      "",
      "?Phone=5554440555",
      "?Phone=0555",
      "?Email=secret@example.com",
      "?ExternalID=OWN-5",
      "?FirstName=Samwise",
      "?LastName=Gamgee",
      "?Query=Samwise",
      "?Query=5554440555",
      "?Query=secret%40example.com",
      "?Query=OWN-5",
    ];
    for (const q of queries) {
      for (const key of [other.groupKey, other.locations[0].key]) {
        const response = await server.call<unknown[]>("GET", `/v1/Customers${q}`, { key });
        expect(response.status, q).toBe(200);
        expect(response.json, q).toEqual([]);
        expect(response.headers.get("x-total-count"), q).toBe("0");
      }
      const own = await server.call<unknown[]>("GET", `/v1/Customers${q}`, { key: owner.locations[0].key });
      expect(own.json, `the owner finds it: ${q}`).toHaveLength(1);
    }
  });

  test("another group's identifiers are free: registering them is no conflict and reveals nothing", async () => {
    const owner = await server.createTenant(1);
    const other = await server.createTenant(1);
    const identity = { CustomerID: 123, ExternalID: "GGBilbo", Phone: "5551231234", Email: "bbaggens@fictionalemail.com" };
    await register(owner.groupKey, identity);
    const created = await server.call<{ CustomerID: number; RegisteredLocationID: number }>("POST", "/v1/Customers", {
      key: other.locations[0].key,
      body: identity,
    });
    expect(created.status).toBe(201);
    expect(created.json.CustomerID).toBe(123);
    expect(created.json.RegisteredLocationID).toBe(other.locations[0].locationId);
  });

  test("a location key of one group cannot read a customer of another group registered at any location", async () => {
    const owner = await server.createTenant(2);
    const other = await server.createTenant(2);
    const customer = await register(owner.locations[1].key, { Phone: "5554440888" });
    for (const key of [other.groupKey, ...other.locations.map((l) => l.key)]) {
      expect((await server.call("GET", `/v1/Customers/${customer.CustomerID}`, { key })).status).toBe(404);
    }
    // Every key of the owner's group reads it.
    for (const key of [owner.groupKey, ...owner.locations.map((l) => l.key)]) {
      expect((await server.call("GET", `/v1/Customers/${customer.CustomerID}`, { key })).status).toBe(200);
    }
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
