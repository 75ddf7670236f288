// The wire format over real HTTP (ENGAGE_API.md §2): content types and body limits, the error
// body, binding (case-insensitive names, unknown and server-owned properties), paths and
// query names, money.
import http from "node:http";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
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

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * A request exactly as given: fetch would add a Content-Type of its own to a string body, and
 * cannot send a chunked body of a known size.
 */
function raw(
  method: string,
  path: string,
  { headers = {}, body, chunked = false }: { headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean } = {},
): Promise<RawResponse> {
  const url = new URL(server.baseUrl + path);
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
    const allHeaders: Record<string, string> = { ...headers };
    if (payload && !chunked) allHeaders["content-length"] = String(payload.length);
    if (payload && chunked) allHeaders["transfer-encoding"] = "chunked";
    const req = http.request(
      { host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers: allHeaders },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    // The server may answer 413 and close before the whole body is written.
    req.on("error", (e: NodeJS.ErrnoException) => (e.code === "EPIPE" || e.code === "ECONNRESET" ? undefined : reject(e)));
    if (payload && chunked) {
      for (let i = 0; i < payload.length; i += 64 * 1024) req.write(payload.subarray(i, i + 64 * 1024));
    } else if (payload) {
      req.write(payload);
    }
    req.end();
  });
}

/** Asserts the contract's error shape and returns the body. */
function expectError(response: { status: number; headers: Headers | http.IncomingHttpHeaders; text: string }, status: number, code: string): ErrorBody {
  expect(response.status, response.text).toBe(status);
  const contentType = response.headers instanceof Headers ? response.headers.get("content-type") : response.headers["content-type"];
  expect(contentType).toMatch(/^application\/json(;|$)/);
  const body = JSON.parse(response.text) as ErrorBody;
  expect(typeof body.Message).toBe("string");
  expect(body.Message.length).toBeGreaterThan(0);
  expect(body.Code).toBe(code);
  if (body.ModelState !== undefined) {
    for (const [key, messages] of Object.entries(body.ModelState)) {
      expect(Array.isArray(messages), key).toBe(true);
      for (const m of messages) expect(typeof m).toBe("string");
    }
  }
  return body;
}

const json = { "content-type": "application/json" };
const bob = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ Phone: "5551231234", FirstName: "Bob", ...overrides });

async function customerCount(groupId: number): Promise<number> {
  const row = await server.database.db
    .selectFrom("customers")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("group_id", "=", groupId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function registerCustomer(key: string, body: Record<string, unknown>) {
  const response = await server.call<{ CustomerID: number }>("POST", "/v1/Customers", { key, body });
  expect(response.status, response.text).toBe(201);
  return response.json;
}

describe("Content-Type: a request with a body must be application/json", () => {
  test("a missing Content-Type is 415 and stores nothing", async () => {
    const tenant = await server.createTenant(1);
    const response = await raw("POST", "/v1/Customers", { headers: { authorization: tenant.groupKey }, body: bob() });
    expectError(response, 415, "unsupported_media_type");
    expect(await customerCount(tenant.groupId)).toBe(0);
  });

  test.each([
    "text/plain",
    "text/plain; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "text/html",
    "application/jsonp",
    "json",
    // Only application/json itself: the contract allows no structured-syntax relatives.
    "application/vnd.api+json",
    "application/problem+json",
  ])("Content-Type %s is 415 on POST and PUT", async (contentType) => {
    const tenant = await server.createTenant(1);
    const headers = { authorization: tenant.groupKey, "content-type": contentType };
    expectError(await raw("POST", "/v1/Customers", { headers, body: bob() }), 415, "unsupported_media_type");
    expect(await customerCount(tenant.groupId)).toBe(0);

    const customer = await registerCustomer(tenant.groupKey, { Phone: "5551231234", FirstName: "Bob" });
    const put = await raw("PUT", `/v1/Customers/${customer.CustomerID}`, { headers, body: JSON.stringify({ FirstName: "Robert" }) });
    expectError(put, 415, "unsupported_media_type");
    const after = await server.call<{ FirstName: string }>("GET", `/v1/Customers/${customer.CustomerID}`, { key: tenant.groupKey });
    expect(after.json.FirstName).toBe("Bob");
  });

  test("application/json with a charset parameter, or in another case, is accepted", async () => {
    const tenant = await server.createTenant(1);
    const variants = [
      "application/json",
      "application/json; charset=utf-8",
      "application/json;charset=UTF-8",
      "Application/JSON",
      "APPLICATION/JSON; Charset=utf-8",
    ];
    for (const [i, contentType] of variants.entries()) {
      const response = await raw("POST", "/v1/Customers", {
        headers: { authorization: tenant.groupKey, "content-type": contentType },
        body: bob({ Phone: `555123000${i}` }),
      });
      expect(response.status, `${contentType}: ${response.text}`).toBe(201);
    }
    expect(await customerCount(tenant.groupId)).toBe(variants.length);
  });

  test("a JSON response says application/json", async () => {
    const tenant = await server.createTenant(1);
    const created = await raw("POST", "/v1/Customers", { headers: { authorization: tenant.groupKey, ...json }, body: bob() });
    expect(created.status).toBe(201);
    expect(created.headers["content-type"]).toMatch(/^application\/json(;|$)/);
    const list = await server.call("GET", "/v1/Customers", { key: tenant.groupKey });
    expect(list.headers.get("content-type")).toMatch(/^application\/json(;|$)/);
  });
});

describe("malformed JSON is 400 invalid_json", () => {
  test.each([
    ["truncated", '{"Phone": "5551231234"'],
    ["single quotes", "{'Phone': '5551231234'}"],
    ["trailing comma", '{"Phone": "5551231234",}'],
    ["bare word", "Phone=5551231234"],
    ["comment", '{"Phone": "5551231234" /* hi */}'],
    ["two documents", '{"Phone": "5551231234"} {}'],
  ])("%s", async (_name, body) => {
    const tenant = await server.createTenant(1);
    const response = await raw("POST", "/v1/Customers", { headers: { authorization: tenant.groupKey, ...json }, body });
    const error = expectError(response, 400, "invalid_json");
    expect(error.ModelState).toBeUndefined();
    expect(await customerCount(tenant.groupId)).toBe(0);
  });

  test("a JSON value that is not an object is 400 validation_failed, not a crash", async () => {
    const tenant = await server.createTenant(1);
    for (const body of ["null", "[]", '"5551231234"', "42", "true"]) {
      const response = await raw("POST", "/v1/Customers", { headers: { authorization: tenant.groupKey, ...json }, body });
      expectError(response, 400, "validation_failed");
    }
  });

  test("an empty body where one is required is 400", async () => {
    const tenant = await server.createTenant(1);
    const response = await raw("POST", "/v1/Customers", { headers: { authorization: tenant.groupKey, ...json }, body: "" });
    expect(response.status).toBe(400);
  });
});

describe("bodies over 1 MiB are 413", () => {
  const MiB = 1024 * 1024;
  /** A customer whose JSON is exactly `size` bytes: the filler is an ignored property. */
  const sized = (size: number, phone: string) => {
    const head = `{"Phone":"${phone}","Filler":"`;
    const tail = `"}`;
    return head + "x".repeat(size - head.length - tail.length) + tail;
  };

  test("1 MiB + 1 byte is 413, with a declared length or chunked, and stores nothing", async () => {
    const tenant = await server.createTenant(1);
    const body = sized(MiB + 1, "5552220001");
    expect(Buffer.byteLength(body)).toBe(MiB + 1);
    for (const chunked of [false, true]) {
      const response = await raw("POST", "/v1/Customers", { headers: { authorization: tenant.groupKey, ...json }, body, chunked });
      expectError(response, 413, "payload_too_large");
    }
    expect(await customerCount(tenant.groupId)).toBe(0);
  });

  test("a body of exactly 1 MiB is accepted", async () => {
    const tenant = await server.createTenant(1);
    for (const chunked of [false, true]) {
      const phone = chunked ? "5552220002" : "5552220003";
      const response = await raw("POST", "/v1/Customers", {
        headers: { authorization: tenant.groupKey, ...json },
        body: sized(MiB, phone),
        chunked,
      });
      expect(response.status, response.text.slice(0, 300)).toBe(201);
    }
    expect(await customerCount(tenant.groupId)).toBe(2);
  });

  test("a much larger body is 413 too, on PUT as on POST", async () => {
    const tenant = await server.createTenant(1);
    const customer = await registerCustomer(tenant.groupKey, { Phone: "5552220004" });
    const body = sized(3 * MiB, "5552220005");
    expectError(await raw("POST", "/v1/Customers", { headers: { authorization: tenant.groupKey, ...json }, body }), 413, "payload_too_large");
    expectError(
      await raw("PUT", `/v1/Customers/${customer.CustomerID}`, { headers: { authorization: tenant.groupKey, ...json }, body }),
      413,
      "payload_too_large",
    );
  });
});

describe("the error body", () => {
  test("validation errors: {Message, Code, ModelState} keyed by PascalCase property path", async () => {
    const tenant = await server.createTenant(1);
    const response = await server.call("POST", "/v1/Customers", {
      key: tenant.groupKey,
      body: { Phone: "12", Email: "not-an-email", State: "Colorado", Zipcode: "8130", Birthday: "2017-02-30" },
    });
    const error = expectError(response, 400, "validation_failed");
    expect(Object.keys(error).sort()).toEqual(["Code", "Message", "ModelState"]);
    expect(Object.keys(error.ModelState!).sort()).toEqual(["Birthday", "Email", "Phone", "State", "Zipcode"]);
  });

  test("nested paths read as Skus[0].Quantity, whatever the input's spelling", async () => {
    const tenant = await server.createTenant(1);
    const customer = await registerCustomer(tenant.groupKey, { Phone: "5552220010" });
    const response = await server.call("POST", "/v1/Receipts", {
      key: tenant.locations[0].key,
      body: {
        customerid: customer.CustomerID,
        skus: [
          { sku: "SOCKS", amount: 10.5, quantity: 2 },
          { SKU: "HAT", Amount: 5, Quantity: 0 },
        ],
        discounts: [{ description: "bad", amount: -1 }],
        subtotal: 21,
        taxes: 1.58,
        total: 22.58,
      },
    });
    const error = expectError(response, 400, "validation_failed");
    expect(error.ModelState).toHaveProperty(["Skus[1].Quantity"]);
    expect(error.ModelState).toHaveProperty(["Discounts[0].Amount"]);
    expect(Object.keys(error.ModelState!).sort()).toEqual(["Discounts[0].Amount", "Skus[1].Quantity"]);
  });

  test("a required property that is missing is named in ModelState", async () => {
    const tenant = await server.createTenant(1);
    const response = await server.call("POST", "/v1/Receipts", {
      key: tenant.locations[0].key,
      body: { CustomerID: 1, Skus: [{ Amount: 1, Quantity: 1 }], SubTotal: 1, Total: 1 },
    });
    const error = expectError(response, 400, "validation_failed");
    expect(Object.keys(error.ModelState!).sort()).toEqual(["Skus[0].SKU", "Taxes"]);
  });

  test("401, 404, 405, 409, 413 and 415 all have the shape, without ModelState where nothing was validated", async () => {
    const tenant = await server.createTenant(1);
    await registerCustomer(tenant.groupKey, { Phone: "5552220020" });
    const cases: [Promise<RawResponse | { status: number; headers: Headers; text: string }>, number, string][] = [
      [server.call("GET", "/v1/Customers"), 401, "unauthorized"],
      [server.call("GET", "/v1/Customers/424242", { key: tenant.groupKey }), 404, "not_found"],
      [server.call("DELETE", "/v1/Customers/1", { key: tenant.groupKey }), 405, "method_not_allowed"],
      [raw("POST", "/v1/Customers", { headers: { authorization: tenant.groupKey, "content-type": "text/plain" }, body: "{}" }), 415, "unsupported_media_type"],
    ];
    for (const [promise, status, code] of cases) {
      const error = expectError(await promise, status, code);
      expect(error.ModelState, code).toBeUndefined();
    }
    const conflict = expectError(
      await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: "5552220020" } }),
      409,
      "conflict",
    );
    expect(conflict.ModelState).toHaveProperty("Phone");
  });

  test("errors carry no stack trace and no SQL", async () => {
    const tenant = await server.createTenant(1);
    await registerCustomer(tenant.groupKey, { CustomerID: 9, Phone: "5552220030", Email: "taken@example.com" });
    const responses = [
      await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Email: "taken@example.com" } }),
      await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { CustomerID: 9, Phone: "5552220031" } }),
      await server.call("POST", "/v1/Customers", { key: tenant.groupKey, body: { Phone: { $gt: "" }, FirstName: ["x"] } }),
      await server.call("PUT", "/v1/Customers/9", { key: tenant.groupKey, body: { Phone: null, Email: null } }),
      await server.call("GET", "/v1/Customers?PageSize=1;drop table customers", { key: tenant.groupKey }),
      await server.call("GET", "/v1/Customers/9'%20or%201=1--", { key: tenant.groupKey }),
      await server.call("GET", "/v1/Customers?Query=%27%3B%20select%201%3B--", { key: tenant.groupKey }),
    ];
    for (const r of responses) {
      expect(r.text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|SQLITE_|syntax error|\b(select|insert into|update \w+ set)\b.*\b(from|values|where)\b/i);
    }
    expect(responses[6].status).toBe(200);
  });

  test("an unexpected failure is a generic 500 with the request id: no stack, no SQL, no table names", async () => {
    const tenant = await server.createTenant(1);
    const errorLog = vi.spyOn(console, "error").mockImplementation(() => {});
    // Break the database under the API for one request: the only honest way to make it fail.
    await sql`alter table consent_changes rename to consent_changes_gone`.execute(server.database.db);
    let response: Awaited<ReturnType<TestServer["call"]>>;
    let logged: string;
    try {
      response = await server.call("POST", "/v1/Customers", {
        key: tenant.groupKey,
        body: { Phone: "5552220040", AcceptsSMS: true },
        headers: { "x-request-id": "req-500-test" },
      });
      logged = errorLog.mock.calls.map((args) => String(args[0])).join("\n");
    } finally {
      await sql`alter table consent_changes_gone rename to consent_changes`.execute(server.database.db);
      errorLog.mockRestore();
    }
    const error = expectError(response, 500, "internal_error");
    expect(Object.keys(error).sort()).toEqual(["Code", "Message"]);
    expect(response.text).toContain("req-500-test");
    expect(response.text).not.toMatch(/consent_changes|insert|sql|\n\s+at |\.ts\b|relation|table/i);
    // Logged for the operators, with the request id to find it by.
    expect(logged).toContain("req-500-test");
    // The failed registration was rolled back as a whole.
    expect(await customerCount(tenant.groupId)).toBe(0);
  });
});

describe("paths and query names", () => {
  test.each(["/v1/Customers", "/V1/customers/", "/v1/CUSTOMERS", "/V1/Customers/", "/v1/customers"])(
    "%s is the customers collection, for GET and POST",
    async (path) => {
      const tenant = await server.createTenant(1);
      const created = await server.call<{ CustomerID: number }>("POST", path, { key: tenant.groupKey, body: { Phone: "5552220050" } });
      expect(created.status).toBe(201);
      expect(created.headers.get("location")).toBe(`/v1/Customers/${created.json.CustomerID}`);
      const list = await server.call<{ CustomerID: number }[]>("GET", path, { key: tenant.groupKey });
      expect(list.status).toBe(200);
      expect(list.json.map((c) => c.CustomerID)).toEqual([created.json.CustomerID]);
    },
  );

  test("one customer's path in any case, with a trailing slash, for GET and PUT", async () => {
    const tenant = await server.createTenant(1);
    await registerCustomer(tenant.groupKey, { CustomerID: 31, Phone: "5552220060" });
    for (const path of ["/V1/CUSTOMERS/31/", "/v1/customers/31", "/V1/Customers/31/"]) {
      expect((await server.call("GET", path, { key: tenant.groupKey })).status, path).toBe(200);
      const put = await server.call<{ City: string }>("PUT", path, { key: tenant.groupKey, body: { City: path } });
      expect(put.status, path).toBe(200);
      expect(put.json.City).toBe(path);
    }
    for (const path of ["/V1/customers/31/offers/", "/v1/CUSTOMERS/31/Receipts"]) {
      expect((await server.call("GET", path, { key: tenant.groupKey })).status, path).toBe(200);
    }
  });

  test("query parameter names match case-insensitively", async () => {
    const tenant = await server.createTenant(1);
    for (let i = 0; i < 3; i++) {
      await registerCustomer(tenant.groupKey, { Phone: `555222007${i}`, FirstName: "Pippin", LastName: `Took${i}` });
    }
    await registerCustomer(tenant.groupKey, { Phone: "5552220079", FirstName: "Merry" });
    for (const q of ["firstname=Pippin&pagesize=2", "FIRSTNAME=pippin&PAGESIZE=2", "FirstName=PIPPIN&PageSize=2"]) {
      const response = await server.call<{ FirstName: string }[]>("GET", `/v1/Customers?${q}`, { key: tenant.groupKey });
      expect(response.status, q).toBe(200);
      expect(response.json.map((c) => c.FirstName), q).toEqual(["Pippin", "Pippin"]);
      expect(response.headers.get("x-total-count"), q).toBe("3");
    }
    const page = await server.call<{ LastName: string }[]>("GET", "/v1/Customers?FIRSTNAME=pippin&pagesize=2&PAGE=2", {
      key: tenant.groupKey,
    });
    expect(page.json.map((c) => c.LastName)).toEqual(["Took2"]);
    const invalid = await server.call("GET", "/v1/Customers?pagesize=201", { key: tenant.groupKey });
    expect(expectError(invalid, 400, "validation_failed").ModelState).toHaveProperty("PageSize");
  });

  test.each([
    ["GET", "/v1/Nope"],
    ["GET", "/v1"],
    ["GET", "/v1/"],
    ["POST", "/v1/Customer"],
    ["GET", "/v1/Customers/1/Nope"],
    ["GET", "/v1/Customers/abc"],
    ["GET", "/v1/Customers/0"],
    ["GET", "/v1/Customers/-1"],
    ["GET", "/v1/Customers/1.5"],
    ["GET", "/v2/Customers"],
  ])("%s %s is a JSON 404", async (method, path) => {
    const tenant = await server.createTenant(1);
    const response = await server.call(method, path, { key: tenant.groupKey, body: method === "POST" ? {} : undefined });
    expectError(response, 404, "not_found");
  });

  test.each([
    ["DELETE", "/v1/Customers/1"],
    ["PATCH", "/v1/Customers/1"],
    ["POST", "/v1/Customers/1"],
    ["PUT", "/v1/Customers"],
    ["DELETE", "/v1/Customers"],
    ["POST", "/v1/Customers/1/Offers"],
  ])("%s %s is 405 naming the allowed methods", async (method, path) => {
    const tenant = await server.createTenant(1);
    await registerCustomer(tenant.groupKey, { CustomerID: 1, Phone: "5552220080" });
    const response = await server.call(method, path, {
      key: tenant.groupKey,
      body: ["POST", "PUT", "PATCH"].includes(method) ? { FirstName: "X" } : undefined,
    });
    expectError(response, 405, "method_not_allowed");
    const allow = response.headers.get("allow") ?? "";
    expect(allow).not.toContain(method);
    expect(allow).toMatch(/GET/);
    // Nothing happened to the customer.
    const after = await server.call<{ FirstName: string | null }>("GET", "/v1/Customers/1", { key: tenant.groupKey });
    expect(after.json.FirstName).toBeNull();
  });
});

describe("binding: property names, unknown and server-owned properties", () => {
  test("property names match case-insensitively on input", async () => {
    const tenant = await server.createTenant(1);
    const response = await server.call<Record<string, unknown>>("POST", "/v1/Customers", {
      key: tenant.groupKey,
      body: {
        customerid: 77,
        EXTERNALID: "ext-77",
        phone: "5552220090",
        eMaIl: "Case@Example.com",
        firstname: "Rosie",
        LASTNAME: "Cotton",
        address: "1 Bagshot Row",
        city: "Hobbiton",
        state: "co",
        zipcode: "81303",
        birthday: "1990-01-02",
        acceptssms: true,
        acceptsEMAIL: true,
      },
    });
    expect(response.status, response.text).toBe(201);
    expect(response.json).toMatchObject({
      CustomerID: 77,
      ExternalID: "ext-77",
      Phone: "5552220090",
      Email: "case@example.com",
      FirstName: "Rosie",
      LastName: "Cotton",
      Address: "1 Bagshot Row",
      City: "Hobbiton",
      State: "CO",
      Zipcode: "81303",
      Birthday: "1990-01-02",
      AcceptsSMS: true,
      AcceptsEmail: true,
    });
    // Output is PascalCase only.
    for (const key of Object.keys(response.json)) expect(key[0], key).toMatch(/[A-Z]/);
  });

  test("case-insensitive binding on PUT, and a validation failure is reported in PascalCase", async () => {
    const tenant = await server.createTenant(1);
    await registerCustomer(tenant.groupKey, { CustomerID: 78, Phone: "5552220091" });
    const ok = await server.call<{ City: string; FirstName: string }>("PUT", "/v1/Customers/78", {
      key: tenant.groupKey,
      body: { city: "Bree", FIRSTNAME: "Barliman" },
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ City: "Bree", FirstName: "Barliman" });
    const bad = await server.call("PUT", "/v1/Customers/78", { key: tenant.groupKey, body: { zipcode: "nope", birthday: "x" } });
    expect(Object.keys(expectError(bad, 400, "validation_failed").ModelState!).sort()).toEqual(["Birthday", "Zipcode"]);
  });

  test("unknown properties are ignored and never echoed", async () => {
    const tenant = await server.createTenant(1);
    const response = await server.call<Record<string, unknown>>("POST", "/v1/Customers", {
      key: tenant.groupKey,
      body: { Phone: "5552220092", FavoriteColor: "green", Nested: { a: [1, 2] }, __proto__x: 1, Loyalty: null },
    });
    expect(response.status, response.text).toBe(201);
    expect(response.json).not.toHaveProperty("FavoriteColor");
    expect(response.json).not.toHaveProperty("Nested");
    expect(response.text).not.toContain("green");
  });

  test("a JSON __proto__ property neither breaks binding nor pollutes anything", async () => {
    const tenant = await server.createTenant(1);
    const response = await raw("POST", "/v1/Customers", {
      headers: { authorization: tenant.groupKey, ...json },
      body: '{"__proto__": {"Phone": "5552220099", "polluted": true}, "Email": "proto@example.com"}',
    });
    expect(response.status, response.text).toBe(201);
    const customer = JSON.parse(response.text) as { Phone: string | null; Email: string };
    expect(customer.Phone).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("server-owned properties are never taken from input, on register or on update", async () => {
    const tenant = await server.createTenant(2);
    const [first, second] = tenant.locations;
    const owned = {
      RegisteredLocationID: second.locationId,
      CreatedAt: "2000-01-01T00:00:00.000Z",
      UpdatedAt: "2000-01-01T00:00:00.000Z",
      VisitCount: 99,
      LifetimeSpend: 12345.67,
      FirstVisitAt: "2000-01-01T00:00:00.000Z",
      LastVisitAt: "2000-01-01T00:00:00.000Z",
    };
    const before = Date.now();
    const created = await server.call<Record<string, unknown>>("POST", "/v1/Customers", {
      key: first.key,
      body: { Phone: "5552220093", ...owned },
    });
    expect(created.status).toBe(201);
    const check = (c: Record<string, unknown>) => {
      expect(c.RegisteredLocationID).toBe(first.locationId);
      expect(c.VisitCount).toBe(0);
      expect(c.LifetimeSpend).toBe(0);
      expect(c.FirstVisitAt).toBeNull();
      expect(c.LastVisitAt).toBeNull();
      expect(Date.parse(c.CreatedAt as string)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(c.UpdatedAt as string)).toBeGreaterThanOrEqual(before - 1000);
    };
    check(created.json);
    const id = created.json.CustomerID as number;

    const updated = await server.call<Record<string, unknown>>("PUT", `/v1/Customers/${id}`, {
      key: tenant.groupKey,
      body: { FirstName: "Lobelia", ...owned, RegisteredLocationID: null },
    });
    expect(updated.status).toBe(200);
    expect(updated.json.FirstName).toBe("Lobelia");
    check(updated.json);
    expect(updated.json.CreatedAt).toBe(created.json.CreatedAt);
    check((await server.call<Record<string, unknown>>("GET", `/v1/Customers/${id}`, { key: tenant.groupKey })).json);
  });

  test("a ReceiptID or CreatedAt sent with a receipt is not taken", async () => {
    const tenant = await server.createTenant(1);
    const customer = await registerCustomer(tenant.groupKey, { Phone: "5552220094" });
    const forged = "0123456789abcdef0123456789abcdef";
    const response = await server.call<{ ReceiptID: string; CreatedAt: string }>("POST", "/v1/Receipts", {
      key: tenant.locations[0].key,
      body: {
        ReceiptID: forged,
        CreatedAt: "2000-01-01T00:00:00.000Z",
        CustomerID: customer.CustomerID,
        Skus: [{ SKU: "SOCKS", Amount: 10.5, Quantity: 2 }],
        SubTotal: 21,
        Taxes: 1.58,
        Total: 22.58,
      },
    });
    expect(response.status, response.text).toBe(201);
    expect(response.json.ReceiptID).not.toBe(forged);
    expect(response.json.CreatedAt.startsWith("2000")).toBe(false);
  });
});

describe("timestamps and money", () => {
  test("timestamps are ISO 8601 UTC with Z; Birthday is YYYY-MM-DD", async () => {
    const tenant = await server.createTenant(1);
    const created = await server.call<Record<string, string>>("POST", "/v1/Customers", {
      key: tenant.groupKey,
      body: { Phone: "5552220095", Birthday: "1990-12-31" },
    });
    expect(created.json.CreatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(created.json.UpdatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(created.json.Birthday).toBe("1990-12-31");
  });

  const receipt = (customerId: number, overrides: Record<string, unknown>) => ({
    CustomerID: customerId,
    Skus: [{ SKU: "SOCKS", Amount: 10.5, Quantity: 2 }],
    Discounts: [],
    SubTotal: 21,
    Taxes: 1.58,
    Total: 22.58,
    ...overrides,
  });

  test.each([
    ["SubTotal", { SubTotal: 21.00001 }],
    ["Taxes", { Taxes: 1.12345 }],
    ["Total", { Total: -22.58 }],
    ["Tip", { Tip: -0.01 }],
    ["Shipping", { Shipping: 0.00001 }],
    ["Skus[0].Amount", { Skus: [{ SKU: "SOCKS", Amount: 10.50001, Quantity: 2 }] }],
    ["Skus[0].Amount", { Skus: [{ SKU: "SOCKS", Amount: -10.5, Quantity: 2 }] }],
    ["Discounts[0].Amount", { Discounts: [{ Description: "x", Amount: 1.00005 }] }],
    ["SubTotal", { SubTotal: "21.00" }],
    ["Total", { Total: null }],
  ])("money in %s that is negative, has more than 4 decimals or is not a number is 400", async (path, overrides) => {
    const tenant = await server.createTenant(1);
    const customer = await registerCustomer(tenant.groupKey, { Phone: "5552220096" });
    const response = await server.call("POST", "/v1/Receipts", { key: tenant.locations[0].key, body: receipt(customer.CustomerID, overrides) });
    const error = expectError(response, 400, "validation_failed");
    expect(Object.keys(error.ModelState!)).toEqual([path]);
    const receipts = await server.call<unknown[]>("GET", "/v1/Receipts", { key: tenant.groupKey });
    expect(receipts.json).toEqual([]);
  });

  test("money with exactly 4 decimals is stored exactly and read back as sent", async () => {
    const tenant = await server.createTenant(1);
    const customer = await registerCustomer(tenant.groupKey, { Phone: "5552220097" });
    const response = await server.call<{ ReceiptID: string; SubTotal: number; Taxes: number; Tip: number; Total: number }>(
      "POST",
      "/v1/Receipts",
      {
        key: tenant.locations[0].key,
        body: receipt(customer.CustomerID, { SubTotal: 0.1234, Taxes: 0.0001, Tip: 0.3, Total: 1234567.8901, Shipping: 0 }),
      },
    );
    expect(response.status, response.text).toBe(201);
    const read = await server.call<typeof response.json>("GET", `/v1/Receipts/${response.json.ReceiptID}`, { key: tenant.groupKey });
    for (const r of [response.json, read.json]) {
      expect(r.SubTotal).toBe(0.1234);
      expect(r.Taxes).toBe(0.0001);
      expect(r.Tip).toBe(0.3);
      expect(r.Total).toBe(1234567.8901);
    }
    const customerAfter = await server.call<{ LifetimeSpend: number }>("GET", `/v1/Customers/${customer.CustomerID}`, {
      key: tenant.groupKey,
    });
    expect(customerAfter.json.LifetimeSpend).toBe(1234567.8901);
  });
});

describe("NUL characters are refused anywhere, in bodies and query strings", () => {
  test.each(["/v1/Receipts?SKU=a%00b", "/v1/Offers?Code=AB%00C", "/v1/Customers?Query=a%00b"])(
    "GET %s is 400, not a database error",
    async (path) => {
      const tenant = await server.createTenant(1);
      const response = await server.call<ErrorBody>("GET", path, { key: tenant.groupKey });
      expect(response.status).toBe(400);
      expect(response.json.Code).toBe("validation_failed");
    },
  );

  test("a NUL inside a receipt line is 400 keyed by its path, and nothing is stored", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    await server.call("POST", "/v1/Customers", { key, body: { CustomerID: 7, Phone: "5551230007" } });
    const response = await server.call<ErrorBody>("POST", "/v1/Receipts", {
      key,
      body: { CustomerID: 7, Skus: [{ SKU: "SO\u0000CKS", Amount: 1, Quantity: 1 }], Discounts: [{ Code: "AB\u0000" }], SubTotal: 1, Taxes: 0, Total: 1 },
    });
    expect(response.status).toBe(400);
    expect(Object.keys(response.json.ModelState ?? {}).sort()).toEqual(["Discounts[0].Code", "Skus[0].SKU"]);
    const receipts = await server.call<unknown[]>("GET", "/v1/Receipts", { key });
    expect(receipts.json).toEqual([]);
  });
});
