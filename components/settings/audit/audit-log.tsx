// Settings → Audit log: who changed what, when and from where, newest first. Filters (action,
// who, dates, target) are applied together and live in the URL with the page, so a link
// reproduces the view and Back undoes a search. Personal data arrives masked from the server.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { createColumnHelper, rowPaginationFeature, tableFeatures, useTable, type PaginationState, type Updater } from "@tanstack/react-table";
import { Search, X } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { EmptyState, ErrorState, LoadingState } from "@/components/states/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable, TablePager } from "@/components/ui/data-table";
import { SelectField, TextField } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { cn } from "@/components/ui/utils";
import { actionLabel, AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from "@/lib/console/audit-actions";
import {
  AUDIT_PAGE_SIZE,
  auditFiltersFrom,
  auditFiltersQuery,
  hasAuditFilters,
  isDay,
  useAuditLog,
  type AuditEntry,
  type AuditFilters,
} from "@/lib/console/client/audit";

const ROLE_WORDS: Record<string, string> = { owner: "Owner", manager: "Manager", staff: "Staff" };

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.length ? value.map(show).join(", ") : "none";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The details in words: "Phone: …1234 → …9876", "Role: staff". */
export function describeDetails(details: Record<string, unknown> | null): string[] {
  if (!details) return [];
  const lines: string[] = [];
  for (const [name, value] of Object.entries(details)) {
    if (name === "Changed" && value && typeof value === "object") {
      for (const [field, change] of Object.entries(value as Record<string, { From?: unknown; To?: unknown }>)) {
        lines.push(`${field}: ${show(change?.From)} → ${show(change?.To)}`);
      }
    } else {
      lines.push(`${name}: ${show(value)}`);
    }
  }
  return lines;
}

function TargetCell({ entry }: { entry: AuditEntry }) {
  if (!entry.TargetType) return <span className="text-muted-foreground">—</span>;
  const label = (AUDIT_TARGET_TYPES as Record<string, string>)[entry.TargetType] ?? entry.TargetType;
  const text = entry.TargetID ? `${label} ${entry.TargetType === "customer" || entry.TargetType === "campaign" ? "#" : ""}${entry.TargetID}` : label;
  const href =
    entry.TargetType === "customer" && entry.TargetID
      ? `/customers/${entry.TargetID}`
      : entry.TargetType === "receipt" && entry.TargetID
        ? `/receipts/${entry.TargetID}`
        : null;
  return href && entry.Action !== "customer.erase" ? (
    <Link href={href} className="break-all text-primary underline-offset-4 hover:underline focus-visible:underline">
      {text}
    </Link>
  ) : (
    <span className="break-all">{text}</span>
  );
}

const features = tableFeatures({ rowPaginationFeature });
const column = createColumnHelper<typeof features, AuditEntry>();
const EMPTY: AuditEntry[] = [];

const columns = column.columns([
  column.accessor("At", {
    id: "at",
    header: "When",
    cell: ({ getValue }) => <LocalTime value={getValue()} withTime className="whitespace-nowrap" />,
  }),
  column.accessor("Actor", {
    id: "actor",
    header: "Who",
    cell: ({ row }) => (
      <div className="grid gap-0.5">
        <span className="break-all">{row.original.Actor}</span>
        <span className="text-sm text-muted-foreground">
          {row.original.ActorRole ? (ROLE_WORDS[row.original.ActorRole] ?? row.original.ActorRole) : row.original.Source === "cli" ? "Command line" : "—"}
        </span>
      </div>
    ),
  }),
  column.accessor("Action", {
    id: "action",
    header: "What",
    cell: ({ row }) => (
      <div className="grid gap-1">
        <span className="font-medium">{actionLabel(row.original.Action)}</span>
        <code className="text-xs text-muted-foreground">{row.original.Action}</code>
      </div>
    ),
  }),
  column.display({
    id: "target",
    header: "Target",
    cell: ({ row }) => <TargetCell entry={row.original} />,
  }),
  column.accessor("Details", {
    id: "details",
    header: "Details",
    cell: ({ getValue }) => {
      const lines = describeDetails(getValue());
      return lines.length ? (
        <ul className="grid min-w-40 gap-0.5 text-sm">
          {lines.map((line, i) => (
            <li key={i} className="break-words">
              {line}
            </li>
          ))}
        </ul>
      ) : (
        <span className="text-muted-foreground">—</span>
      );
    },
  }),
  column.display({
    id: "from",
    header: "From where",
    cell: ({ row }) => (
      <div className="grid max-w-56 gap-0.5 text-sm">
        {row.original.Source === "cli" ? <Badge variant="secondary">CLI</Badge> : <span className="tabular-nums">{row.original.IP ?? "—"}</span>}
        {row.original.UserAgent ? (
          <span className="truncate text-muted-foreground" title={row.original.UserAgent}>
            {row.original.UserAgent}
          </span>
        ) : null}
      </div>
    ),
  }),
]);

const COLUMN_CLASS: Record<string, string> = {
  details: "hidden md:table-cell",
  from: "hidden lg:table-cell",
};

const filterSchema = z
  .object({
    action: z.string(),
    actor: z.string().trim().max(254, "Must be at most 254 characters"),
    from: z.string().refine((v) => v === "" || isDay(v), "Enter a date"),
    to: z.string().refine((v) => v === "" || isDay(v), "Enter a date"),
    targetType: z.string(),
    targetId: z.string().trim().max(100, "Must be at most 100 characters"),
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.to < v.from) ctx.addIssue({ code: "custom", path: ["to"], message: "Must be on or after the start date" });
    if (v.targetId && /\s/.test(v.targetId)) ctx.addIssue({ code: "custom", path: ["targetId"], message: "An id has no spaces" });
  });

type FilterValues = z.infer<typeof filterSchema>;

function formValues(filters: AuditFilters): FilterValues {
  const [type, ...id] = (filters.target ?? "").split(":");
  const isType = (filters.target ?? "").includes(":") || /^[a-z]+$/.test(type);
  return {
    action: filters.action ?? "",
    actor: filters.actor ?? "",
    from: filters.from ?? "",
    to: filters.to ?? "",
    targetType: isType ? type : "",
    targetId: isType ? id.join(":") : (filters.target ?? ""),
  };
}

function FilterForm({ filters, onApply }: { filters: AuditFilters; onApply: (values: FilterValues) => void }) {
  const form = useForm<FilterValues>({ resolver: zodResolver(filterSchema), defaultValues: formValues(filters) });
  const key = auditFiltersQuery({ ...filters, page: 1 });
  // The URL changed from outside (Back, a link): the form follows it.
  useEffect(() => form.reset(formValues(filters)), [key]); // eslint-disable-line react-hooks/exhaustive-deps
  const errors = form.formState.errors;
  return (
    <form role="search" aria-label="Filter the audit log" noValidate onSubmit={form.handleSubmit(onApply)} className="grid gap-4 rounded-xl border bg-card p-4">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <SelectField label="Action" {...form.register("action")}>
          <option value="">All actions</option>
          {Object.entries(AUDIT_ACTIONS).map(([action, label]) => (
            <option key={action} value={action}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField label="Who" description="The start of an email, or cli: for the command line." autoComplete="off" error={errors.actor?.message} {...form.register("actor")} />
        <div className="grid grid-cols-2 gap-3">
          <TextField label="From" type="date" error={errors.from?.message} {...form.register("from")} />
          <TextField label="To" type="date" error={errors.to?.message} {...form.register("to")} />
        </div>
        <SelectField label="Target" {...form.register("targetType")}>
          <option value="">Any target</option>
          {Object.entries(AUDIT_TARGET_TYPES).map(([type, label]) => (
            <option key={type} value={type}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField label="Target id" description="A CustomerID, ReceiptID, key or person id." autoComplete="off" error={errors.targetId?.message} {...form.register("targetId")} />
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit">
          <Search aria-hidden /> Apply filters
        </Button>
        {hasAuditFilters(filters) ? (
          <Button asChild variant="outline">
            <Link href="/settings/audit">
              <X aria-hidden /> Clear filters
            </Link>
          </Button>
        ) : null}
      </div>
    </form>
  );
}

export function AuditLog() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filters = auditFiltersFrom(searchParams);
  const log = useAuditLog(filters);
  const total = log.data?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const pagination: PaginationState = { pageIndex: filters.page - 1, pageSize: AUDIT_PAGE_SIZE };

  function go(next: AuditFilters) {
    router.push(`${pathname}${auditFiltersQuery(next)}`, { scroll: false });
  }

  const table = useTable({
    features,
    columns,
    data: log.data?.items ?? EMPTY,
    getRowId: (entry) => String(entry.EntryID),
    manualPagination: true,
    autoResetPageIndex: false,
    rowCount: total,
    state: { pagination },
    onPaginationChange: (updater: Updater<PaginationState>) => {
      const next = typeof updater === "function" ? updater(pagination) : updater;
      go({ ...filters, page: next.pageIndex + 1 });
    },
  });

  function apply(values: FilterValues) {
    const target = values.targetType ? `${values.targetType}${values.targetId ? `:${values.targetId}` : ""}` : values.targetId || undefined;
    go({
      action: values.action || undefined,
      actor: values.actor || undefined,
      from: values.from || undefined,
      to: values.to || undefined,
      target,
      page: 1,
    });
  }

  const rows = table.getRowModel().rows;
  let body;
  if (log.isError && !log.data) {
    body = <ErrorState error={log.error} onRetry={() => void log.refetch()} retrying={log.isFetching} />;
  } else if (!log.data) {
    body = <LoadingState label="Loading the audit log…" rows={6} />;
  } else if (total === 0) {
    body = hasAuditFilters(filters) ? (
      <EmptyState title="No entries match these filters">Widen the dates, or clear the filters.</EmptyState>
    ) : (
      <EmptyState title="Nothing recorded yet">Changes made in the console or with the command line appear here.</EmptyState>
    );
  } else if (rows.length === 0) {
    body = (
      <EmptyState title={`There is no page ${filters.page}`}>
        <Link className="text-primary underline" href={`${pathname}${auditFiltersQuery({ ...filters, page: pageCount })}`}>
          Go to the last page
        </Link>
      </EmptyState>
    );
  } else {
    body = (
      <div aria-busy={log.isPlaceholderData || log.isFetching} className={cn("grid gap-3", log.isPlaceholderData && "opacity-60")}>
        <DataTable label="Audit log" headerGroups={table.getHeaderGroups()} rows={rows} columnClass={COLUMN_CLASS} rowClassName="align-top" />
        <TablePager
          label="Pages of the audit log"
          summary={<>Page {filters.page} of {pageCount} · {total.toLocaleString("en-US")} {total === 1 ? "entry" : "entries"}</>}
          onPrevious={() => table.previousPage()}
          onNext={() => table.nextPage()}
          canPrevious={table.getCanPreviousPage()}
          canNext={table.getCanNextPage()}
        />
      </div>
    );
  }

  return (
    <div className="grid gap-6">
      <FilterForm filters={filters} onApply={apply} />
      <p role="status" className="sr-only">
        {log.data && !log.isPlaceholderData ? `${total} ${total === 1 ? "entry" : "entries"}, page ${filters.page} of ${pageCount}` : ""}
      </p>
      {body}
    </div>
  );
}
