// Customers over real HTTP (ENGAGE_API.md §3): register, read, update, search, consent, the
// customer's offers and receipts, and Idempotency-Key on register.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type Tenant, type TestServer } from "./testing/harness";
import type { Customer } from "./schemas/customer";

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
  Property?: string;
  ExistingCustomerID?: number;
}

/** The guide's registration payload, verbatim. */
const GUIDE_BOB = {
  CustomerID: 123,
  ExternalID: "GGBilbo",
  Phone: "5551231234",
  Email: "bbaggens@fictionalEmail.com",
  FirstName: "Bob",
  LastName: "Baggens",
  Address: "123 Fake Street",
  City: "Durango",
  State: "CO",
  Zipcode: "81303",
  Birthday: "2017-04-20",
  AcceptsSMS: true,
  AcceptsEmail: true,
};

async function register(key: string, body: Record<string, unknown>): Promise<Customer> {
  const response = await server.call<Customer>("POST", "/v1/Customers", { key, body });
  expect(response.status, response.text).toBe(201);
  return response.json;
}

async function getCustomer(key: string, id: number): Promise<Customer> {
  const response = await server.call<Customer>("GET", `/v1/Customers/${id}`, { key });
  expect(response.status, response.text).toBe(200);
  return response.json;
}

async function customerCount(groupId: number): Promise<number> {
  const row = await server.database.db
    .selectFrom("customers")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("group_id", "=", groupId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function expectInvalid(response: { status: number; text: string; json: unknown }, ...properties: string[]): ErrorBody {
  expect(response.status, response.text).toBe(400);
  const body = response.json as ErrorBody;
  expect(body.Code).toBe("validation_failed");
  expect(Object.keys(body.ModelState ?? {}).sort()).toEqual([...properties].sort());
  return body;
}

function expectConflict(response: { status: number; text: string; json: unknown }, property: string, existing: number): ErrorBody {
  expect(response.status, response.text).toBe(409);
  const body = response.json as ErrorBody;
  expect(body.Code).toBe("conflict");
  expect(Object.keys(body.ModelState ?? {})).toEqual([property]);
  expect(body.ModelState![property][0]).toMatch(new RegExp(`\\b${existing}\\b`));
  expect(body.Property).toBe(property);
  expect(body.ExistingCustomerID).toBe(existing);
  return body;
}

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe("POST /v1/Customers: register", () => {
  test("the guide's payload: 201, Location, the customer as sent with Email in lower case", async () => {
    const tenant = await server.createTenant(1);
    const location = tenant.locations[0];
    const before = Date.now();
    const response = await server.call<Customer>("POST", "/v1/Customers", { key: location.key, body: GUIDE_BOB });
    expect(response.status, response.text).toBe(201);
    expect(response.headers.get("location")).toBe("/v1/Customers/123");
    expect(response.json).toEqual({
      ...GUIDE_BOB,
      Email: "bbaggens@fictionalemail.com",
      RegisteredLocationID: location.locationId,
      CreatedAt: expect.stringMatching(/Z$/),
      UpdatedAt: expect.stringMatching(/Z$/),
      VisitCount: 0,
      LifetimeSpend: 0,
      FirstVisitAt: null,
      LastVisitAt: null,
    });
    expect(Date.parse(response.json.CreatedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(response.json.CreatedAt)).toBeLessThanOrEqual(Date.now() + 1000);
    // What GET returns is what register returned.
    expect(await getCustomer(location.key, 123)).toEqual(response.json);
  });

  test("RegisteredLocationID is the key's location, null for a group key, whatever the body says", async () => {
    const tenant = await server.createTenant(2);
    const [first, second] = tenant.locations;
    const atSecond = await register(second.key, { Phone: "5553330001", RegisteredLocationID: first.locationId });
    expect(atSecond.RegisteredLocationID).toBe(second.locationId);
    const byGroup = await register(tenant.groupKey, { Phone: "5553330002", RegisteredLocationID: first.locationId });
    expect(byGroup.RegisteredLocationID).toBeNull();
    // Every key of the group reads both.
    for (const key of [tenant.groupKey, first.key, second.key]) {
      expect((await getCustomer(key, atSecond.CustomerID)).RegisteredLocationID).toBe(second.locationId);
      expect((await getCustomer(key, byGroup.CustomerID)).RegisteredLocationID).toBeNull();
    }
  });

  test("minimal registrations: any one of Phone, Email or ExternalID is enough; the rest defaults", async () => {
    const tenant = await server.createTenant(1);
    const byPhone = await register(tenant.groupKey, { Phone: "5553330003" });
    const byEmail = await register(tenant.groupKey, { Email: "only@example.com" });
    const byExternal = await register(tenant.groupKey, { ExternalID: "POS-1" });
    for (const c of [byPhone, byEmail, byExternal]) {
      expect(c.AcceptsSMS).toBe(false);
      expect(c.AcceptsEmail).toBe(false);
      expect(c.FirstName).toBeNull();
      expect(c.Birthday).toBeNull();
      expect(c.VisitCount).toBe(0);
      expect(c.LifetimeSpend).toBe(0);
    }
    expect(byEmail.Phone).toBeNull();
    expect(byExternal.Email).toBeNull();
  });

  test.each([
    ["an empty body", {}],
    ["names only", { FirstName: "Bob", LastName: "Baggens" }],
    ["empty identifiers", { Phone: "", Email: "", ExternalID: "", FirstName: "Bob" }],
    ["blank identifiers", { Phone: "  ", Email: " ", ExternalID: "   " }],
    ["null identifiers", { Phone: null, Email: null, ExternalID: null, CustomerID: 5 }],
  ])("at least one of Phone, Email or ExternalID is required: %s is 400", async (_name, body) => {
    const tenant = await server.createTenant(1);
    const response = await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body });
    expect(response.status, response.text).toBe(400);
    const error = response.json as ErrorBody;
    expect(error.Code).toBe("validation_failed");
    expect(Object.keys(error.ModelState!).some((k) => ["Phone", "Email", "ExternalID"].includes(k))).toBe(true);
    expect(await customerCount(tenant.groupId)).toBe(0);
  });

  describe("CustomerID", () => {
    test("the server assigns one when absent, and never one the POS chose", async () => {
      const tenant = await server.createTenant(1);
      const key = tenant.groupKey;
      const first = await register(key, { Phone: "5553330010" });
      expect(Number.isInteger(first.CustomerID)).toBe(true);
      expect(first.CustomerID).toBeGreaterThan(0);
      const chosen = [first.CustomerID + 1, first.CustomerID + 2, first.CustomerID + 5];
      for (const [i, id] of chosen.entries()) {
        expect((await register(key, { CustomerID: id, Phone: `555333002${i}` })).CustomerID).toBe(id);
      }
      const assigned: number[] = [];
      for (let i = 0; i < 6; i++) {
        const c = await register(key, { Email: `auto${i}@example.com` });
        const response = await server.call("GET", `/v1/Customers/${c.CustomerID}`, { key });
        expect(response.status).toBe(200);
        assigned.push(c.CustomerID);
      }
      const all = [first.CustomerID, ...chosen, ...assigned];
      expect(new Set(all).size).toBe(all.length);
      for (const id of assigned) expect(id).toBeGreaterThan(0);
      expect(await customerCount(tenant.groupId)).toBe(all.length);
    });

    test("an id the server assigned cannot be chosen again", async () => {
      const tenant = await server.createTenant(1);
      const assigned = await register(tenant.groupKey, { Phone: "5553330030" });
      const response = await server.call("POST", "/v1/Customers", {
        key: tenant.groupKey,
        body: { CustomerID: assigned.CustomerID, Phone: "5553330031" },
      });
      expectConflict(response, "CustomerID", assigned.CustomerID);
    });

    test("concurrent registrations without an id all get distinct ids", async () => {
      const tenant = await server.createTenant(1);
      await register(tenant.groupKey, { CustomerID: 3, Phone: "5553330040" });
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          server.call<Customer>("POST", "/v1/Customers", { key: tenant.locations[0].key, body: { Email: `c${i}@example.com` } }),
        ),
      );
      for (const r of responses) expect(r.status, r.text).toBe(201);
      const ids = responses.map((r) => r.json.CustomerID);
      expect(new Set([...ids, 3]).size).toBe(9);
    });

    test.each([[0], [-1], [1.5], ["123"], [true], [Number.MAX_SAFE_INTEGER + 2]])("CustomerID %s is 400", async (id) => {
      const tenant = await server.createTenant(1);
      const response = await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { CustomerID: id, Phone: "5553330050" } });
      expectInvalid(response, "CustomerID");
      expect(await customerCount(tenant.groupId)).toBe(0);
    });
  });

  describe("Phone", () => {
    test.each([
      ["5551231234", "5551231234"],
      ["(555) 123-1234", "5551231234"],
      ["+1 555 123 1234", "5551231234"],
      ["1-555-123-1234", "5551231234"],
      ["555.123.1234", "5551231234"],
      ["+15551231234", "5551231234"],
      ["15551231234", "5551231234"],
      [" 555 123 1234 ", "5551231234"],
      ["+1 (970) 555-0100", "9705550100"],
    ])("%j is stored as 10 digits", async (phone, stored) => {
      const tenant = await server.createTenant(1);
      const created = await register(tenant.groupKey, { Phone: phone });
      expect(created.Phone).toBe(stored);
      expect((await getCustomer(tenant.groupKey, created.CustomerID)).Phone).toBe(stored);
      const row = await server.database.db
        .selectFrom("customers")
        .select("phone")
        .where("group_id", "=", tenant.groupId)
        .executeTakeFirstOrThrow();
      expect(row.phone).toBe(stored);
    });

    test.each([
      "555-1234",
      "12345",
      "555123123",
      "55512312345",
      "25551231234",
      "+44 20 7946 0958",
      "555-123-ABCD",
      "555 123 1234 ext 5",
      "1-800-FLOWERS",
      "0551231234",
      "1551231234",
      "+1 +1 555 123 1234 1",
      "++++",
    ])("%j is 400", async (phone) => {
      const tenant = await server.createTenant(1);
      const response = await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: phone, Email: "p@example.com" } });
      expectInvalid(response, "Phone");
      expect(await customerCount(tenant.groupId)).toBe(0);
    });

    test("a phone that is not a string is 400", async () => {
      const tenant = await server.createTenant(1);
      for (const phone of [{ n: "5551231234" }, ["5551231234"], true]) {
        const response = await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: phone, Email: "p@example.com" } });
        expectInvalid(response, "Phone");
      }
    });
  });

  describe("Email", () => {
    test("stored lower-case and trimmed", async () => {
      const tenant = await server.createTenant(1);
      const created = await register(tenant.groupKey, { Email: "  Mixed.Case+Tag@Example.COM " });
      expect(created.Email).toBe("mixed.case+tag@example.com");
    });

    test.each(["bob", "bob@", "@example.com", "bob@example", "bob smith@example.com", "bob@@example.com", "bob@exa mple.com", `${"a".repeat(250)}@example.com`])(
      "%j is 400",
      async (email) => {
        const tenant = await server.createTenant(1);
        const response = await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Email: email, Phone: "5553330060" } });
        expectInvalid(response, "Email");
      },
    );
  });

  describe("State, Zipcode, Birthday", () => {
    test("a 2-letter US state code is accepted, stored upper-case", async () => {
      const tenant = await server.createTenant(1);
      expect((await register(tenant.groupKey, { Phone: "5553330070", State: "CO" })).State).toBe("CO");
      expect((await register(tenant.groupKey, { Phone: "5553330071", State: "ny" })).State).toBe("NY");
      expect((await register(tenant.groupKey, { Phone: "5553330072", State: "DC" })).State).toBe("DC");
    });

    test.each(["Colorado", "XX", "C", "COL", "C0", "ZZ", "12"])("State %j is 400", async (state) => {
      const tenant = await server.createTenant(1);
      expectInvalid(await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: "5553330073", State: state } }), "State");
    });

    test.each(["81303", "81303-1234", "00501"])("Zipcode %j is accepted as sent", async (zip) => {
      const tenant = await server.createTenant(1);
      expect((await register(tenant.groupKey, { Phone: "5553330074", Zipcode: zip })).Zipcode).toBe(zip);
    });

    test.each(["8130", "813031", "81303-12", "813031234", "81303 1234", "ABCDE", "81303-", "K1A 0B1"])("Zipcode %j is 400", async (zip) => {
      const tenant = await server.createTenant(1);
      expectInvalid(await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: "5553330075", Zipcode: zip } }), "Zipcode");
    });

    test.each(["2017-04-20", "2016-02-29", "2000-02-29", "1950-12-31"])("Birthday %s is a real date", async (day) => {
      const tenant = await server.createTenant(1);
      expect((await register(tenant.groupKey, { Phone: "5553330076", Birthday: day })).Birthday).toBe(day);
    });

    test("a Birthday of yesterday is fine", async () => {
      const tenant = await server.createTenant(1);
      expect((await register(tenant.groupKey, { Phone: "5553330077", Birthday: isoDay(-1) })).Birthday).toBe(isoDay(-1));
    });

    test.each([
      ["not a real day", "2017-02-30"],
      ["not a leap year", "2017-02-29"],
      ["1900 was not a leap year", "1900-02-29"],
      ["month 13", "2017-13-01"],
      ["month 0", "2017-00-10"],
      ["day 32", "2017-01-32"],
      ["unpadded", "2017-4-20"],
      ["US order", "04/20/2017"],
      ["a time", "2017-04-20T00:00:00Z"],
      ["words", "yesterday"],
      ["in the future", isoDay(3)],
      ["far in the future", "2999-01-01"],
    ])("Birthday %s (%s) is 400", async (_why, day) => {
      const tenant = await server.createTenant(1);
      expectInvalid(await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: "5553330078", Birthday: day } }), "Birthday");
      expect(await customerCount(tenant.groupId)).toBe(0);
    });
  });

  describe("length limits", () => {
    test.each([
      ["ExternalID", 64],
      ["FirstName", 100],
      ["LastName", 100],
      ["Address", 200],
      ["City", 100],
    ])("%s: %i characters are fine, one more is 400", async (property, max) => {
      const tenant = await server.createTenant(1);
      const ok = await register(tenant.groupKey, { Phone: "5553330080", [property]: "x".repeat(max) });
      expect(ok[property as keyof Customer]).toBe("x".repeat(max));
      const tooLong = await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: "5553330081", [property]: "y".repeat(max + 1) } });
      expectInvalid(tooLong, property);
      expect(await customerCount(tenant.groupId)).toBe(1);
    });

    test("several invalid properties are all reported at once", async () => {
      const tenant = await server.createTenant(1);
      const response = await server.call("POST", "/v1/Customers", {
        key: tenant.groupKey,
        body: { Phone: "123", Email: "x", FirstName: "f".repeat(101), State: "XX", Zipcode: "1", Birthday: "2017-02-30", AcceptsSMS: "yes" },
      });
      expectInvalid(response, "Phone", "Email", "FirstName", "State", "Zipcode", "Birthday", "AcceptsSMS");
    });
  });

  test("text fields with control characters are 400, not a database error", async () => {
    const tenant = await server.createTenant(1);
    for (const property of ["ExternalID", "FirstName", "LastName", "Address", "City", "Email"]) {
      for (const bad of ["Bo\u0000b", "Bo\u0007b", "Bo\u001bb"]) {
        const value = property === "Email" ? `${bad}@example.com` : bad;
        const response = await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: "5553330085", [property]: value } });
        expectInvalid(response, property);
      }
    }
    expect(await customerCount(tenant.groupId)).toBe(0);
    // Ordinary Unicode is kept as sent.
    const created = await register(tenant.groupKey, { Phone: "5553330086", FirstName: "Zoë", LastName: "Ōtsuka-Núñez", City: "São Paulo" });
    expect(created).toMatchObject({ FirstName: "Zoë", LastName: "Ōtsuka-Núñez", City: "São Paulo" });
  });

  describe("409: an identifier that already belongs to a customer of the group", () => {
    let tenant: Tenant;
    let existing: Customer;
    beforeAll(async () => {
      tenant = await server.createTenant(1);
      existing = await register(tenant.locations[0].key, GUIDE_BOB);
    });

    test.each([
      ["Phone", { Phone: "(555) 123-1234" }],
      ["Phone", { Phone: "+1 555 123 1234" }],
      ["Email", { Email: "BBAGGENS@FICTIONALEMAIL.COM" }],
      ["Email", { Email: "bbaggens@fictionalemail.com" }],
      ["ExternalID", { ExternalID: "GGBilbo" }],
      ["CustomerID", { CustomerID: 123, Phone: "5553330090" }],
    ])("%s %j: 409 naming the property and the existing CustomerID, changing nothing", async (property, body) => {
      const before = await getCustomer(tenant.groupKey, 123);
      const countBefore = await customerCount(tenant.groupId);
      const response = await server.call("POST", "/v1/Customers", {
        key: tenant.groupKey,
        body: { FirstName: "Impostor", AcceptsSMS: false, ...body },
      });
      expectConflict(response, property, existing.CustomerID);
      expect(await customerCount(tenant.groupId)).toBe(countBefore);
      expect(await getCustomer(tenant.groupKey, 123)).toEqual(before);
    });

    test("concurrent registrations of one phone: exactly one 201, the others 409 naming the winner", async () => {
      const group = await server.createTenant(1);
      const responses = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          server.call<Customer>("POST", "/v1/Customers", {
            key: i % 2 === 0 ? group.groupKey : group.locations[0].key,
            // Half choose their CustomerID, half let the server assign one.
            body: { Phone: "5553330099", FirstName: `Racer${i}`, ...(i % 3 === 0 ? { CustomerID: 100 + i } : {}) },
          }),
        ),
      );
      const created = responses.filter((r) => r.status === 201);
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      for (const r of responses.filter((x) => x.status === 409)) expectConflict(r, "Phone", created[0].json.CustomerID);
      expect(await customerCount(group.groupId)).toBe(1);
    });
  });
});

describe("GET /v1/Customers/{CustomerID}", () => {
  test("200 with the customer; 404 for an id that is not registered", async () => {
    const tenant = await server.createTenant(1);
    const created = await register(tenant.groupKey, { CustomerID: 42, Email: "g@example.com" });
    expect(await getCustomer(tenant.locations[0].key, 42)).toEqual(created);
    for (const id of [43, 999999999]) {
      const response = await server.call<ErrorBody>("GET", `/v1/Customers/${id}`, { key: tenant.groupKey });
      expect(response.status).toBe(404);
      expect(response.json.Code).toBe("not_found");
    }
  });
});

describe("PUT /v1/Customers/{CustomerID}: update", () => {
  test("a partial record replaces what it has and keeps everything else", async () => {
    const tenant = await server.createTenant(1);
    const created = await register(tenant.locations[0].key, GUIDE_BOB);
    const response = await server.call<Customer>("PUT", "/v1/Customers/123", {
      key: tenant.groupKey,
      body: { City: "Hobbiton", Email: "Bob@Shire.ME" },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.json).toEqual({
      ...created,
      City: "Hobbiton",
      Email: "bob@shire.me",
      UpdatedAt: expect.any(String),
    });
    expect(Date.parse(response.json.UpdatedAt)).toBeGreaterThanOrEqual(Date.parse(created.UpdatedAt));
    expect(await getCustomer(tenant.groupKey, 123)).toEqual(response.json);
  });

  test("an empty body changes nothing but is fine", async () => {
    const tenant = await server.createTenant(1);
    const created = await register(tenant.groupKey, GUIDE_BOB);
    const response = await server.call<Customer>("PUT", "/v1/Customers/123", { key: tenant.groupKey, body: {} });
    expect(response.status).toBe(200);
    expect({ ...response.json, UpdatedAt: created.UpdatedAt }).toEqual(created);
  });

  test("null (or an empty string) clears an optional property", async () => {
    const tenant = await server.createTenant(1);
    await register(tenant.groupKey, GUIDE_BOB);
    const response = await server.call<Customer>("PUT", "/v1/Customers/123", {
      key: tenant.groupKey,
      body: { FirstName: null, LastName: "", Address: null, City: null, State: null, Zipcode: null, Birthday: null, ExternalID: null, Phone: null },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.json).toMatchObject({
      FirstName: null,
      LastName: null,
      Address: null,
      City: null,
      State: null,
      Zipcode: null,
      Birthday: null,
      ExternalID: null,
      Phone: null,
      Email: "bbaggens@fictionalemail.com",
      AcceptsSMS: true,
    });
    expect(await getCustomer(tenant.groupKey, 123)).toEqual(response.json);
    // A cleared phone is free for someone else, and no longer found by its digits.
    await register(tenant.groupKey, { Phone: "5551231234" });
    const search = await server.call<Customer[]>("GET", "/v1/Customers?Phone=1234", { key: tenant.groupKey });
    expect(search.json.map((c) => c.CustomerID)).not.toContain(123);
  });

  test("the same validation as register", async () => {
    const tenant = await server.createTenant(1);
    const created = await register(tenant.groupKey, GUIDE_BOB);
    const response = await server.call("PUT", "/v1/Customers/123", {
      key: tenant.groupKey,
      body: { Phone: "555-1234", Email: "nope", State: "Colorado", Zipcode: "8130", Birthday: "2017-02-30", FirstName: "b".repeat(101) },
    });
    expectInvalid(response, "Phone", "Email", "State", "Zipcode", "Birthday", "FirstName");
    expect(await getCustomer(tenant.groupKey, 123)).toEqual(created);
  });

  test("phones in any format are stored as 10 digits on update too", async () => {
    const tenant = await server.createTenant(1);
    await register(tenant.groupKey, { CustomerID: 7, Email: "p@example.com" });
    const response = await server.call<Customer>("PUT", "/v1/Customers/7", { key: tenant.groupKey, body: { Phone: "+1 (970) 555-0199" } });
    expect(response.json.Phone).toBe("9705550199");
    const found = await server.call<Customer[]>("GET", "/v1/Customers?Phone=0199", { key: tenant.groupKey });
    expect(found.json.map((c) => c.CustomerID)).toEqual([7]);
  });

  test("a CustomerID in the body must equal the path's", async () => {
    const tenant = await server.createTenant(1);
    const created = await register(tenant.groupKey, GUIDE_BOB);
    await register(tenant.groupKey, { CustomerID: 124, Phone: "5553330100" });
    const response = await server.call("PUT", "/v1/Customers/123", { key: tenant.groupKey, body: { CustomerID: 124, FirstName: "Other" } });
    expectInvalid(response, "CustomerID");
    expect(await getCustomer(tenant.groupKey, 123)).toEqual(created);
    expect((await getCustomer(tenant.groupKey, 124)).FirstName).toBeNull();
    const same = await server.call<Customer>("PUT", "/v1/Customers/123", { key: tenant.groupKey, body: { CustomerID: 123, FirstName: "Robert" } });
    expect(same.status).toBe(200);
    expect(same.json.FirstName).toBe("Robert");
    expect(same.json.CustomerID).toBe(123);
  });

  test.each([
    ["Phone", { Phone: "(555) 123-1234" }],
    ["Email", { Email: "BBaggens@FictionalEmail.com" }],
    ["ExternalID", { ExternalID: "GGBilbo" }],
  ])("taking another customer's %s is 409 and changes nothing", async (property, body) => {
    const tenant = await server.createTenant(1);
    await register(tenant.groupKey, GUIDE_BOB);
    const other = await register(tenant.groupKey, { CustomerID: 200, Phone: "5553330110", Email: "other@example.com", ExternalID: "X200" });
    const response = await server.call("PUT", "/v1/Customers/200", { key: tenant.groupKey, body: { FirstName: "Changed", ...body } });
    expectConflict(response, property, 123);
    expect(await getCustomer(tenant.groupKey, 200)).toEqual(other);
  });

  test("concurrent updates taking one email: exactly one 200, the others 409 naming the winner", async () => {
    const tenant = await server.createTenant(1);
    for (let i = 1; i <= 5; i++) await register(tenant.groupKey, { CustomerID: i, Phone: `555333015${i}` });
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map((id) =>
        server.call<Customer>("PUT", `/v1/Customers/${id}`, { key: tenant.groupKey, body: { Email: "wanted@example.com", City: "Race" } }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const winner = responses.find((r) => r.status === 200)!.json.CustomerID;
    for (const r of responses.filter((x) => x.status === 409)) expectConflict(r, "Email", winner);
    const cities = await server.call<Customer[]>("GET", "/v1/Customers?PageSize=10", { key: tenant.groupKey });
    expect(cities.json.filter((c) => c.City === "Race").map((c) => c.CustomerID)).toEqual([winner]);
  });

  test("sending the customer's own identifiers back, in any format, is no conflict", async () => {
    const tenant = await server.createTenant(1);
    await register(tenant.groupKey, GUIDE_BOB);
    const response = await server.call<Customer>("PUT", "/v1/Customers/123", {
      key: tenant.groupKey,
      body: { ...GUIDE_BOB, Phone: "+1 (555) 123-1234", Email: "BBAGGENS@fictionalemail.com", FirstName: "Bobby" },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.json).toMatchObject({ Phone: "5551231234", Email: "bbaggens@fictionalemail.com", ExternalID: "GGBilbo", FirstName: "Bobby" });
  });

  test("clearing the last identifier is 400 and changes nothing; clearing one of two is fine", async () => {
    const tenant = await server.createTenant(1);
    await register(tenant.groupKey, { CustomerID: 9, Phone: "5553330120", Email: "two@example.com" });
    const one = await server.call<Customer>("PUT", "/v1/Customers/9", { key: tenant.groupKey, body: { Phone: null } });
    expect(one.status, one.text).toBe(200);
    expect(one.json).toMatchObject({ Phone: null, Email: "two@example.com" });
    const last = await server.call<ErrorBody>("PUT", "/v1/Customers/9", { key: tenant.groupKey, body: { Email: null, FirstName: "Lost" } });
    expect(last.status, last.text).toBe(400);
    expect(last.json.Code).toBe("validation_failed");
    expect(Object.keys(last.json.ModelState!).some((k) => ["Phone", "Email", "ExternalID"].includes(k))).toBe(true);
    expect(await getCustomer(tenant.groupKey, 9)).toEqual(one.json);
    const all = await server.call<ErrorBody>("PUT", "/v1/Customers/9", { key: tenant.groupKey, body: { Email: "", Phone: "", ExternalID: "" } });
    expect(all.status).toBe(400);
    // Swapping one identifier for another in one request is fine.
    const swapped = await server.call<Customer>("PUT", "/v1/Customers/9", { key: tenant.groupKey, body: { Email: null, ExternalID: "E9" } });
    expect(swapped.status, swapped.text).toBe(200);
    expect(swapped.json).toMatchObject({ Email: null, Phone: null, ExternalID: "E9" });
  });

  test("an unknown customer is 404, even with a valid body", async () => {
    const tenant = await server.createTenant(1);
    const response = await server.call<ErrorBody>("PUT", "/v1/Customers/5150", { key: tenant.groupKey, body: { FirstName: "Nobody" } });
    expect(response.status).toBe(404);
    expect(response.json.Code).toBe("not_found");
    expect(await customerCount(tenant.groupId)).toBe(0);
  });

  test("server-owned properties in the body are ignored", async () => {
    const tenant = await server.createTenant(1);
    const created = await register(tenant.locations[0].key, GUIDE_BOB);
    const response = await server.call<Customer>("PUT", "/v1/Customers/123", {
      key: tenant.groupKey,
      body: { VisitCount: 50, LifetimeSpend: 999, RegisteredLocationID: null, CreatedAt: "2001-01-01T00:00:00Z", LastVisitAt: "2001-01-01T00:00:00Z" },
    });
    expect(response.status).toBe(200);
    expect({ ...response.json, UpdatedAt: created.UpdatedAt }).toEqual(created);
  });
});

describe("consent: every change is recorded with its time and key", () => {
  async function consentRows(groupId: number) {
    const rows = await server.database.db
      .selectFrom("consent_changes")
      .innerJoin("customers", "customers.id", "consent_changes.customer_pk")
      .select([
        "customers.customer_id",
        "consent_changes.channel",
        "consent_changes.accepted",
        "consent_changes.changed_at",
        "consent_changes.actor_type",
        "consent_changes.actor_id",
      ])
      .where("consent_changes.group_id", "=", groupId)
      .orderBy("consent_changes.id")
      .execute();
    return rows.map((r) => ({ ...r, customer_id: Number(r.customer_id), changed_at: Number(r.changed_at), accepted: Number(r.accepted) }));
  }

  test("register, change, change back; a PUT that repeats the current value records nothing", async () => {
    const tenant = await server.createTenant(1);
    const posKey = await server.createKey(tenant.groupId, tenant.locations[0].locationId);
    const otherKey = await server.createKey(tenant.groupId);

    const t0 = Date.now();
    await register(posKey.Key, { CustomerID: 1, Phone: "5553330200", Email: "c@example.com", AcceptsSMS: true, AcceptsEmail: false });
    const t1 = Date.now();
    let rows = await consentRows(tenant.groupId);
    expect(rows).toEqual([
      { customer_id: 1, channel: "SMS", accepted: 1, changed_at: expect.any(Number), actor_type: "key", actor_id: String(posKey.KeyID) },
    ]);
    expect(rows[0].changed_at).toBeGreaterThanOrEqual(t0 - 5);
    expect(rows[0].changed_at).toBeLessThanOrEqual(t1 + 5);

    // Opting in to email and out of SMS with another key: two rows, that key's.
    const response = await server.call<Customer>("PUT", "/v1/Customers/1", {
      key: otherKey.Key,
      body: { AcceptsSMS: false, AcceptsEmail: true },
    });
    expect(response.json).toMatchObject({ AcceptsSMS: false, AcceptsEmail: true });
    rows = await consentRows(tenant.groupId);
    expect(rows.slice(1).map((r) => [r.channel, r.accepted, r.actor_id]).sort()).toEqual([
      ["Email", 1, String(otherKey.KeyID)],
      ["SMS", 0, String(otherKey.KeyID)],
    ]);

    // Repeating the current values, or leaving consent out, records nothing.
    await server.call("PUT", "/v1/Customers/1", { key: posKey.Key, body: { AcceptsSMS: false, AcceptsEmail: true } });
    await server.call("PUT", "/v1/Customers/1", { key: posKey.Key, body: { FirstName: "Quiet" } });
    expect(await consentRows(tenant.groupId)).toHaveLength(3);

    // Null withdraws consent like false does.
    const withdrawn = await server.call<Customer>("PUT", "/v1/Customers/1", { key: posKey.Key, body: { AcceptsEmail: null } });
    expect(withdrawn.json.AcceptsEmail).toBe(false);
    rows = await consentRows(tenant.groupId);
    expect(rows).toHaveLength(4);
    expect(rows[3]).toMatchObject({ channel: "Email", accepted: 0, actor_id: String(posKey.KeyID) });
  });

  test("registering without consent records nothing; a refused registration or update records nothing", async () => {
    const tenant = await server.createTenant(1);
    await register(tenant.groupKey, { CustomerID: 1, Phone: "5553330210", Email: "x@example.com" });
    await register(tenant.groupKey, { CustomerID: 2, Phone: "5553330211", AcceptsSMS: false, AcceptsEmail: false });
    expect(await consentRows(tenant.groupId)).toEqual([]);
    // A conflict rolls the consent back with everything else.
    const conflict = await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: "5553330210", AcceptsSMS: true } });
    expect(conflict.status).toBe(409);
    const putConflict = await server.call("PUT", "/v1/Customers/2", { key: tenant.groupKey, body: { Email: "x@example.com", AcceptsSMS: true } });
    expect(putConflict.status).toBe(409);
    expect((await getCustomer(tenant.groupKey, 2)).AcceptsSMS).toBe(false);
    expect(await consentRows(tenant.groupId)).toEqual([]);
  });
});

describe("GET /v1/Customers: search", () => {
  let tenant: Tenant;
  const ids = { bob: 1, frodo: 2, sam: 3, jose: 4 };
  beforeAll(async () => {
    tenant = await server.createTenant(2);
    await register(tenant.locations[0].key, { ...GUIDE_BOB, CustomerID: ids.bob });
    await register(tenant.locations[1].key, {
      CustomerID: ids.frodo,
      FirstName: "Frodo",
      LastName: "Baggins",
      Phone: "555-987-1234",
      Email: "frodo@shire.me",
      ExternalID: "F-2",
    });
    await register(tenant.groupKey, {
      CustomerID: ids.sam,
      FirstName: "Samwise",
      LastName: "Gamgee",
      Phone: "5550001111",
      Email: "sam@shire.me",
      ExternalID: "1234",
    });
    await register(tenant.groupKey, { CustomerID: ids.jose, FirstName: "José", LastName: "Núñez", Phone: "5552223333", Email: "jose@example.com" });
  });

  async function search(query: string, key = tenant.groupKey) {
    const response = await server.call<Customer[]>("GET", `/v1/Customers${query}`, { key });
    expect(response.status, `${query}: ${response.text}`).toBe(200);
    return { ids: response.json.map((c) => c.CustomerID), response };
  }

  test("no filter: every customer of the group, every key of the group alike", async () => {
    const all = await search("");
    expect(all.ids.sort()).toEqual([1, 2, 3, 4]);
    expect(all.response.headers.get("x-total-count")).toBe("4");
    for (const key of tenant.locations.map((l) => l.key)) expect((await search("", key)).ids.sort()).toEqual([1, 2, 3, 4]);
    // Each item is a whole customer.
    expect(all.response.json.find((c) => c.CustomerID === 1)).toEqual(await getCustomer(tenant.groupKey, 1));
  });

  test.each([
    ["?Query=Bob", [1]],
    ["?Query=bob", [1]],
    ["?Query=Baggens", [1]],
    ["?Query=bagg", [1, 2]],
    ["?Query=Bob%20Baggens", [1]],
    ["?Query=Baggens%20Bob", [1]],
    ["?Query=Frodo%20Baggens", []],
    ["?Query=5551231234", [1]],
    ["?Query=(555)%20123-1234", [1]],
    ["?Query=%2B1%20555%20123%201234", [1]],
    ["?Query=555-987-1234", [2]],
    ["?Query=bbaggens%40fictionalEmail.com", [1]],
    ["?Query=BBAGGENS%40FICTIONALEMAIL.COM", [1]],
    ["?Query=frodo%40", [2]],
    ["?Query=GGBilbo", [1]],
    ["?Query=F-2", [2]],
    ["?Query=jose", [4]],
    ["?Query=nunez", [4]],
    ["?Query=N%C3%9A%C3%91EZ", [4]],
    ["?Query=Gandalf", []],
  ])("Query: free text over name, phone, email and ExternalID %s", async (q, expected) => {
    expect((await search(q)).ids.sort()).toEqual([...expected].sort());
  });

  test("Query by the last 4 digits finds phones ending in them; an exact ExternalID comes first", async () => {
    const result = await search("?Query=1234");
    // Sam's ExternalID is "1234": an exact match, so first; Bob and Frodo's phones end in 1234.
    expect(result.ids[0]).toBe(ids.sam);
    expect(result.ids.slice(1).sort()).toEqual([1, 2]);
  });

  test.each([
    ["?Phone=5551231234", [1]],
    ["?Phone=(555)%20123-1234", [1]],
    ["?Phone=%2B1%20555%20123%201234", [1]],
    ["?Phone=1-555-123-1234", [1]],
    ["?Phone=555.987.1234", [2]],
    ["?Phone=1234", [1, 2]],
    ["?Phone=1111", [3]],
    ["?Phone=5559999999", []],
    ["?Email=bbaggens%40fictionalemail.com", [1]],
    ["?Email=BBaggens%40FictionalEmail.com", [1]],
    ["?Email=sam%40shire.me", [3]],
    ["?Email=nobody%40shire.me", []],
    ["?ExternalID=GGBilbo", [1]],
    ["?ExternalID=1234", [3]],
    ["?ExternalID=nope", []],
    ["?FirstName=Frodo", [2]],
    ["?FirstName=fro", [2]],
    ["?FirstName=JOSE", [4]],
    ["?LastName=baggins", [2]],
    ["?LastName=Gamgee", [3]],
    ["?LastName=B", [1, 2]],
    ["?FirstName=Bob&LastName=Baggins", []],
    ["?FirstName=Frodo&LastName=Baggins", [2]],
    ["?LastName=Bagg&Phone=1234&Email=frodo%40shire.me", [2]],
    ["?Query=bagg&Phone=5551231234", [1]],
  ])("filter %s", async (q, expected) => {
    const result = await search(q);
    expect(result.ids.sort()).toEqual([...expected].sort());
    expect(result.response.headers.get("x-total-count")).toBe(String(expected.length));
  });

  test("a Phone filter without digits is 400", async () => {
    const response = await server.call("GET", "/v1/Customers?Phone=abc", { key: tenant.groupKey });
    expectInvalid(response, "Phone");
  });

  test("search text with control characters or odd Unicode is answered, never a 500", async () => {
    for (const q of ["a%00b", "%F0%9F%8F%BF", "Bob%F4%8F%BF%BF", "%EF%BF%BF", "%25", "_", "'", "%5C"]) {
      for (const name of ["Query", "FirstName", "LastName", "Email", "ExternalID", "Phone"]) {
        const response = await server.call("GET", `/v1/Customers?${name}=${q}`, { key: tenant.groupKey });
        expect([200, 400], `${name}=${q}: ${response.text}`).toContain(response.status);
      }
    }
  });

  test("a name prefix ending in a character outside the BMP still finds the name", async () => {
    const group = await server.createTenant(1);
    // U+1F3FF (a skin tone modifier) is the surrogate pair D83C DFFF: the last code unit is the highest.
    await register(group.groupKey, { CustomerID: 1, Phone: "5553330310", FirstName: "Ana\u{1F44D}\u{1F3FF}x", LastName: "Emoji" });
    await register(group.groupKey, { CustomerID: 2, Phone: "5553330311", FirstName: "Ana\u{1F44D}", LastName: "Other" });
    for (const [prefix, expected] of [
      ["Ana\u{1F44D}\u{1F3FF}", [1]],
      ["Ana\u{1F44D}", [1, 2]],
      ["Ana", [1, 2]],
    ] as const) {
      const response = await server.call<Customer[]>("GET", `/v1/Customers?FirstName=${encodeURIComponent(prefix)}`, { key: group.groupKey });
      expect(response.json.map((c) => c.CustomerID).sort(), prefix).toEqual(expected);
      const query = await server.call<Customer[]>("GET", `/v1/Customers?Query=${encodeURIComponent(prefix)}`, { key: group.groupKey });
      expect(query.json.map((c) => c.CustomerID).sort(), prefix).toEqual(expected);
    }
  });

  test("exact email and ExternalID matches come before prefix matches, on every page", async () => {
    const group = await server.createTenant(1);
    await register(group.groupKey, { CustomerID: 1, Email: "bob@x.community", LastName: "Aardvark" });
    await register(group.groupKey, { CustomerID: 2, Email: "bob@x.com", LastName: "Zebra" });
    await register(group.groupKey, { CustomerID: 3, Email: "bob@x.co", LastName: "Badger" });
    const byEmail = await server.call<Customer[]>("GET", "/v1/Customers?Email=bob@x.com", { key: group.groupKey });
    expect(byEmail.json.map((c) => c.CustomerID)).toEqual([2, 1]);
    const byQuery = await server.call<Customer[]>("GET", "/v1/Customers?Query=bob@x.co", { key: group.groupKey });
    expect(byQuery.json.map((c) => c.CustomerID)).toEqual([3, 1, 2]);
    const firstPage = await server.call<Customer[]>("GET", "/v1/Customers?Query=bob@x.co&PageSize=1", { key: group.groupKey });
    expect(firstPage.json.map((c) => c.CustomerID)).toEqual([3]);

    await register(group.groupKey, { CustomerID: 4, ExternalID: "Zed", FirstName: "Anna", LastName: "Zed" });
    await register(group.groupKey, { CustomerID: 5, Phone: "5553330300", FirstName: "Zedekiah", LastName: "Abbot" });
    const byExternal = await server.call<Customer[]>("GET", "/v1/Customers?Query=Zed", { key: group.groupKey });
    expect(byExternal.json.map((c) => c.CustomerID)).toEqual([4, 5]);
  });

  describe("paging", () => {
    let paged: Tenant;
    beforeAll(async () => {
      paged = await server.createTenant(1);
      for (let i = 1; i <= 27; i++) {
        await register(paged.groupKey, { CustomerID: i, Phone: `55544400${String(i).padStart(2, "0")}`, LastName: `Page${String(i).padStart(2, "0")}` });
      }
    });

    function links(header: string | null): Record<string, string> {
      const out: Record<string, string> = {};
      for (const part of (header ?? "").split(",").filter(Boolean)) {
        const m = /<([^>]+)>\s*;\s*rel="(\w+)"/.exec(part.trim());
        expect(m, part).not.toBeNull();
        out[m![2]] = m![1];
      }
      return out;
    }

    test("25 per page by default; X-Total-Count; Link next but no prev on the first page", async () => {
      const response = await server.call<Customer[]>("GET", "/v1/Customers", { key: paged.groupKey });
      expect(response.json).toHaveLength(25);
      expect(response.headers.get("x-total-count")).toBe("27");
      const link = links(response.headers.get("link"));
      expect(Object.keys(link)).toEqual(["next"]);
      const next = new URL(link.next, server.baseUrl);
      expect(next.pathname).toBe("/v1/Customers");
      expect(next.searchParams.get("Page")).toBe("2");
      expect(next.searchParams.get("PageSize")).toBe("25");
    });

    test("following Link next reaches every customer once, and the last page links back", async () => {
      const seen: number[] = [];
      let path: string | undefined = "/v1/Customers?PageSize=10&Query=Page";
      let pages = 0;
      let last: Record<string, string> = {};
      while (path) {
        const response: Awaited<ReturnType<typeof server.call<Customer[]>>> = await server.call<Customer[]>("GET", path, { key: paged.groupKey });
        expect(response.status).toBe(200);
        expect(response.headers.get("x-total-count")).toBe("27");
        seen.push(...response.json.map((c) => c.CustomerID));
        last = links(response.headers.get("link"));
        if (pages > 0) expect(last.prev).toBeDefined();
        // The other parameters are kept.
        if (last.next) expect(new URL(last.next, server.baseUrl).searchParams.get("Query")).toBe("Page");
        path = last.next;
        pages++;
        expect(pages).toBeLessThan(10);
      }
      expect(pages).toBe(3);
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));
      expect(last.next).toBeUndefined();
      const prev = new URL(last.prev, server.baseUrl);
      expect(prev.searchParams.get("Page")).toBe("2");
      expect(prev.searchParams.get("PageSize")).toBe("10");
    });

    test("Page and PageSize pick the slice; a page past the end is empty with the total", async () => {
      const page2 = await server.call<Customer[]>("GET", "/v1/Customers?Page=2&PageSize=5", { key: paged.groupKey });
      expect(page2.json.map((c) => c.LastName)).toEqual(["Page06", "Page07", "Page08", "Page09", "Page10"]);
      expect(Object.keys(links(page2.headers.get("link"))).sort()).toEqual(["next", "prev"]);
      const beyond = await server.call<Customer[]>("GET", "/v1/Customers?Page=9&PageSize=5", { key: paged.groupKey });
      expect(beyond.json).toEqual([]);
      expect(beyond.headers.get("x-total-count")).toBe("27");
      expect(links(beyond.headers.get("link")).next).toBeUndefined();
    });

    test("PageSize 200 is the most; above it, or a bad Page or PageSize, is 400", async () => {
      const max = await server.call<Customer[]>("GET", "/v1/Customers?PageSize=200", { key: paged.groupKey });
      expect(max.status).toBe(200);
      expect(max.json).toHaveLength(27);
      expect(max.headers.get("link")).toBeNull();
      for (const [q, property] of [
        ["PageSize=201", "PageSize"],
        ["PageSize=1000", "PageSize"],
        ["PageSize=0", "PageSize"],
        ["PageSize=-5", "PageSize"],
        ["PageSize=ten", "PageSize"],
        ["Page=0", "Page"],
        ["Page=-1", "Page"],
        ["Page=1.5", "Page"],
      ]) {
        expectInvalid(await server.call("GET", `/v1/Customers?${q}`, { key: paged.groupKey }), property);
      }
    });
  });
});

describe("a customer's offers and receipts", () => {
  test("404 for an unknown customer, for another group's customer alike", async () => {
    const owner = await server.createTenant(1);
    const other = await server.createTenant(1);
    await register(owner.groupKey, { CustomerID: 55, Phone: "5553330400" });
    for (const sub of ["Offers", "Receipts"]) {
      for (const [key, id] of [
        [owner.groupKey, 56],
        [owner.locations[0].key, 56],
        [other.groupKey, 55],
        [other.locations[0].key, 55],
      ] as const) {
        const response = await server.call<ErrorBody>("GET", `/v1/Customers/${id}/${sub}`, { key });
        expect(response.status, `${sub} ${id}`).toBe(404);
        expect(response.json.Code).toBe("not_found");
      }
    }
  });

  test("a registered customer's lists: empty at first, then the receipts submitted, newest first; never another group's", async () => {
    const owner = await server.createTenant(1);
    const other = await server.createTenant(1);
    const key = owner.locations[0].key;
    await register(key, { CustomerID: 60, Phone: "5553330410" });
    await register(other.locations[0].key, { CustomerID: 60, Phone: "5553330410" });
    for (const sub of ["Offers", "Receipts"]) {
      const empty = await server.call<unknown[]>("GET", `/v1/Customers/60/${sub}`, { key });
      expect(empty.status).toBe(200);
      expect(empty.json).toEqual([]);
    }
    const receiptIds: string[] = [];
    // 0.1 + 0.2: a sum binary floating point gets wrong (0.30000000000000004).
    for (const total of [0.1, 0.2]) {
      const receipt = await server.call<{ ReceiptID: string }>("POST", "/v1/Receipts", {
        key,
        body: { CustomerID: 60, Skus: [{ SKU: "SOCKS", Amount: total, Quantity: 1 }], Discounts: [], SubTotal: total, Taxes: 0, Total: total },
      });
      expect(receipt.status, receipt.text).toBe(201);
      receiptIds.push(receipt.json.ReceiptID);
      await new Promise((r) => setTimeout(r, 5));
    }
    const receipts = await server.call<{ ReceiptID: string }[]>("GET", "/v1/Customers/60/Receipts", { key });
    expect(receipts.json.map((r) => r.ReceiptID)).toEqual([...receiptIds].reverse());
    expect(receipts.headers.get("x-total-count")).toBe("2");
    // The other group's customer 60 has none of them.
    const theirs = await server.call<unknown[]>("GET", "/v1/Customers/60/Receipts", { key: other.groupKey });
    expect(theirs.json).toEqual([]);
    // And the customer's statistics follow.
    const customer = await getCustomer(owner.groupKey, 60);
    expect(customer.VisitCount).toBe(2);
    expect(customer.LifetimeSpend).toBe(0.3);
    expect(customer.LastVisitAt).not.toBeNull();
  });
});

describe("Idempotency-Key on POST /v1/Customers", () => {
  test("the same key and body: the first response again, and one customer", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const headers = { "idempotency-key": "register-bob-1" };
    const first = await server.call<Customer>("POST", "/v1/Customers", { key, body: GUIDE_BOB, headers });
    expect(first.status).toBe(201);
    const second = await server.call<Customer>("POST", "/v1/Customers", { key, body: GUIDE_BOB, headers });
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect(second.headers.get("location")).toBe("/v1/Customers/123");
    expect(second.headers.get("content-type")).toBe(first.headers.get("content-type"));
    expect(await customerCount(tenant.groupId)).toBe(1);
  });

  test("the same resource spelled another way (case, trailing slash) is the same request", async () => {
    const tenant = await server.createTenant(1);
    const headers = { "idempotency-key": "spelling" };
    const first = await server.call<Customer>("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: "5553330505" }, headers });
    expect(first.status).toBe(201);
    const again = await server.call<Customer>("POST", "/V1/customers/", { key: tenant.groupKey, body: { Phone: "5553330505" }, headers });
    expect(again.status, again.text).toBe(201);
    expect(again.text).toBe(first.text);
    expect(await customerCount(tenant.groupId)).toBe(1);
  });

  test("without the header, the same body twice is a conflict: the replay above is the key's doing", async () => {
    const tenant = await server.createTenant(1);
    await register(tenant.groupKey, GUIDE_BOB);
    const again = await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: GUIDE_BOB });
    expect(again.status).toBe(409);
  });

  test("a replay returns the first response even after the customer changed, and stores nothing new", async () => {
    const tenant = await server.createTenant(1);
    const headers = { "idempotency-key": "assigned-id" };
    const body = { Phone: "5553330500", FirstName: "Tom" };
    const first = await server.call<Customer>("POST", "/v1/Customers", { key: tenant.groupKey, body, headers });
    expect(first.status).toBe(201);
    await server.call("PUT", `/v1/Customers/${first.json.CustomerID}`, { key: tenant.groupKey, body: { FirstName: "Bombadil" } });
    const replay = await server.call<Customer>("POST", "/v1/Customers", { key: tenant.groupKey, body, headers });
    expect(replay.status).toBe(201);
    expect(replay.json).toEqual(first.json);
    expect(await customerCount(tenant.groupId)).toBe(1);
    expect((await getCustomer(tenant.groupKey, first.json.CustomerID)).FirstName).toBe("Bombadil");
  });

  test("the same key with another body is 422 idempotency_key_reused and stores nothing", async () => {
    const tenant = await server.createTenant(1);
    const headers = { "idempotency-key": "reused" };
    const first = await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: "5553330510" }, headers });
    expect(first.status).toBe(201);
    const other = await server.call<ErrorBody>("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: "5553330511" }, headers });
    expect(other.status).toBe(422);
    expect(other.json.Code).toBe("idempotency_key_reused");
    expect(other.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await customerCount(tenant.groupId)).toBe(1);
  });

  test("keys are scoped to the API key: another key may use the same Idempotency-Key", async () => {
    const tenant = await server.createTenant(2);
    const headers = { "idempotency-key": "shared-name" };
    const a = await server.call<Customer>("POST", "/v1/Customers", { key: tenant.locations[0].key, body: { Phone: "5553330520" }, headers });
    const b = await server.call<Customer>("POST", "/v1/Customers", { key: tenant.locations[1].key, body: { Phone: "5553330521" }, headers });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.json.CustomerID).not.toBe(a.json.CustomerID);
    // The same body under another API key is a new request, so it conflicts rather than replays.
    const c = await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: "5553330520" }, headers });
    expect(c.status).toBe(409);
    expect(await customerCount(tenant.groupId)).toBe(2);
  });

  test("concurrent duplicates: one customer, and every answer is the first response or 409 in flight", async () => {
    const tenant = await server.createTenant(1);
    const headers = { "idempotency-key": "burst" };
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => server.call<Customer>("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: "5553330530" }, headers })),
    );
    const created = responses.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const r of responses) {
      if (r.status === 201) expect(r.text).toBe(created[0].text);
      else {
        expect(r.status, r.text).toBe(409);
        expect((r.json as unknown as ErrorBody).Code).toBe("idempotency_in_flight");
      }
    }
    expect(await customerCount(tenant.groupId)).toBe(1);
  });

  test("a refused request does not use up the key", async () => {
    const tenant = await server.createTenant(1);
    await register(tenant.groupKey, { Phone: "5553330540" });
    const headers = { "idempotency-key": "retry-after-fix" };
    const invalid = await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: "12" }, headers });
    expect(invalid.status).toBe(400);
    const fixed = await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: "5553330541" }, headers });
    expect(fixed.status).toBe(201);
  });
});

describe("GET /v1/Customers: Sort [extension]", () => {
  test("by name, last visit or lifetime spend, either way; customers without the value come last", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const ids: Record<string, number> = {};
    for (const [name, spend] of [["Adams", 30], ["Baker", 10], ["Clark", 20], ["Dunn", 0]] as const) {
      ids[name] = (await register(key, { LastName: name, Phone: `55512${String(Object.keys(ids).length).padStart(5, "0")}` })).CustomerID;
      if (spend > 0) {
        const r = await server.call("POST", "/v1/Receipts", {
          key,
          body: { CustomerID: ids[name], Skus: [{ SKU: "X", Amount: spend, Quantity: 1 }], SubTotal: spend, Taxes: 0, Total: spend },
        });
        expect(r.status).toBe(201);
      }
    }
    const order = async (sort: string) =>
      ((await server.call<Customer[]>("GET", `/v1/Customers?Sort=${sort}`, { key })).json).map((c) => c.LastName);
    expect(await order("name")).toEqual(["Adams", "Baker", "Clark", "Dunn"]);
    expect(await order("-name")).toEqual(["Dunn", "Clark", "Baker", "Adams"]);
    expect(await order("-lifetimeSpend")).toEqual(["Adams", "Clark", "Baker", "Dunn"]);
    expect(await order("LIFETIMESPEND")).toEqual(["Dunn", "Baker", "Clark", "Adams"]);
    // Receipts were submitted Adams, Baker, Clark in that order; Dunn never visited.
    expect(await order("-lastVisit")).toEqual(["Clark", "Baker", "Adams", "Dunn"]);
    expect(await order("lastVisit")).toEqual(["Adams", "Baker", "Clark", "Dunn"]);
  });

  test("the whole group page by page: those without the value follow the others across the pages", async () => {
    // Without a search the list is read in the index's order, customers with the value first,
    // then those without: the pages must join up as one ordered list would.
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const people = [
      { LastName: "Baker", FirstName: "Bea", spend: 10 },
      { LastName: "Adams", FirstName: "Al", spend: 30 },
      { FirstName: "Zed", spend: 0 },
      { LastName: "Clark", FirstName: "Cy", spend: 0 },
      { FirstName: "Amy", spend: 20 },
    ];
    for (const [i, { spend, ...person }] of people.entries()) {
      const customer = await register(key, { ...person, Phone: `55513${String(i).padStart(5, "0")}` });
      if (spend > 0) {
        const r = await server.call("POST", "/v1/Receipts", {
          key,
          body: { CustomerID: customer.CustomerID, Skus: [{ SKU: "X", Amount: spend, Quantity: 1 }], SubTotal: spend, Taxes: 0, Total: spend },
        });
        expect(r.status).toBe(201);
      }
    }
    const paged = async (sort: string) => {
      const names: string[] = [];
      for (let page = 1; page <= 4; page++) {
        const response = await server.call<Customer[]>("GET", `/v1/Customers?Sort=${sort}&PageSize=2&Page=${page}`, { key });
        expect(response.status).toBe(200);
        expect(response.headers.get("x-total-count")).toBe("5");
        expect(response.json.length).toBe(page <= 2 ? 2 : page === 3 ? 1 : 0);
        names.push(...response.json.map((c) => c.FirstName ?? ""));
      }
      return names;
    };
    expect(await paged("name")).toEqual(["Al", "Bea", "Cy", "Amy", "Zed"]);
    expect(await paged("-name")).toEqual(["Cy", "Bea", "Al", "Zed", "Amy"]);
    // Visits in the order Baker, Adams, Amy; Zed and Clark never came (by CustomerID among them).
    expect(await paged("-lastVisit")).toEqual(["Amy", "Al", "Bea", "Zed", "Cy"]);
    expect(await paged("lastVisit")).toEqual(["Bea", "Al", "Amy", "Zed", "Cy"]);
    expect(await paged("-lifetimeSpend")).toEqual(["Al", "Amy", "Bea", "Zed", "Cy"]);
  });

  test("an unknown sort is 400 naming the choices", async () => {
    const tenant = await server.createTenant(1);
    const response = await server.call<ErrorBody>("GET", "/v1/Customers?Sort=age", { key: tenant.groupKey });
    expect(response.status).toBe(400);
    expect(response.json.ModelState?.Sort?.[0]).toContain("lifetimeSpend");
  });
});

describe("GET /v1/Customers/{CustomerID}/ConsentHistory [extension]", () => {
  test("every consent change, newest first, with the key that made it", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const c = await register(key, { Phone: "5553330001", AcceptsSMS: true });
    await server.call("PUT", `/v1/Customers/${c.CustomerID}`, { key: tenant.groupKey, body: { AcceptsSMS: false, AcceptsEmail: true, Email: "c@example.com" } });
    // No change, no entry.
    await server.call("PUT", `/v1/Customers/${c.CustomerID}`, { key, body: { AcceptsSMS: false } });
    const history = await server.call<{ Channel: string; Accepted: boolean; ChangedAt: string; ActorType: string; Actor: string }[]>(
      "GET",
      `/v1/Customers/${c.CustomerID}/ConsentHistory`,
      { key },
    );
    expect(history.status).toBe(200);
    expect(history.json.map((h) => [h.Channel, h.Accepted, h.ActorType])).toEqual([
      ["Email", true, "key"],
      ["SMS", false, "key"],
      ["SMS", true, "key"],
    ]);
    expect(history.json[0].Actor).toBe(`eng_grp_…${tenant.groupKey.slice(-4)}`);
    expect(history.json[2].Actor).toBe(`eng_loc_…${key.slice(-4)}`);
    expect(JSON.stringify(history.json)).not.toContain(key);
  });

  test("another group's key gets 404", async () => {
    const tenant = await server.createTenant(1);
    const other = await server.createTenant(1);
    const c = await register(tenant.locations[0].key, { Phone: "5553330002" });
    expect((await server.call("GET", `/v1/Customers/${c.CustomerID}/ConsentHistory`, { key: other.groupKey })).status).toBe(404);
  });
});
