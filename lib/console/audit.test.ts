// The audit log: masking, append-only storage (the database itself refuses UPDATE and DELETE),
// the entries the console's changes leave (through the Engage proxy and the settings routes,
// called as Next calls them, with real sessions), Settings → Audit log's API with its filters
// and roles, and the CLI's entries.
import { execFile } from "node:child_process";
import os from "node:os";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type Tenant, type TestServer } from "../engage/testing/harness";
import type { AuditEntry } from "./audit-actions";
import { maskDetails, maskEmail, maskName, maskPhone, maskSearch, maskTail } from "./audit";
import type { TestPerson } from "./testing/console-session";

process.env.ENGAGE_CONSOLE_SECRET ??= "audit-test-secret-0123456789abcdefghijklmnop";

type Module = Record<string, unknown>;

let server: TestServer;
let tenant: Tenant;
let other: Tenant;
let session: typeof import("./testing/console-session");
let audit: typeof import("./audit");
let db: typeof import("../db");
let proxy: Module;
let auditRoute: Module;
let people: Module;
let owner: TestPerson;
let manager: TestPerson;
let staff: TestPerson;
let otherOwner: TestPerson;

beforeAll(async () => {
  server = await startTestServer();
  tenant = await server.createTenant(2);
  other = await server.createTenant(1);
  // The route handlers read the process's database (getDatabase): this server's.
  process.env.DATABASE_URL = server.databaseUrl;
  session = await import("./testing/console-session");
  audit = await import("./audit");
  db = await import("../db");
  proxy = await import("@/app/api/engage/[...path]/route");
  auditRoute = await import("@/app/api/settings/audit/route");
  people = await import("@/app/api/settings/people/route");
  owner = await session.signedInPerson(server.database, tenant.groupId, "owner");
  manager = await session.signedInPerson(server.database, tenant.groupId, "manager", [tenant.locations[0].locationId]);
  staff = await session.signedInPerson(server.database, tenant.groupId, "staff", [tenant.locations[0].locationId]);
  otherOwner = await session.signedInPerson(server.database, other.groupId, "owner");
});
afterAll(async () => {
  if (db) await (await db.getDatabase()).close();
  await server?.close();
});

/** Through the console's proxy, as the person: /api/engage/<path>. */
async function viaProxy(who: TestPerson, method: string, path: string, body?: unknown) {
  const segments = path.split("?")[0].split("/").filter(Boolean);
  const response = await session.callRoute(proxy, method, session.consoleRequest(method, `/api/engage/${path}`, { cookie: who.cookie, body }), {
    path: segments,
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

async function auditLog(who: TestPerson, query = ""): Promise<{ status: number; total: number; entries: AuditEntry[]; body: unknown }> {
  const response = await session.callRoute(auditRoute, "GET", session.consoleRequest("GET", `/api/settings/audit${query}`, { cookie: who.cookie }));
  const body = (await response.json()) as unknown;
  return {
    status: response.status,
    total: Number(response.headers.get("x-total-count")),
    entries: Array.isArray(body) ? (body as AuditEntry[]) : [],
    body,
  };
}

async function rows(groupId: number) {
  return server.database.db.selectFrom("audit_log").selectAll().where("group_id", "=", groupId).orderBy("id").execute();
}

describe("masking", () => {
  test("phones keep their last 4 digits, emails their first letter and domain, names their initial", () => {
    expect(maskPhone("9705551234")).toBe("…1234");
    expect(maskPhone("(970) 555-1234")).toBe("…1234");
    expect(maskPhone("12")).toBe("…");
    expect(maskPhone(null)).toBeNull();
    expect(maskEmail("jane.doe@example.com")).toBe("j…@example.com");
    expect(maskEmail("not-an-email")).toBe("…");
    expect(maskEmail("@example.com")).toBe("…");
    expect(maskName("Zoë")).toBe("Z…");
    expect(maskName("  ")).toBe("…");
    expect(maskName("😀smile")).toBe("😀…");
    expect(maskTail("POS-000123")).toBe("…0123");
    expect(maskTail("ab")).toBe("…");
    // Search text is masked as what it looks like.
    expect(maskSearch("ann@shop.example")).toBe("a…@shop.example");
    expect(maskSearch("(970) 555-1234")).toBe("…1234");
    expect(maskSearch("Annabel Lee")).toBe("A… L…");
  });

  test("details are masked however deep, secrets dropped, other values kept", () => {
    const masked = maskDetails({
      Changed: { Phone: { From: "9705551234", To: "9705550000" }, Email: { From: null, To: "ann@shop.example" }, City: { From: "Durango", To: "Cortez" } },
      FirstName: "Annabel",
      LastName: "Lee",
      Birthday: "1990-01-02",
      ExternalID: "POS-778899",
      Password: "correct horse battery",
      LocationKeys: [{ LocationID: 3, Key: "eng_loc_AAAAAAAAAAAAAAAAAAAAAAAAAAAA" }],
      Role: "staff",
      LocationIDs: [1, 2],
      Active: false,
      Name: "Bark & Meow Durango",
    });
    expect(masked).toEqual({
      Changed: { Phone: { From: "…1234", To: "…0000" }, Email: { From: null, To: "a…@shop.example" }, City: { From: "(hidden)", To: "(hidden)" } },
      FirstName: "A…",
      LastName: "L…",
      Birthday: "(hidden)",
      ExternalID: "…8899",
      Password: "(secret)",
      LocationKeys: [{ LocationID: 3, Key: "(secret)" }],
      Role: "staff",
      LocationIDs: [1, 2],
      Active: false,
      Name: "Bark & Meow Durango",
    });
    expect(JSON.stringify(masked)).not.toMatch(/9705551234|ann@shop|Annabel|POS-778899|horse|eng_loc_/);
  });
});

describe("append-only storage", () => {
  test("the database refuses to update or delete an entry, whatever the code asks", async () => {
    const who = audit.cliWho();
    await audit.recordAudit(server.database.db, who, { groupId: other.groupId, action: "group.create", target: { type: "group", id: other.groupId } });
    const [entry] = await rows(other.groupId);
    expect(entry).toMatchObject({ action: "group.create", actor: who.actor, source: "cli" });
    await expect(server.database.db.updateTable("audit_log").set({ actor: "someone else" }).where("id", "=", entry.id).execute()).rejects.toThrow(/append-only/);
    await expect(server.database.db.deleteFrom("audit_log").where("id", "=", entry.id).execute()).rejects.toThrow(/append-only/);
    await expect(server.database.db.deleteFrom("audit_log").execute()).rejects.toThrow(/append-only/);
    expect((await rows(other.groupId)).map((r) => r.actor)).toEqual([who.actor]);
  });
});

describe("changes made in the console", () => {
  test("an Owner's edit of a customer: who, what (masked from/to), when and from where", async () => {
    const before = Date.now();
    const created = await viaProxy(owner, "POST", "Customers", { FirstName: "Quentin", LastName: "Quill", Phone: "9705551234", Email: "quentin@quill.example" });
    expect(created.status).toBe(201);
    const id = created.json!.CustomerID as number;
    const edited = await viaProxy(owner, "PUT", `Customers/${id}`, {
      FirstName: "Quentin",
      LastName: "Quill",
      Phone: "9705559876",
      Email: "quentin@quill.example",
      City: "Durango",
      AcceptsSMS: true,
    });
    expect(edited.status).toBe(200);

    const log = await auditLog(owner, `?Target=customer:${id}`);
    expect(log.status).toBe(200);
    expect(log.entries.map((e) => e.Action)).toEqual(["customer.consent", "customer.update", "customer.create"]);
    const [consent, update, create] = log.entries;
    expect(update).toMatchObject({
      Actor: owner.Email,
      ActorRole: "owner",
      TargetType: "customer",
      TargetID: String(id),
      Source: "console",
      IP: "203.0.113.7",
      UserAgent: "Mozilla/5.0 (audit test)",
      // Only what changed, and masked.
      Details: { Changed: { Phone: { From: "…1234", To: "…9876" }, City: { From: null, To: "(hidden)" } } },
    });
    expect(Date.parse(update.At)).toBeGreaterThanOrEqual(before);
    expect(consent.Details).toEqual({ Changed: { AcceptsSMS: { From: false, To: true } } });
    expect(create.Details).toMatchObject({ FirstName: "Q…", LastName: "Q…", Phone: "…1234", Email: "q…@quill.example" });
    const stored = JSON.stringify(await rows(tenant.groupId));
    for (const secret of ["9705551234", "9705559876", "quentin@quill.example", "Quentin", "Quill"]) expect(stored).not.toContain(secret);
  });

  test("a refused change, a read and a preview leave no entry; Staff's and a Manager's changes do", async () => {
    const count = async () => (await rows(tenant.groupId)).length;
    const start = await count();
    expect((await viaProxy(staff, "POST", "Customers", { FirstName: "No identifier" })).status).toBe(400);
    expect((await viaProxy(staff, "GET", "Customers")).status).toBe(200);
    expect((await viaProxy(staff, "PUT", "Customers/999999", { FirstName: "Ghost" })).status).toBe(404);
    expect(await count()).toBe(start);

    const customer = await viaProxy(staff, "POST", "Customers", { Phone: "9705550101" });
    expect(customer.status).toBe(201);
    const id = customer.json!.CustomerID as number;
    const sale = await server.call<{ ReceiptID: string }>("POST", "/v1/Receipts", {
      key: tenant.locations[0].key,
      body: { CustomerID: id, Skus: [{ SKU: "A", Amount: 10, Quantity: 1 }], Discounts: [], SubTotal: 10, Taxes: 0, Total: 10 },
    });
    expect(sale.status).toBe(201);
    expect((await viaProxy(manager, "POST", `Receipts/${sale.json.ReceiptID}/Void`, {})).status).toBe(200);
    const campaign = await viaProxy(manager, "POST", "Campaigns/Location", { AmountOff: 5, DaysTillExpiration: 30, Name: "Spring" });
    expect(campaign.status).toBe(201);
    const campaignId = campaign.json!.CampaignID as number;
    expect((await viaProxy(manager, "POST", `Campaigns/${campaignId}/Preview`, [id])).status).toBe(200);
    expect((await viaProxy(manager, "POST", `Campaigns/${campaignId}/Offers`, [id, id, 424242])).status).toBe(204);

    const added = (await rows(tenant.groupId)).slice(start);
    expect(added.map((r) => [r.action, r.actor, r.actor_role, r.target_type])).toEqual([
      ["customer.create", staff.Email, "staff", "customer"],
      ["receipt.void", manager.Email, "manager", "receipt"],
      ["campaign.create", manager.Email, "manager", "campaign"],
      ["campaign.send", manager.Email, "manager", "campaign"],
    ]);
    expect(added[1].target_id).toBe(sale.json.ReceiptID);
    expect(JSON.parse(added[1].details!)).toMatchObject({ CustomerID: id, Total: 10 });
    expect(JSON.parse(added[2].details!)).toMatchObject({ Level: "Location", AmountOff: 5, Name: "Spring" });
    expect(added[3].target_id).toBe(String(campaignId));
    expect(JSON.parse(added[3].details!)).toEqual({ Customers: 2 });
  });

  test("settings changes: a person added, masked", async () => {
    const email = `new.person.${Date.now()}@shop.example`;
    const response = await session.callRoute(
      people,
      "POST",
      session.consoleRequest("POST", "/api/settings/people", {
        cookie: owner.cookie,
        body: { Email: email, Name: "Nia New", Role: "staff", LocationIDs: [tenant.locations[1].locationId], Password: "a long password 123" },
      }),
    );
    expect(response.status).toBe(201);
    const person = (await response.json()) as { UserID: string };
    const log = await auditLog(owner, `?Action=user.create&Target=user:${person.UserID}`);
    expect(log.entries).toHaveLength(1);
    expect(log.entries[0]).toMatchObject({ Actor: owner.Email, Details: { Email: "n…@shop.example", Role: "staff", LocationIDs: [tenant.locations[1].locationId] } });
    expect(JSON.stringify(log.body)).not.toContain(email);
    expect(JSON.stringify(log.body)).not.toContain("a long password");
  });
});

describe("Settings → Audit log's API", () => {
  test("Owners only: a Manager and Staff are refused, signed out is 401", async () => {
    expect((await auditLog(manager)).status).toBe(403);
    expect((await auditLog(staff)).status).toBe(403);
    const anonymous = await session.callRoute(auditRoute, "GET", session.consoleRequest("GET", "/api/settings/audit"));
    expect(anonymous.status).toBe(401);
  });

  test("another group's Owner sees only their own group's entries", async () => {
    const theirs = await auditLog(otherOwner, "?PageSize=200");
    expect(theirs.status).toBe(200);
    expect(theirs.entries.length).toBeGreaterThan(0);
    expect(theirs.entries.every((e) => e.Action === "group.create")).toBe(true);
    const ours = await auditLog(owner, "?PageSize=200");
    expect(ours.entries.some((e) => e.Action === "group.create")).toBe(false);
  });

  test("filters: action, actor prefix (any case), date range, target; paging, newest first", async () => {
    const all = await auditLog(owner, "?PageSize=200");
    expect(all.total).toBe(all.entries.length);
    const times = all.entries.map((e) => Date.parse(e.At));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const voids = await auditLog(owner, "?Action=receipt.void");
    expect(voids.entries.length).toBe(1);
    expect(voids.entries.every((e) => e.Action === "receipt.void")).toBe(true);

    const byManager = await auditLog(owner, `?Actor=${encodeURIComponent(manager.Email.slice(0, 9).toUpperCase())}`);
    expect(byManager.entries.map((e) => e.Action).sort()).toEqual(["campaign.create", "campaign.send", "receipt.void"]);
    expect((await auditLog(owner, "?Actor=%25")).total).toBe(0);

    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await auditLog(owner, `?From=${future}`)).total).toBe(0);
    expect((await auditLog(owner, `?To=${future}`)).total).toBe(all.total);
    const middle = all.entries[Math.floor(all.entries.length / 2)];
    const since = await auditLog(owner, `?From=${encodeURIComponent(middle.At)}&PageSize=200`);
    expect(since.entries.every((e) => Date.parse(e.At) >= Date.parse(middle.At))).toBe(true);

    expect((await auditLog(owner, "?Target=customer")).entries.every((e) => e.TargetType === "customer")).toBe(true);

    const page1 = await auditLog(owner, "?PageSize=2&Page=1");
    const page2 = await auditLog(owner, "?PageSize=2&Page=2");
    expect(page1.entries).toHaveLength(2);
    expect(page2.entries.map((e) => e.EntryID)).toEqual(all.entries.slice(2, 4).map((e) => e.EntryID));
  });

  test("bad filters are a 400 naming the parameter", async () => {
    const bad = await auditLog(owner, "?From=yesterday&PageSize=1000");
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ Code: "validation_failed", ModelState: { From: [expect.any(String)], PageSize: [expect.any(String)] } });
  });
});

describe("the CLI", () => {
  const run = promisify(execFile);
  const admin = (args: string[]) =>
    run(process.execPath, ["--import", "tsx", "--import", "./lib/node/server-only-hook.mjs", "lib/cli/main.ts", ...args], {
      env: { ...process.env, DATABASE_URL: server.databaseUrl },
    });

  test("key create and revoke are recorded as cli:<os user>, never with the key", { timeout: 90_000 }, async () => {
    const created = JSON.parse((await admin(["key", "create", "--group", String(tenant.groupId), "--json"])).stdout) as { KeyID: number; Key: string };
    await admin(["key", "revoke", String(created.KeyID), "--json"]);
    const entries = (await rows(tenant.groupId)).filter((r) => r.target_type === "key" && r.target_id === String(created.KeyID));
    expect(entries.map((r) => r.action)).toEqual(["key.create", "key.revoke"]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ actor: `cli:${os.userInfo().username}`, source: "cli", user_agent: `cli on ${os.hostname()}`, ip: null });
    }
    expect(JSON.stringify(entries)).not.toContain(created.Key);
  });
});
