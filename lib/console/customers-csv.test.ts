// Customers CSV against real parts: the console's Engage client on a real database (embedded)
// and over HTTP to a second real Engage server (remote), real sessions for the route handlers.
// Reading a file, checking each row with Engage's schema, duplicates in the file and among
// the group's customers (both ways of finding them), registering only the valid new rows,
// the streamed export, and the time 10,000 rows take.
import os from "node:os";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DatabaseHandle } from "../db";
import { startTestServer, type Tenant, type TestServer } from "../engage/testing/harness";
import type { Customer } from "../engage/schemas/customer";
import type { ImportEvent, ImportPreview, ImportResult } from "./customers-csv-format";
import type { EngageCaller } from "./customers-csv";

process.env.ENGAGE_CONSOLE_SECRET ??= "csv-test-secret-0123456789abcdefghijklmnopq";
delete process.env.ENGAGE_BASE_URL;

type CsvModule = typeof import("./customers-csv");
type ClientModule = typeof import("./engage-client");

const ORIGIN = "http://127.0.0.1:3000";
const HOST = "127.0.0.1:3000";
const PASSWORD = "correct horse battery";

let server: TestServer;
let remoteServer: TestServer;
let csv: CsvModule;
let client: ClientModule;
const processDatabase = globalThis as typeof globalThis & { __engageDatabase?: Promise<DatabaseHandle> };

beforeAll(async () => {
  server = await startTestServer();
  remoteServer = await startTestServer();
  // As server.ts does: the console (sessions, keys) and its embedded Engage share the running
  // Engage's one database handle. Two SQLite handles in one process would wait on each other's
  // write locks synchronously, which no production process does.
  process.env.DATABASE_URL = server.databaseUrl;
  processDatabase.__engageDatabase = Promise.resolve(server.database);
  csv = await import("./customers-csv");
  client = await import("./engage-client");
  client.registerEmbeddedEngage(server.runtime.deps);
});

afterAll(async () => {
  delete processDatabase.__engageDatabase;
  await remoteServer?.close();
  await server?.close();
});

/** The tenant's Engage as the console reaches it, acting at its first location. */
async function callerOf(tenant: Tenant, locationId: number | null = tenant.locations[0].locationId): Promise<EngageCaller> {
  return {
    client: await client.engageClientFor(tenant.groupId),
    scope: { groupId: tenant.groupId, locationId },
    actor: { type: "user", id: "test-user", label: "importer@example.com" },
  };
}

async function register(tenant: Tenant, body: Record<string, unknown>): Promise<Customer> {
  const response = await server.call<Customer>("POST", "/v1/Customers", { key: tenant.groupKey, body });
  expect(response.status, response.text).toBe(201);
  return response.json;
}

const lines = (...rows: string[]) => rows.join("\r\n") + "\r\n";

/** The error an expression throws, or a failure when it throws none. */
function thrown(fn: () => unknown): { status: number; message: string; modelState?: Record<string, string[]> } {
  try {
    fn();
  } catch (error) {
    const e = error as { status: number; message: string; modelState?: Record<string, string[]> };
    return { status: e.status, message: e.message, modelState: e.modelState };
  }
  throw new Error("expected an error");
}

describe("reading the file", () => {
  test("headers match the register fields ignoring case, spaces and underscores; unknown ones are kept but not read", () => {
    const file = csv.readCustomerCsv(lines("first name,LAST_NAME,phone,E-Mail,Accepts SMS,Notes", "Ada,Lovelace,970-555-0101,ada@example.com,yes,VIP"));
    expect(file.columns).toEqual([
      { Header: "first name", Field: "FirstName" },
      { Header: "LAST_NAME", Field: "LastName" },
      { Header: "phone", Field: "Phone" },
      { Header: "E-Mail", Field: "Email" },
      { Header: "Accepts SMS", Field: "AcceptsSMS" },
      { Header: "Notes", Field: null },
    ]);
    expect(file.rows).toEqual([
      { Row: 2, cells: { FirstName: "Ada", LastName: "Lovelace", Phone: "970-555-0101", Email: "ada@example.com", AcceptsSMS: "yes" } },
    ]);
  });

  test("rows are numbered as a spreadsheet shows them, past blank lines and a cell over two lines; a BOM is ignored", () => {
    const text = "\uFEFFFirstName,Phone,Address\n\nAda,9705550101,\"1 Main St\nApt 2\"\nGrace,9705550102,\n,,\nAlan,9705550103,x\n";
    const file = csv.readCustomerCsv(text);
    expect(file.columns[0]).toEqual({ Header: "FirstName", Field: "FirstName" });
    expect(file.rows.map((r) => [r.Row, r.cells.FirstName])).toEqual([
      [3, "Ada"],
      [5, "Grace"],
      [7, "Alan"],
    ]);
    expect(file.rows[0].cells.Address).toBe("1 Main St\nApt 2");
  });

  test("a row with more cells than the header has columns is a problem of that row", () => {
    const file = csv.readCustomerCsv(lines("FirstName,Phone", "Ada,9705550101,oops", "Grace,9705550102,"));
    expect(file.rows[0].problems).toEqual({ Row: ["has 3 cells but the header names 2 columns"] });
    // An empty extra cell (a trailing comma) is no problem.
    expect(file.rows[1].problems).toBeUndefined();
  });

  test("the file's own problems are refused with a message that says what to do", () => {
    expect(thrown(() => csv.readCustomerCsv(""))).toMatchObject({ status: 400, message: "The file is empty." });
    expect(thrown(() => csv.readCustomerCsv(lines("Name,Mobile", "Ada,9705550101"))).message).toMatch(/^The first row must name the columns/);
    expect(thrown(() => csv.readCustomerCsv(lines("FirstName,LastName", "Ada,Lovelace"))).message).toBe(
      "The file needs a Phone, Email or ExternalID column: every customer needs at least one of them.",
    );
    expect(thrown(() => csv.readCustomerCsv(lines("Phone,phone", "9705550101,9705550102"))).message).toBe("The columns “Phone” and “phone” both name Phone. Keep one of them.");
    expect(thrown(() => csv.readCustomerCsv(lines("Phone,Email")))).toMatchObject({ status: 400, message: "The file has no customers below its header row." });
    const unclosed = thrown(() => csv.readCustomerCsv(lines("Phone,FirstName", '9705550101,"Ada', "9705550102,Grace")));
    expect(unclosed.status).toBe(400);
    expect(unclosed.message).toMatch(/^The file is not valid CSV/);
    expect(unclosed.modelState).toEqual({ Csv: [unclosed.message] });
    expect(thrown(() => csv.readCustomerCsv("Phone\n9705550101\u0000\n")).message).toMatch(/binary data/);
  });

  test("more than 20,000 rows, or more than 5 MB, is refused", () => {
    const many = ["Phone", ...Array.from({ length: 20_001 }, (_, i) => `720${String(i).padStart(7, "0")}`)].join("\n");
    expect(thrown(() => csv.readCustomerCsv(many)).message).toBe("The file has more than 20,000 customers. Split it into smaller files.");
    const exactly = ["Phone", ...Array.from({ length: 20_000 }, (_, i) => `720${String(i).padStart(7, "0")}`)].join("\n");
    expect(csv.readCustomerCsv(exactly).rows).toHaveLength(20_000);
    const large = `Phone,Address\n9705550101,${"x".repeat(5 * 1024 * 1024)}\n`;
    expect(thrown(() => csv.readCustomerCsv(large))).toMatchObject({ status: 413, message: "The file is larger than 5 MB. Split it into smaller files." });
  });
});

describe("checking each row", () => {
  test("Engage's own rules: each field's problems, as the API words them", () => {
    const rows = csv.checkRows(
      csv.readCustomerCsv(
        lines(
          "CustomerID,FirstName,LastName,Phone,Email,State,Birthday,AcceptsSMS,AcceptsEmail",
          ",Ada,Lovelace,(970) 555-0101,ADA@Example.com,co,1990-02-03,Yes,no",
          ",Bad,Email,,rita@example,,,,",
          ",Only,Name,,,,,,",
          "abc,Bad,Id,9705550103,,,,,",
          ",Bad,Flag,9705550104,,,,maybe,",
          ",Bad,Phone,555-0105,,ZZ,2999-01-01,,",
        ),
      ),
    );
    expect(rows[0]).toMatchObject({ Row: 2, Status: "New" });
    expect(rows[0].input).toMatchObject({ Phone: "9705550101", Email: "ada@example.com", State: "CO", Birthday: "1990-02-03", AcceptsSMS: true, AcceptsEmail: false });
    expect(rows.slice(1).map((r) => [r.Row, r.Status, r.Errors])).toEqual([
      [3, "Invalid", { Email: ["must be a valid email address"] }],
      [4, "Invalid", { Phone: ["at least one of Phone, Email or ExternalID is required"] }],
      [5, "Invalid", { CustomerID: ["must be a positive integer"] }],
      [6, "Invalid", { AcceptsSMS: ["must be true or false"] }],
      [
        7,
        "Invalid",
        {
          Phone: ["must be a US phone number of 10 digits (a leading +1 is fine)"],
          State: ["must be a 2-letter US state code, such as CO"],
          Birthday: ["must not be in the future"],
        },
      ],
    ]);
    // What the preview shows is what the file says.
    expect(rows[1].Values).toEqual({ FirstName: "Bad", LastName: "Email", Email: "rita@example" });
  });

  test("a phone, email, CustomerID or ExternalID twice in the file: the later row is a duplicate of the first valid one", () => {
    const rows = csv.checkRows(
      csv.readCustomerCsv(
        lines(
          "CustomerID,ExternalID,FirstName,Phone,Email",
          ",,Broken,9705550101,not-an-email",
          ",,Ada,9705550101,ada@example.com",
          ",,Ada again,+1 (970) 555-0101,",
          ",,Ada's twin,,ADA@EXAMPLE.COM",
          "700,,Seven,,seven@example.com",
          "700,,Seven again,,other@example.com",
          ",POS-1,Pos,,",
          ",pos-1,Other case,,",
          ",POS-1,Pos again,,",
        ),
      ),
    );
    expect(rows.map((r) => [r.Row, r.Status, r.Field, r.DuplicateOfRow])).toEqual([
      [2, "Invalid", undefined, undefined],
      // An invalid row claims nothing: the first valid row with the phone is the one imported.
      [3, "New", undefined, undefined],
      [4, "Duplicate", "Phone", 3],
      [5, "Duplicate", "Email", 3],
      [6, "New", undefined, undefined],
      [7, "Duplicate", "CustomerID", 6],
      [8, "New", undefined, undefined],
      // ExternalIDs are the POS's own: compared exactly, as Engage does.
      [9, "New", undefined, undefined],
      [10, "Duplicate", "ExternalID", 8],
    ]);
  });

  test("an apostrophe our export put before a formula character is taken off again", () => {
    const [row] = csv.checkRows(csv.readCustomerCsv(lines("FirstName,LastName,Phone", "'=Ada,'-Lovelace,9705550101")));
    expect(row.input).toMatchObject({ FirstName: "=Ada", LastName: "-Lovelace" });
    const [plain] = csv.checkRows(csv.readCustomerCsv(lines("FirstName,Phone", "'Twas,9705550102")));
    expect(plain.input?.FirstName).toBe("'Twas");
  });
});

describe("preview", () => {
  /** A group with customers a file will collide with. */
  async function groupWithCustomers() {
    const tenant = await server.createTenant(2);
    const byPhone = await register(tenant, { FirstName: "Pat", Phone: "9705550201" });
    const byEmail = await register(tenant, { FirstName: "Em", Email: "em@example.com" });
    const byId = await register(tenant, { CustomerID: 5000, FirstName: "Ida", ExternalID: "POS-5000" });
    return { tenant, byPhone, byEmail, byId };
  }

  const FILE = lines(
    "CustomerID,ExternalID,FirstName,LastName,Phone,Email,AcceptsSMS,AcceptsEmail",
    ",,New,One,9705550301,new1@example.com,true,false",
    ",,Phone,Taken,(970) 555-0201,,,",
    ",,Email,Taken,,EM@example.com,,",
    "5000,,Id,Taken,9705550302,,,",
    ",POS-5000,Ext,Taken,,,,",
    ",,Bad,Email,9705550303,bad@,,",
    ",,New,Two,,new2@example.com,,",
    ",,Dup,Two,9705550304,NEW2@example.com,,",
  );

  for (const strategy of ["lookup", "scan"] as const) {
    test(`finds customers who exist, by each identifier (${strategy})`, async () => {
      const { tenant, byPhone, byEmail, byId } = await groupWithCustomers();
      const preview = await csv.previewImport(await callerOf(tenant), { csv: FILE, fileName: "customers.csv" }, { strategy });
      expect(preview.FileName).toBe("customers.csv");
      expect(preview.Rows.map((r) => [r.Row, r.Status, r.Field ?? null, r.ExistingCustomerID ?? r.DuplicateOfRow ?? null])).toEqual([
        [2, "New", null, null],
        [3, "Exists", "Phone", byPhone.CustomerID],
        [4, "Exists", "Email", byEmail.CustomerID],
        [5, "Exists", "CustomerID", byId.CustomerID],
        [6, "Exists", "ExternalID", byId.CustomerID],
        [7, "Invalid", null, null],
        [8, "New", null, null],
        [9, "Duplicate", "Email", 8],
      ]);
      expect(preview.Counts).toEqual({ Total: 8, New: 2, Invalid: 1, Duplicate: 1, Exists: 4 });
      expect(preview.Rows[5].Errors).toEqual({ Email: ["must be a valid email address"] });
      // Nothing was written.
      const all = await server.call<Customer[]>("GET", "/v1/Customers?PageSize=200", { key: tenant.groupKey });
      expect(all.json).toHaveLength(3);
    });
  }

  test("the way is chosen by cost: a read of the group when it is small, look-ups when the file is", async () => {
    const { tenant } = await groupWithCustomers();
    const caller = await callerOf(tenant);
    const wanted = (phones: string[]) => ({ CustomerID: new Set<string>(), ExternalID: new Set<string>(), Email: new Set<string>(), Phone: new Set(phones) });
    const many = await csv.findExisting(caller, wanted(["9705550201", "9705550999", "9705550998"]));
    expect(many.strategy).toBe("scan");
    expect(many.requests).toBe(2);
    expect([...many.existing.Phone]).toEqual([["9705550201", expect.any(Number)]]);
    const one = await csv.findExisting(caller, wanted(["9705550201"]));
    expect(one.strategy).toBe("lookup");
    expect([...one.existing.Phone]).toEqual([["9705550201", expect.any(Number)]]);
  });

  test("another group's customers are not this group's duplicates", async () => {
    const { tenant: other } = await groupWithCustomers();
    const mine = await server.createTenant(1);
    for (const strategy of ["lookup", "scan"] as const) {
      const preview = await csv.previewImport(await callerOf(mine), { csv: FILE, fileName: null }, { strategy });
      expect(preview.Counts, strategy).toEqual({ Total: 8, New: 6, Invalid: 1, Duplicate: 1, Exists: 0 });
    }
    expect(other.groupId).not.toBe(mine.groupId);
  });
});

describe("import", () => {
  test("registers only the valid new rows, at the user's location, with consent by the user; existing customers are untouched", async () => {
    const tenant = await server.createTenant(2);
    const existing = await register(tenant, { FirstName: "Pat", LastName: "Original", Phone: "9705550401", AcceptsSMS: false });
    const file = lines(
      "FirstName,LastName,Phone,Email,State,AcceptsSMS,AcceptsEmail",
      "Ada,Lovelace,970 555 0402,ADA@example.com,co,yes,",
      "Pat,Overwrite,9705550401,pat@example.com,,yes,yes",
      "Bad,Email,9705550403,bad@,,,",
      ",,,,,,",
      "Grace,Hopper,9705550404,,,no,1",
      "Grace,Again,+19705550404,,,,",
    );
    const progress: [number, number][] = [];
    const caller = await callerOf(tenant, tenant.locations[1].locationId);
    const result = await csv.importCustomers(caller, { csv: file, fileName: "people.csv" }, { onProgress: (done, total) => progress.push([done, total]) });
    expect(result.Counts).toEqual({ Total: 5, Imported: 2, Failed: 0, Skipped: { Invalid: 1, Duplicate: 1, Exists: 1 } });
    expect(result.Rows.map((r) => [r.Row, r.Outcome, r.Reason ?? null])).toEqual([
      [2, "Imported", null],
      [3, "Skipped", "Exists"],
      [4, "Skipped", "Invalid"],
      [6, "Imported", null],
      [7, "Skipped", "Duplicate"],
    ]);
    expect(result.Rows[1]).toMatchObject({ CustomerID: existing.CustomerID, Message: `Phone already belongs to customer #${existing.CustomerID}` });
    expect(result.Rows[2].Message).toBe("Email: must be a valid email address");
    expect(result.Rows[4].Message).toBe("Same Phone as row 6");
    expect(progress[0]).toEqual([0, 3]);
    expect(progress.at(-1)).toEqual([3, 3]);

    const ada = await server.call<Customer>("GET", `/v1/Customers/${result.Rows[0].CustomerID}`, { key: tenant.groupKey });
    expect(ada.json).toMatchObject({
      FirstName: "Ada",
      LastName: "Lovelace",
      Phone: "9705550402",
      Email: "ada@example.com",
      State: "CO",
      AcceptsSMS: true,
      AcceptsEmail: false,
      RegisteredLocationID: tenant.locations[1].locationId,
    });
    const grace = await server.call<Customer>("GET", `/v1/Customers/${result.Rows[3].CustomerID}`, { key: tenant.groupKey });
    expect(grace.json).toMatchObject({ FirstName: "Grace", AcceptsSMS: false, AcceptsEmail: true });
    const history = await server.call<{ Channel: string; ActorType: string; Actor: string }[]>("GET", `/v1/Customers/${ada.json.CustomerID}/ConsentHistory`, {
      key: tenant.groupKey,
    });
    expect(history.json).toEqual([expect.objectContaining({ Channel: "SMS", ActorType: "user", Actor: "importer@example.com" })]);

    // The customer who was there is exactly as before.
    const after = await server.call<Customer>("GET", `/v1/Customers/${existing.CustomerID}`, { key: tenant.groupKey });
    expect(after.json).toEqual(existing);

    // The same file again imports nothing: everyone in it exists now.
    const again = await csv.importCustomers(caller, { csv: file, fileName: "people.csv" });
    expect(again.Counts).toEqual({ Total: 5, Imported: 0, Failed: 0, Skipped: { Invalid: 1, Duplicate: 1, Exists: 3 } });
    const all = await server.call<Customer[]>("GET", "/v1/Customers?PageSize=200", { key: tenant.groupKey });
    expect(all.json).toHaveLength(3);
  });

  test("a customer registered between the preview and the import is skipped as existing, not overwritten", async () => {
    const tenant = await server.createTenant(1);
    const caller = await callerOf(tenant);
    const file = lines("FirstName,Phone,Email", "Rae,9705550501,rae@example.com", "Sol,9705550502,");
    const preview = await csv.previewImport(caller, { csv: file, fileName: null });
    expect(preview.Counts.New).toBe(2);
    const racer = await register(tenant, { FirstName: "Raced", Email: "rae@example.com" });
    const result = await csv.importCustomers(caller, { csv: file, fileName: null });
    expect(result.Rows.map((r) => [r.Outcome, r.CustomerID])).toEqual([
      ["Skipped", racer.CustomerID],
      ["Imported", expect.any(Number)],
    ]);
    expect(result.Rows[0].Message).toBe(`Email already belongs to customer #${racer.CustomerID}`);
    const after = await server.call<Customer>("GET", `/v1/Customers/${racer.CustomerID}`, { key: tenant.groupKey });
    expect(after.json).toEqual(racer);
  });

  test("an Engage that stops answering fails the rows it was asked about; the import ends with a report", async () => {
    const tenant = await server.createTenant(1);
    const real = await callerOf(tenant);
    let calls = 0;
    const flaky: EngageCaller = {
      ...real,
      client: {
        mode: "remote",
        async call(scope, call) {
          calls += 1;
          if (calls === 2) throw new client.EngageUnavailableError("The Engage server at http://engage.test did not answer within 10 seconds.", 504);
          if (calls > 2) throw new client.EngageUnavailableError("The Engage server at http://engage.test could not be reached.", 502);
          return real.client.call(scope, call);
        },
      },
    };
    const rows = Array.from({ length: 40 }, (_, i) => `C${i},97055506${String(i).padStart(2, "0")}`);
    const result = await csv.importCustomers(flaky, { csv: lines("FirstName,Phone", ...rows), fileName: null });
    expect(result.Counts.Imported).toBe(1);
    expect(result.Counts.Failed).toBe(39);
    expect(result.Rows[1].Message).toBe("Engage could not be reached: The Engage server at http://engage.test did not answer within 10 seconds.");
    // After 16 unanswered rows in a row the rest are not tried.
    expect(calls).toBeLessThan(1 + 16 + 8 + 1);
    expect(result.Rows.at(-1)?.Message).toBe("Not tried: Engage stopped answering. Import the file again to register the rest.");
  });
});

describe("export", () => {
  async function exportText(caller: EngageCaller, view: { q: string; sort: "name" | "-lifetimeSpend" }, pageSize: number, locations: { LocationID: number; Name: string }[] = []) {
    const stream = await csv.exportCustomersCsv(caller, view, locations, { pageSize });
    return new Response(stream).text();
  }

  test("every page of the search, in the page's order, streamed one page of Engage at a time", async () => {
    const tenant = await server.createTenant(2);
    for (let i = 0; i < 7; i++) await register(tenant, { FirstName: `Rex${i}`, LastName: `Export${String.fromCharCode(72 - i)}`, Phone: `97055507${i}0` });
    await register(tenant, { FirstName: "Other", LastName: "Person", Phone: "9705550799" });
    const real = await callerOf(tenant);
    let calls = 0;
    const counting: EngageCaller = { ...real, client: { mode: real.client.mode, call: (scope, call) => ((calls += 1), real.client.call(scope, call)) } };

    const stream = await csv.exportCustomersCsv(counting, { q: "export", sort: "name" }, [{ LocationID: tenant.locations[0].locationId, Name: "Store One" }], { pageSize: 3 });
    // The first page is read before the download starts; the others only as it is read.
    expect(calls).toBe(1);
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    expect(calls).toBe(3);
    // UTF-8 with a byte order mark, so a spreadsheet reads accents right.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith("CustomerID,ExternalID,FirstName,LastName,Phone,Email,")).toBe(true);
    const records = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    const searched = await server.call<Customer[]>("GET", "/v1/Customers?Query=export&Sort=name&PageSize=200", { key: tenant.groupKey });
    expect(records.map((r) => Number(r.CustomerID))).toEqual(searched.json.map((c) => c.CustomerID));
    expect(records.map((r) => r.LastName)).toEqual(["ExportB", "ExportC", "ExportD", "ExportE", "ExportF", "ExportG", "ExportH"]);
    expect(records[0]).toMatchObject({ FirstName: "Rex6", Phone: "9705550760", AcceptsSMS: "false", VisitCount: "0", LifetimeSpend: "0", RegisteredLocation: "" });
    expect(Object.keys(records[0])).toEqual(csv.EXPORT_COLUMNS.map(([h]) => h));
  });

  test("a full page at the end costs one more empty page; a spreadsheet formula is defused; commas and quotes are quoted", async () => {
    const tenant = await server.createTenant(1);
    const caller = await callerOf(tenant);
    await register(tenant, { FirstName: "=HYPERLINK(\"http://evil.example\",\"x\")", LastName: "Formula", Phone: "9705550801", Address: "1 Main St, Apt 2" });
    await register(tenant, { FirstName: "@SUM(A1)", LastName: "Formula", Phone: "9705550802", City: "+Durango" });
    const text = await exportText(caller, { q: "formula", sort: "name" }, 2, [{ LocationID: tenant.locations[0].locationId, Name: "Store One" }]);
    const records = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.FirstName).sort()).toEqual(["'=HYPERLINK(\"http://evil.example\",\"x\")", "'@SUM(A1)"]);
    expect(records.find((r) => r.Phone === "9705550801")).toMatchObject({ Address: "1 Main St, Apt 2" });
    expect(records.find((r) => r.Phone === "9705550802")).toMatchObject({ City: "'+Durango" });
    // What is exported imports back as it was: all of it exists.
    const preview = await csv.previewImport(caller, { csv: text, fileName: null });
    expect(preview.Rows.map((r) => r.Status)).toEqual(["Exists", "Exists"]);
    expect(csv.checkRows(csv.readCustomerCsv(text)).map((r) => r.input?.FirstName).sort()).toEqual(["=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(A1)"]);
  });

  test("a search Engage refuses is an error before any byte is sent", async () => {
    const tenant = await server.createTenant(1);
    const caller = await callerOf(tenant);
    await expect(csv.exportCustomersCsv(caller, { q: "bad\u0001", sort: "name" }, [])).rejects.toMatchObject({ status: 400 });
  });

  test("cells: empty for none, quoted when they must be, formulas defused", () => {
    expect(csv.csvLine([null, undefined, 12, 0.5, "plain", 'say "hi"', "a,b", "two\nlines", " padded", "=1+1", "-5", "+1", "@x", "\tx"])).toBe(
      ',,12,0.5,plain,"say ""hi""","a,b","two\nlines"," padded",\'=1+1,\'-5,\'+1,\'@x,\'\tx\r\n',
    );
    expect(csv.exportFileName(new Date("2026-03-04T23:59:00Z"))).toBe("customers-2026-03-04.csv");
  });
});

describe("against a remote Engage", () => {
  test("preview, import and export work over HTTP with the stored keys", async () => {
    const remote = await remoteServer.createTenant(1);
    const local = await server.createTenant(1);
    await server.database.db
      .insertInto("console_connections")
      .values({ group_id: local.groupId, mode: "remote", remote_url: remoteServer.baseUrl, updated_at: Date.now() })
      .execute();
    await client.storeRemoteKey(server.database, local.groupId, local.locations[0].locationId, remote.locations[0].key);
    const caller = await callerOf(local);
    expect(caller.client.mode).toBe("remote");
    const existing = (await remoteServer.call<Customer>("POST", "/v1/Customers", { key: remote.groupKey, body: { FirstName: "There", Phone: "9705550901" } })).json;

    const file = lines("FirstName,LastName,Phone", "Remy,Remote,9705550902", "There,Already,9705550901");
    for (const strategy of ["lookup", "scan"] as const) {
      const preview = await csv.previewImport(caller, { csv: file, fileName: null }, { strategy });
      expect(preview.Rows.map((r) => [r.Status, r.ExistingCustomerID])).toEqual([
        ["New", undefined],
        ["Exists", existing.CustomerID],
      ]);
    }
    const result = await csv.importCustomers(caller, { csv: file, fileName: null });
    expect(result.Counts).toMatchObject({ Imported: 1, Skipped: { Invalid: 0, Duplicate: 0, Exists: 1 } });
    const onRemote = await remoteServer.call<Customer[]>("GET", "/v1/Customers?Query=remote", { key: remote.groupKey });
    expect(onRemote.json).toEqual([expect.objectContaining({ FirstName: "Remy", RegisteredLocationID: remote.locations[0].locationId })]);

    const text = await new Response(await csv.exportCustomersCsv(caller, { q: "", sort: "name" }, [], { pageSize: 1 })).text();
    expect((parse(text, { bom: true, columns: true }) as { Phone: string }[]).map((r) => r.Phone).sort()).toEqual(["9705550901", "9705550902"]);
  });
});

describe("route handlers", () => {
  let users: typeof import("./users");
  let exportRoute: typeof import("../../app/api/customers/export/route");
  let previewRoute: typeof import("../../app/api/customers/import/preview/route");
  let importRoute: typeof import("../../app/api/customers/import/route");
  let tenant: Tenant;
  let counter = 0;

  beforeAll(async () => {
    users = await import("./users");
    exportRoute = await import("../../app/api/customers/export/route");
    previewRoute = await import("../../app/api/customers/import/preview/route");
    importRoute = await import("../../app/api/customers/import/route");
    tenant = await server.createTenant(2);
  });

  async function signedIn(role: "owner" | "manager" | "staff"): Promise<string> {
    const person = await users.createStaffUser(server.database, {
      groupId: tenant.groupId,
      email: `${role}.${++counter}.${Date.now()}@example.com`,
      role,
      locationIds: role === "owner" ? [] : [tenant.locations[0].locationId],
      password: PASSWORD,
    });
    const { getAuth } = await import("./auth");
    const response = await (await getAuth()).handler(
      new Request(`${ORIGIN}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": `10.40.0.${counter}` },
        body: JSON.stringify({ email: person.Email, password: PASSWORD }),
      }),
    );
    expect(response.status).toBe(200);
    return response.headers.getSetCookie().find((c) => c.startsWith("engage.session_token="))!.split(";")[0];
  }

  const noParams = { params: Promise.resolve({}) };
  const auditOf = (action: string) =>
    server.database.db
      .selectFrom("audit_log")
      .select(["target_type", "source", "details"])
      .where("group_id", "=", tenant.groupId)
      .where("action", "=", action)
      .orderBy("id")
      .execute();
  const post = (path: string, cookie: string, body: string, type = "application/json") =>
    new Request(`${ORIGIN}${path}`, { method: "POST", headers: { host: HOST, origin: ORIGIN, "content-type": type, cookie }, body });

  test("Staff may neither export nor import (403); a Manager may", async () => {
    const staff = await signedIn("staff");
    const file = JSON.stringify({ Csv: lines("Phone", "9705551001") });
    expect((await exportRoute.GET(new Request(`${ORIGIN}/api/customers/export`, { headers: { host: HOST, cookie: staff } }), noParams)).status).toBe(403);
    expect((await previewRoute.POST(post("/api/customers/import/preview", staff, file), noParams)).status).toBe(403);
    expect((await importRoute.POST(post("/api/customers/import", staff, file), noParams)).status).toBe(403);
    const none = await server.call<Customer[]>("GET", "/v1/Customers?Phone=9705551001", { key: tenant.groupKey });
    expect(none.json).toEqual([]);
  });

  test("the export is a CSV attachment of the page's search (?q=&sort=)", async () => {
    const manager = await signedIn("manager");
    await register(tenant, { FirstName: "Zed", LastName: "Routed", Phone: "9705551101" });
    await register(tenant, { FirstName: "Amy", LastName: "Routed", Phone: "9705551102" });
    const response = await exportRoute.GET(new Request(`${ORIGIN}/api/customers/export?q=routed&sort=-name&page=9`, { headers: { host: HOST, cookie: manager } }), noParams);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="customers-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const records = parse(await response.text(), { bom: true, columns: true }) as Record<string, string>[];
    // Every page, whatever page the list was on; Z to A by first name within the same last name.
    expect(records.map((r) => r.FirstName)).toEqual(["Zed", "Amy"]);
    expect(records[0].RegisteredLocation).toBe("");
    // Who took the list, and which search (masked: a search may name a customer): in the audit log.
    const audit = await auditOf("customers.export");
    expect(audit.at(-1)).toMatchObject({ target_type: "customers", source: "console", details: JSON.stringify({ Query: "r…", Sort: "-name" }) });
  });

  test("preview and import: JSON in, the same-origin rule, the size limit, the file's problems, then progress lines and the result", async () => {
    const manager = await signedIn("manager");
    const file = lines("FirstName,Phone,Email", "Rita,9705551201,", "Bad,9705551202,bad@", "Rita2,9705551201,");

    const preview = await previewRoute.POST(post("/api/customers/import/preview", manager, JSON.stringify({ Csv: file, FileName: "x.csv" })), noParams);
    expect(preview.status).toBe(200);
    expect(((await preview.json()) as ImportPreview).Counts).toEqual({ Total: 3, New: 1, Invalid: 1, Duplicate: 1, Exists: 0 });

    // The file itself as the body is refused: the console's routes take JSON only (no cross-site form can send it).
    expect((await previewRoute.POST(post("/api/customers/import/preview", manager, file, "text/csv"), noParams)).status).toBe(415);
    const foreign = new Request(`${ORIGIN}/api/customers/import`, {
      method: "POST",
      headers: { host: HOST, origin: "https://evil.example", "content-type": "application/json", cookie: manager },
      body: JSON.stringify({ Csv: file }),
    });
    expect((await importRoute.POST(foreign, noParams)).status).toBe(403);
    const huge = await previewRoute.POST(post("/api/customers/import/preview", manager, JSON.stringify({ Csv: "x".repeat(16 * 1024 * 1024) })), noParams);
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({ Code: "payload_too_large", Message: "The file is larger than 5 MB. Split it into smaller files." });
    const noFile = await importRoute.POST(post("/api/customers/import", manager, JSON.stringify({ FileName: "x.csv" })), noParams);
    expect(noFile.status).toBe(400);
    expect(await noFile.json()).toMatchObject({ ModelState: { Csv: ["must be the file's text"] } });
    const empty = await importRoute.POST(post("/api/customers/import", manager, JSON.stringify({ Csv: "" })), noParams);
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ Message: "The file is empty." });

    const response = await importRoute.POST(post("/api/customers/import", manager, JSON.stringify({ Csv: file, FileName: "x.csv" })), noParams);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    const events = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as ImportEvent);
    expect(events[0]).toEqual({ Type: "progress", Done: 0, Total: 1 });
    const last = events.at(-1)!;
    expect(last.Type).toBe("result");
    const result = (last as { Result: ImportResult }).Result;
    expect(result.Counts).toEqual({ Total: 3, Imported: 1, Failed: 0, Skipped: { Invalid: 1, Duplicate: 1, Exists: 0 } });
    const rita = await server.call<Customer>("GET", `/v1/Customers/${result.Rows[0].CustomerID}`, { key: tenant.groupKey });
    expect(rita.json).toMatchObject({ FirstName: "Rita", Phone: "9705551201", RegisteredLocationID: tenant.locations[0].locationId });
    const audit = await auditOf("customers.import");
    expect(JSON.parse(audit.at(-1)!.details!)).toEqual({ FileName: "x.csv", Rows: 3, Imported: 1, Skipped: { Invalid: 1, Duplicate: 1, Exists: 0 }, Failed: 0 });
  });

  test("an import whose reader goes away stops after the rows in flight", async () => {
    const manager = await signedIn("manager");
    const rows = Array.from({ length: 2_000 }, (_, i) => `Gone${i},721${String(i).padStart(7, "0")}`);
    const response = await importRoute.POST(post("/api/customers/import", manager, JSON.stringify({ Csv: lines("FirstName,Phone", ...rows) })), noParams);
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(JSON.parse(first.split("\n")[0])).toEqual({ Type: "progress", Done: 0, Total: 2_000 });
    await reader.cancel();
    const count = async () => Number((await server.call("GET", "/v1/Customers?Query=721&PageSize=1", { key: tenant.groupKey })).headers.get("x-total-count"));
    let settled = await count();
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = await count();
      if (now === settled) break;
      settled = now;
    }
    expect(settled).toBeLessThan(2_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await count()).toBe(settled);
  });
});

describe("10,000 rows", () => {
  test("are checked and imported through the real path (the time is printed)", { timeout: 300_000 }, async () => {
    const tenant = await server.createTenant(1);
    const caller = await callerOf(tenant);
    const rows = Array.from(
      { length: 10_000 },
      (_, i) => `Bulk${i},Customer${i},720${String(i).padStart(7, "0")},bulk${i}@example.com,CO,${i % 2 === 0 ? "yes" : "no"},${i % 3 === 0 ? "yes" : "no"}`,
    );
    const file = lines("FirstName,LastName,Phone,Email,State,AcceptsSMS,AcceptsEmail", ...rows);
    const dialect = process.env.TEST_DATABASE_URL ? "PostgreSQL" : "SQLite";

    let started = performance.now();
    const preview = await csv.previewImport(caller, { csv: file, fileName: null });
    const previewMs = performance.now() - started;
    expect(preview.Counts).toEqual({ Total: 10_000, New: 10_000, Invalid: 0, Duplicate: 0, Exists: 0 });

    started = performance.now();
    // This process's CPU time too: on a shared machine the wall time also counts others' work.
    const cpu = process.cpuUsage();
    const result = await csv.importCustomers(caller, { csv: file, fileName: null });
    const importMs = performance.now() - started;
    const importCpu = process.cpuUsage(cpu);
    expect(result.Counts).toEqual({ Total: 10_000, Imported: 10_000, Failed: 0, Skipped: { Invalid: 0, Duplicate: 0, Exists: 0 } });
    console.log(
      `[customers-csv] ${dialect}, embedded Engage: preview of 10,000 rows ${(previewMs / 1000).toFixed(1)} s, ` +
        `import ${(importMs / 1000).toFixed(1)} s (CPU of this process ${((importCpu.user + importCpu.system) / 1e6).toFixed(1)} s; load average ${os.loadavg()[0].toFixed(1)})`,
    );

    // The same file again: a preview that looks every row up in a group of 10,000, then nothing imported.
    started = performance.now();
    const again = await csv.previewImport(caller, { csv: file, fileName: null });
    const againMs = performance.now() - started;
    expect(again.Counts.Exists).toBe(10_000);
    started = performance.now();
    const exported = await new Response(await csv.exportCustomersCsv(caller, { q: "", sort: "name" }, [])).text();
    const exportMs = performance.now() - started;
    expect(exported.split("\r\n").length - 2).toBe(10_000);
    console.log(`[customers-csv] ${dialect}: preview against 10,000 customers ${(againMs / 1000).toFixed(1)} s, export of 10,000 ${(exportMs / 1000).toFixed(1)} s`);
  });
});
