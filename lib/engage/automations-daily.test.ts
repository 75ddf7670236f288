// The daily automated campaigns (ENGAGE_API.md §7) on a real database: birthday (N days
// before, once a year, February 29) and win-back (once per lapse), which configuration
// applies to whom, runs repeated, concurrent and after a restart, the scheduler's lease, and
// `npm run admin -- automations run` as operators run it.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runDailyAutomations } from "./automations";
import { runDateOf, startAutomationScheduler } from "./scheduler";
import { startTestServer, type Tenant, type TestServer } from "./testing/harness";
import type { Customer } from "./schemas/customer";
import type { Offer } from "./offers";
import type { Receipt } from "./receipts";

const DAY = 86_400_000;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  // The app's own scheduler runs today's automations at start-up; wait until it has, so the
  // runs below (for other days) are the only ones.
  const today = runDateOf(Date.now());
  for (let i = 0; i < 200; i++) {
    const row = await server.database.db.selectFrom("automation_runs").selectAll().where("run_date", "=", today).executeTakeFirst();
    if (row?.completed_at != null) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the scheduler did not run today's automations at start-up");
});
afterAll(async () => {
  await server?.close();
});

let externalCounter = 0;

async function registerCustomer(key: string, extra: Record<string, unknown> = {}): Promise<number> {
  const res = await server.call<Customer>("POST", "/v1/Customers", {
    key,
    body: { ExternalID: `daily-test-${++externalCounter}-${Date.now()}`, ...extra },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.CustomerID;
}

async function submit(key: string, customerId: number): Promise<Receipt> {
  const res = await server.call<Receipt>("POST", "/v1/Receipts", {
    key,
    body: { CustomerID: customerId, Skus: [{ SKU: "TREATS", Amount: 12, Quantity: 1 }], SubTotal: 12, Taxes: 0, Total: 12 },
  });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

async function configure(key: string, template: string, body: Record<string, unknown>): Promise<void> {
  const res = await server.call("PUT", `/v1/Automations/${template}`, { key, body: { Enabled: true, AmountOff: 10, ...body } });
  expect(res.status, res.text).toBe(200);
}

async function offersOf(tenant: Tenant, customerId: number): Promise<Offer[]> {
  const res = await server.call<Offer[]>("GET", `/v1/Customers/${customerId}/Offers`, { key: tenant.groupKey });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function triggerKeys(tenant: Tenant): Promise<string[]> {
  const rows = await server.database.db
    .selectFrom("offers")
    .select("trigger_key")
    .where("group_id", "=", tenant.groupId)
    .orderBy("id")
    .execute();
  return rows.map((r) => r.trigger_key);
}

async function customerPk(tenant: Tenant, customerId: number): Promise<number> {
  const row = await server.database.db
    .selectFrom("customers")
    .select("id")
    .where("group_id", "=", tenant.groupId)
    .where("customer_id", "=", customerId)
    .executeTakeFirstOrThrow();
  return row.id;
}

const run = (tenant: Tenant, date: string) => runDailyAutomations(server.database, { date, groupId: tenant.groupId });

function addDays(date: string, days: number): string {
  return runDateOf(Date.parse(`${date}T00:00:00Z`) + days * DAY);
}

describe("birthday", () => {
  test("DaysBefore days before the birthday, once a year", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    await configure(tenant.groupKey, "birthday", { AmountOff: 12, DaysBefore: 7, DaysTillExpiration: 21, Message: "Happy birthday!" });
    const march5 = await registerCustomer(key, { Birthday: "1990-03-05" });
    const march20 = await registerCustomer(key, { Birthday: "1990-03-20" });
    const none = await registerCustomer(key);
    const pk = await customerPk(tenant, march5);

    expect(await run(tenant, "2027-02-25")).toEqual({ Date: "2027-02-25", Birthday: 0, WinBack: 0 });
    expect((await run(tenant, "2027-02-26")).Birthday).toBe(1);
    const [offer] = await offersOf(tenant, march5);
    expect(offer).toMatchObject({ TemplateName: "birthday", CampaignID: null, AmountOff: 12, IsLocationSpecific: false, LocationID: null, Status: "Active" });
    expect(Date.parse(offer.ExpiresAt) - Date.parse(offer.CreatedAt)).toBe(21 * DAY);
    // The rest of the window, and the birthday itself: nothing more this year.
    for (const date of ["2027-02-27", "2027-03-01", "2027-03-05"]) expect((await run(tenant, date)).Birthday).toBe(0);
    expect(await offersOf(tenant, march20)).toHaveLength(0);
    expect((await run(tenant, "2027-03-13")).Birthday).toBe(1); // March 20's turn
    expect(await offersOf(tenant, none)).toHaveLength(0);
    // Next year's birthday is another trigger.
    expect((await run(tenant, "2028-02-27")).Birthday).toBe(1);
    expect((await triggerKeys(tenant)).filter((k) => k.startsWith(`birthday:customer:${pk}:`))).toEqual([
      `birthday:customer:${pk}:2027`,
      `birthday:customer:${pk}:2028`,
    ]);
  });

  test("a day the run missed is caught up while the birthday is still ahead; a past birthday is not", async () => {
    const tenant = await server.createTenant(1);
    await configure(tenant.groupKey, "birthday", { DaysBefore: 7 });
    const soon = await registerCustomer(tenant.locations[0].key, { Birthday: "1979-06-10" });
    const past = await registerCustomer(tenant.locations[0].key, { Birthday: "1979-06-01" });
    expect((await run(tenant, "2027-06-05")).Birthday).toBe(1);
    expect(await offersOf(tenant, soon)).toHaveLength(1);
    expect(await offersOf(tenant, past)).toHaveLength(0);
  });

  test("a window across New Year gives the offer for next year's birthday", async () => {
    const tenant = await server.createTenant(1);
    await configure(tenant.groupKey, "birthday", { DaysBefore: 7 });
    const customerId = await registerCustomer(tenant.groupKey, { Birthday: "1985-01-02" });
    const pk = await customerPk(tenant, customerId);
    expect((await run(tenant, "2026-12-25")).Birthday).toBe(0);
    expect((await run(tenant, "2026-12-26")).Birthday).toBe(1);
    expect((await run(tenant, "2027-01-01")).Birthday).toBe(0);
    expect(await triggerKeys(tenant)).toEqual([`birthday:customer:${pk}:2027`]);
  });

  test("February 29 birthdays fall on February 28 in years without one", async () => {
    const tenant = await server.createTenant(1);
    await configure(tenant.groupKey, "birthday", { DaysBefore: 0 });
    const customerId = await registerCustomer(tenant.groupKey, { Birthday: "2000-02-29" });
    const pk = await customerPk(tenant, customerId);
    expect((await run(tenant, "2027-02-27")).Birthday).toBe(0);
    expect((await run(tenant, "2027-02-28")).Birthday).toBe(1);
    expect((await run(tenant, "2027-03-01")).Birthday).toBe(0);
    expect((await run(tenant, "2028-02-28")).Birthday).toBe(0);
    expect((await run(tenant, "2028-02-29")).Birthday).toBe(1);
    expect(await triggerKeys(tenant)).toEqual([`birthday:customer:${pk}:2027`, `birthday:customer:${pk}:2028`]);
  });

  test("the customer's location's own configuration applies, else the group's; none, no offer", async () => {
    const tenant = await server.createTenant(3);
    const [a, b, c] = tenant.locations;
    await configure(tenant.groupKey, "birthday", { AmountOff: 10, DaysBefore: 7 });
    await configure(a.key, "birthday", { AmountOff: 15, DaysBefore: 3 });
    // Shops at A (registered at B): A's configuration, three days ahead.
    const shopsAtA = await registerCustomer(b.key, { Birthday: "1990-03-05" });
    await submit(a.key, shopsAtA);
    // No receipt yet: where they registered (B, which has none of its own), so the group's.
    const registeredAtB = await registerCustomer(b.key, { Birthday: "1990-03-05" });
    const viaGroupKey = await registerCustomer(tenant.groupKey, { Birthday: "1990-03-05" });

    expect((await run(tenant, "2027-02-26")).Birthday).toBe(2);
    expect(await offersOf(tenant, shopsAtA)).toHaveLength(0);
    for (const id of [registeredAtB, viaGroupKey]) {
      expect((await offersOf(tenant, id))[0]).toMatchObject({ AmountOff: 10, IsLocationSpecific: false, LocationID: null });
    }
    expect((await run(tenant, "2027-03-02")).Birthday).toBe(1);
    expect((await offersOf(tenant, shopsAtA))[0]).toMatchObject({ AmountOff: 15, IsLocationSpecific: true, LocationID: a.locationId });
    // A location key sees its own location's offer; another location's key does not.
    const byC = await server.call<Offer[]>("GET", `/v1/Customers/${shopsAtA}/Offers`, { key: c.key });
    expect(byC.json).toEqual([]);

    // Only a location's configuration: its customers only.
    const other = await server.createTenant(2);
    await configure(other.locations[0].key, "birthday", { DaysBefore: 7 });
    const atFirst = await registerCustomer(other.locations[0].key, { Birthday: "1990-03-05" });
    const atSecond = await registerCustomer(other.locations[1].key, { Birthday: "1990-03-05" });
    expect((await run(other, "2027-02-26")).Birthday).toBe(1);
    expect(await offersOf(other, atFirst)).toHaveLength(1);
    expect(await offersOf(other, atSecond)).toHaveLength(0);
  });

  test("off, or another group's: no offers", async () => {
    const tenant = await server.createTenant(1);
    const stranger = await server.createTenant(1);
    await configure(tenant.groupKey, "birthday", { DaysBefore: 7 });
    await server.call("PUT", "/v1/Automations/birthday", { key: tenant.groupKey, body: { Enabled: false, AmountOff: 10 } });
    await registerCustomer(tenant.groupKey, { Birthday: "1990-03-05" });
    await configure(stranger.groupKey, "welcome", {});
    await registerCustomer(stranger.groupKey, { Birthday: "1990-03-05" });
    // For every group at once, as the scheduler runs it.
    await runDailyAutomations(server.database, { date: "2027-02-26" });
    expect(await triggerKeys(tenant)).toEqual([]);
    expect(await triggerKeys(stranger)).toEqual([]);
  });
});

describe("win-back", () => {
  test("no receipt for LapseDays days: one offer per lapse", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    await configure(tenant.groupKey, "win-back", { AmountOff: 8, LapseDays: 30 });
    const customerId = await registerCustomer(key);
    const neverBought = await registerCustomer(key);
    const first = await submit(key, customerId);
    const today = first.CreatedAt.slice(0, 10);

    expect((await run(tenant, addDays(today, 29))).WinBack).toBe(0);
    expect((await run(tenant, addDays(today, 30))).WinBack).toBe(1);
    expect((await run(tenant, addDays(today, 31))).WinBack).toBe(0);
    const [offer] = await offersOf(tenant, customerId);
    expect(offer).toMatchObject({ TemplateName: "win-back", AmountOff: 8, CampaignID: null });
    expect(await offersOf(tenant, neverBought)).toHaveLength(0);

    // They came back (with the offer or not) and lapsed again: a new lapse, a new offer.
    const second = await submit(key, customerId);
    expect((await run(tenant, addDays(today, 30))).WinBack).toBe(1);
    const pk = await customerPk(tenant, customerId);
    expect(await triggerKeys(tenant)).toEqual([
      `win-back:customer:${pk}:${Date.parse(first.CreatedAt)}`,
      `win-back:customer:${pk}:${Date.parse(second.CreatedAt)}`,
    ]);
    // Voiding the return brings the first lapse back: it had its offer already.
    expect((await server.call("POST", `/v1/Receipts/${second.ReceiptID}/Void`, { key })).status).toBe(200);
    expect((await run(tenant, addDays(today, 60))).WinBack).toBe(0);
    expect(await triggerKeys(tenant)).toHaveLength(2);
  });

  test("an erased customer gets none", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    await configure(tenant.groupKey, "win-back", { LapseDays: 30 });
    await configure(tenant.groupKey, "birthday", { DaysBefore: 7 });
    const kept = await registerCustomer(key, { Birthday: "1990-04-10" });
    const erased = await registerCustomer(key, { Birthday: "1990-04-10" });
    await submit(key, kept);
    const receipt = await submit(key, erased);
    const erase = await server.call("POST", `/v1/Customers/${erased}/Erase`, { key: tenant.groupKey });
    expect(erase.status, erase.text).toBe(200);
    const day = addDays(receipt.CreatedAt.slice(0, 10), 30);
    expect((await run(tenant, day)).WinBack).toBe(1);
    expect((await run(tenant, "2027-04-05")).Birthday).toBe(1);
    expect(await offersOf(tenant, kept)).toHaveLength(2);
    // The erased customer answers 404 now; the database holds no offer of theirs either.
    const pk = await customerPk(tenant, kept);
    expect((await triggerKeys(tenant)).every((k) => k.split(":")[2] === String(pk))).toBe(true);
  });

  test("the location of the customer's last receipt decides which configuration applies", async () => {
    const tenant = await server.createTenant(2);
    const [a, b] = tenant.locations;
    await configure(tenant.groupKey, "win-back", { AmountOff: 5, LapseDays: 30 });
    await configure(a.key, "win-back", { AmountOff: 9, LapseDays: 45 });
    const lastAtA = await registerCustomer(b.key);
    await submit(b.key, lastAtA);
    const receipt = await submit(a.key, lastAtA);
    const lastAtB = await registerCustomer(a.key);
    await submit(b.key, lastAtB);
    const today = receipt.CreatedAt.slice(0, 10);

    expect((await run(tenant, addDays(today, 30))).WinBack).toBe(1);
    expect((await offersOf(tenant, lastAtB))[0]).toMatchObject({ AmountOff: 5, LocationID: null });
    expect(await offersOf(tenant, lastAtA)).toHaveLength(0);
    expect((await run(tenant, addDays(today, 45))).WinBack).toBe(1);
    expect((await offersOf(tenant, lastAtA))[0]).toMatchObject({ AmountOff: 9, IsLocationSpecific: true, LocationID: a.locationId });
  });
});

describe("exactly once", () => {
  test("concurrent runs and a run repeated issue each offer once, batch after batch", async () => {
    const tenant = await server.createTenant(1);
    await configure(tenant.groupKey, "birthday", { DaysBefore: 7 });
    await configure(tenant.groupKey, "win-back", { LapseDays: 30 });
    const ids: number[] = [];
    for (let i = 0; i < 25; i++) {
      const id = await registerCustomer(tenant.groupKey, { Birthday: "1970-10-15" });
      if (i % 2 === 0) await submit(tenant.locations[0].key, id);
      ids.push(id);
    }
    // A day the customers have lapsed by, whose birthday window is not October's.
    let date = addDays(runDateOf(Date.now()), 40);
    if (date.slice(5, 7) === "10") date = addDays(date, 40);
    const birthdayDate = "2027-10-12";
    // Batches of 4: every run pages through the customers in several transactions.
    const inBatches = (day: string) => runDailyAutomations(server.database, { date: day, groupId: tenant.groupId, batchSize: 4 });
    const results = await Promise.all([inBatches(date), inBatches(date), inBatches(birthdayDate), inBatches(birthdayDate)]);
    expect(results.reduce((n, r) => n + r.WinBack, 0)).toBe(13);
    expect(results.reduce((n, r) => n + r.Birthday, 0)).toBe(25);
    const again = await Promise.all([run(tenant, date), run(tenant, birthdayDate)]);
    expect(again.map((r) => r.Birthday + r.WinBack)).toEqual([0, 0]);
    const keys = await triggerKeys(tenant);
    expect(keys).toHaveLength(38);
    expect(new Set(keys).size).toBe(38);
  });
});

describe("the scheduler", () => {
  const at = (date: string) => () => Date.parse(`${date}T06:00:00Z`);

  test("runs the day once at start-up; a restart and a second instance find it done", async () => {
    const tenant = await server.createTenant(1);
    await configure(tenant.groupKey, "birthday", { DaysBefore: 7 });
    await registerCustomer(tenant.groupKey, { Birthday: "1990-05-08" });
    await registerCustomer(tenant.groupKey, { Birthday: "1990-05-09" });

    // Two app instances starting at once on one database: one runs the day.
    const first = startAutomationScheduler(server.database, { now: at("2027-05-02") });
    const second = startAutomationScheduler(server.database, { now: at("2027-05-02") });
    const outcomes = await Promise.all([first.tick(), second.tick()]);
    const ran = outcomes.filter((o) => o !== null);
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({ Date: "2027-05-02", Birthday: 2 });
    await Promise.all([first.stop(), second.stop()]);
    const row = await server.database.db.selectFrom("automation_runs").selectAll().where("run_date", "=", "2027-05-02").executeTakeFirstOrThrow();
    expect(row.completed_at).not.toBeNull();
    expect(row.offers_issued).toBe(ran[0]!.Birthday + ran[0]!.WinBack);

    // A restart the same day: done already.
    const restarted = startAutomationScheduler(server.database, { now: at("2027-05-02") });
    expect(await restarted.tick()).toBeNull();
    await restarted.stop();
    expect(await triggerKeys(tenant)).toHaveLength(2);
  });

  test("a day whose runner died is taken over when its lease runs out, and issues nothing twice", async () => {
    const tenant = await server.createTenant(1);
    await configure(tenant.groupKey, "birthday", { DaysBefore: 7 });
    await registerCustomer(tenant.groupKey, { Birthday: "1990-07-08" });
    await registerCustomer(tenant.groupKey, { Birthday: "1990-07-09" });
    // The dead instance had issued one of the two offers.
    expect((await runDailyAutomations(server.database, { date: "2027-07-09", groupId: tenant.groupId })).Birthday).toBe(1);
    const leaseUntil = Date.parse("2027-07-02T06:00:00Z");
    await server.database.db
      .insertInto("automation_runs")
      .values({ run_date: "2027-07-02", started_at: leaseUntil - 60_000, lease_until: leaseUntil + 60_000, completed_at: null })
      .execute();

    // Its lease is still live: nobody else runs the day.
    const early = startAutomationScheduler(server.database, { now: () => leaseUntil });
    expect(await early.tick()).toBeNull();
    await early.stop();

    const later = startAutomationScheduler(server.database, { now: () => leaseUntil + 120_000 });
    const result = await later.tick();
    await later.stop();
    expect(result).toMatchObject({ Date: "2027-07-02", Birthday: 1 });
    expect(await triggerKeys(tenant)).toHaveLength(2);
  });
});

describe("npm run admin -- automations run", () => {
  const exec = promisify(execFile);
  async function admin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await exec(
        process.execPath,
        ["--import", "tsx", "--import", "./lib/node/server-only-hook.mjs", "lib/cli/main.ts", ...args],
        { env: { ...process.env, DATABASE_URL: server.databaseUrl } },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  test("runs the day given, for one group; twice issues nothing more", async () => {
    const tenant = await server.createTenant(1);
    await configure(tenant.groupKey, "birthday", { DaysBefore: 7 });
    const customerId = await registerCustomer(tenant.groupKey, { Birthday: "1990-03-08" });
    const first = await admin(["automations", "run", "--date", "2027-03-01", "--group", String(tenant.groupId), "--json"]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ Date: "2027-03-01", Birthday: 1, WinBack: 0 });
    expect(await offersOf(tenant, customerId)).toHaveLength(1);
    const second = await admin(["automations", "run", "--date", "2027-03-01", "--group", String(tenant.groupId)]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/as of 2027-03-01 for group \d+: 0 birthday and 0 win-back offers issued/);
    expect(await offersOf(tenant, customerId)).toHaveLength(1);
  });

  test.each([
    [["automations", "run", "--date", "2027-02-30"]],
    [["automations", "run", "--date", "tomorrow"]],
    [["automations", "run", "--group", "abc"]],
    [["automations", "run", "--group", "999999999"]],
    [["automations", "run", "--when", "2027-03-01"]],
  ])("bad arguments %j: usage and exit 2", async (args) => {
    const result = await admin(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Usage: npm run admin");
    expect(result.stderr).toContain("automations run");
  });
});
