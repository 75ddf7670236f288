// The customers CSV import's wire format and limits, shared by the console's server (which
// checks and imports) and the browser (which shows the preview and the result). Imports nothing.

/** The largest file accepted, in bytes of UTF-8. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** The most customers one file may hold (rows after the header). */
export const MAX_IMPORT_ROWS = 20_000;

/** The columns an import reads, as Engage's register schema names them (matched ignoring case, spaces and _). */
export const IMPORT_FIELDS = [
  "CustomerID",
  "ExternalID",
  "FirstName",
  "LastName",
  "Phone",
  "Email",
  "Address",
  "City",
  "State",
  "Zipcode",
  "Birthday",
  "AcceptsSMS",
  "AcceptsEmail",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** The identifiers that name one customer only: a second row or customer with the same value is a duplicate. */
export const UNIQUE_FIELDS = ["CustomerID", "ExternalID", "Phone", "Email"] as const;
export type UniqueField = (typeof UNIQUE_FIELDS)[number];

/** What the file asks for, as sent to the preview and to the import. */
export interface ImportRequest {
  Csv: string;
  FileName?: string;
}

export type PreviewStatus = "New" | "Invalid" | "Duplicate" | "Exists";

export interface PreviewRow {
  /** The row's number as a spreadsheet shows it: the header is row 1. */
  Row: number;
  /** The row's cells by field, as written in the file (for display). */
  Values: Partial<Record<ImportField, string>>;
  Status: PreviewStatus;
  /** Invalid: each field's problems, as Engage's ModelState words them. */
  Errors?: Record<string, string[]>;
  /** Duplicate: the earlier row of this file with the same identifier. */
  DuplicateOfRow?: number;
  /** Exists: the customer who already has the identifier. */
  ExistingCustomerID?: number;
  /** Duplicate or Exists: which identifier. */
  Field?: UniqueField;
}

export interface ImportCounts {
  Total: number;
  New: number;
  Invalid: number;
  Duplicate: number;
  Exists: number;
}

export interface ImportPreview {
  FileName: string | null;
  /** Each header of the file and the field it was read as; null when it is not imported. */
  Columns: { Header: string; Field: ImportField | null }[];
  Rows: PreviewRow[];
  Counts: ImportCounts;
}

export type ImportOutcome = "Imported" | "Skipped" | "Failed";

export interface ImportRowResult {
  Row: number;
  Outcome: ImportOutcome;
  /** Imported: the new customer; Skipped as Exists: the customer who has the identifier. */
  CustomerID?: number;
  /** Skipped: why (the preview's status); Failed: what Engage answered. */
  Reason?: Exclude<PreviewStatus, "New">;
  Message?: string;
}

export interface ImportResult {
  FileName: string | null;
  Rows: ImportRowResult[];
  Counts: { Total: number; Imported: number; Failed: number; Skipped: { Invalid: number; Duplicate: number; Exists: number } };
  /** Milliseconds the import took. */
  DurationMs: number;
}

/** One line of the import's progress stream (application/x-ndjson): progress, then the result or an error. */
export type ImportEvent =
  | { Type: "progress"; Done: number; Total: number }
  | { Type: "result"; Result: ImportResult }
  | { Type: "error"; Message: string; Code: string };

/** A header as written ("First name", "first_name", "FIRSTNAME") to the field it names, or null. */
export function importFieldOf(header: string): ImportField | null {
  const key = header.trim().toLowerCase().replace(/[\s_\-.]+/g, "");
  return IMPORT_FIELDS.find((f) => f.toLowerCase() === key) ?? null;
}

/** The sentence that says why a row was not imported, for the preview and the report alike. */
export function describeRow(row: Pick<PreviewRow, "Status" | "Errors" | "DuplicateOfRow" | "ExistingCustomerID" | "Field">): string {
  switch (row.Status) {
    case "New":
      return "Will be imported";
    case "Invalid":
      return Object.entries(row.Errors ?? {})
        .map(([field, problems]) => `${field}: ${problems.join("; ")}`)
        .join(". ");
    case "Duplicate":
      return `Same ${row.Field} as row ${row.DuplicateOfRow}`;
    case "Exists":
      return `${row.Field} already belongs to customer #${row.ExistingCustomerID}`;
  }
}

/**
 * The largest import request: the file's text inside JSON, where quotes and line breaks take two
 * characters, so well above the file's own limit (which the server checks on the text).
 */
export const IMPORT_BODY_LIMIT = {
  bytes: 3 * MAX_IMPORT_BYTES,
  message: `The file is larger than ${MAX_IMPORT_BYTES / (1024 * 1024)} MB. Split it into smaller files.`,
};
