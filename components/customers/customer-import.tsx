// Importing customers from a CSV file, in three steps: choose the file; check it (every row's
// status: new, invalid with each field's problem, a duplicate of an earlier row, or a customer
// who exists); import the new rows with a progress bar, then a report that can be downloaded.
"use client";

import { AlertTriangle, CheckCircle2, Download, FileUp, RotateCcw, Upload } from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useLeaveGuard } from "@/components/forms/use-leave-guard";
import { ErrorState } from "@/components/states/states";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FieldError, FieldHint, SelectField } from "@/components/ui/field";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/components/ui/toaster";
import { cn } from "@/components/ui/utils";
import { useImportCustomers, usePreviewCustomerImport, type ImportPreview, type ImportResult } from "@/lib/console/client/customer-import";
import { isApiError } from "@/lib/console/client/fetch";
import {
  describeRow,
  IMPORT_FIELDS,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  type ImportRowResult,
  type PreviewRow,
  type PreviewStatus,
} from "@/lib/console/customers-csv-format";

const PAGE_SIZE = 50;
const MB = 1024 * 1024;
const number = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, one: string, many: string) => `${number(n)} ${n === 1 ? one : many}`;

const SAMPLE = [
  "CustomerID,ExternalID,FirstName,LastName,Phone,Email,Address,City,State,Zipcode,Birthday,AcceptsSMS,AcceptsEmail",
  ",POS-1001,Ada,Lovelace,(970) 555-0123,ada@example.com,1 Main Ave,Durango,CO,81301,1990-12-10,yes,no",
  ",,Grace,Hopper,970-555-0124,,,,,,,no,yes",
].join("\r\n");

/** Offers text as a file to save (made in the browser: nothing is sent). */
function saveFile(name: string, text: string) {
  const url = URL.createObjectURL(new Blob(["\uFEFF", text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const FORMULA_START = /^[=+\-@\t\r]/;
function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The import's report as CSV: each row of the file, what happened to it and why. */
function reportCsv(preview: ImportPreview, result: ImportResult): string {
  const values = new Map(preview.Rows.map((r) => [r.Row, r.Values]));
  const lines = [["Row", "Outcome", "Reason", "CustomerID", "FirstName", "LastName", "Phone", "Email", "Message"].join(",")];
  for (const row of result.Rows) {
    const v = values.get(row.Row) ?? {};
    lines.push([row.Row, row.Outcome, row.Reason ?? "", row.CustomerID ?? "", v.FirstName, v.LastName, v.Phone, v.Email, row.Message ?? ""].map(cell).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

type Step = { name: "choose" } | { name: "preview"; preview: ImportPreview; csv: string } | { name: "done"; preview: ImportPreview; result: ImportResult; csv: string };

export function CustomerImport() {
  const [step, setStep] = useState<Step>({ name: "choose" });
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const previewMutation = usePreviewCustomerImport();
  const importMutation = useImportCustomers();
  const importing = importMutation.isPending;
  useLeaveGuard(importing, "The import is still running. Leave this page and stop it?");

  function reset() {
    previewMutation.reset();
    importMutation.reset();
    setProgress(null);
    setStep({ name: "choose" });
  }

  if (step.name === "choose") {
    return (
      <ChooseFile
        checking={previewMutation.isPending}
        serverError={previewMutation.error}
        onCheck={(csv, fileName) =>
          previewMutation.mutate({ Csv: csv, FileName: fileName }, { onSuccess: (preview) => setStep({ name: "preview", preview, csv }) })
        }
      />
    );
  }
  if (step.name === "preview") {
    const { preview, csv } = step;
    return (
      <PreviewStep
        preview={preview}
        importing={importing}
        progress={progress}
        error={importMutation.error}
        onCancel={reset}
        onImport={() => {
          setProgress({ done: 0, total: preview.Counts.New });
          importMutation.mutate(
            { request: { Csv: csv, FileName: preview.FileName ?? undefined }, onProgress: (done, total) => setProgress({ done, total }) },
            {
              onSuccess: (result) => {
                setStep({ name: "done", preview, result, csv });
                toast.success(`Imported ${plural(result.Counts.Imported, "customer", "customers")}.`);
              },
            },
          );
        }}
      />
    );
  }
  return <ResultStep preview={step.preview} result={step.result} onAnother={reset} />;
}

function ChooseFile({ checking, serverError, onCheck }: { checking: boolean; serverError: unknown; onCheck: (csv: string, fileName: string) => void }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  // A problem with the file itself (too large, not CSV, no header) belongs to the file field.
  const fileError = error ?? (isApiError(serverError) && (serverError.status === 400 || serverError.status === 413) ? serverError.message : null);
  const otherError = serverError && !fileError ? serverError : null;

  useEffect(() => {
    if (fileError) input.current?.focus();
  }, [fileError]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) return setError("Choose a CSV file.");
    if (file.size > MAX_IMPORT_BYTES) return setError(`The file is larger than ${MAX_IMPORT_BYTES / MB} MB. Split it into smaller files.`);
    if (file.size === 0) return setError("The file is empty.");
    setError(null);
    onCheck(await file.text(), file.name);
  }

  return (
    <form onSubmit={submit} noValidate className="grid max-w-2xl gap-6" aria-busy={checking}>
      <div className="grid gap-2">
        <Label htmlFor={id}>CSV file</Label>
        <input
          ref={input}
          id={id}
          type="file"
          accept=".csv,text/csv"
          aria-invalid={fileError ? true : undefined}
          aria-describedby={`${id}-description${fileError ? ` ${id}-error` : ""}`}
          onChange={() => setError(null)}
          className={cn(
            "block w-full rounded-md border border-input bg-background text-sm file:mr-3 file:h-10 file:border-0 file:border-r file:border-input file:bg-secondary file:px-4 file:font-medium file:text-secondary-foreground",
            "outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 focus-visible:ring-offset-background aria-[invalid=true]:border-destructive",
          )}
        />
        <FieldHint id={`${id}-description`}>
          UTF-8, comma-separated, at most {MAX_IMPORT_BYTES / MB} MB and {number(MAX_IMPORT_ROWS)} customers. The first row names the columns:{" "}
          {IMPORT_FIELDS.join(", ")} (in any order and case; others are ignored). Each customer needs a phone, an email or an ExternalID.
        </FieldHint>
        <FieldError id={`${id}-error`}>{fileError}</FieldError>
      </div>
      {otherError ? <ErrorState error={otherError} /> : null}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={checking}>
          <FileUp aria-hidden /> {checking ? "Checking file…" : "Check file"}
        </Button>
        <Button type="button" variant="link" onClick={() => saveFile("customers-sample.csv", SAMPLE)}>
          <Download aria-hidden /> Download a sample file
        </Button>
      </div>
      <p role="status" className="sr-only">
        {checking ? "Checking the file…" : ""}
      </p>
    </form>
  );
}

const STATUS_LABELS: Record<PreviewStatus, string> = { New: "New", Invalid: "Invalid", Duplicate: "Duplicate", Exists: "Already a customer" };

function StatusBadge({ status }: { status: PreviewStatus }) {
  return <Badge variant={status === "New" ? "secondary" : status === "Invalid" ? "destructive" : "outline"}>{STATUS_LABELS[status]}</Badge>;
}

/** Why a row is as it is, with a link to the customer who already has its phone (email, …). */
function RowDetails({ row }: { row: Pick<PreviewRow, "Status" | "Errors" | "DuplicateOfRow" | "ExistingCustomerID" | "Field"> }) {
  if (row.Status === "Invalid") {
    return (
      <ul className="grid gap-0.5">
        {Object.entries(row.Errors ?? {}).map(([field, problems]) => (
          <li key={field}>
            <span className="font-medium">{field}</span> {problems.join("; ")}
          </li>
        ))}
      </ul>
    );
  }
  if (row.Status === "Exists") {
    return (
      <>
        {row.Field} already belongs to{" "}
        <Link href={`/customers/${row.ExistingCustomerID}`} className="text-primary underline underline-offset-4">
          customer #{row.ExistingCustomerID}
        </Link>
      </>
    );
  }
  return <>{describeRow(row)}</>;
}

const nameOf = (values: PreviewRow["Values"]) => [values.FirstName, values.LastName].filter(Boolean).join(" ");

/** A page of rows at a time, with Previous and Next. */
function usePaging<T>(rows: T[]) {
  const [page, setPage] = useState(1);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  return { page: current, pages, rows: rows.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE), setPage };
}

function Pager({ label, page, pages, count, setPage }: { label: string; page: number; pages: number; count: number; setPage: (p: number) => void }) {
  if (pages <= 1) return null;
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3">
      <p className="text-sm text-muted-foreground">
        Page {page} of {pages} · {plural(count, "row", "rows")}
      </p>
      <div className="flex gap-2">
        <Button variant="outline" size="sm" onClick={() => setPage(page - 1)} disabled={page <= 1}>
          Previous
        </Button>
        <Button variant="outline" size="sm" onClick={() => setPage(page + 1)} disabled={page >= pages}>
          Next
        </Button>
      </div>
    </nav>
  );
}

type Filter = "all" | "problems" | PreviewStatus;
const FILTER_LABELS: Record<Filter, string> = {
  problems: "Rows that will be skipped",
  all: "All rows",
  New: "New customers (will be imported)",
  Invalid: "Invalid rows",
  Duplicate: "Duplicates in the file",
  Exists: "Already customers",
};

function Heading({ id, children }: { id: string; children: ReactNode }) {
  // Each step's heading takes the focus, so a screen reader announces where the user now is.
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h2 ref={ref} id={id} tabIndex={-1} className="text-lg font-semibold outline-none">
      {children}
    </h2>
  );
}

function Counts({ items }: { items: [label: string, value: number][] }) {
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {items.map(([label, value]) => (
        <div key={label} className="rounded-lg border p-3">
          <dt className="text-sm text-muted-foreground">{label}</dt>
          <dd className="text-2xl font-semibold tabular-nums">{number(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function PreviewStep({
  preview,
  importing,
  progress,
  error,
  onCancel,
  onImport,
}: {
  preview: ImportPreview;
  importing: boolean;
  progress: { done: number; total: number } | null;
  error: unknown;
  onCancel: () => void;
  onImport: () => void;
}) {
  const { Counts: counts } = preview;
  const problems = counts.Total - counts.New;
  const [filter, setFilter] = useState<Filter>(problems > 0 ? "problems" : "all");
  const shown = useMemo(
    () => preview.Rows.filter((r) => filter === "all" || (filter === "problems" ? r.Status !== "New" : r.Status === filter)),
    [preview.Rows, filter],
  );
  const paging = usePaging(shown);
  const ignored = preview.Columns.filter((c) => c.Field === null && c.Header !== "");

  return (
    <section aria-labelledby="import-preview" className="grid gap-5">
      <div className="grid gap-1">
        <Heading id="import-preview">Check {preview.FileName ? `“${preview.FileName}”` : "the file"} before importing</Heading>
        <p className="text-muted-foreground">
          {counts.New === 0
            ? "No row of this file can be imported."
            : `${plural(counts.New, "new customer", "new customers")} will be registered.`}{" "}
          {problems > 0 ? `${plural(problems, "row", "rows")} will be skipped: nothing existing is changed.` : ""}
        </p>
      </div>
      <Counts
        items={[
          ["New", counts.New],
          ["Invalid", counts.Invalid],
          ["Duplicates in the file", counts.Duplicate],
          ["Already customers", counts.Exists],
        ]}
      />
      {ignored.length > 0 ? (
        <Alert>
          <AlertTitle>Columns that are not imported</AlertTitle>
          <AlertDescription>
            <p>{ignored.map((c) => `“${c.Header}”`).join(", ")}: they name no customer field.</p>
          </AlertDescription>
        </Alert>
      ) : null}

      {importing && progress ? (
        <ImportProgress done={progress.done} total={progress.total} />
      ) : (
        <>
          {error ? <ErrorState error={error} /> : null}
          <div className="flex flex-wrap gap-3">
            <Button onClick={onImport} disabled={counts.New === 0}>
              <Upload aria-hidden /> Import {plural(counts.New, "customer", "customers")}
            </Button>
            <Button variant="outline" onClick={onCancel}>
              <RotateCcw aria-hidden /> Choose another file
            </Button>
          </div>
        </>
      )}

      <div className="grid gap-3">
        <SelectField label="Show" value={filter} className="max-w-xs" onChange={(event) => {
            setFilter(event.target.value as Filter);
            paging.setPage(1);
          }}
        >
          {(Object.keys(FILTER_LABELS) as Filter[]).map((f) => (
            <option key={f} value={f}>
              {FILTER_LABELS[f]}
            </option>
          ))}
        </SelectField>
        {paging.rows.length === 0 ? (
          <p className="text-sm text-muted-foreground">No rows of this kind.</p>
        ) : (
          <Table label="Rows of the file">
            <TableHeader>
              <TableRow>
                <TableHead className="text-right">Row</TableHead>
                <TableHead>Name</TableHead>
                <TableHead className="hidden sm:table-cell">Phone</TableHead>
                <TableHead className="hidden md:table-cell">Email</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Details</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {paging.rows.map((row) => (
                <TableRow key={row.Row}>
                  <TableCell className="text-right tabular-nums">{row.Row}</TableCell>
                  <TableCell>{nameOf(row.Values) || <span className="text-muted-foreground">—</span>}</TableCell>
                  <TableCell className="hidden whitespace-nowrap tabular-nums sm:table-cell">{row.Values.Phone ?? "—"}</TableCell>
                  <TableCell className="hidden max-w-[16rem] truncate md:table-cell">{row.Values.Email ?? "—"}</TableCell>
                  <TableCell>
                    <StatusBadge status={row.Status} />
                  </TableCell>
                  <TableCell className="text-sm">
                    <RowDetails row={row} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <Pager label="Pages of rows" page={paging.page} pages={paging.pages} count={shown.length} setPage={paging.setPage} />
      </div>
    </section>
  );
}

function ImportProgress({ done, total }: { done: number; total: number }) {
  const percent = total === 0 ? 100 : Math.round((done / total) * 100);
  return (
    <div className="grid gap-2">
      <div
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={`${number(done)} of ${number(total)} customers`}
        className="h-3 w-full overflow-hidden rounded-full bg-secondary"
      >
        <div className="h-full bg-primary transition-[width]" style={{ width: `${percent}%` }} />
      </div>
      <p role="status" className="text-sm text-muted-foreground">
        Importing… {number(done)} of {plural(total, "customer", "customers")}. Keep this page open until it finishes.
      </p>
    </div>
  );
}

type ResultFilter = "skipped" | "imported";

function ResultStep({ preview, result, onAnother }: { preview: ImportPreview; result: ImportResult; onAnother: () => void }) {
  const { Counts: counts } = result;
  const skipped = counts.Skipped.Invalid + counts.Skipped.Duplicate + counts.Skipped.Exists;
  const [filter, setFilter] = useState<ResultFilter>(skipped + counts.Failed > 0 ? "skipped" : "imported");
  const values = useMemo(() => new Map(preview.Rows.map((r) => [r.Row, r.Values])), [preview.Rows]);
  const shown = useMemo(() => result.Rows.filter((r) => (filter === "imported" ? r.Outcome === "Imported" : r.Outcome !== "Imported")), [result.Rows, filter]);
  const paging = usePaging(shown);
  const reasons = [
    counts.Skipped.Invalid ? `${number(counts.Skipped.Invalid)} invalid` : null,
    counts.Skipped.Duplicate ? `${number(counts.Skipped.Duplicate)} duplicated in the file` : null,
    counts.Skipped.Exists ? `${number(counts.Skipped.Exists)} already customers` : null,
  ].filter(Boolean);
  const reportName = `${(preview.FileName ?? "customers").replace(/\.csv$/i, "")}-import-report.csv`;

  return (
    <section aria-labelledby="import-result" className="grid gap-5">
      <Heading id="import-result">Import finished</Heading>
      <Alert variant={counts.Failed > 0 ? "destructive" : "default"}>
        <div className="flex items-start gap-3">
          {counts.Failed > 0 ? <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0" /> : <CheckCircle2 aria-hidden className="mt-0.5 size-4 shrink-0 text-primary" />}
          <div className="grid gap-1">
            <AlertTitle>Imported {plural(counts.Imported, "customer", "customers")}.</AlertTitle>
            <AlertDescription className="grid gap-1">
              {skipped > 0 ? <p>Skipped {plural(skipped, "row", "rows")}: {reasons.join(", ")}.</p> : <p>No row was skipped.</p>}
              {counts.Failed > 0 ? <p>{plural(counts.Failed, "row", "rows")} failed: import the file again to retry them (the customers already imported are skipped).</p> : null}
            </AlertDescription>
          </div>
        </div>
      </Alert>
      <Counts
        items={[
          ["Imported", counts.Imported],
          ["Skipped", skipped],
          ["Failed", counts.Failed],
          ["Rows in the file", counts.Total],
        ]}
      />
      <div className="flex flex-wrap gap-3">
        <Button onClick={() => saveFile(reportName, reportCsv(preview, result))}>
          <Download aria-hidden /> Download report
        </Button>
        <Button asChild variant="outline">
          <Link href="/customers">View customers</Link>
        </Button>
        <Button variant="outline" onClick={onAnother}>
          <RotateCcw aria-hidden /> Import another file
        </Button>
      </div>
      <div className="grid gap-3">
        <SelectField label="Show" value={filter} className="max-w-xs" onChange={(event) => {
            setFilter(event.target.value as ResultFilter);
            paging.setPage(1);
          }}
        >
          <option value="skipped">Rows not imported</option>
          <option value="imported">Imported customers</option>
        </SelectField>
        {paging.rows.length === 0 ? (
          <p className="text-sm text-muted-foreground">{filter === "imported" ? "No customer was imported." : "Every row was imported."}</p>
        ) : (
          <Table label="Import report">
            <TableHeader>
              <TableRow>
                <TableHead className="text-right">Row</TableHead>
                <TableHead>Name</TableHead>
                <TableHead className="hidden sm:table-cell">Phone</TableHead>
                <TableHead>Outcome</TableHead>
                <TableHead>Details</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {paging.rows.map((row) => (
                <ResultRow key={row.Row} row={row} values={values.get(row.Row) ?? {}} />
              ))}
            </TableBody>
          </Table>
        )}
        <Pager label="Pages of the report" page={paging.page} pages={paging.pages} count={shown.length} setPage={paging.setPage} />
      </div>
    </section>
  );
}

function ResultRow({ row, values }: { row: ImportRowResult; values: PreviewRow["Values"] }) {
  const name = nameOf(values);
  return (
    <TableRow>
      <TableCell className="text-right tabular-nums">{row.Row}</TableCell>
      <TableCell>
        {row.Outcome === "Imported" ? (
          <Link href={`/customers/${row.CustomerID}`} className="font-medium text-primary underline-offset-4 hover:underline">
            {name || `Customer #${row.CustomerID}`}
          </Link>
        ) : (
          name || <span className="text-muted-foreground">—</span>
        )}
      </TableCell>
      <TableCell className="hidden whitespace-nowrap tabular-nums sm:table-cell">{values.Phone ?? "—"}</TableCell>
      <TableCell>
        <Badge variant={row.Outcome === "Imported" ? "secondary" : row.Outcome === "Failed" ? "destructive" : "outline"}>
          {row.Outcome === "Skipped" ? `Skipped: ${STATUS_LABELS[row.Reason!].toLowerCase()}` : row.Outcome}
        </Badge>
      </TableCell>
      <TableCell className="text-sm">
        {row.Outcome === "Imported" ? (
          `Customer #${row.CustomerID}`
        ) : row.Reason === "Exists" && row.CustomerID ? (
          <>
            {row.Message?.replace(/ customer #\d+$/, "")}{" "}
            <Link href={`/customers/${row.CustomerID}`} className="text-primary underline underline-offset-4">
              customer #{row.CustomerID}
            </Link>
          </>
        ) : (
          row.Message
        )}
      </TableCell>
    </TableRow>
  );
}
