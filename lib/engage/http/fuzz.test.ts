// The API fuzzed with fast-check against the running server (lib/engage/http/fuzz.ts): every
// route, FUZZ_CASES_PER_ENDPOINT cases each (500 in CI), every kind of key. No 5xx, errors in
// the contract's shape, nothing changed after a 4xx, and writes that read back as answered.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../testing/harness";
import { fuzzEndpoints, prepareFixture, type FuzzFixture } from "./fuzz";
import { engage } from "./routes";

const PER_ENDPOINT = Number(process.env.FUZZ_CASES_PER_ENDPOINT ?? 500);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);

/** The routes whose happy path the fuzzer is known to reach (a valid request for each). */
const HAPPY_PATHS = new Set(
  [
    "GET /Customers", "POST /Customers", "GET /Customers/{CustomerID}", "PUT /Customers/{CustomerID}",
    "GET /Customers/{CustomerID}/Offers", "GET /Customers/{CustomerID}/ConsentHistory", "GET /Customers/{CustomerID}/Export",
    "POST /Customers/{CustomerID}/Erase", "GET /Customers/{CustomerID}/Receipts", "GET /Receipts", "POST /Receipts",
    "GET /Receipts/{ReceiptID}", "POST /Receipts/{ReceiptID}/Void", "GET /Reports/Summary", "GET /Reports/Daily",
    "GET /Offers", "GET /Offers/{OfferID}", "POST /Campaigns/Location", "POST /Campaigns/Group", "GET /Campaigns",
    "GET /Campaigns/{CampaignID}", "POST /Campaigns/{CampaignID}/Offers", "GET /Campaigns/{CampaignID}/Offers",
    "POST /Campaigns/{CampaignID}/Preview", "GET /Notifications", "GET /Notifications/{NotificationID}",
    "GET /Automations", "PUT /Automations/{TemplateName}",
  ],
);

let server: TestServer;
let fixture: FuzzFixture;
beforeAll(async () => {
  // No limits, and no deliveries in the background: the fuzzer judges what requests do.
  server = await startTestServer({ rateLimit: null, notifications: false });
  fixture = await prepareFixture(server);
}, 120_000);
afterAll(async () => {
  await server?.close();
});

test(`every endpoint, ${PER_ENDPOINT} cases each: no 5xx, contract-shaped errors, nothing changed by a 4xx, writes round-trip`, { timeout: 900_000 }, async () => {
  const report = await fuzzEndpoints({ server, fixture, casesPerEndpoint: PER_ENDPOINT, seed: SEED, log: (line) => console.log(line) });
  console.log(
    `[fuzz] ${server.database.dialect}, seed ${SEED}: ${report.totalCases} cases over ${report.endpoints.length} endpoints in ${report.seconds.toFixed(0)} s; ` +
      `${report.fiveXX} 5xx; ${report.endpoints.reduce((n, e) => n + e.unchangedChecks, 0)} 4xx checked unchanged; ` +
      `${report.endpoints.reduce((n, e) => n + e.roundTrips, 0)} writes round-tripped; ${report.failures.length} failing endpoints`,
  );
  expect(report.failures).toEqual([]);
  expect(report.fiveXX).toBe(0);
  // Every route was fuzzed, each with its cases, and the happy path was reached: each answered 2xx at least once.
  expect(report.endpoints.map((e) => e.endpoint).sort()).toEqual(engage.routes().map((r) => `${r.method} ${r.pattern}`).sort());
  for (const e of report.endpoints) {
    expect(e.cases, e.endpoint).toBeGreaterThanOrEqual(PER_ENDPOINT);
    const reached = Object.keys(e.statuses).some((s) => Number(s) < 300);
    // A route added since this list was written is fuzzed all the same; it joins the list once fuzz.ts knows a valid request for it.
    if (HAPPY_PATHS.has(e.endpoint)) expect(reached, `${e.endpoint} never answered 2xx`).toBe(true);
    else if (!reached) console.log(`[fuzz] note: ${e.endpoint} never answered 2xx: teach fuzz.ts a valid request for it`);
  }
  // Writes were read back.
  expect(report.endpoints.find((e) => e.endpoint === "POST /Receipts")!.roundTrips).toBeGreaterThan(0);
  expect(report.endpoints.find((e) => e.endpoint === "POST /Customers")!.roundTrips).toBeGreaterThan(0);
});

test("a body nested 5,000 levels deep is a 400 that says so, not a stack overflow", async () => {
  const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
  for (const path of ["/v1/Receipts", "/v1/Customers", `/v1/Campaigns/${fixture.ids.CampaignID[0]}/Offers`]) {
    const res = await server.call<{ Code: string; Message: string }>("POST", path, { key: fixture.keys.group, body: deep, headers: { "content-type": "application/json" }, contract: false });
    expect(res.status, path).toBe(400);
    expect(res.json).toEqual({ Code: "invalid_json", Message: "The request body is nested more than 32 levels deep." });
  }
});

test("amounts in a query past the largest sum are a 400, not a database error (found on PostgreSQL)", async () => {
  for (const path of ["/v1/Customers?MinLifetimeSpend=99999999999999999999", "/v1/Receipts?MinTotal=99999999999999999999", "/v1/Receipts?MaxTotal=10000000000.0001"]) {
    const res = await server.call<{ Code: string; ModelState: Record<string, string[]> }>("GET", path, { key: fixture.keys.group, contract: false });
    expect(res.status, path).toBe(400);
    expect(res.json.Code).toBe("validation_failed");
    expect(Object.values(res.json.ModelState).flat()).toContain("must be at most 10000000000");
  }
});

