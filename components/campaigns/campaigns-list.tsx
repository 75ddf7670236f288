// The campaigns list: each campaign's terms and how it did (offers issued, redeemed, the rate and
// the revenue of the sales that redeemed them), newest first, filtered by where it is good and
// paged, with the filter and page in the URL (?scope=group|{LocationID}&page=).
"use client";

import { createColumnHelper, rowPaginationFeature, tableFeatures, useTable, type PaginationState, type Updater } from "@tanstack/react-table";
import { Megaphone } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, type ReactNode } from "react";
import { EmptyState, ErrorState, LoadingState } from "@/components/states/states";
import { Button } from "@/components/ui/button";
import { DataTable, TablePager } from "@/components/ui/data-table";
import { SelectField } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { cn } from "@/components/ui/utils";
import {
  CAMPAIGNS_PAGE_SIZE,
  campaignListQuery,
  campaignListViewFrom,
  useCampaigns,
  type CampaignListView,
  type ListedCampaign,
} from "@/lib/console/client/campaigns";
import { formatMoney } from "@/lib/console/client/format";
import { campaignTitle, daysInWords, formatCount, formatRate, locationName, scopeName, type NamedLocation } from "./campaign-format";

const features = tableFeatures({ rowPaginationFeature });
const column = createColumnHelper<typeof features, ListedCampaign>();
const EMPTY: ListedCampaign[] = [];

function columnsFor(groupLocations: NamedLocation[]) {
  return column.columns([
    column.accessor((c) => campaignTitle(c), {
      id: "name",
      header: "Name",
      cell: ({ row }) => (
        <Link href={`/campaigns/${row.original.CampaignID}`} className="font-medium text-primary underline-offset-4 hover:underline focus-visible:underline">
          {campaignTitle(row.original)}
        </Link>
      ),
    }),
    column.accessor((c) => scopeName(c, groupLocations), { id: "scope", header: "Scope" }),
    column.accessor("AmountOff", { id: "amountOff", header: "Amount off", cell: ({ getValue }) => formatMoney(getValue()) }),
    column.accessor("MinimumPurchase", {
      id: "minimum",
      header: "Minimum purchase",
      cell: ({ getValue }) => (getValue() > 0 ? formatMoney(getValue()) : <span className="text-muted-foreground">None</span>),
    }),
    column.accessor("DaysTillExpiration", { id: "days", header: "Expires after", cell: ({ getValue }) => daysInWords(getValue()) }),
    column.accessor((c) => c.Stats.OffersIssued, { id: "issued", header: "Offers issued", cell: ({ getValue }) => formatCount(getValue()) }),
    column.accessor((c) => c.Stats.OffersRedeemed, { id: "redeemed", header: "Redeemed", cell: ({ getValue }) => formatCount(getValue()) }),
    column.accessor((c) => c.Stats.RedemptionRate, {
      id: "rate",
      header: "Redemption rate",
      cell: ({ row, getValue }) => (row.original.Stats.OffersIssued === 0 ? <span className="text-muted-foreground">—</span> : formatRate(getValue())),
    }),
    column.accessor((c) => c.Stats.RedeemedRevenue, { id: "revenue", header: "Redeemed revenue", cell: ({ getValue }) => formatMoney(getValue()) }),
    column.accessor("CreatedAt", { id: "created", header: "Created", cell: ({ getValue }) => <LocalTime value={getValue()} className="whitespace-nowrap" /> }),
  ]);
}

const COLUMN_CLASS: Record<string, string> = {
  amountOff: "text-right tabular-nums",
  minimum: "hidden text-right tabular-nums lg:table-cell",
  days: "hidden whitespace-nowrap lg:table-cell",
  issued: "text-right tabular-nums",
  redeemed: "hidden text-right tabular-nums sm:table-cell",
  rate: "hidden text-right tabular-nums sm:table-cell",
  revenue: "hidden text-right tabular-nums md:table-cell",
  created: "hidden md:table-cell",
};

export function CampaignsList({
  groupLocations,
  workLocations,
  currentLocationId,
  mayActForGroup,
}: {
  /** Every location of the group, for names. */
  groupLocations: NamedLocation[];
  /** Where the user works: the locations they may filter by. */
  workLocations: NamedLocation[];
  currentLocationId: number | null;
  /** An Owner: lists with the group key. */
  mayActForGroup: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const view = campaignListViewFrom(searchParams);
  const campaigns = useCampaigns(view, mayActForGroup);
  const total = campaigns.data?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / CAMPAIGNS_PAGE_SIZE));
  const pagination: PaginationState = { pageIndex: view.page - 1, pageSize: CAMPAIGNS_PAGE_SIZE };

  function go(next: CampaignListView) {
    router.push(`${pathname}${campaignListQuery(next)}`, { scroll: false });
  }

  const columns = useMemo(() => columnsFor(groupLocations), [groupLocations]);
  const table = useTable({
    features,
    columns,
    data: campaigns.data?.items ?? EMPTY,
    getRowId: (c) => String(c.CampaignID),
    manualPagination: true,
    autoResetPageIndex: false,
    rowCount: total,
    state: { pagination },
    onPaginationChange: (updater: Updater<PaginationState>) => {
      const next = typeof updater === "function" ? updater(pagination) : updater;
      go({ ...view, page: next.pageIndex + 1 });
    },
  });

  // An Owner sees every campaign; anyone else what their current location's key sees.
  const allLabel = mayActForGroup ? "All campaigns" : `Group campaigns and ${locationName(groupLocations, currentLocationId)}'s`;
  const scopeLabel =
    view.scope === "all" ? "All campaigns" : view.scope === "group" ? "Group campaigns (all locations)" : `Campaigns of ${locationName(groupLocations, view.scope)}`;
  const stale = campaigns.isPlaceholderData;
  const rows = table.getRowModel().rows;

  let body: ReactNode;
  if (campaigns.error && !campaigns.data) {
    body = <ErrorState error={campaigns.error} onRetry={() => void campaigns.refetch()} retrying={campaigns.isFetching} />;
  } else if (!campaigns.data) {
    body = <LoadingState label="Loading campaigns…" rows={5} />;
  } else if (total === 0) {
    body =
      view.scope === "all" ? (
        <EmptyState title="No campaigns yet">
          <p>A campaign gives customers an offer they redeem at the till, and tells them by SMS or email.</p>
          <Button asChild className="mt-3">
            <Link href="/campaigns/new">
              <Megaphone aria-hidden /> New campaign
            </Link>
          </Button>
        </EmptyState>
      ) : (
        <EmptyState title={`No campaigns: ${scopeLabel.toLowerCase()}`}>
          <p>
            <Link className="font-medium text-primary underline underline-offset-4" href={pathname}>
              Show all campaigns
            </Link>
          </p>
        </EmptyState>
      );
  } else if (rows.length === 0) {
    body = (
      <EmptyState title={`There is no page ${view.page}`}>
        <p>
          <Link className="font-medium text-primary underline underline-offset-4" href={`${pathname}${campaignListQuery({ ...view, page: 1 })}`}>
            Go to the first page
          </Link>
        </p>
      </EmptyState>
    );
  } else {
    body = (
      <div aria-busy={stale || campaigns.isFetching} className={cn("grid gap-3 transition-opacity", stale && "opacity-60")}>
        {campaigns.error ? <ErrorState error={campaigns.error} onRetry={() => void campaigns.refetch()} retrying={campaigns.isFetching} /> : null}
        <DataTable label="Campaigns" headerGroups={table.getHeaderGroups()} rows={rows} columnClass={COLUMN_CLASS} rowClassName="hover:bg-muted/40" />
        {pageCount > 1 ? (
          <TablePager
            label="Pages of campaigns"
            summary={<>Page {view.page} of {pageCount}</>}
            onPrevious={() => table.previousPage()}
            onNext={() => table.nextPage()}
            canPrevious={table.getCanPreviousPage()}
            canNext={table.getCanNextPage()}
          />
        ) : null}
      </div>
    );
  }

  return (
    <div className="grid gap-4">
      <SelectField
        label="Scope"
        className="max-w-sm"
        description="Where the offers are good."
        value={String(view.scope)}
        onChange={(event) => {
          const value = event.target.value;
          go({ scope: value === "all" || value === "group" ? value : Number(value), page: 1 });
        }}
      >
        <option value="all">{allLabel}</option>
        <option value="group">Group campaigns (all locations)</option>
        {workLocations.map((l) => (
          <option key={l.LocationID} value={l.LocationID}>
            {l.Name}
          </option>
        ))}
      </SelectField>
      <p role="status" className="sr-only">
        {campaigns.data && !stale ? `${scopeLabel}: ${total} ${total === 1 ? "campaign" : "campaigns"}` : ""}
      </p>
      {body}
    </div>
  );
}
