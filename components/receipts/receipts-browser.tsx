// The receipts page: filters and page in the URL (?from=&to=&location=&customer=&sku=&min=&max=&page=),
// the matching receipts from Engage, and the page's loading, empty, no-match and error states.
"use client";

import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState, useTransition } from "react";
import { EmptyState, ErrorState, LoadingState } from "@/components/states/states";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import {
  hasReceiptFilters,
  receiptFiltersFrom,
  receiptFiltersQuery,
  RECEIPTS_PAGE_SIZE,
  useReceipts,
  type ReceiptFilters,
} from "@/lib/console/client/receipts";
import { useSwitchLocation } from "@/lib/console/client/session";
import { ReceiptFilterForm, type FilterValues, type LocationControl } from "./receipt-filters";
import { ReceiptsTable } from "./receipts-table";

interface Location {
  LocationID: number;
  Name: string;
}

const ALL = "all";

function locationControl(workLocations: Location[], currentLocationId: number | null, mayActForAll: boolean, filters: ReceiptFilters): LocationControl | null {
  if (currentLocationId === null) {
    // The Owner acting group-wide sees every location's receipts and may narrow to one.
    return {
      mode: "filter",
      options: [{ value: "", label: "All locations" }, ...workLocations.map((l) => ({ value: String(l.LocationID), label: l.Name }))],
      value: filters.location === undefined ? "" : String(filters.location),
    };
  }
  // A location's key sees that location's receipts only: another location means working there.
  const options = [
    ...(mayActForAll ? [{ value: ALL, label: "All locations" }] : []),
    ...workLocations.map((l) => ({ value: String(l.LocationID), label: l.Name })),
  ];
  return options.length > 1 ? { mode: "switch", options, value: String(currentLocationId) } : null;
}

export function ReceiptsBrowser({
  groupLocations,
  workLocations,
  currentLocationId,
  mayActForAll,
}: {
  /** Every location of the group, for names. */
  groupLocations: Location[];
  /** Where the user may work. */
  workLocations: Location[];
  currentLocationId: number | null;
  mayActForAll: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filters = receiptFiltersFrom(searchParams);
  const filtered = hasReceiptFilters(filters);
  const [switching, startSwitching] = useTransition();
  const [switchingTo, setSwitchingTo] = useState<number | null | undefined>(undefined);
  const switchLocation = useSwitchLocation();

  const nameOf = (id: number | null | undefined) => groupLocations.find((l) => l.LocationID === id)?.Name ?? `location ${id}`;
  const control = locationControl(workLocations, currentLocationId, mayActForAll, filters);
  // A link to another location's receipts, opened by someone working at one location: say so
  // rather than show this location's receipts under that link.
  const elsewhere =
    currentLocationId !== null && filters.location !== undefined && filters.location !== currentLocationId && !switching && switchingTo === undefined
      ? filters.location
      : null;

  const receipts = useReceipts(filters, { locationFilter: currentLocationId === null, enabled: elsewhere === null });

  function go(next: ReceiptFilters) {
    router.push(`${pathname}${receiptFiltersQuery(next)}`, { scroll: false });
  }

  function workAt(LocationID: number | null, next: ReceiptFilters) {
    setSwitchingTo(LocationID);
    switchLocation.mutate(
      { LocationID },
      {
        onSuccess: () => {
          toast.success(`Now working at ${LocationID === null ? "all locations" : nameOf(LocationID)}.`);
          // The header's switcher and this page's props are the server's: refresh them too.
          startSwitching(() => {
            go(next);
            router.refresh();
          });
        },
        onError: (error) => toast.error(error.message),
        onSettled: () => setSwitchingTo(undefined),
      },
    );
  }

  function apply(values: FilterValues) {
    const next: ReceiptFilters = {
      from: values.from || undefined,
      to: values.to || undefined,
      customer: values.customer ? Number(values.customer) : undefined,
      sku: values.sku || undefined,
      min: values.min ? String(Number(values.min)) : undefined,
      max: values.max ? String(Number(values.max)) : undefined,
      location: filters.location,
      page: 1,
    };
    if (control?.mode === "filter") {
      next.location = values.location ? Number(values.location) : undefined;
    } else if (control?.mode === "switch" && values.location !== control.value) {
      const LocationID = values.location === ALL ? null : Number(values.location);
      workAt(LocationID, { ...next, location: LocationID ?? undefined });
      return;
    }
    go(next);
  }

  const data = receipts.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / RECEIPTS_PAGE_SIZE)) : 1;
  const busy = receipts.isFetching || switching || switchLocation.isPending;
  const mayWorkThere = elsewhere !== null && workLocations.some((l) => l.LocationID === elsewhere);

  return (
    <div className="grid gap-6">
      <ReceiptFilterForm filters={filters} location={control} filtered={filtered} busy={switching || switchLocation.isPending} onApply={apply} />

      <section aria-labelledby="receipts-title" aria-busy={busy} className="grid gap-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="receipts-title" className="text-lg font-semibold">
            {currentLocationId === null
              ? filters.location === undefined
                ? "Receipts at all locations"
                : `Receipts at ${nameOf(filters.location)}`
              : `Receipts at ${nameOf(currentLocationId)}`}
          </h2>
          <p aria-live="polite" className="text-sm text-muted-foreground">
            {elsewhere === null && data && !receipts.isPlaceholderData ? `${data.total.toLocaleString("en-US")} ${data.total === 1 ? "receipt" : "receipts"}` : ""}
          </p>
        </div>

        {elsewhere !== null ? (
          <Alert>
            <AlertTitle>This link shows receipts at {nameOf(elsewhere)}</AlertTitle>
            <AlertDescription>
              <p>
                You are working at {nameOf(currentLocationId)}, and see its receipts only.
                {mayWorkThere ? ` Switch to ${nameOf(elsewhere)} to see these.` : " Only someone who works there can see them."}
              </p>
              <div className="mt-3 flex flex-wrap gap-2">
                {mayWorkThere ? (
                  <Button size="sm" onClick={() => workAt(elsewhere, filters)} disabled={switchLocation.isPending}>
                    Work at {nameOf(elsewhere)}
                  </Button>
                ) : null}
                <Button size="sm" variant="outline" onClick={() => go({ ...filters, location: undefined, page: 1 })}>
                  Show {nameOf(currentLocationId)}&apos;s receipts
                </Button>
              </div>
            </AlertDescription>
          </Alert>
        ) : receipts.error && !data ? (
          <ErrorState error={receipts.error} onRetry={() => void receipts.refetch()} retrying={receipts.isFetching} />
        ) : !data ? (
          <LoadingState label="Loading receipts…" rows={5} />
        ) : data.items.length === 0 ? (
          data.total > 0 ? (
            <EmptyState title={`There is no page ${filters.page}`}>
              <p>
                These filters have {pages} {pages === 1 ? "page" : "pages"} of receipts.{" "}
                <Link className="font-medium text-primary underline underline-offset-4" href={`${pathname}${receiptFiltersQuery({ ...filters, page: 1 })}`}>
                  Go to the first page
                </Link>
              </p>
            </EmptyState>
          ) : filtered ? (
            <EmptyState title="No receipts match these filters">
              <p>
                Widen the dates or the total, or check the SKU and customer.{" "}
                <Link className="font-medium text-primary underline underline-offset-4" href="/receipts">
                  Clear filters
                </Link>
              </p>
            </EmptyState>
          ) : (
            <EmptyState title="No receipts yet">
              <p>Receipts appear here as soon as your POS sends a sale to Engage.</p>
            </EmptyState>
          )
        ) : (
          <>
            {receipts.error ? <ErrorState error={receipts.error} onRetry={() => void receipts.refetch()} retrying={receipts.isFetching} /> : null}
            <ReceiptsTable receipts={data.items} groupLocations={groupLocations} />
            {pages > 1 ? (
              <nav aria-label="Pages of receipts" className="flex flex-wrap items-center justify-between gap-2">
                <p className="text-sm text-muted-foreground">
                  Page {filters.page.toLocaleString("en-US")} of {pages.toLocaleString("en-US")}
                </p>
                <div className="flex gap-2">
                  {filters.page > 1 ? (
                    <Button asChild variant="outline" size="sm">
                      <Link href={`${pathname}${receiptFiltersQuery({ ...filters, page: Math.min(filters.page - 1, pages) })}`} scroll={false}>
                        <ChevronLeft aria-hidden /> Previous page
                      </Link>
                    </Button>
                  ) : null}
                  {filters.page < pages ? (
                    <Button asChild variant="outline" size="sm">
                      <Link href={`${pathname}${receiptFiltersQuery({ ...filters, page: filters.page + 1 })}`} scroll={false}>
                        Next page <ChevronRight aria-hidden />
                      </Link>
                    </Button>
                  ) : null}
                </div>
              </nav>
            ) : null}
          </>
        )}
      </section>
    </div>
  );
}
