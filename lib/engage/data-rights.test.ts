// Customers' data rights: the export holds everything about the customer; erasure leaves no
// trace of their personal data in any table (every text column of every table is searched),
// keeps the receipts' amounts for the books and never lets the CustomerID be registered again.
// Through the API (group key only), the console's proxy (Owners only) and the CLI, audited.
import { randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TestPerson } from "../console/testing/console-session";
import type { CustomerExport, ErasedCustomer } from "./data-rights";
import { startTestServer, type Tenant, type TestServer } from "./testing/harness";

process.env.ENGAGE_CONSOLE_SECRET ??= "data-rights-test-secret-0123456789abcdefghijk";

let server: TestServer;
let tenant: Tenant;
let other: Tenant;

beforeAll(async () => {
  server = await startTestServer();
  tenant = await server.createTenant(2);
  other = await server.createTenant(1);
});
afterAll(async () => {
  if (console_) await (await console_.db.getDatabase()).close();
  await server?.close();
});

let phoneCounter = 0;
const uniquePhone = () => `555${String((Date.now() * 10 + ++phoneCounter) % 10_000_000).padStart(7, "0")}`;

interface Person {
  CustomerID: number;
  phone: string;
  email: string;
  firstName: string;
  lastName: string;
  externalId: string;
  address: string;
}

/**
 * A customer with a full life: registered by a store's POS (with an Idempotency-Key, so the
 * response is stored), consent changed, sales at two stores (one voided, one redeeming an
 * offer), a campaign's offer with its SMS and email messages queued.
 */
async function customerWithHistory(): Promise<Person> {
  const tag = randomBytes(4).toString("hex");
  const person = {
    phone: uniquePhone(),
    email: `xanthe.${tag}@erasure.example`,
    firstName: `Xanthe${tag}`,
    lastName: `Quagmire${tag}`,
    externalId: `POS-${tag}`,
    address: `${tag} Erasure Lane`,
  };
  const [store1, store2] = tenant.locations;
  const registered = await server.call<{ CustomerID: number }>("POST", "/v1/Customers", {
    key: store1.key,
    headers: { "idempotency-key": `register-${tag}` },
    body: {
      FirstName: person.firstName,
      LastName: person.lastName,
      Phone: person.phone,
      Email: person.email,
      ExternalID: person.externalId,
      Address: person.address,
      City: "Durango",
      State: "CO",
      Zipcode: "81301",
      Birthday: "1985-03-14",
      AcceptsSMS: true,
    },
  });
  expect(registered.status).toBe(201);
  const id = registered.json.CustomerID;
  expect((await server.call("PUT", `/v1/Customers/${id}`, { key: tenant.groupKey, body: { AcceptsEmail: true } })).status).toBe(200);
  const sale = (key: string, amount: number, discounts: unknown[] = [], idem?: string) =>
    server.call<{ ReceiptID: string }>("POST", "/v1/Receipts", {
      key,
      headers: idem ? { "idempotency-key": idem } : {},
      body: { CustomerID: id, Skus: [{ SKU: "TREATS", Description: "Dog treats", Amount: amount, Quantity: 1 }], Discounts: discounts, SubTotal: amount, Taxes: 0, Total: amount },
    });
  expect((await sale(store1.key, 40, [], `sale-${tag}`)).status).toBe(201);
  const voided = await sale(store2.key, 15);
  expect((await server.call("POST", `/v1/Receipts/${voided.json.ReceiptID}/Void`, { key: store2.key })).status).toBe(200);
  const campaign = await server.call<{ CampaignID: number }>("POST", "/v1/Campaigns/Location", {
    key: store1.key,
    body: { AmountOff: 5, MinimumPurchase: 0, DaysTillExpiration: 30, Name: "Spring" },
  });
  expect(campaign.status).toBe(201);
  expect((await server.call("POST", `/v1/Campaigns/${campaign.json.CampaignID}/Offers`, { key: store1.key, body: [id] })).status).toBe(204);
  await server.drain();
  const offers = await server.call<{ Code: string }[]>("GET", `/v1/Customers/${id}/Offers`, { key: store1.key });
  expect(offers.json).toHaveLength(1);
  expect((await sale(store1.key, 25, [{ Code: offers.json[0].Code, Description: "Spring", Amount: 5 }])).status).toBe(201);
  return { CustomerID: id, ...person };
}

/** Every table and text column of the database, and where a value appears in them. */
async function whereFound(value: string): Promise<string[]> {
  const db = server.database.db;
  const columns: { table: string; column: string }[] = [];
  if (server.database.dialect === "sqlite") {
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
    for (const { name } of tables.rows) {
      const info = await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(db);
      for (const c of info.rows) columns.push({ table: name, column: c.name });
    }
  } else {
    const info = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and data_type in ('text', 'character varying', 'character', 'json', 'jsonb')`.execute(db);
    for (const c of info.rows) columns.push({ table: c.table_name, column: c.column_name });
  }
  expect(columns.length).toBeGreaterThan(50);
  const found: string[] = [];
  for (const { table, column } of columns) {
    const hit = await sql<{ n: number }>`select count(*) as n from ${sql.id(table)} where cast(${sql.id(column)} as text) like ${`%${value}%`}`.execute(db);
    if (Number(hit.rows[0].n) > 0) found.push(`${table}.${column}`);
  }
  return found;
}

const personalValues = (p: Person) => [p.phone, p.email, p.firstName, p.lastName, p.externalId, p.address];

async function books(customerId: number) {
  const db = server.database.db;
  const customer = await db
    .selectFrom("customers")
    .select(["id", "visit_count", "lifetime_spend_e4", "first_visit_at", "last_visit_at", "erased_at"])
    .where("group_id", "=", tenant.groupId)
    .where("customer_id", "=", customerId)
    .executeTakeFirstOrThrow();
  const receipts = await db
    .selectFrom("receipts")
    .select(["id", "location_id", "subtotal_e4", "taxes_e4", "total_e4", "created_at", "voided_at"])
    .where("customer_pk", "=", customer.id)
    .orderBy("id")
    .execute();
  const lines = await db.selectFrom("receipt_lines").selectAll().where("receipt_id", "in", receipts.map((r) => r.id)).orderBy("receipt_id").orderBy("line_no").execute();
  const offers = await db.selectFrom("offers").select(["id", "amount_off_e4", "redeemed_receipt_id"]).where("customer_pk", "=", customer.id).execute();
  return { customer, receipts, lines, offers };
}

describe("export (GET /v1/Customers/{CustomerID}/Export)", () => {
  test("everything about the customer: details, consent history, receipts at every store, offers, messages", async () => {
    const p = await customerWithHistory();
    const response = await server.call<CustomerExport>("GET", `/v1/Customers/${p.CustomerID}/Export`, { key: tenant.groupKey });
    expect(response.status).toBe(200);
    const data = response.json;
    expect(data.Customer).toMatchObject({ CustomerID: p.CustomerID, Phone: p.phone, Email: p.email, FirstName: p.firstName, Birthday: "1985-03-14", VisitCount: 2 });
    expect(data.ConsentHistory.map((c) => [c.Channel, c.Accepted])).toEqual([
      ["Email", true],
      ["SMS", true],
    ]);
    expect(data.Receipts).toHaveLength(3);
    expect(new Set(data.Receipts.map((r) => r.LocationID))).toEqual(new Set(tenant.locations.map((l) => l.locationId)));
    expect(data.Receipts.filter((r) => r.Voided)).toHaveLength(1);
    expect(data.Offers).toHaveLength(1);
    expect(data.Offers[0].Status).toBe("Redeemed");
    expect(data.Notifications.map((n) => [n.Channel, n.Recipient]).sort()).toEqual([
      ["Email", p.email],
      ["SMS", p.phone],
    ]);
    expect(Date.parse(data.ExportedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  test("the group key only: a store's key is 403, another group's key 404, an unknown id 404", async () => {
    const p = await customerWithHistory();
    const store = await server.call<{ Code: string }>("GET", `/v1/Customers/${p.CustomerID}/Export`, { key: tenant.locations[0].key });
    expect(store.status).toBe(403);
    expect(store.json.Code).toBe("forbidden");
    expect((await server.call("GET", `/v1/Customers/${p.CustomerID}/Export`, { key: other.groupKey })).status).toBe(404);
    expect((await server.call("GET", "/v1/Customers/987654321/Export", { key: tenant.groupKey })).status).toBe(404);
    expect((await server.call("GET", `/v1/Customers/${p.CustomerID}/Export`, { key: null })).status).toBe(401);
  });
});

describe("erase (POST /v1/Customers/{CustomerID}/Erase)", () => {
  test("no table holds the customer's personal data afterwards; the books are unchanged", async () => {
    const p = await customerWithHistory();
    const bystander = await customerWithHistory();
    // The search can find them: the customer, the stored registration, the queued messages.
    expect(await whereFound(p.phone)).toEqual(expect.arrayContaining(["customers.phone", "idempotency_keys.response_body", "notifications.recipient"]));
    expect(await whereFound(p.email)).toEqual(expect.arrayContaining(["customers.email", "notifications.recipient"]));
    const before = await books(p.CustomerID);

    const erased = await server.call<ErasedCustomer>("POST", `/v1/Customers/${p.CustomerID}/Erase`, { key: tenant.groupKey });
    expect(erased.status).toBe(200);
    expect(erased.json).toEqual({ CustomerID: p.CustomerID, ErasedAt: expect.any(String), AlreadyErased: false, ReceiptsKept: 3 });

    for (const value of personalValues(p)) expect(await whereFound(value), value).toEqual([]);
    const after = await books(p.CustomerID);
    expect(after.customer.erased_at).toBe(Date.parse(erased.json.ErasedAt));
    expect({ ...after.customer, erased_at: null }).toEqual(before.customer);
    expect(after.receipts).toEqual(before.receipts);
    expect(after.lines).toEqual(before.lines);
    expect(after.offers).toEqual(before.offers);
    const row = await server.database.db.selectFrom("customers").selectAll().where("id", "=", after.customer.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ phone: null, phone_last4: null, email: null, first_name: null, last_name: null, first_name_norm: null, last_name_norm: null, external_id: null, address: null, city: null, state: null, zipcode: null, birthday: null, accepts_sms: 0, accepts_email: 0 });

    // Someone else's data is untouched.
    for (const value of personalValues(bystander)) expect(await whereFound(value), value).not.toEqual([]);
    expect((await server.call("GET", `/v1/Customers/${bystander.CustomerID}`, { key: tenant.groupKey })).status).toBe(200);
  });

  test("afterwards the customer is gone to every verb, and the CustomerID is never registered again", async () => {
    const p = await customerWithHistory();
    expect((await server.call("POST", `/v1/Customers/${p.CustomerID}/Erase`, { key: tenant.groupKey })).status).toBe(200);

    const read = await server.call<{ Message: string; Code: string }>("GET", `/v1/Customers/${p.CustomerID}`, { key: tenant.locations[0].key });
    expect(read.status).toBe(404);
    expect(read.json.Message).toMatch(/erased/);
    expect((await server.call("PUT", `/v1/Customers/${p.CustomerID}`, { key: tenant.groupKey, body: { FirstName: "Back" } })).status).toBe(404);
    expect((await server.call("GET", `/v1/Customers/${p.CustomerID}/Export`, { key: tenant.groupKey })).status).toBe(404);
    const list = await server.call<{ CustomerID: number }[]>("GET", "/v1/Customers?PageSize=200", { key: tenant.groupKey });
    expect(list.json.some((c) => c.CustomerID === p.CustomerID)).toBe(false);
    expect((await server.call<unknown[]>("GET", `/v1/Customers?Phone=${p.phone}`, { key: tenant.groupKey })).json).toEqual([]);

    const again = await server.call<{ Code: string; Message: string; Property: string; Erased: boolean; ModelState: Record<string, string[]> }>("POST", "/v1/Customers", {
      key: tenant.locations[1].key,
      body: { CustomerID: p.CustomerID, Phone: uniquePhone() },
    });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ Code: "conflict", Property: "CustomerID", ExistingCustomerID: p.CustomerID, Erased: true });
    expect(again.json.Message).toMatch(new RegExp(`CustomerID ${p.CustomerID} belonged to a customer whose data was erased`));
    expect(again.json.ModelState.CustomerID).toHaveLength(1);

    // The POS retrying its original registration creates nothing either.
    const retry = await server.call<{ Code: string; Erased: boolean }>("POST", "/v1/Customers", {
      key: tenant.locations[0].key,
      headers: { "idempotency-key": `register-${p.externalId.slice(4)}` },
      body: {
        FirstName: p.firstName,
        LastName: p.lastName,
        Phone: p.phone,
        Email: p.email,
        ExternalID: p.externalId,
        Address: p.address,
        City: "Durango",
        State: "CO",
        Zipcode: "81301",
        Birthday: "1985-03-14",
        AcceptsSMS: true,
      },
    });
    expect(retry.status).toBe(409);
    expect(retry.json).toMatchObject({ Code: "conflict", Erased: true });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");

    // A new sale for them is refused; a campaign skips them as not registered.
    const sale = await server.call("POST", "/v1/Receipts", {
      key: tenant.locations[0].key,
      body: { CustomerID: p.CustomerID, Skus: [{ SKU: "A", Amount: 1, Quantity: 1 }], Discounts: [], SubTotal: 1, Taxes: 0, Total: 1 },
    });
    expect(sale.status).toBe(400);
    const campaign = await server.call<{ CampaignID: number }>("POST", "/v1/Campaigns/Group", { key: tenant.groupKey, body: { AmountOff: 2, DaysTillExpiration: 10 } });
    expect((await server.call("POST", `/v1/Campaigns/${campaign.json.CampaignID}/Offers`, { key: tenant.groupKey, body: [p.CustomerID] })).status).toBe(204);
    await server.drain();
    const recipients = await server.call<{ CustomerID: number; Status: string; Reason: string }[]>("GET", `/v1/Campaigns/${campaign.json.CampaignID}/Offers`, { key: tenant.groupKey });
    expect(recipients.json).toEqual([{ CustomerID: p.CustomerID, Status: "Skipped", Reason: "NotRegistered", OfferID: null }]);

    // The receipts stay readable for the books, under the CustomerID.
    const receipts = await server.call<{ CustomerID: number; Total: number }[]>("GET", `/v1/Receipts?CustomerID=${p.CustomerID}`, { key: tenant.groupKey });
    expect(receipts.json.map((r) => r.Total).sort()).toEqual([15, 25, 40]);

    const twice = await server.call<ErasedCustomer>("POST", `/v1/Customers/${p.CustomerID}/Erase`, { key: tenant.groupKey });
    expect(twice.status).toBe(200);
    expect(twice.json).toMatchObject({ CustomerID: p.CustomerID, AlreadyErased: true, ReceiptsKept: 3 });
  });

  test("the group key only: a store's key is 403 and changes nothing; another group's key is 404", async () => {
    const p = await customerWithHistory();
    expect((await server.call("POST", `/v1/Customers/${p.CustomerID}/Erase`, { key: tenant.locations[0].key })).status).toBe(403);
    expect((await server.call("POST", `/v1/Customers/${p.CustomerID}/Erase`, { key: other.groupKey })).status).toBe(404);
    expect((await server.call("POST", `/v1/Customers/${p.CustomerID}/Erase`, { key: null })).status).toBe(401);
    const still = await server.call<{ Phone: string }>("GET", `/v1/Customers/${p.CustomerID}`, { key: tenant.groupKey });
    expect(still.status).toBe(200);
    expect(still.json.Phone).toBe(p.phone);
  });
});

let console_: { db: typeof import("../db") } | undefined;

describe("from the console (Owners) and the CLI, audited", () => {
  let session: typeof import("../console/testing/console-session");
  let proxy: Record<string, unknown>;
  let owner: TestPerson;
  let manager: TestPerson;

  beforeAll(async () => {
    process.env.DATABASE_URL = server.databaseUrl;
    console_ = { db: await import("../db") };
    session = await import("../console/testing/console-session");
    proxy = await import("@/app/api/engage/[...path]/route");
    owner = await session.signedInPerson(server.database, tenant.groupId, "owner");
    manager = await session.signedInPerson(server.database, tenant.groupId, "manager", tenant.locations.map((l) => l.locationId));
  });

  const viaProxy = async (who: TestPerson, method: string, path: string) => {
    const response = await session.callRoute(proxy, method, session.consoleRequest(method, `/api/engage/${path}`, { cookie: who.cookie }), {
      path: path.split("/"),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const entries = (customerId: number) =>
    server.database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("group_id", "=", tenant.groupId)
      .where("target_type", "=", "customer")
      .where("target_id", "=", String(customerId))
      .orderBy("id")
      .execute();

  test("an Owner exports and erases; a Manager is refused both, and nothing is recorded for them", async () => {
    const p = await customerWithHistory();
    expect((await viaProxy(manager, "GET", `Customers/${p.CustomerID}/Export`)).status).toBe(403);
    expect((await viaProxy(manager, "POST", `Customers/${p.CustomerID}/Erase`)).status).toBe(403);
    expect(await entries(p.CustomerID)).toEqual([]);

    const exported = await viaProxy(owner, "GET", `Customers/${p.CustomerID}/Export`);
    expect(exported.status).toBe(200);
    expect((exported.json.Customer as { Email: string }).Email).toBe(p.email);
    const erased = await viaProxy(owner, "POST", `Customers/${p.CustomerID}/Erase`);
    expect(erased.status).toBe(200);
    expect(erased.json).toMatchObject({ AlreadyErased: false, ReceiptsKept: 3 });

    const log = await entries(p.CustomerID);
    expect(log.map((e) => [e.action, e.actor, e.actor_role, e.source])).toEqual([
      ["customer.export", owner.Email, "owner", "console"],
      ["customer.erase", owner.Email, "owner", "console"],
    ]);
    expect(JSON.parse(log[1].details!)).toEqual({ AlreadyErased: false, ReceiptsKept: 3 });
    for (const value of personalValues(p)) expect(await whereFound(value), value).toEqual([]);
  });

  // Four separate processes, each starting tsx and opening the database: slow on a busy machine.
  test("the CLI: export prints the JSON, erase wants --yes, both recorded as cli:<user>", { timeout: 120_000 }, async () => {
    const p = await customerWithHistory();
    const run = promisify(execFile);
    const admin = (args: string[]) =>
      run(process.execPath, ["--import", "tsx", "--import", "./lib/node/server-only-hook.mjs", "lib/cli/main.ts", ...args], {
        env: { ...process.env, DATABASE_URL: server.databaseUrl },
      }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    const group = String(tenant.groupId);
    const exported = await admin(["customer", "export", "--group", group, "--id", String(p.CustomerID)]);
    expect(exported.code).toBe(0);
    const data = JSON.parse(exported.stdout) as CustomerExport;
    expect(data.Customer.Phone).toBe(p.phone);
    expect(data.Receipts).toHaveLength(3);

    const unconfirmed = await admin(["customer", "erase", "--group", group, "--id", String(p.CustomerID)]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain("--yes");
    expect((await server.call("GET", `/v1/Customers/${p.CustomerID}`, { key: tenant.groupKey })).status).toBe(200);

    const erased = await admin(["customer", "erase", "--group", group, "--id", String(p.CustomerID), "--yes", "--json"]);
    expect(erased.code).toBe(0);
    expect(JSON.parse(erased.stdout)).toMatchObject({ CustomerID: p.CustomerID, AlreadyErased: false, ReceiptsKept: 3 });
    for (const value of personalValues(p)) expect(await whereFound(value), value).toEqual([]);

    const unknown = await admin(["customer", "erase", "--group", group, "--id", "987654321", "--yes", "--json"]);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ Code: "not_found" });

    const log = await entries(p.CustomerID);
    expect(log.map((e) => [e.action, e.source])).toEqual([
      ["customer.export", "cli"],
      ["customer.erase", "cli"],
    ]);
    expect(log.every((e) => e.actor.startsWith("cli:"))).toBe(true);
  });
});
