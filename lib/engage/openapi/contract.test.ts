// The API reference's own checks: every served route is documented and every documented route
// served; the served document passes Redocly's lint and its examples match its schemas; the
// guide's examples, taken from the document, do what it says; the response schemas have the
// verbs' types. (Every response of every API test is held to the document by the harness.)
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from "vitest";
import type { z } from "zod";
import type { Campaign, CampaignRecipient } from "../campaigns";
import type { ConsentChange } from "../customers";
import { engage } from "../http/routes";
import type { Offer } from "../offers";
import type { Receipt } from "../receipts";
import type { Customer } from "../schemas/customer";
import type { Redemption } from "../schemas/receipt";
import type { ReportDaily, ReportSummary } from "../schemas/report";
import type * as wire from "../schemas/responses";
import { ContractViolation, createContract, invalidExamples } from "../testing/contract";
import { startTestServer, type TestServer } from "../testing/harness";
import type { OpenApiDocument } from "./document";
import { OPERATIONS } from "./operations";

let server: TestServer;
let doc: OpenApiDocument;
beforeAll(async () => {
  server = await startTestServer();
  const response = await fetch(`${server.baseUrl}/v1/openapi.json`);
  doc = (await response.json()) as OpenApiDocument;
});
afterAll(async () => {
  await server?.close();
});

const served = () => engage.routes().map((r) => `${r.method} ${r.pattern}`.toLowerCase());
const documented = (d: OpenApiDocument) =>
  Object.entries(d.paths).flatMap(([template, item]) => Object.keys(item).map((method) => `${method} ${template}`.toLowerCase()));

describe("coverage", () => {
  test("every route the server serves is in the served document", () => {
    const inDoc = new Set(documented(doc));
    expect(served().filter((r) => !inDoc.has(r))).toEqual([]);
  });

  test("every operation in the served document is a route the server serves", () => {
    const routes = new Set(served());
    expect(documented(doc).filter((d) => !routes.has(d))).toEqual([]);
    expect(documented(doc).length).toBe(served().length);
  });

  test("every entry of the documentation table names a route (no stale text)", () => {
    const names = new Set(engage.routes().map((r) => r.route.name));
    expect(Object.keys(OPERATIONS).filter((name) => !names.has(name))).toEqual([]);
  });
});

describe("GET /v1/openapi.json", () => {
  test("needs no key, matches any case and is the document the routes generate", async () => {
    const response = await fetch(`${server.baseUrl}/V1/OpenAPI.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as OpenApiDocument;
    expect(body).toEqual(engage.openApi());
    expect(body.openapi).toBe("3.1.0");
  });

  test("declares the Authorization header as the security scheme, for every operation", () => {
    expect(doc.components.securitySchemes).toEqual({
      ApiKey: expect.objectContaining({ type: "apiKey", in: "header", name: "Authorization" }),
    });
    expect(doc.security).toEqual([{ ApiKey: [] }]);
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) expect((op as { responses: object }).responses).toHaveProperty("401");
    }
  });

  test("request bodies and query parameters are the routes' own zod schemas", () => {
    const register = doc.paths["/Customers"].post as { requestBody: { content: Record<string, { schema: { $ref: string } }> } };
    const name = register.requestBody.content["application/json"].schema.$ref.split("/").pop()!;
    const schema = doc.components.schemas[name] as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["CustomerID", "Phone", "Email", "ExternalID", "AcceptsSMS"]));
    const search = doc.paths["/Customers"].get as { parameters: { name: string; in: string }[] };
    expect(search.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(["Query", "Phone", "Page", "PageSize"]));
    const send = doc.paths["/Campaigns/{CampaignID}/Offers"].post as { requestBody: { content: Record<string, { schema: { $ref: string } }> } };
    const list = doc.components.schemas[send.requestBody.content["application/json"].schema.$ref.split("/").pop()!];
    expect(list).toMatchObject({ type: "array", maxItems: 10000, items: { type: "integer" } });
  });
});

describe("lint", () => {
  test("Redocly's lint passes on the served document (redocly.yaml's rules)", { timeout: 60_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engage-openapi-"));
    try {
      const file = path.join(dir, "openapi.json");
      fs.writeFileSync(file, JSON.stringify(doc, null, 2));
      const root = path.resolve(import.meta.dirname, "../../..");
      const result = await promisify(execFile)(
        path.join(root, "node_modules/.bin/redocly"),
        ["lint", "--config", path.join(root, "redocly.yaml"), "--format", "stylish", file],
        { cwd: dir, env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" } },
      ).then(
        (r) => ({ code: 0, output: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, output: e.stdout + e.stderr }),
      );
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(/Your API description is valid/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("every example matches its schema", () => {
    expect(invalidExamples(doc)).toEqual([]);
  });
});

describe("the guide's examples, taken from the document, do what it says", () => {
  type Media = { examples: Record<string, { value: unknown }> };
  const requestExample = (template: string, name = "guide") =>
    ((doc.paths[template].post as { requestBody: { content: Record<string, Media> } }).requestBody.content["application/json"].examples[name]).value;

  test("register, submit a receipt, create a location campaign, send it", async () => {
    const tenant = await server.createTenant(1);
    const key = tenant.locations[0].key;
    const customer = await server.call<Customer>("POST", "/v1/Customers", { key, body: requestExample("/Customers") });
    expect(customer.status).toBe(201);
    expect(customer.json.CustomerID).toBe(123);
    const receipt = await server.call<Receipt>("POST", "/v1/Receipts", { key, body: requestExample("/Receipts") });
    expect(receipt.status).toBe(201);
    expect(receipt.json).toMatchObject({ CustomerID: 123, SubTotal: 21, Taxes: 1.58, Tip: 0, Shipping: 0, Total: 22.58 });
    const campaign = await server.call<Campaign>("POST", "/v1/Campaigns/Location", { key, body: requestExample("/Campaigns/Location") });
    expect(campaign.status).toBe(201);
    expect(campaign.json).toMatchObject({ TemplateName: "manual", AmountOff: 10.05, MinimumPurchase: 0.5, DaysTillExpiration: 31, IsLocationSpecific: true });
    const sent = await server.call("POST", `/v1/Campaigns/${campaign.json.CampaignID}/Offers`, {
      key,
      body: requestExample("/Campaigns/{CampaignID}/Offers"),
    });
    expect(sent.status).toBe(204);
  });
});

describe("the checker", () => {
  test("refuses an undocumented status, a body that breaks the schema and a missing required header", () => {
    const contract = createContract(doc);
    const json = new Headers({ "content-type": "application/json; charset=utf-8" });
    const error = JSON.stringify({ Message: "x", Code: "forbidden" });
    expect(() => contract.check({ method: "GET", path: "/v1/Customers/1", status: 403, headers: json, text: error })).toThrow(ContractViolation);
    expect(() => contract.check({ method: "GET", path: "/v1/Offers/1", status: 200, headers: json, text: JSON.stringify({ OfferID: 1 }) })).toThrow(
      /does not match/,
    );
    expect(() => contract.check({ method: "GET", path: "/v1/customers/", status: 200, headers: json, text: "[]" })).toThrow(/X-Total-Count/);
    expect(() => contract.check({ method: "GET", path: "/v1/Customers/1", status: 404, headers: json, text: JSON.stringify({ Message: "x", Code: "nope" }) })).toThrow(
      ContractViolation,
    );
    // Matched case-insensitively, with a trailing slash, and the router's literal-first order.
    expect(contract.operationFor("post", "/V1/campaigns/location/")).toEqual({ template: "/Campaigns/Location", method: "POST" });
    expect(contract.operationFor("GET", "/v1/Campaigns/7?x=1")).toEqual({ template: "/Campaigns/{CampaignID}", method: "GET" });
    expect(() => contract.check({ method: "GET", path: "/v1/Customers/1", status: 404, headers: json, text: JSON.stringify({ Message: "x", Code: "not_found" }) })).not.toThrow();
  });
});

test("the response schemas have exactly the verbs' types", () => {
  expectTypeOf<z.output<typeof wire.customerResponse>>().toEqualTypeOf<Customer>();
  expectTypeOf<Omit<z.output<typeof wire.receiptResponse>, "Redemptions">>().toEqualTypeOf<Omit<Receipt, "Redemptions">>();
  // The verbs type Reason as a string; the document names the reasons they give.
  expectTypeOf<z.output<typeof wire.redemptionResponse>>().toExtend<Redemption>();
  expectTypeOf<z.output<typeof wire.offerResponse>>().toEqualTypeOf<Offer>();
  expectTypeOf<z.output<typeof wire.campaignResponse>>().toEqualTypeOf<Campaign>();
  expectTypeOf<z.output<typeof wire.campaignRecipientResponse>>().toEqualTypeOf<CampaignRecipient>();
  expectTypeOf<z.output<typeof wire.consentChangeResponse>>().toEqualTypeOf<ConsentChange>();
  expectTypeOf<z.output<typeof wire.reportSummaryResponse>>().toEqualTypeOf<ReportSummary>();
  expectTypeOf<z.output<typeof wire.reportDailyResponse>>().toEqualTypeOf<ReportDaily>();
});
