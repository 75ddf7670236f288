// Who sees what (ENGAGE_API.md §1, §3–6): two groups, each with two locations and their own
// customers, receipts, campaigns and offers, read with every kind of key. Another group's data
// answers 404 exactly as an id that does not exist; a location key does not see another
// location's receipts or location campaigns; customers (and their offers by id or code) are
// group-wide. The whole matrix is generated from the two tables below.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../testing/harness";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const KEYS = ["group A", "location A1", "location A2", "group B", "location B1"] as const;
type KeyName = (typeof KEYS)[number];
type Status = 200 | 404;
type Contents = Partial<Record<KeyName, string[]>>;

interface Cell {
  path: string;
  /** Expected status per key, in the order of KEYS. */
  status: [Status, Status, Status, Status, Status];
  /** For list responses: the names of the items each key must see, exactly. */
  contents?: Contents;
}

const ALL_A = [200, 200, 200, 404, 404] as Cell["status"];
const ALL_B = [404, 404, 404, 200, 200] as Cell["status"];

// Names in braces are the world's things (built in beforeAll): customers a1, a2 (group A) and
// b1 (group B); receipts rA1 (a1 at A1), rA2 (a1 at A2), rB1, rB2 (b1 at B1, B2); campaigns cA
// (group A), cA1, cA2 (locations A1, A2), cB (group B), cB1 (location B1); offers oA, oA1, oA2
// (to a1, from cA, cA1, cA2) and oB, oB1 (to b1, from cB, cB1). {oA.code} is an offer's code.
const MATRIX: Cell[] = [
  //                                              group A  A1   A2   group B  B1
  { path: "/v1/Customers/{a1}", status: ALL_A },
  { path: "/v1/Customers/{a2}", status: ALL_A },
  { path: "/v1/Customers/{b1}", status: ALL_B },
  {
    path: "/v1/Customers/{a1}/Offers",
    status: ALL_A,
    contents: { "group A": ["oA", "oA1", "oA2"], "location A1": ["oA", "oA1"], "location A2": ["oA", "oA2"] },
  },
  { path: "/v1/Customers/{a2}/Offers", status: ALL_A, contents: { "group A": [], "location A1": [], "location A2": [] } },
  { path: "/v1/Customers/{b1}/Offers", status: ALL_B, contents: { "group B": ["oB", "oB1"], "location B1": ["oB", "oB1"] } },
  {
    path: "/v1/Customers/{a1}/Receipts",
    status: ALL_A,
    contents: { "group A": ["rA1", "rA2"], "location A1": ["rA1"], "location A2": ["rA2"] },
  },
  { path: "/v1/Customers/{b1}/Receipts", status: ALL_B, contents: { "group B": ["rB1", "rB2"], "location B1": ["rB1"] } },
  { path: "/v1/Receipts/{rA1}", status: [200, 200, 404, 404, 404] },
  { path: "/v1/Receipts/{rA2}", status: [200, 404, 200, 404, 404] },
  { path: "/v1/Receipts/{rB1}", status: [404, 404, 404, 200, 200] },
  { path: "/v1/Receipts/{rB2}", status: [404, 404, 404, 200, 404] },
  { path: "/v1/Offers/{oA}", status: ALL_A },
  { path: "/v1/Offers/{oA1}", status: ALL_A },
  { path: "/v1/Offers/{oA2}", status: ALL_A },
  { path: "/v1/Offers/{oB}", status: ALL_B },
  { path: "/v1/Offers/{oB1}", status: ALL_B },
  { path: "/v1/Offers?Code={oA.code}", status: ALL_A },
  { path: "/v1/Offers?Code={oA1.code}", status: ALL_A },
  { path: "/v1/Offers?Code={oB.code}", status: ALL_B },
  { path: "/v1/Offers?Code={oB1.code}", status: ALL_B },
  { path: "/v1/Campaigns/{cA}", status: ALL_A },
  { path: "/v1/Campaigns/{cA1}", status: [200, 200, 404, 404, 404] },
  { path: "/v1/Campaigns/{cA2}", status: [200, 404, 200, 404, 404] },
  { path: "/v1/Campaigns/{cB}", status: ALL_B },
  { path: "/v1/Campaigns/{cB1}", status: [404, 404, 404, 200, 200] },
  { path: "/v1/Campaigns/{cA}/Offers", status: ALL_A, contents: { "group A": ["a1"], "location A1": ["a1"], "location A2": ["a1"] } },
  { path: "/v1/Campaigns/{cA1}/Offers", status: [200, 200, 404, 404, 404], contents: { "group A": ["a1"], "location A1": ["a1"] } },
  { path: "/v1/Campaigns/{cA2}/Offers", status: [200, 404, 200, 404, 404], contents: { "group A": ["a1"], "location A2": ["a1"] } },
  { path: "/v1/Campaigns/{cB}/Offers", status: ALL_B, contents: { "group B": ["b1"], "location B1": ["b1"] } },
  { path: "/v1/Campaigns/{cB1}/Offers", status: [404, 404, 404, 200, 200], contents: { "group B": ["b1"], "location B1": ["b1"] } },
];

/** What each key lists, exactly: never another group's items, nor another location's receipts or campaigns. */
const LISTS: { path: string; contents: Record<KeyName, string[]> }[] = [
  {
    path: "/v1/Customers",
    contents: { "group A": ["a1", "a2"], "location A1": ["a1", "a2"], "location A2": ["a1", "a2"], "group B": ["b1"], "location B1": ["b1"] },
  },
  {
    path: "/v1/Receipts",
    contents: { "group A": ["rA1", "rA2"], "location A1": ["rA1"], "location A2": ["rA2"], "group B": ["rB1", "rB2"], "location B1": ["rB1"] },
  },
  {
    path: "/v1/Campaigns",
    contents: {
      "group A": ["cA", "cA1", "cA2"],
      "location A1": ["cA", "cA1"],
      "location A2": ["cA", "cA2"],
      "group B": ["cB", "cB1"],
      "location B1": ["cB", "cB1"],
    },
  },
];

/** Searches that name another group's or location's things: whatever they answer, never beyond what the key lists above. */
const SEARCHES = [
  "/v1/Customers?Query=3035550201",
  "/v1/Customers?Phone=3035550101",
  "/v1/Customers?Email=b1@example.com",
  "/v1/Customers?ExternalID=POS-A1",
  "/v1/Receipts?CustomerID={a1}",
  "/v1/Receipts?CustomerID={b1}",
  "/v1/Receipts?LocationID={A2}",
  "/v1/Receipts?LocationID={B1}",
];

/** The values a placeholder of each kind takes when it names nothing at all. */
const MISSING = { customer: "987654", receipt: "0".repeat(32), offer: "987654321", code: "ZZZZZZZZ", campaign: "987654321" };
type Kind = keyof typeof MISSING | "location";

interface Thing {
  kind: Kind;
  /** How the thing appears in a path or a response: its id (or code). */
  ref: string;
}

const things = new Map<string, Thing>();
const keys = {} as Record<KeyName, string>;

function resolve(template: string): string {
  return template.replace(/\{([\w.]+)\}/g, (_, name: string) => {
    const thing = things.get(name);
    if (!thing) throw new Error(`no ${name} in the world`);
    return thing.ref;
  });
}

/** The same path with its (single) placeholder naming nothing. */
function missingPath(template: string): { path: string; ref: string; missingRef: string } {
  const [, name] = /\{([\w.]+)\}/.exec(template)!;
  const thing = things.get(name)!;
  const missingRef = MISSING[thing.kind as keyof typeof MISSING];
  return { path: template.replace(`{${name}}`, missingRef), ref: thing.ref, missingRef };
}

function nameOf(kind: Kind, ref: string | number): string {
  for (const [name, thing] of things) if (thing.kind === kind && thing.ref === String(ref)) return name;
  return `unknown ${kind} ${ref}`;
}

/** The names of the items of a list response, whatever it lists. */
function names(items: Record<string, unknown>[]): string[] {
  return items
    .map((item) => {
      // A campaign's recipients ({CustomerID, Status, Reason, OfferID}) name customers.
      if ("Reason" in item) return nameOf("customer", item.CustomerID as number);
      if ("OfferID" in item) return nameOf("offer", item.OfferID as number);
      if ("ReceiptID" in item) return nameOf("receipt", item.ReceiptID as string);
      if ("CampaignID" in item) return nameOf("campaign", item.CampaignID as number);
      return nameOf("customer", item.CustomerID as number);
    })
    .sort();
}

/** The one thing a single-item response is. */
function identity(item: Record<string, unknown>, kind: Kind): string {
  const field = { customer: "CustomerID", receipt: "ReceiptID", offer: "OfferID", code: "OfferID", campaign: "CampaignID", location: "" }[kind];
  return nameOf(kind === "code" ? "offer" : kind, item[field] as string | number);
}

async function ok<T>(method: string, path: string, key: string, body?: unknown): Promise<T> {
  const r = await server.call<T>(method, path, { key, body });
  expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
  return r.json;
}

async function buildWorld(): Promise<void> {
  const a = await server.createTenant(2);
  const b = await server.createTenant(2);
  Object.assign(keys, {
    "group A": a.groupKey,
    "location A1": a.locations[0].key,
    "location A2": a.locations[1].key,
    "group B": b.groupKey,
    "location B1": b.locations[0].key,
  });
  things.set("A1", { kind: "location", ref: String(a.locations[0].locationId) });
  things.set("A2", { kind: "location", ref: String(a.locations[1].locationId) });
  things.set("B1", { kind: "location", ref: String(b.locations[0].locationId) });

  const customer = async (name: string, key: string, CustomerID: number, Phone: string) => {
    await ok("POST", "/v1/Customers", key, { CustomerID, Phone, Email: `${name}@example.com`, ExternalID: `POS-${name.toUpperCase()}` });
    things.set(name, { kind: "customer", ref: String(CustomerID) });
  };
  await customer("a1", keys["location A1"], 1001, "3035550101");
  await customer("a2", keys["location A2"], 1002, "3035550102");
  await customer("b1", keys["location B1"], 2001, "3035550201");

  const receipt = async (name: string, key: string, CustomerID: number) => {
    const r = await ok<{ ReceiptID: string }>("POST", "/v1/Receipts", key, {
      CustomerID,
      Skus: [{ SKU: "SOCKS", Amount: 10.5, Quantity: 2 }],
      Discounts: [],
      SubTotal: 21,
      Taxes: 1.58,
      Total: 22.58,
    });
    things.set(name, { kind: "receipt", ref: r.ReceiptID });
  };
  await receipt("rA1", keys["location A1"], 1001);
  await receipt("rA2", keys["location A2"], 1001);
  await receipt("rB1", keys["location B1"], 2001);
  await receipt("rB2", b.locations[1].key, 2001);

  const campaign = async (name: string, key: string, level: "Group" | "Location", customerId: number, offer: string) => {
    const c = await ok<{ CampaignID: number }>("POST", `/v1/Campaigns/${level}`, key, { AmountOff: 5, DaysTillExpiration: 30 });
    things.set(name, { kind: "campaign", ref: String(c.CampaignID) });
    await ok("POST", `/v1/Campaigns/${c.CampaignID}/Offers`, key, [customerId]);
    await server.drain();
    const groupKey = name.startsWith("cA") ? keys["group A"] : keys["group B"];
    const offers = await ok<{ OfferID: number; Code: string; CampaignID: number }[]>("GET", `/v1/Customers/${customerId}/Offers`, groupKey);
    const issued = offers.find((o) => o.CampaignID === c.CampaignID);
    expect(issued, `${name} gave ${customerId} an offer`).toBeDefined();
    things.set(offer, { kind: "offer", ref: String(issued!.OfferID) });
    things.set(`${offer}.code`, { kind: "code", ref: issued!.Code });
  };
  await campaign("cA", keys["group A"], "Group", 1001, "oA");
  await campaign("cA1", keys["location A1"], "Location", 1001, "oA1");
  await campaign("cA2", keys["location A2"], "Location", 1001, "oA2");
  await campaign("cB", keys["group B"], "Group", 2001, "oB");
  await campaign("cB1", keys["location B1"], "Location", 2001, "oB1");
}

describe("the visibility matrix", () => {
  beforeAll(buildWorld, 60_000);

  const cells = MATRIX.flatMap((cell) => KEYS.map((key, i) => ({ ...cell, key, expected: cell.status[i] })));

  test.each(cells)("GET $path with the $key key: $expected", async ({ path, key, expected, contents }) => {
    const r = await server.call<Record<string, unknown> | Record<string, unknown>[]>("GET", resolve(path), { key: keys[key] });
    expect(r.status, r.text).toBe(expected);

    if (expected === 404) {
      // Indistinguishable from an id that does not exist, apart from the id itself.
      const missing = missingPath(path);
      const nothing = await server.call("GET", missing.path, { key: keys[key] });
      expect(nothing.status).toBe(404);
      const word = (ref: string) => new RegExp(`\\b${ref}\\b`, "g");
      expect(r.text.replace(word(missing.ref), "{id}")).toBe(nothing.text.replace(word(missing.missingRef), "{id}"));
      expect(r.json).toMatchObject({ Code: "not_found" });
      return;
    }
    if (Array.isArray(r.json)) {
      expect(contents?.[key], "the table says what this list holds").toBeDefined();
      expect(names(r.json)).toEqual([...contents![key]!].sort());
    } else {
      const [, name] = /\{([\w.]+)\}/.exec(path)!;
      expect(identity(r.json, things.get(name)!.kind)).toBe(name.replace(/\.code$/, ""));
    }
  });

  const lists = LISTS.flatMap((list) => KEYS.map((key) => ({ path: list.path, key, expected: list.contents[key] })));

  test.each(lists)("GET $path with the $key key lists exactly $expected", async ({ path, key, expected }) => {
    const r = await server.call<Record<string, unknown>[]>("GET", `${path}?PageSize=200`, { key: keys[key] });
    expect(r.status, r.text).toBe(200);
    expect(names(r.json)).toEqual([...expected].sort());
    expect(r.headers.get("x-total-count")).toBe(String(expected.length));
  });

  const searches = SEARCHES.flatMap((search) => KEYS.map((key) => ({ search, key })));

  test.each(searches)("GET $search with the $key key reaches nothing beyond what the key lists", async ({ search, key }) => {
    const r = await server.call<Record<string, unknown>[]>("GET", resolve(search), { key: keys[key] });
    expect([200, 400], r.text).toContain(r.status);
    if (r.status !== 200) return;
    const resource = LISTS.find((l) => search.startsWith(`${l.path}?`))!;
    const visible = resource.contents[key];
    for (const name of names(r.json)) expect(visible).toContain(name);
    expect(Number(r.headers.get("x-total-count"))).toBe(r.json.length);
  });

  test("a search that names the key's own data finds it, so the searches above are not vacuous", async () => {
    const own = await server.call<Record<string, unknown>[]>("GET", resolve("/v1/Customers?Phone=3035550201"), { key: keys["group B"] });
    expect(names(own.json)).toEqual(["b1"]);
    const receipts = await server.call<Record<string, unknown>[]>("GET", resolve("/v1/Receipts?CustomerID={a1}"), { key: keys["group A"] });
    expect(names(receipts.json)).toEqual(["rA1", "rA2"]);
    const byLocation = await server.call<Record<string, unknown>[]>("GET", resolve("/v1/Receipts?LocationID={A2}"), { key: keys["group A"] });
    expect(names(byLocation.json)).toEqual(["rA2"]);
  });
});
