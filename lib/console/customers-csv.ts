// Customers as CSV. The export streams a search, every page of it, out of Engage as it reads
// it; the import reads a file, checks each row with Engage's own register schema, finds
// duplicates inside the file and among the group's customers, and registers only the valid,
// new rows (Engage's POST never changes a customer who exists). Everything goes through the
// EngageClient, so it works against a remote Engage as against the embedded one.
import "server-only";
import { CsvError, parse } from "csv-parse/sync";
import { z } from "zod";
import { EngageError, validationFailed } from "../engage/errors";
import { bind, type ModelState } from "../engage/schemas/bind";
import { customerRegisterSchema, type Customer, type CustomerInput } from "../engage/schemas/customer";
import { MAX_PAGE_SIZE } from "../engage/schemas/query";
import type { CustomerListParams } from "./client/customers";
import {
  importFieldOf,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  UNIQUE_FIELDS,
  type ImportCounts,
  type ImportField,
  type ImportPreview,
  type ImportResult,
  type ImportRowResult,
  type PreviewRow,
  type UniqueField,
} from "./customers-csv-format";
import { EngageUnavailableError, type EngageCall, type EngageClient } from "./engage-client";
import type { ConsoleUser } from "./session";

/** Engage, as one console user at one scope: the client, the key's scope, and who acts. */
export interface EngageCaller {
  client: EngageClient;
  scope: { groupId: number; locationId: number | null };
  actor?: EngageCall["actor"];
}

/**
 * The user's Engage at the location they act at (an Owner acting group-wide: the group key), as
 * the proxy chooses it: customers registered by an import belong to that location.
 */
export function callerFor(user: ConsoleUser, client: EngageClient): EngageCaller {
  if (user.currentLocationId === null && user.role !== "owner") {
    throw new EngageError(403, "forbidden", "You have no location to act at.");
  }
  return {
    client,
    scope: { groupId: user.groupId, locationId: user.currentLocationId },
    actor: { type: "user", id: user.id, label: user.email },
  };
}

interface EngageAnswer<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

/** A remote Engage limits each key's requests (§9): a refused request waits its Retry-After, up to this often. */
const RATE_LIMIT_RETRIES = 3;
const MAX_RATE_LIMIT_WAIT_S = 60;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

async function engage<T>(caller: EngageCaller, call: EngageCall, signal?: AbortSignal): Promise<EngageAnswer<T>> {
  let result = await caller.client.call(caller.scope, { ...call, actor: caller.actor });
  for (let retry = 0; result.status === 429 && retry < RATE_LIMIT_RETRIES && !signal?.aborted; retry++) {
    const seconds = Math.min(Math.max(Number(result.headers["retry-after"]) || 1, 1), MAX_RATE_LIMIT_WAIT_S);
    await sleep(seconds * 1000, signal);
    result = await caller.client.call(caller.scope, { ...call, actor: caller.actor });
  }
  if (result.status === 401) {
    throw new EngageUnavailableError("The Engage server refused the console's key. An Owner can check Settings → Engage connection.", 502);
  }
  let body: unknown = null;
  if (result.body) {
    try {
      body = JSON.parse(result.body);
    } catch {
      throw new EngageUnavailableError("The Engage server answered with something that is not JSON.", 502);
    }
  }
  if (result.status >= 500) throw new Error(`Engage answered ${result.status} to ${call.method} ${call.path}: ${result.body}`);
  return { status: result.status, headers: result.headers, body: body as T };
}

/** Engage's refusal, passed on with its own words (a search Engage finds invalid, say). */
function refusal(answer: EngageAnswer<unknown>): EngageError {
  const body = (answer.body ?? {}) as { Message?: string; Code?: string; ModelState?: ModelState };
  const code =
    ({ 400: "validation_failed", 403: "forbidden", 404: "not_found", 429: "rate_limited" } as const)[answer.status as 400 | 403 | 404 | 429] ?? "conflict";
  return new EngageError(answer.status, code, body.Message ?? `Engage answered ${answer.status}.`, body.ModelState);
}

interface CustomerPage {
  items: Customer[];
}

async function searchPage(caller: EngageCaller, search: Record<string, string>, page: number, pageSize: number): Promise<CustomerPage> {
  const query = new URLSearchParams({ ...search, Page: String(page), PageSize: String(pageSize) });
  const answer = await engage<Customer[]>(caller, { method: "GET", path: "/v1/Customers", query });
  if (answer.status !== 200) throw refusal(answer);
  return { items: Array.isArray(answer.body) ? answer.body : [] };
}

// --- Export --------------------------------------------------------------------------------

/** Engage's largest page: the fewest requests, so the export works against a remote Engage too. */
export const EXPORT_PAGE_SIZE = MAX_PAGE_SIZE;

type ExportColumn = [header: string, value: (c: Customer, locationName: (id: number | null) => string | null) => string | number | null];

/** The export's columns: the register fields first (so an export can be imported elsewhere), then what Engage keeps. */
export const EXPORT_COLUMNS: ExportColumn[] = [
  ["CustomerID", (c) => c.CustomerID],
  ["ExternalID", (c) => c.ExternalID],
  ["FirstName", (c) => c.FirstName],
  ["LastName", (c) => c.LastName],
  ["Phone", (c) => c.Phone],
  ["Email", (c) => c.Email],
  ["Address", (c) => c.Address],
  ["City", (c) => c.City],
  ["State", (c) => c.State],
  ["Zipcode", (c) => c.Zipcode],
  ["Birthday", (c) => c.Birthday],
  ["AcceptsSMS", (c) => (c.AcceptsSMS ? "true" : "false")],
  ["AcceptsEmail", (c) => (c.AcceptsEmail ? "true" : "false")],
  ["RegisteredLocationID", (c) => c.RegisteredLocationID],
  ["RegisteredLocation", (c, locationName) => locationName(c.RegisteredLocationID)],
  ["VisitCount", (c) => c.VisitCount],
  ["LifetimeSpend", (c) => c.LifetimeSpend],
  ["FirstVisitAt", (c) => c.FirstVisitAt],
  ["LastVisitAt", (c) => c.LastVisitAt],
  ["CreatedAt", (c) => c.CreatedAt],
];

/** A spreadsheet would run text that starts with one of these as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: text that a spreadsheet would take for a formula gets a leading apostrophe; quoted when it must be. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** The file name of an export made at `now`: customers-YYYY-MM-DD.csv (UTC). */
export function exportFileName(now = new Date()): string {
  return `customers-${now.toISOString().slice(0, 10)}.csv`;
}

/**
 * Every customer the Customers page shows for `view` (its search and sort, every page), as a CSV
 * stream: one page of Engage at a time, read only as fast as the download takes it, so a large
 * group is never held in memory. The first page is read before the stream is returned: a search
 * Engage refuses, or an Engage that is down, is an error response and not a broken download.
 */
export async function exportCustomersCsv(
  caller: EngageCaller,
  view: Pick<CustomerListParams, "q" | "sort">,
  locations: { LocationID: number; Name: string }[],
  options: { pageSize?: number } = {},
): Promise<ReadableStream<Uint8Array>> {
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  const search: Record<string, string> = { Sort: view.sort };
  if (view.q) search.Query = view.q;
  const names = new Map(locations.map((l) => [l.LocationID, l.Name]));
  const locationName = (id: number | null) => (id === null ? null : (names.get(id) ?? null));
  const encoder = new TextEncoder();
  // Paging by offset: a customer registered meanwhile can push the last of one page onto the
  // next. Ids already written are not written twice (a set of numbers, not the file).
  const written = new Set<number>();
  const rows = (items: Customer[]) => {
    let text = "";
    for (const customer of items) {
      if (written.has(customer.CustomerID)) continue;
      written.add(customer.CustomerID);
      text += csvLine(EXPORT_COLUMNS.map(([, value]) => value(customer, locationName)));
    }
    return text;
  };

  let page = 1;
  let next: CustomerPage | null = await searchPage(caller, search, page, pageSize);
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // The byte order mark tells a spreadsheet the file is UTF-8 (names with accents).
        controller.enqueue(encoder.encode(`\uFEFF${csvLine(EXPORT_COLUMNS.map(([header]) => header))}`));
      },
      async pull(controller) {
        try {
          const current: CustomerPage = next ?? (await searchPage(caller, search, ++page, pageSize));
          next = null;
          if (current.items.length > 0) controller.enqueue(encoder.encode(rows(current.items)));
          if (current.items.length < pageSize) controller.close();
        } catch (error) {
          // The response has begun: the download fails rather than ending as if complete.
          console.error(`[console] customers export failed at page ${page}`, error);
          controller.error(error);
        }
      },
    },
    // One page at a time: the next is asked of Engage only once this one has been taken.
    { highWaterMark: 1 },
  );
}

// --- Import: reading the file ----------------------------------------------------------------

/** One row of the file, with its cells by field (the header's spelling forgotten). */
export interface CsvRow {
  Row: number;
  cells: Partial<Record<ImportField, string>>;
  /** Problems of the row's shape (more cells than the header has columns). */
  problems?: ModelState;
}

export interface CsvFile {
  columns: { Header: string; Field: ImportField | null }[];
  rows: CsvRow[];
}

const fileProblem = (message: string) => validationFailed({ Csv: [message] }, message);

const IDENTIFIER_COLUMNS: ImportField[] = ["Phone", "Email", "ExternalID"];

/** Reads a CSV file of customers: a header row naming the fields, then one customer a row. */
export function readCustomerCsv(text: string): CsvFile {
  if (Buffer.byteLength(text, "utf8") > MAX_IMPORT_BYTES) {
    throw new EngageError(413, "payload_too_large", `The file is larger than ${MAX_IMPORT_BYTES / (1024 * 1024)} MB. Split it into smaller files.`);
  }
  if (text.includes("\u0000")) throw fileProblem("The file is not a CSV text file (it holds binary data).");
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      // The header, the most rows allowed, and one more to know there are too many.
      to: MAX_IMPORT_ROWS + 2,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw fileProblem(`The file is not valid CSV${line ? ` (line ${line})` : ""}: ${error.message}`);
    }
    throw error;
  }
  if (records.length === 0) throw fileProblem("The file is empty.");
  const [header, ...body] = records;
  if (body.length > MAX_IMPORT_ROWS) {
    throw fileProblem(`The file has more than ${MAX_IMPORT_ROWS.toLocaleString("en-US")} customers. Split it into smaller files.`);
  }
  const columns = header.record.map((h) => ({ Header: h.trim(), Field: importFieldOf(h) }));
  const seen = new Map<ImportField, string>();
  for (const column of columns) {
    if (!column.Field) continue;
    const earlier = seen.get(column.Field);
    if (earlier !== undefined) throw fileProblem(`The columns “${earlier}” and “${column.Header}” both name ${column.Field}. Keep one of them.`);
    seen.set(column.Field, column.Header);
  }
  if (seen.size === 0) {
    throw fileProblem("The first row must name the columns, such as FirstName, LastName, Phone, Email, AcceptsSMS, AcceptsEmail.");
  }
  if (!IDENTIFIER_COLUMNS.some((f) => seen.has(f))) {
    throw fileProblem("The file needs a Phone, Email or ExternalID column: every customer needs at least one of them.");
  }
  if (body.length === 0) throw fileProblem("The file has no customers below its header row.");

  const rows = body.map(({ record, info }): CsvRow => {
    // csv-parse counts the line a record ends on; a quoted cell may span lines.
    const spanned = record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    const row: CsvRow = { Row: info.lines - spanned, cells: {} };
    columns.forEach((column, i) => {
      if (column.Field && record[i] !== undefined) row.cells[column.Field] = record[i];
    });
    const extra = record.slice(columns.length).filter((cell) => cell.trim() !== "");
    if (extra.length > 0) {
      row.problems = { Row: [`has ${record.length} cells but the header names ${columns.length} columns`] };
    }
    return row;
  });
  return { columns, rows };
}

// --- Import: checking each row --------------------------------------------------------------

const TRUE_WORDS = new Set(["true", "yes", "y", "1", "x"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0"]);

/** A cell our own export wrote with a leading apostrophe (see csvCell) reads as it was. */
function unguarded(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** The row as a register request: cells typed as Engage's wire format has them, empty cells left out. */
export function registerInputOf(cells: CsvRow["cells"]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [field, raw] of Object.entries(cells) as [ImportField, string][]) {
    const value = unguarded(raw.trim());
    if (value === "") continue;
    if (field === "CustomerID") {
      // Anything but a whole number stays text, and the schema says what is wrong with it.
      input[field] = /^\d{1,16}$/.test(value) ? Number(value) : value;
    } else if (field === "AcceptsSMS" || field === "AcceptsEmail") {
      const word = value.toLowerCase();
      input[field] = TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : value;
    } else {
      input[field] = value;
    }
  }
  return input;
}

/** A row checked on its own and against the rows above it. */
export interface CheckedRow extends PreviewRow {
  /** Valid rows: the customer as Engage will be asked to register them. */
  input?: CustomerInput;
}

const keyOf = (field: UniqueField, input: CustomerInput): string | null => {
  const value = input[field];
  return value === null || value === undefined ? null : String(value);
};

/**
 * Each row validated with Engage's register schema, and each valid row's identifiers compared
 * with the valid rows above it: the first row with a phone (an email, a CustomerID, an
 * ExternalID) claims it, a later one is a Duplicate of that row.
 */
export function checkRows(file: CsvFile): CheckedRow[] {
  const claimed = Object.fromEntries(UNIQUE_FIELDS.map((f) => [f, new Map<string, number>()])) as Record<UniqueField, Map<string, number>>;
  return file.rows.map((row): CheckedRow => {
    const values: PreviewRow["Values"] = {};
    for (const [field, value] of Object.entries(row.cells) as [ImportField, string][]) {
      if (value.trim() !== "") values[field] = value.trim().slice(0, 300);
    }
    const bound = bind(customerRegisterSchema, registerInputOf(row.cells));
    if (!bound.ok || row.problems) {
      return { Row: row.Row, Values: values, Status: "Invalid", Errors: { ...row.problems, ...(bound.ok ? {} : bound.modelState) } };
    }
    const input = bound.value;
    let duplicate: { field: UniqueField; row: number } | null = null;
    for (const field of UNIQUE_FIELDS) {
      const key = keyOf(field, input);
      if (key === null) continue;
      const first = claimed[field].get(key);
      if (first !== undefined) duplicate ??= { field, row: first };
      else claimed[field].set(key, row.Row);
    }
    if (duplicate) return { Row: row.Row, Values: values, Status: "Duplicate", Field: duplicate.field, DuplicateOfRow: duplicate.row, input };
    return { Row: row.Row, Values: values, Status: "New", input };
  });
}

// --- Import: customers who exist already ------------------------------------------------------

export type ExistingStrategy = "lookup" | "scan";
type ExistingMap = Record<UniqueField, Map<string, number>>;

/**
 * Requests in flight at once: a remote Engage's latency is hidden by several; the embedded one
 * (one SQLite connection, or a group's counter row on PostgreSQL) serializes registrations anyway.
 */
const concurrencyOf = (caller: EngageCaller) => (caller.client.mode === "remote" ? 8 : 4);
/** A scan of the whole group is chosen only for groups up to this size. */
const MAX_SCAN_CUSTOMERS = 200_000;

/**
 * Runs work(item) for every item, at most `limit` at a time, in order of start. Each runner
 * yields to the event loop between items: the embedded Engage answers without any I/O the loop
 * would wait for (SQLite is synchronous), and a long import must not starve the POS requests
 * this same process serves.
 */
async function eachLimited<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      await work(items[index], index);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  });
  await Promise.all(runners);
}

/** The customer (if any) who has this identifier, asked of Engage one identifier at a time. */
async function lookUp(caller: EngageCaller, field: UniqueField, value: string): Promise<number | null> {
  if (field === "CustomerID") {
    const answer = await engage<Customer>(caller, { method: "GET", path: `/v1/Customers/${value}` });
    if (answer.status === 404) return null;
    if (answer.status !== 200) throw refusal(answer);
    return answer.body.CustomerID;
  }
  // Ten digits of a phone, an email and an ExternalID all match exactly first in Engage's search.
  const { items } = await searchPage(caller, { [field]: value }, 1, 1);
  const found = items[0];
  if (!found) return null;
  const stored = field === "Email" ? found.Email : field === "Phone" ? found.Phone : found.ExternalID;
  return stored === value ? found.CustomerID : null;
}

/**
 * Which of the wanted identifiers already belong to a customer of the group. Asking Engage once
 * per identifier costs a request each; reading the whole group costs one per 200 customers:
 * whichever is fewer requests is done (a few rows into a large group, or a large file into a
 * young one).
 */
export async function findExisting(
  caller: EngageCaller,
  wanted: Record<UniqueField, Set<string>>,
  options: { strategy?: ExistingStrategy } = {},
): Promise<{ existing: ExistingMap; strategy: ExistingStrategy; requests: number }> {
  const existing = Object.fromEntries(UNIQUE_FIELDS.map((f) => [f, new Map<string, number>()])) as ExistingMap;
  const lookups = UNIQUE_FIELDS.flatMap((field) => [...wanted[field]].map((value) => ({ field, value })));
  if (lookups.length === 0) return { existing, strategy: "lookup", requests: 0 };
  let strategy = options.strategy;
  let requests = 0;
  if (!strategy) {
    const total = await countCustomers(caller);
    requests += 1;
    const pages = Math.ceil(total / EXPORT_PAGE_SIZE);
    strategy = total <= MAX_SCAN_CUSTOMERS && pages < lookups.length ? "scan" : "lookup";
  }
  if (strategy === "lookup") {
    await eachLimited(lookups, concurrencyOf(caller), async ({ field, value }) => {
      const customerId = await lookUp(caller, field, value);
      if (customerId !== null) existing[field].set(value, customerId);
    });
    return { existing, strategy, requests: requests + lookups.length };
  }
  for (let page = 1; ; page++) {
    const { items } = await searchPage(caller, { Sort: "name" }, page, EXPORT_PAGE_SIZE);
    requests += 1;
    for (const customer of items) {
      for (const field of UNIQUE_FIELDS) {
        const value = customer[field];
        if (value === null || value === undefined) continue;
        const key = String(value);
        if (wanted[field].has(key)) existing[field].set(key, customer.CustomerID);
      }
    }
    if (items.length < EXPORT_PAGE_SIZE) break;
  }
  return { existing, strategy, requests };
}

/** How many customers the group has (Engage's X-Total-Count of a one-customer page). */
async function countCustomers(caller: EngageCaller): Promise<number> {
  const answer = await engage(caller, { method: "GET", path: "/v1/Customers", query: new URLSearchParams({ PageSize: "1" }) });
  if (answer.status !== 200) throw refusal(answer);
  const total = Number(answer.headers["x-total-count"]);
  return Number.isFinite(total) ? total : Number.MAX_SAFE_INTEGER;
}

function countsOf(rows: PreviewRow[]): ImportCounts {
  const counts: ImportCounts = { Total: rows.length, New: 0, Invalid: 0, Duplicate: 0, Exists: 0 };
  for (const row of rows) counts[row.Status] += 1;
  return counts;
}

const importRequestSchema = z.object({
  Csv: z.string({ error: "must be the file's text" }),
  FileName: z.string().trim().max(255, "must be at most 255 characters").nullable().optional(),
});

/** The import request's body (the file's text inside JSON: the console's routes take JSON only). */
export function importRequestOf(body: unknown): { csv: string; fileName: string | null } {
  const bound = bind(importRequestSchema, body);
  if (!bound.ok) throw validationFailed(bound.modelState);
  return { csv: bound.value.Csv, fileName: bound.value.FileName || null };
}

/**
 * What an import of the file would do, row by row: New (will be registered), Invalid (with each
 * field's problems), Duplicate (of an earlier row) or Exists (the identifier already belongs to
 * customer #N). Nothing is written.
 */
export async function previewImport(
  caller: EngageCaller,
  request: { csv: string; fileName: string | null },
  options: { strategy?: ExistingStrategy } = {},
): Promise<ImportPreview> {
  const file = readCustomerCsv(request.csv);
  const checked = checkRows(file);
  const wanted = Object.fromEntries(UNIQUE_FIELDS.map((f) => [f, new Set<string>()])) as Record<UniqueField, Set<string>>;
  for (const row of checked) {
    if (!row.input || row.Status !== "New") continue;
    for (const field of UNIQUE_FIELDS) {
      const key = keyOf(field, row.input);
      if (key !== null) wanted[field].add(key);
    }
  }
  const { existing } = await findExisting(caller, wanted, options);
  // A Duplicate stays one even when its identifier exists too: the import skips it as such.
  const rows = checked.map(({ input, ...row }): PreviewRow => {
    if (!input || row.Status !== "New") return row;
    for (const field of UNIQUE_FIELDS) {
      const key = keyOf(field, input);
      const customerId = key === null ? undefined : existing[field].get(key);
      if (customerId !== undefined) return { ...row, Status: "Exists", Field: field, ExistingCustomerID: customerId };
    }
    return row;
  });
  return { FileName: request.fileName, Columns: file.columns, Rows: rows, Counts: countsOf(rows) };
}

// --- Import: registering ---------------------------------------------------------------------

/** Consecutive rows Engage could not answer for before the rest are not tried (it is down). */
const MAX_UNAVAILABLE_IN_A_ROW = 16;

/**
 * Registers the file's valid rows that are not duplicates in the file, each with Engage's POST
 * /Customers at the caller's location — the same request the register form makes. A customer
 * who exists (found in the preview, or registered meanwhile) is refused by Engage with 409 and
 * reported as Exists: nothing existing is ever changed. A row Engage fails on is reported and
 * the import goes on; once Engage stops answering altogether, the rest are reported as not tried.
 */
export async function importCustomers(
  caller: EngageCaller,
  request: { csv: string; fileName: string | null },
  options: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<ImportResult> {
  const started = Date.now();
  const checked = checkRows(readCustomerCsv(request.csv));
  const results = new Map<number, ImportRowResult>();
  const toRegister = checked.filter((row) => row.Status === "New");
  for (const row of checked) {
    if (row.Status === "Invalid") {
      results.set(row.Row, { Row: row.Row, Outcome: "Skipped", Reason: "Invalid", Message: describeErrors(row.Errors) });
    } else if (row.Status === "Duplicate") {
      results.set(row.Row, { Row: row.Row, Outcome: "Skipped", Reason: "Duplicate", Message: `Same ${row.Field} as row ${row.DuplicateOfRow}` });
    }
  }

  let done = 0;
  let unavailableInARow = 0;
  let stopped: string | null = null;
  options.onProgress?.(0, toRegister.length);
  await eachLimited(
    toRegister,
    concurrencyOf(caller),
    async (row) => {
      if (stopped) return;
      results.set(row.Row, await register(caller, row, options.signal));
      const outcome = results.get(row.Row)!;
      if (isUnavailable(outcome)) {
        unavailableInARow += 1;
        if (unavailableInARow >= MAX_UNAVAILABLE_IN_A_ROW) stopped = "Not tried: Engage stopped answering. Import the file again to register the rest.";
      } else {
        unavailableInARow = 0;
      }
      done += 1;
      options.onProgress?.(done, toRegister.length);
    },
    options.signal,
  );
  if (options.signal?.aborted) stopped ??= "Not tried: the import was stopped. Import the file again to register the rest.";
  for (const row of toRegister) {
    if (!results.has(row.Row)) results.set(row.Row, { Row: row.Row, Outcome: "Failed", Message: stopped ?? "Not tried." });
  }

  const rows = checked.map((row) => results.get(row.Row)!);
  const count = (outcome: string, reason?: string) => rows.filter((r) => r.Outcome === outcome && (reason === undefined || r.Reason === reason)).length;
  return {
    FileName: request.fileName,
    Rows: rows,
    Counts: {
      Total: rows.length,
      Imported: count("Imported"),
      Failed: count("Failed"),
      Skipped: { Invalid: count("Skipped", "Invalid"), Duplicate: count("Skipped", "Duplicate"), Exists: count("Skipped", "Exists") },
    },
    DurationMs: Date.now() - started,
  };
}

const UNAVAILABLE = "Engage could not be reached";

function isUnavailable(result: ImportRowResult): boolean {
  return result.Message?.startsWith(UNAVAILABLE) ?? false;
}

function describeErrors(errors: ModelState | undefined): string {
  return Object.entries(errors ?? {})
    .map(([field, problems]) => `${field}: ${problems.join("; ")}`)
    .join(". ");
}

async function register(caller: EngageCaller, row: CheckedRow, signal?: AbortSignal): Promise<ImportRowResult> {
  const body = Object.fromEntries(Object.entries(row.input!).filter(([, v]) => v !== null && v !== undefined));
  let answer: EngageAnswer<Record<string, unknown>>;
  try {
    answer = await engage<Record<string, unknown>>(caller, { method: "POST", path: "/v1/Customers", body }, signal);
  } catch (error) {
    if (error instanceof EngageUnavailableError) return { Row: row.Row, Outcome: "Failed", Message: `${UNAVAILABLE}: ${error.message}` };
    console.error(`[console] customers import: row ${row.Row} failed`, error);
    return { Row: row.Row, Outcome: "Failed", Message: "Engage failed to register this customer." };
  }
  const { status, body: answered } = answer;
  if (status === 201) return { Row: row.Row, Outcome: "Imported", CustomerID: Number(answered.CustomerID) };
  if (status === 409) {
    const existing = typeof answered.ExistingCustomerID === "number" ? answered.ExistingCustomerID : undefined;
    const property = typeof answered.Property === "string" ? answered.Property : null;
    return {
      Row: row.Row,
      Outcome: "Skipped",
      Reason: "Exists",
      ...(existing !== undefined ? { CustomerID: existing } : {}),
      Message: existing !== undefined && property ? `${property} already belongs to customer #${existing}` : String(answered.Message ?? "This customer already exists."),
    };
  }
  if (status === 400) {
    return { Row: row.Row, Outcome: "Skipped", Reason: "Invalid", Message: describeErrors(answered.ModelState as ModelState) || String(answered.Message) };
  }
  return { Row: row.Row, Outcome: "Failed", Message: String(answered.Message ?? `Engage answered ${status}.`) };
}
