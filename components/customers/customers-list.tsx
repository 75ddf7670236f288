// The Customers list: one search box (name, phone in any format or its last 4 digits, email,
// POS id) searched as the user types, a sortable, paged table, and the URL (?q=&page=&sort=)
// holding all of it so a link reproduces the view.
"use client";

import {
  createColumnHelper,
  rowPaginationFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type PaginationState,
  type SortingState,
  type Updater,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, Search, UserPlus } from "lucide-react";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useEffectEvent, useId, useState, type ReactNode } from "react";
import { EmptyState, ErrorState } from "@/components/states/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TablePager } from "@/components/ui/data-table";
import { SelectField } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { LocalTime } from "@/components/ui/local-time";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/components/ui/utils";
import { customerName, formatPhone } from "@/lib/console/client/customer-format";
import { customerListQuery, customerListStateFrom, normalizeSearch, registrationHint } from "@/lib/console/client/customer-list-state";
import { CUSTOMERS_PAGE_SIZE, useCustomers, usePrefetchCustomers, type Customer, type CustomerListParams, type CustomerSort } from "@/lib/console/client/customers";
import { formatMoney } from "@/lib/console/client/format";

// The pause after the last keystroke before searching: long enough that a word typed at speed
// asks once (each newer search cancels the older request). Four digits, the till's usual
// look-up (a phone's last four), are searched at once: at a million customers, its answer shows
// about 65 ms after the fourth digit instead of 165 ms (bench/console.ts); a fifth digit typed
// after it cancels that request and searches as usual.
const SEARCH_DELAY_MS = 100;
const LAST_FOUR = /^\d{4}$/;

const features = tableFeatures({ rowSortingFeature, rowPaginationFeature });
const column = createColumnHelper<typeof features, Customer>();
const EMPTY: Customer[] = [];

const columns = column.columns([
  column.accessor((c) => customerName(c), {
    id: "name",
    header: "Name",
    cell: ({ row }) => (
      <>
        {/* Not prefetched: each search shows another 25 customers, and a prefetch of each profile
            would ask the server 25 times for every answer; the profile loads when opened. */}
        <Link
          href={`/customers/${row.original.CustomerID}`}
          prefetch={false}
          className="font-medium text-primary underline-offset-4 hover:underline focus-visible:underline"
        >
          {customerName(row.original)}
        </Link>
        {/* On a phone the phone column is folded in here. */}
        {row.original.Phone ? <span className="block text-sm whitespace-nowrap text-muted-foreground tabular-nums sm:hidden">{formatPhone(row.original.Phone)}</span> : null}
      </>
    ),
  }),
  column.accessor("Phone", {
    id: "phone",
    header: "Phone",
    enableSorting: false,
    cell: ({ getValue }) => <span className="whitespace-nowrap tabular-nums">{formatPhone(getValue()) || "—"}</span>,
  }),
  column.accessor("Email", {
    id: "email",
    header: "Email",
    enableSorting: false,
    cell: ({ getValue }) => {
      const email = getValue();
      return email ? (
        <span className="block max-w-[16rem] truncate" title={email}>
          {email}
        </span>
      ) : (
        "—"
      );
    },
  }),
  column.accessor("VisitCount", {
    id: "visits",
    header: "Visits",
    enableSorting: false,
    cell: ({ getValue }) => <span className="tabular-nums">{getValue()}</span>,
  }),
  column.accessor("LifetimeSpend", {
    id: "lifetimeSpend",
    header: "Lifetime spend",
    sortDescFirst: true,
    cell: ({ getValue }) => <span className="tabular-nums">{formatMoney(getValue())}</span>,
  }),
  column.accessor("LastVisitAt", {
    id: "lastVisit",
    header: "Last visit",
    sortDescFirst: true,
    cell: ({ getValue }) => {
      const value = getValue();
      return value ? <LocalTime value={value} className="whitespace-nowrap" /> : <span className="text-muted-foreground">Never</span>;
    },
  }),
  column.display({
    id: "consent",
    header: "Consent",
    cell: ({ row }) => <ConsentBadges customer={row.original} />,
  }),
]);

/** Layout of each column: numbers right-aligned, the least needed ones hidden on a phone. */
const COLUMN_CLASS: Record<string, string> = {
  phone: "hidden sm:table-cell",
  email: "hidden lg:table-cell",
  visits: "hidden text-right sm:table-cell",
  lifetimeSpend: "text-right",
  lastVisit: "hidden md:table-cell",
  consent: "hidden md:table-cell",
};

function ConsentBadges({ customer }: { customer: Customer }) {
  if (!customer.AcceptsSMS && !customer.AcceptsEmail) return <span className="text-muted-foreground">None</span>;
  return (
    <span className="flex gap-1">
      {customer.AcceptsSMS ? <Badge variant="secondary">SMS</Badge> : null}
      {customer.AcceptsEmail ? <Badge variant="secondary">Email</Badge> : null}
    </span>
  );
}

function sortingOf(sort: CustomerSort): SortingState {
  return [{ id: sort.replace(/^-/, ""), desc: sort.startsWith("-") }];
}

function sortOf(sorting: SortingState, fallback: CustomerSort): CustomerSort {
  const first = sorting[0];
  if (!first) return fallback;
  return `${first.desc ? "-" : ""}${first.id}` as CustomerSort;
}

const ARIA_SORT = { asc: "ascending", desc: "descending" } as const;

/** For a phone, where the sortable columns are not all shown. */
const SORT_LABELS: Record<CustomerSort, string> = {
  name: "Name, A to Z",
  "-name": "Name, Z to A",
  "-lastVisit": "Last visit, newest first",
  lastVisit: "Last visit, oldest first",
  "-lifetimeSpend": "Lifetime spend, highest first",
  lifetimeSpend: "Lifetime spend, lowest first",
};

export function CustomersList() {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const fromUrl = customerListStateFrom(searchParams);
  const urlKey = customerListQuery(fromUrl);

  // The view this list has just chosen, shown at once: Next's router passes a changed address on
  // (useSearchParams) only after a render of the whole page of its own. Kept until the router has
  // caught up, or the address changes otherwise (Back, a link). While typing, the address is
  // written once the results are in (at the latest after a second), so that the router's render
  // never holds them up; paging and sorting write theirs at once.
  const [ahead, setAhead] = useState<{ view: CustomerListParams; base: string; keys: string[]; unwritten: string | null } | null>(null);
  if (ahead && (urlKey === ahead.keys[ahead.keys.length - 1] || (urlKey !== ahead.base && !ahead.keys.includes(urlKey)))) {
    setAhead(null);
  }
  const view = ahead?.view ?? fromUrl;
  useEffect(() => {
    const onPopState = () => setAhead(null);
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
  }, []);
  const searchId = useId();

  // What is typed, and the search last written to the URL. The URL changes from outside too
  // (Back, a link): then the box follows it.
  const [text, setText] = useState(view.q);
  const [sentQ, setSentQ] = useState(view.q);
  const [seenQ, setSeenQ] = useState(view.q);
  if (view.q !== seenQ) {
    setSeenQ(view.q);
    if (view.q !== sentQ) {
      setSentQ(view.q);
      setText(view.q);
    }
  }

  const prefetch = usePrefetchCustomers();

  /** History entries for paging and sorting (Back returns), one replaced entry while typing. */
  function go(next: CustomerListParams, mode: "push" | "replace") {
    // The request starts now, before the render that shows it.
    prefetch(next);
    const query = customerListQuery(next);
    const url = `${pathname}${query}`;
    // Next.js keeps useSearchParams in step with the History API, without a server round trip.
    if (mode === "push") {
      if (ahead?.unwritten) window.history.replaceState(null, "", ahead.unwritten);
      window.history.pushState(null, "", url);
    }
    setAhead((a) => ({ view: next, base: a?.base ?? urlKey, keys: [...(a?.keys ?? []), query], unwritten: mode === "replace" ? url : null }));
  }

  const search = useEffectEvent((q: string) => {
    setSentQ(q);
    // The sort as it is now: it may have changed while the user was typing.
    go({ ...view, q, page: 1 }, "replace");
  });
  useEffect(() => {
    const q = normalizeSearch(text);
    if (q === sentQ) return;
    const timer = window.setTimeout(() => search(q), LAST_FOUR.test(q) ? 0 : SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [text, sentQ]);

  const customers = useCustomers(view);

  const unwritten = ahead?.unwritten ?? null;
  const settled = !customers.isFetching;
  useEffect(() => {
    if (!unwritten) return;
    const write = () => {
      if (`${window.location.pathname}${window.location.search}` !== unwritten) window.history.replaceState(null, "", unwritten);
    };
    if (settled) return write();
    const timer = window.setTimeout(write, 1_000);
    return () => window.clearTimeout(timer);
  }, [unwritten, settled]);
  const total = customers.data?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / CUSTOMERS_PAGE_SIZE));
  const sorting = sortingOf(view.sort);
  const pagination: PaginationState = { pageIndex: view.page - 1, pageSize: CUSTOMERS_PAGE_SIZE };

  const table = useTable({
    features,
    columns,
    data: customers.data?.items ?? EMPTY,
    getRowId: (c) => String(c.CustomerID),
    manualSorting: true,
    manualPagination: true,
    autoResetPageIndex: false,
    enableSortingRemoval: false,
    enableMultiSort: false,
    rowCount: total,
    state: { sorting, pagination },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      go({ ...view, sort: sortOf(next, view.sort), page: 1 }, "push");
    },
    onPaginationChange: (updater: Updater<PaginationState>) => {
      const next = typeof updater === "function" ? updater(pagination) : updater;
      go({ ...view, page: next.pageIndex + 1 }, "push");
    },
  });

  const rows = table.getRowModel().rows;
  const searching = view.q !== "" || normalizeSearch(text) !== "";
  const stale = customers.isPlaceholderData || normalizeSearch(text) !== view.q;
  const hint = registrationHint(view.q);
  const registerHref = `/customers/new${Object.keys(hint).length ? `?${new URLSearchParams(hint)}` : ""}`;

  let body: ReactNode;
  if (customers.isError && !customers.data) {
    body = <ErrorState error={customers.error} onRetry={() => void customers.refetch()} retrying={customers.isFetching} />;
  } else if (!customers.data) {
    body = <ListSkeleton />;
  } else if (total === 0 && view.q === "") {
    body = (
      <EmptyState title="No customers yet">
        <p>Customers appear here once your POS registers them, or when you register one.</p>
        <Button asChild className="mt-3">
          <Link href="/customers/new">
            <UserPlus aria-hidden /> Register customer
          </Link>
        </Button>
      </EmptyState>
    );
  } else if (total === 0) {
    body = (
      <EmptyState title={`No customers match “${view.q}”`}>
        <p>Check the spelling, try the last 4 digits of the phone number, or register them.</p>
        <Button asChild variant="outline" className="mt-3">
          <Link href={registerHref}>
            <UserPlus aria-hidden /> Register a new customer
          </Link>
        </Button>
      </EmptyState>
    );
  } else if (rows.length === 0) {
    body = (
      <EmptyState title={`There is no page ${view.page}`}>
        <p>
          The list has {pageCount} {pageCount === 1 ? "page" : "pages"}.{" "}
          <Link className="text-primary underline" href={`${pathname}${customerListQuery({ ...view, page: pageCount })}`}>
            Go to the last page
          </Link>
        </p>
      </EmptyState>
    );
  } else {
    body = (
      <div aria-busy={stale || customers.isFetching} className={cn("grid gap-3 transition-opacity", stale && "opacity-60")}>
        {customers.isError ? <ErrorState error={customers.error} onRetry={() => void customers.refetch()} retrying={customers.isFetching} /> : null}
        <Table label="Customers">
          <TableHeader>
            {table.getHeaderGroups().map((group) => (
              <TableRow key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  return (
                    <TableHead
                      key={header.id}
                      aria-sort={canSort ? (sorted ? ARIA_SORT[sorted] : "none") : undefined}
                      className={COLUMN_CLASS[header.column.id]}
                    >
                      {canSort ? (
                        <button
                          type="button"
                          onClick={header.column.getToggleSortingHandler()}
                          className={cn(
                            "-mx-2 inline-flex h-8 items-center gap-1 rounded-md px-2 font-medium hover:bg-accent hover:text-accent-foreground",
                            "outline-none focus-visible:ring-2 focus-visible:ring-ring",
                            sorted && "text-foreground",
                          )}
                        >
                          <table.FlexRender header={header} />
                          {sorted === "asc" ? (
                            <ArrowUp aria-hidden className="size-4" />
                          ) : sorted === "desc" ? (
                            <ArrowDown aria-hidden className="size-4" />
                          ) : (
                            <ArrowUpDown aria-hidden className="size-4 opacity-50" />
                          )}
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </TableHead>
                  );
                })}
              </TableRow>
            ))}
          </TableHeader>
          <TableBody>
            {rows.map((row) => (
              <TableRow key={row.id} className="hover:bg-muted/40">
                {row.getAllCells().map((cell) => (
                  <TableCell key={cell.id} className={COLUMN_CLASS[cell.column.id]}>
                    <table.FlexRender cell={cell} />
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <TablePager
          label="Pages of customers"
          summary={<>Page {view.page} of {pageCount} · {total.toLocaleString("en-US")} {total === 1 ? "customer" : "customers"}</>}
          onPrevious={() => table.previousPage()}
          onNext={() => table.nextPage()}
          canPrevious={table.getCanPreviousPage()}
          canNext={table.getCanNextPage()}
        />
      </div>
    );
  }

  return (
    <div className="grid gap-4">
      <div className="grid gap-2">
        <Label htmlFor={searchId}>Search customers</Label>
        <div className="relative">
          <Search aria-hidden className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
          <Input
            id={searchId}
            type="search"
            className="pl-9"
            value={text}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            enterKeyHint="search"
            aria-describedby={`${searchId}-hint`}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              // Enter searches now rather than after the pause.
              if (event.key === "Enter") {
                const q = normalizeSearch(text);
                if (q !== sentQ) {
                  setSentQ(q);
                  go({ ...view, q, page: 1 }, "replace");
                }
              }
            }}
          />
        </div>
        <p id={`${searchId}-hint`} className="text-sm text-muted-foreground">
          Name, phone number (or its last 4 digits), email or POS customer id.
        </p>
      </div>
      <SelectField
        label="Sort by"
        className="md:hidden"
        value={view.sort}
        onChange={(event) => go({ ...view, sort: event.target.value as CustomerSort, page: 1 }, "push")}
      >
        {(Object.keys(SORT_LABELS) as CustomerSort[]).map((sort) => (
          <option key={sort} value={sort}>
            {SORT_LABELS[sort]}
          </option>
        ))}
      </SelectField>
      <p role="status" className="sr-only">
        {customers.data && !stale
          ? total === 0
            ? searching
              ? `No customers match ${view.q}`
              : "Your group has no customers yet"
            : `${total} ${total === 1 ? "customer" : "customers"}${view.q ? ` match ${view.q}` : ""}, page ${view.page} of ${pageCount}`
          : ""}
      </p>
      {body}
    </div>
  );
}

function ListSkeleton() {
  return (
    <div role="status" aria-label="Loading customers" className="grid gap-2 rounded-lg border p-3">
      <span className="sr-only">Loading customers…</span>
      <Skeleton className="h-6 w-full" />
      {Array.from({ length: 8 }, (_, i) => (
        <Skeleton key={i} className="h-9 w-full" />
      ))}
    </div>
  );
}
