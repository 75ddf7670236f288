// Fuzzing the Engage API against a running server with fast-check: for every route the router
// knows (new routes join by themselves), generated and mutated paths, query strings, headers and
// bodies, sent with every kind of key. Properties of every answer:
//   - never a 5xx;
//   - an error is JSON in the contract's shape {Message, Code, ModelState?} (405 with Allow,
//     429 with Retry-After);
//   - after a 4xx the database's committed contents are what they were before;
//   - a write that succeeded round-trips: what a 201 with Location or a 200 PUT answered is what
//     a GET of it answers.
// Used by fuzz.test.ts (CI: 500 cases per endpoint) and fuzz-run.ts (`npm run fuzz`, long mode).
import "server-only";
import http from "node:http";
import { createHash } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import fc from "fast-check";
import { sql } from "kysely";
import type { DatabaseHandle } from "../../db";
import { generateKey } from "../keys";
import { AUTOMATION_TEMPLATES } from "../schemas/automation";
import { revokeKey } from "../tenancy";
import type { Tenant, TestServer } from "../testing/harness";
import type { AnyRoute } from "./core";
import { engage } from "./routes";

// ---------------------------------------------------------------------------------------------
// The fixture: two groups with data, and every kind of key.

type KeyKind =
  | "group"
  | "location"
  | "otherLocation"
  | "otherGroup"
  | "otherGroupLocation"
  | "revoked"
  | "unknown"
  | "malformed"
  | "none"
  | "bearerGroup";

export const KEY_KINDS: KeyKind[] = [
  "group",
  "location",
  "otherLocation",
  "otherGroup",
  "otherGroupLocation",
  "revoked",
  "unknown",
  "malformed",
  "none",
  "bearerGroup",
];

export interface FuzzFixture {
  keys: Record<Exclude<KeyKind, "none" | "malformed">, string>;
  /** Valid path values by parameter name, in the fuzzed group. */
  ids: Record<string, string[]>;
  /** Ids of the other group (which must answer 404). */
  otherIds: string[];
  customerIds: number[];
  locationIds: number[];
  codes: string[];
}

async function must(server: TestServer, method: string, path: string, key: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await server.call<Record<string, unknown>>(method, path, { key, body, contract: false });
  if (res.status >= 300) throw new Error(`fixture: ${method} ${path} answered ${res.status} ${res.text}`);
  return res.json;
}

async function seedGroup(server: TestServer, tenant: Tenant, prefix: string) {
  const key = tenant.groupKey;
  const customerIds: number[] = [];
  for (let i = 1; i <= 24; i++) {
    const c = await must(server, "POST", "/v1/Customers", key, {
      ExternalID: `${prefix}-${i}`,
      Phone: `970555${String(1000 + i)}`,
      Email: `${prefix}${i}@fuzz.example`,
      FirstName: `First${i}`,
      LastName: `Last${i}`,
      Birthday: `1990-0${1 + (i % 9)}-1${i % 10}`,
      AcceptsSMS: i % 2 === 0,
      AcceptsEmail: i % 3 === 0,
    });
    customerIds.push(c.CustomerID as number);
  }
  const receiptIds: string[] = [];
  for (let i = 0; i < 12; i++) {
    const r = await must(server, "POST", "/v1/Receipts", tenant.locations[i % tenant.locations.length].key, {
      CustomerID: customerIds[i],
      Skus: [{ SKU: `SKU-${i}`, Description: "Socks", Amount: 10 + i, Quantity: 1 }],
      SubTotal: 10 + i,
      Taxes: 0,
      Total: 10 + i,
    });
    receiptIds.push(r.ReceiptID as string);
  }
  const campaignIds: number[] = [];
  for (const [level, k] of [
    ["Group", key],
    ["Location", tenant.locations[0].key],
  ] as const) {
    const c = await must(server, "POST", `/v1/Campaigns/${level}`, k, { AmountOff: 5, MinimumPurchase: 0, DaysTillExpiration: 30 });
    campaignIds.push(c.CampaignID as number);
    await must(server, "POST", `/v1/Campaigns/${String(c.CampaignID)}/Offers`, k, customerIds.slice(0, 12));
  }
  await server.drain();
  const offers = (await server.database.db
    .selectFrom("offers")
    .select(["id", "code"])
    .where("group_id", "=", tenant.groupId)
    .execute()) as { id: number; code: string }[];
  const notifications = await server.database.db
    .selectFrom("notifications" as never)
    .select("id" as never)
    .where("group_id" as never, "=", tenant.groupId as never)
    .execute()
    .catch(() => [] as { id: number }[]);
  return {
    customerIds,
    ids: {
      CustomerID: customerIds.map(String),
      ReceiptID: receiptIds,
      OfferID: offers.map((o) => String(o.id)),
      CampaignID: campaignIds.map(String),
      NotificationID: (notifications as { id: number }[]).map((n) => String(n.id)),
      TemplateName: [...AUTOMATION_TEMPLATES],
      LocationID: tenant.locations.map((l) => String(l.locationId)),
    },
    codes: offers.map((o) => o.code),
  };
}

/** Two groups with customers, receipts, campaigns, offers and notifications, and every kind of key. */
export async function prepareFixture(server: TestServer): Promise<FuzzFixture> {
  const mine = await server.createTenant(2);
  const other = await server.createTenant(1);
  const a = await seedGroup(server, mine, `fz${mine.groupId}`);
  const b = await seedGroup(server, other, `fz${other.groupId}`);
  const revoked = await server.createKey(mine.groupId, mine.locations[0].locationId);
  await revokeKey(server.database.db, revoked.KeyID);
  return {
    keys: {
      group: mine.groupKey,
      location: mine.locations[0].key,
      otherLocation: mine.locations[1].key,
      otherGroup: other.groupKey,
      otherGroupLocation: other.locations[0].key,
      revoked: revoked.Key,
      unknown: generateKey("location"),
      bearerGroup: `Bearer ${mine.groupKey}`,
    },
    ids: a.ids,
    otherIds: [...b.ids.CustomerID.slice(0, 4), ...b.ids.ReceiptID.slice(0, 4), ...b.ids.OfferID.slice(0, 4), ...b.ids.CampaignID],
    customerIds: a.customerIds,
    locationIds: mine.locations.map((l) => l.locationId),
    codes: a.codes,
  };
}

// ---------------------------------------------------------------------------------------------
// Cases.

export interface FuzzCase {
  keyKind: KeyKind;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

const weird = fc.constantFrom(
  "",
  "0",
  "-1",
  "1.5",
  "1e3",
  "99999999999999999999",
  "9007199254740993",
  "null",
  "undefined",
  "true",
  "NaN",
  "%00",
  "%zz",
  "%E0%A4%A",
  "..",
  "%2F",
  "%2e%2e",
  "a".repeat(300),
  "😀",
  "DROP TABLE customers",
  "' or 1=1 --",
  "<script>",
  "\\u0000",
);

/** A path segment: a valid id, another group's, or something odd (already URL-encoded). */
function segmentArb(name: string, fixture: FuzzFixture): fc.Arbitrary<string> {
  const valid = fixture.ids[name] ?? [];
  return fc.oneof(
    { weight: 6, arbitrary: valid.length ? fc.constantFrom(...valid).map(encodeURIComponent) : fc.nat({ max: 50 }).map(String) },
    { weight: 2, arbitrary: fc.constantFrom(...fixture.otherIds).map(encodeURIComponent) },
    { weight: 2, arbitrary: weird.map((w) => (w.startsWith("%") ? w : encodeURIComponent(w))) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.integer().map(String) },
  );
}

function recase(s: string, mode: number): string {
  if (mode === 1) return s.toLowerCase();
  if (mode === 2) return s.toUpperCase();
  return s;
}

function pathArb(pattern: string, fixture: FuzzFixture): fc.Arbitrary<string> {
  const parts = pattern.split("/").filter(Boolean);
  const segs = parts.map((p) =>
    p.startsWith("{") ? segmentArb(p.slice(1, -1), fixture) : fc.nat({ max: 5 }).map((m) => recase(p, m)),
  );
  return fc
    .tuple(fc.constantFrom("/v1", "/V1", "/v1"), fc.tuple(...segs), fc.boolean(), fc.nat({ max: 30 }))
    .map(([prefix, s, slash, extra]) => {
      let path = `${prefix}/${s.join("/")}${slash ? "/" : ""}`;
      // Now and then a segment too many or too few: another route, or none (404/405).
      if (extra === 0) path += "/extra";
      if (extra === 1) path = path.replace(/\/[^/]*\/?$/, "");
      return path;
    });
}

function queryNames(route: AnyRoute): string[] {
  const shape = (route.query as unknown as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

function queryValueArb(name: string, fixture: FuzzFixture): fc.Arbitrary<string> {
  const lower = name.toLowerCase();
  const plausible: fc.Arbitrary<string>[] = [];
  if (lower === "page" || lower === "pagesize") plausible.push(fc.integer({ min: -2, max: 300 }).map(String));
  if (lower === "from" || lower === "to") {
    plausible.push(fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString()));
    plausible.push(fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
  }
  if (lower === "customerid") plausible.push(fc.constantFrom(...fixture.customerIds.map(String)));
  if (lower === "locationid") plausible.push(fc.constantFrom(...fixture.locationIds.map(String)));
  if (lower === "campaignid") plausible.push(fc.constantFrom(...(fixture.ids.CampaignID ?? ["1"])));
  if (lower === "code" && fixture.codes.length) plausible.push(fc.constantFrom(...fixture.codes).map((c) => c.toLowerCase()));
  if (lower === "status") plausible.push(fc.constantFrom("Active", "Redeemed", "Expired", "Pending", "Sent", "Failed", "NotSent", "active"));
  if (lower === "channel") plausible.push(fc.constantFrom("SMS", "Email", "App", "sms"));
  if (lower === "sort") plausible.push(fc.constantFrom("name", "-name", "lastVisit", "-lastVisit", "lifetimeSpend", "-lifetimeSpend"));
  if (lower === "scope") plausible.push(fc.constantFrom("Group", "Location", "group"));
  if (lower.startsWith("accepts")) plausible.push(fc.constantFrom("true", "false", "1", "0"));
  if (lower.startsWith("min") || lower.startsWith("max")) plausible.push(fc.double({ min: 0, max: 1e4, noNaN: true }).map((n) => n.toFixed(2)));
  if (lower.endsWith("days") || lower === "minvisits" || lower === "birthdaymonth") plausible.push(fc.integer({ min: -1, max: 400 }).map(String));
  plausible.push(fc.string({ maxLength: 12 }));
  return fc.oneof(
    { weight: 4, arbitrary: fc.oneof(...plausible) },
    { weight: 1, arbitrary: weird },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  );
}

function queryArb(route: AnyRoute, fixture: FuzzFixture): fc.Arbitrary<string> {
  const names = queryNames(route);
  const nameArb = names.length
    ? fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...names).chain((n) => fc.nat({ max: 4 }).map((m) => recase(n, m))) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) })
    : fc.string({ maxLength: 8 });
  const pair = nameArb.chain((n) => queryValueArb(n, fixture).map((v) => [n, v] as [string, string]));
  // A period (From and To) that makes sense, for routes that take one.
  const period = names.includes("From") && names.includes("To")
    ? fc.tuple(fc.date({ min: new Date("2020-01-01"), max: new Date("2030-01-01"), noInvalidDate: true }), fc.nat({ max: 120 })).map(([d, days]) => [
        ["From", d.toISOString().slice(0, 10)],
        ["To", new Date(d.getTime() + days * 86_400_000).toISOString().slice(0, 10)],
      ] as [string, string][])
    : fc.constant([] as [string, string][]);
  const pairs = fc.oneof(fc.array(pair, { maxLength: 5 }), fc.tuple(period, fc.array(pair, { maxLength: 2 })).map(([p, rest]) => [...p, ...rest]));
  return pairs.map((pairs) => {
    if (pairs.length === 0) return "";
    const q = new URLSearchParams();
    for (const [n, v] of pairs) q.append(n, v);
    return `?${q.toString()}`;
  });
}

const money = (min: number, max: number) => fc.integer({ min: Math.round(min * 100), max: Math.round(max * 100) }).map((c) => c / 100);
const text = (max: number) => fc.string({ minLength: 1, maxLength: max });

/** A body the route should accept, for the routes this file knows; others get any JSON. */
function validBodyArb(route: AnyRoute, fixture: FuzzFixture): fc.Arbitrary<unknown> {
  const customer = fc.constantFrom(...fixture.customerIds);
  switch (route.name) {
    case "registerCustomer":
      return fc.record(
        {
          ExternalID: fc.uuid().map((u) => `ext-${u}`),
          Phone: fc.integer({ min: 2_000_000_000, max: 9_999_999_999 }).map(String),
          Email: fc.uuid().map((u) => `${u.slice(0, 12)}@fuzz.example`),
          FirstName: text(20),
          LastName: text(20),
          City: text(20),
          Birthday: fc.date({ min: new Date("1930-01-01"), max: new Date("2015-01-01"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
          AcceptsSMS: fc.boolean(),
          AcceptsEmail: fc.boolean(),
        },
        { requiredKeys: ["ExternalID"] },
      );
    case "updateCustomer":
      return fc.record({ FirstName: text(20), LastName: text(20), City: fc.option(text(20), { nil: null }), AcceptsSMS: fc.boolean(), AcceptsEmail: fc.boolean() }, { requiredKeys: [] });
    case "submitReceipt":
      return fc
        .tuple(customer, fc.array(fc.record({ SKU: text(12), Description: fc.option(text(30), { nil: undefined }), Amount: money(0, 200), Quantity: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 3 }), money(0, 20), fc.option(fc.constantFrom(...fixture.codes), { nil: undefined }))
        .map(([CustomerID, Skus, Taxes, code]) => {
          const SubTotal = Math.round(Skus.reduce((s, k) => s + k.Amount * k.Quantity, 0) * 100) / 100;
          // LocationID: required with the group key, the key's own with the location key.
          return { CustomerID, LocationID: fixture.locationIds[0], Skus, Discounts: code ? [{ Code: code, Amount: 1 }] : [], SubTotal, Taxes, Total: Math.round((SubTotal + Taxes) * 100) / 100 };
        });
    case "createLocationCampaign":
    case "createGroupCampaign":
      return fc.record({ AmountOff: money(0.01, 100), MinimumPurchase: money(0, 50), DaysTillExpiration: fc.integer({ min: 1, max: 365 }) });
    case "sendCampaign":
    case "previewCampaign":
      return fc.uniqueArray(customer, { minLength: 1, maxLength: 5 });
    case "saveAutomation":
      return fc.record(
        {
          Enabled: fc.boolean(),
          AmountOff: money(0.01, 50),
          DaysTillExpiration: fc.integer({ min: 1, max: 365 }),
          Message: fc.option(text(60), { nil: undefined }),
          // Each template's own parameter, so any of them can be turned on.
          SpendThreshold: money(1, 1000),
          VisitInterval: fc.integer({ min: 1, max: 100 }),
          DaysBefore: fc.integer({ min: 0, max: 60 }),
          LapseDays: fc.integer({ min: 7, max: 730 }),
        },
        { requiredKeys: ["Enabled", "AmountOff", "SpendThreshold", "VisitInterval", "DaysBefore", "LapseDays"] },
      );
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(-1, 0, 1e308, -1e308, 0.00001, 123456789012345, "", "x".repeat(5000), null, [], {}, true, "\u0000", "2019-02-30", "1990-13-01", " ", "NaN"),
);

type Mutation = [op: number, at: number, value: unknown];

/** Applies small mutations to a JSON value: drop or replace a property, recase names, wrap, nest. */
function mutate(value: unknown, mutations: Mutation[]): unknown {
  let v: unknown = structuredClone(value);
  for (const [op, at, shared] of mutations) {
    // fast-check's constants are shared instances: a copy, so no case alters another (or itself).
    const replacement: unknown = structuredClone(shared);
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj);
      const key = keys.length ? keys[at % keys.length] : "X";
      if (op === 0) delete obj[key];
      else if (op === 1) obj[key] = replacement;
      else if (op === 2) v = Object.fromEntries(Object.entries(obj).map(([k, x]) => [at % 2 ? k.toLowerCase() : k.toUpperCase(), x]));
      else if (op === 3) obj[`Unknown${at}`] = replacement;
      else if (op === 4 && Array.isArray(obj[key])) (obj[key] as unknown[])[at % 3] = replacement;
      else if (op === 5) v = [v];
      else if (op === 6) v = replacement;
    } else if (Array.isArray(v)) {
      if (op <= 2) v.push(replacement);
      else if (op <= 4 && v.length) v[at % v.length] = replacement;
      else v = replacement;
    } else {
      v = replacement;
    }
  }
  return v;
}

function bodyArb(route: AnyRoute, fixture: FuzzFixture): fc.Arbitrary<string | null> {
  const valid = validBodyArb(route, fixture);
  const mutation = fc.tuple(fc.nat({ max: 6 }), fc.nat({ max: 20 }), oddValue) as fc.Arbitrary<Mutation>;
  const json = (x: unknown) => JSON.stringify(x) ?? "null";
  if (!route.body) {
    return fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }).map(json) });
  }
  return fc.oneof(
    { weight: 5, arbitrary: valid.map(json) },
    { weight: 6, arbitrary: fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([v, m]) => json(mutate(v, m))) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.nat()).map(([v, n]) => { const s = json(v); return s.slice(0, n % Math.max(1, s.length)); }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(json) },
    { weight: 1, arbitrary: fc.constantFrom("", " ", "null", "{", "[1,2", "{\"a\":}", "\uFEFF{}", "{\"CustomerID\":1}{}", `${"[".repeat(5000)}${"]".repeat(5000)}`) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
  );
}

function headersArb(route: AnyRoute): fc.Arbitrary<Record<string, string>> {
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant("application/json") },
    { weight: 2, arbitrary: fc.constantFrom("application/json; charset=utf-8", "APPLICATION/JSON", "application/json;charset=latin1") },
    { weight: 2, arbitrary: fc.constantFrom("", "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp", "json") },
  );
  const visible = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 });
  return fc
    .record(
      {
        "content-type": contentType,
        "idempotency-key": fc.oneof(fc.uuid(), visible, fc.constant("fuzz-same-key"), fc.constant("k".repeat(300))),
        "x-request-id": visible,
        accept: fc.constantFrom("*/*", "application/json", "text/html", "application/xml"),
        "accept-encoding": fc.constantFrom("gzip", "identity", "br"),
      },
      { requiredKeys: route.body ? ["content-type"] : [] },
    )
    .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== "")));
}

const OTHER_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

export function caseArb(route: { method: string; pattern: string; route: AnyRoute }, fixture: FuzzFixture): fc.Arbitrary<FuzzCase> {
  const keyKind = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom<KeyKind>("group", "location") },
    { weight: 6, arbitrary: fc.constantFrom<KeyKind>(...KEY_KINDS) },
  );
  const method = fc.oneof(
    { weight: 14, arbitrary: fc.constant(route.method) },
    { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) },
    { weight: 1, arbitrary: fc.constant(route.method.toLowerCase()) },
  );
  return fc
    .record({
      keyKind,
      method,
      path: pathArb(route.pattern, fixture),
      query: queryArb(route.route, fixture),
      headers: headersArb(route.route),
      body: bodyArb(route.route, fixture),
    })
    .map(({ path, query, ...rest }) => ({ ...rest, path: path + query }));
}

// ---------------------------------------------------------------------------------------------
// Fingerprints: the committed contents of every table a request may write.

/** Written by background workers or counted for every request, 4xx too (rate limits). */
const SKIPPED_TABLES = new Set(["engage_rate_limits", "notification_attempts", "automation_runs", "kysely_migration", "kysely_migration_lock"]);
/** Background workers update these rows' status; a request adding or removing one still shows. */
const COUNT_ONLY_TABLES = new Set(["notifications"]);

export interface Fingerprinter {
  /** A digest of every table's committed rows. */
  take(): Promise<string>;
  /** Whether anything may have changed since the last take() (false is a proof of no change). */
  mayHaveChanged(): Promise<boolean>;
  close(): void;
}

export function createFingerprinter(database: DatabaseHandle): Fingerprinter {
  if (database.dialect === "sqlite") {
    // A second, read-only connection sees exactly what is committed.
    const reader = new BetterSqlite3(database.location, { readonly: true });
    let lastChanges = -1;
    // The server's own connection counts every row it changed, rolled back or not.
    const totalChanges = async () =>
      Number((await sql<{ n: number }>`select total_changes() as n`.execute(database.db)).rows[0].n);
    return {
      async take() {
        lastChanges = await totalChanges();
        const tables = (reader.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[])
          .map((t) => t.name)
          .filter((t) => !SKIPPED_TABLES.has(t));
        const hash = createHash("sha256");
        for (const t of tables) {
          if (COUNT_ONLY_TABLES.has(t)) {
            hash.update(`${t}:${(reader.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n}\n`);
            continue;
          }
          hash.update(`${t}\n`);
          for (const row of reader.prepare(`select * from "${t}"`).raw().iterate()) hash.update(JSON.stringify(row));
        }
        return hash.digest("hex");
      },
      async mayHaveChanged() {
        return (await totalChanges()) !== lastChanges;
      },
      close: () => reader.close(),
    };
  }
  let query: string | null = null;
  let lastXid = "";
  // The next transaction id of the whole cluster: a transaction that writes anything takes one,
  // one that only reads does not. Unchanged, it proves nothing was written anywhere.
  const nextXid = async () =>
    (await sql<{ x: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as x`.execute(database.db)).rows[0].x;
  return {
    async take() {
      lastXid = await nextXid();
      if (query === null) {
        const { rows } = await sql<{ table_name: string }>`
          select table_name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(database.db);
        const parts = rows
          .map((r) => r.table_name)
          .filter((t) => !SKIPPED_TABLES.has(t))
          .map((t) =>
            COUNT_ONLY_TABLES.has(t)
              ? `select '${t}' as t, count(*)::text as n, '' as h from "${t}"`
              : `select '${t}' as t, count(*)::text as n, coalesce(sum(hashtext(x::text)::bigint), 0)::text as h from "${t}" x`,
          );
        query = parts.join(" union all ") + " order by 1";
      }
      const { rows } = await sql<{ t: string; n: string; h: string }>`${sql.raw(query)}`.execute(database.db);
      return rows.map((r) => `${r.t}:${r.n}:${r.h}`).join("|");
    },
    mayHaveChanged: async () => (await nextXid()) !== lastXid,
    close: () => {},
  };
}

// ---------------------------------------------------------------------------------------------
// Running a case and judging the answer.

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * Sends a case. A kept-alive socket the server closed just as it was reused fails before the
 * server saw anything: that one attempt is made again on a fresh socket.
 */
async function send(baseUrl: string, c: FuzzCase, key: string | null): Promise<Answer> {
  try {
    return await sendOnce(baseUrl, c, key);
  } catch (error) {
    if ((error as { reusedSocket?: boolean }).reusedSocket) return sendOnce(baseUrl, c, key);
    throw error;
  }
}

function sendOnce(baseUrl: string, c: FuzzCase, key: string | null): Promise<Answer> {
  const url = new URL(baseUrl);
  const headers: Record<string, string> = { ...c.headers };
  if (key !== null) headers.authorization = key;
  const body = c.body === null ? undefined : Buffer.from(c.body, "utf8");
  if (body) headers["content-length"] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: c.method.toUpperCase(), path: c.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("timed out after 30 s")));
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (req.reusedSocket && error.code === "ECONNRESET") Object.assign(error, { reusedSocket: true });
      reject(error);
    });
    req.end(body);
  });
}

function keyFor(kind: KeyKind, fixture: FuzzFixture): string | null {
  if (kind === "none") return null;
  if (kind === "malformed") return "eng_loc_not-a-key";
  return fixture.keys[kind];
}

const ERROR_CODE = /^[a-z][a-z_]*$/;

/** What is wrong with an error answer, or null when it has the contract's shape. */
function errorShapeProblem(c: FuzzCase, a: Answer): string | null {
  if (c.method.toUpperCase() === "HEAD") return null;
  if (!/^application\/json/i.test(String(a.headers["content-type"] ?? ""))) return `content-type ${a.headers["content-type"]}`;
  let body: unknown;
  try {
    body = JSON.parse(a.text);
  } catch {
    return "body is not JSON";
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return "body is not an object";
  const b = body as Record<string, unknown>;
  if (typeof b.Message !== "string" || b.Message.length === 0) return "no Message";
  if (typeof b.Code !== "string" || !ERROR_CODE.test(b.Code)) return "no Code";
  if (b.ModelState !== undefined) {
    if (!b.ModelState || typeof b.ModelState !== "object") return "ModelState is not an object";
    for (const [k, v] of Object.entries(b.ModelState)) {
      if (!Array.isArray(v) || v.length === 0 || v.some((m) => typeof m !== "string")) return `ModelState[${k}] is not a list of messages`;
    }
  }
  if (/\bat [\w.<>]+ \(|SQLITE_|sqlite_|syntax error|pg_|relation "/i.test(a.text)) return "internal details in the body";
  if (a.status === 405 && !a.headers.allow) return "405 without Allow";
  if (a.status === 429 && !a.headers["retry-after"]) return "429 without Retry-After";
  return null;
}

/** Properties present in `sent` (what the write answered) that a GET answers differently. */
function roundTripDifference(sent: Record<string, unknown>, got: Record<string, unknown>): string | null {
  for (const [k, v] of Object.entries(sent)) {
    if (JSON.stringify(got[k]) !== JSON.stringify(v)) return `${k}: wrote ${JSON.stringify(v)?.slice(0, 80)}, read ${JSON.stringify(got[k])?.slice(0, 80)}`;
  }
  return null;
}

export interface EndpointStats {
  endpoint: string;
  cases: number;
  statuses: Record<number, number>;
  fiveXX: number;
  roundTrips: number;
  unchangedChecks: number;
  /** Milliseconds spent sending, fingerprinting and waiting for the send worker. */
  ms: { send: number; fingerprint: number; drain: number };
}

export interface FuzzOptions {
  server: TestServer;
  fixture: FuzzFixture;
  casesPerEndpoint: number;
  seed: number;
  /** Only routes whose "METHOD /Pattern" matches. */
  only?: RegExp;
  log?: (line: string) => void;
}

export interface FuzzReport {
  endpoints: EndpointStats[];
  failures: string[];
  totalCases: number;
  fiveXX: number;
  seconds: number;
}

/** Fuzzes every route of the router; a failing property is reported with its shrunk counterexample. */
export async function fuzzEndpoints(options: FuzzOptions): Promise<FuzzReport> {
  const { server, fixture } = options;
  const started = Date.now();
  const fingerprints = createFingerprinter(server.database);
  const failures: string[] = [];
  const endpoints: EndpointStats[] = [];
  let current: string | null = null;
  /** A write succeeded: the send worker may have work to finish before the next picture. */
  let pendingWork = true;
  try {
    // Erasing customers goes last: the other routes' cases need the fixture's customers.
    const routes = engage.routes().sort((a, b) => Number(/erase/i.test(a.route.name)) - Number(/erase/i.test(b.route.name)));
    for (const route of routes) {
      const name = `${route.method} ${route.pattern}`;
      if (options.only && !options.only.test(name)) continue;
      const readable = engage.routes().some((r) => r.method === "GET" && r.pattern === route.pattern);
      const stats: EndpointStats = { endpoint: name, cases: 0, statuses: {}, fiveXX: 0, roundTrips: 0, unchangedChecks: 0, ms: { send: 0, fingerprint: 0, drain: 0 } };
      const timed = async <T>(what: keyof EndpointStats["ms"], fn: () => Promise<T>): Promise<T> => {
        const t = performance.now();
        try {
          return await fn();
        } finally {
          stats.ms[what] += performance.now() - t;
        }
      };
      endpoints.push(stats);
      const property = fc.asyncProperty(caseArb(route, fixture), async (c) => {
        stats.cases++;
        // Quiet first: sends accepted by earlier cases are decided before the picture is taken.
        if (pendingWork) await timed("drain", () => server.drain());
        pendingWork = false;
        if (current === null || (await fingerprints.mayHaveChanged())) current = await timed("fingerprint", () => fingerprints.take());
        const before = current;
        const key = keyFor(c.keyKind, fixture);
        const answer = await timed("send", () => send(server.baseUrl, c, key));
        stats.statuses[answer.status] = (stats.statuses[answer.status] ?? 0) + 1;
        const label = `${c.method} ${c.path} (${c.keyKind} key) → ${answer.status}`;
        if (answer.status >= 500) {
          stats.fiveXX++;
          throw new Error(`${label}: a 5xx: ${answer.text.slice(0, 300)}`);
        }
        if (answer.status >= 400) {
          const problem = errorShapeProblem(c, answer);
          if (problem) throw new Error(`${label}: error body not in the contract's shape (${problem}): ${answer.text.slice(0, 300)}`);
          if (await fingerprints.mayHaveChanged()) {
            current = await timed("fingerprint", () => fingerprints.take());
            if (current !== before) throw new Error(`${label}: the database changed after a ${answer.status}: ${answer.text.slice(0, 300)}`);
          }
          stats.unchangedChecks++;
          return;
        }
        current = null;
        const method = c.method.toUpperCase();
        if (method !== "GET" && method !== "HEAD") pendingWork = true;
        if (method === "HEAD" || answer.text === "") return;
        let body: unknown;
        try {
          body = JSON.parse(answer.text);
        } catch {
          throw new Error(`${label}: a ${answer.status} whose body is not JSON`);
        }
        // A write that succeeded reads back as it answered.
        const location = answer.headers.location;
        const readAt =
          method === "POST" && answer.status === 201 && location ? location : method === "PUT" && readable ? c.path.split("?")[0] : null;
        if (readAt && body && typeof body === "object" && !Array.isArray(body)) {
          const read = await send(server.baseUrl, { keyKind: c.keyKind, method: "GET", path: readAt, headers: {}, body: null }, key);
          if (read.status !== 200) throw new Error(`${label}: GET ${readAt} of what it wrote answered ${read.status}`);
          const difference = roundTripDifference(body as Record<string, unknown>, JSON.parse(read.text) as Record<string, unknown>);
          if (difference) throw new Error(`${label}: GET ${readAt} differs from what the write answered: ${difference}`);
          stats.roundTrips++;
        }
      });
      const result = await fc.check(property, { numRuns: options.casesPerEndpoint, seed: options.seed, endOnFailure: false, markInterruptAsFailure: true });
      if (result.failed) {
        failures.push(
          `${name}: ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}\n` +
            `  counterexample (seed ${result.seed}, path ${result.counterexamplePath}): ${JSON.stringify(result.counterexample)?.slice(0, 1500)}`,
        );
      }
      const statuses = Object.entries(stats.statuses).map(([s, n]) => `${n}×${s}`).join(" ");
      options.log?.(`[fuzz] ${name.padEnd(44)} ${String(stats.cases).padStart(6)} cases, ${stats.fiveXX} 5xx, ${stats.roundTrips} round trips: ${statuses} (ms: send ${stats.ms.send.toFixed(0)}, fingerprints ${stats.ms.fingerprint.toFixed(0)}, drain ${stats.ms.drain.toFixed(0)})`);
    }
  } finally {
    fingerprints.close();
  }
  const totalCases = endpoints.reduce((n, e) => n + e.cases, 0);
  return { endpoints, failures, totalCases, fiveXX: endpoints.reduce((n, e) => n + e.fiveXX, 0), seconds: (Date.now() - started) / 1000 };
}
