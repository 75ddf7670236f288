// One campaign: its terms and message, how it did, and every customer's outcome (offered,
// skipped and why, or still pending), followed live while the send worker decides — a polite
// live region says how far it has got. Those who may send it can send it to more customers.
"use client";

import { createColumnHelper, rowPaginationFeature, tableFeatures, useTable, type PaginationState, type Updater } from "@tanstack/react-table";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { EmptyState, ErrorState, LoadingState } from "@/components/states/states";
import { Badge } from "@/components/ui/badge";
import { DataTable, TablePager } from "@/components/ui/data-table";
import { LocalTime } from "@/components/ui/local-time";
import { toast } from "@/components/ui/toaster";
import { cn } from "@/components/ui/utils";
import {
  campaignActAt,
  campaignKeys,
  RECIPIENTS_PAGE_SIZE,
  skipReasonInWords,
  useCampaign,
  useCampaignRecipients,
  type ActAt,
  type CampaignRecipient,
  type CampaignWithStats,
  type SkipReason,
} from "@/lib/console/client/campaigns";
import { customerName } from "@/lib/console/client/customer-format";
import { useCustomersById } from "@/lib/console/client/customer-names";
import { formatMoney } from "@/lib/console/client/format";
import { useQueryClient } from "@tanstack/react-query";
import type { Customer } from "@/lib/engage/schemas/customer";
import { AudienceFields, useAudienceForm } from "./audience-builder";
import { campaignTitle, daysInWords, formatCount, formatRate, locationName, offerInWords, scopeName, type NamedLocation } from "./campaign-format";
import { CampaignSender } from "./campaign-sender";

const features = tableFeatures({ rowPaginationFeature });
const column = createColumnHelper<typeof features, CampaignRecipient>();
const EMPTY: CampaignRecipient[] = [];

const STATUS_BADGE: Record<CampaignRecipient["Status"], "default" | "secondary" | "outline"> = { Offered: "default", Skipped: "outline", Pending: "secondary" };

function columnsFor(customers: Map<number, Customer>) {
  return column.columns([
    column.accessor("CustomerID", {
      id: "customer",
      header: "Customer",
      cell: ({ getValue }) => {
        const customer = customers.get(getValue());
        return (
          <Link href={`/customers/${getValue()}`} className="font-medium text-primary underline-offset-4 hover:underline focus-visible:underline">
            {customer ? customerName(customer) : `Customer #${getValue()}`}
          </Link>
        );
      },
    }),
    column.accessor("Status", {
      id: "status",
      header: "Outcome",
      cell: ({ getValue }) => <Badge variant={STATUS_BADGE[getValue()]}>{getValue()}</Badge>,
    }),
    column.accessor("Reason", {
      id: "reason",
      header: "Why",
      cell: ({ row }) =>
        row.original.Status === "Offered" ? (
          <span className="text-muted-foreground">Offer #{row.original.OfferID}</span>
        ) : row.original.Status === "Pending" ? (
          <span className="text-muted-foreground">Being decided</span>
        ) : (
          skipReasonInWords(row.original.Reason)
        ),
    }),
  ]);
}

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <div className="grid gap-1 rounded-lg border p-4">
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {hint ? <dd className="text-sm text-muted-foreground">{hint}</dd> : null}
    </div>
  );
}

export function CampaignDetail({
  campaignId,
  actAt,
  initial,
  groupLocations,
  purchaseLocations,
  maySend,
  mayActForGroup,
}: {
  campaignId: number;
  /** The key the campaign was found with: every request of this page uses it. */
  actAt: ActAt;
  initial?: { campaign: CampaignWithStats; fetchedAt: number };
  groupLocations: NamedLocation[];
  purchaseLocations: NamedLocation[];
  /** Whether the user may send this campaign (a group campaign: an Owner; a location's: who works there). */
  maySend: boolean;
  mayActForGroup: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const queryClient = useQueryClient();
  const pageParam = searchParams.get("page");
  const page = pageParam && /^[1-9]\d{0,6}$/.test(pageParam) ? Number(pageParam) : 1;
  const campaign = useCampaign(campaignId, actAt, initial);
  const pending = campaign.data?.Stats.Pending ?? 0;
  const following = pending > 0;
  const recipients = useCampaignRecipients(campaignId, actAt, page, following);
  const customers = useCustomersById(recipients.data?.items.map((r) => r.CustomerID) ?? []);
  const columns = useMemo(() => columnsFor(customers), [customers]);
  const audienceForm = useAudienceForm();
  const outcomesRef = useRef<HTMLElement>(null);

  // When the worker has decided the last customer, the outcomes are read once more, and the live
  // region says so (only after following: not on a page opened when all was done long ago).
  const [followed, setFollowed] = useState(false);
  const [wasFollowing, setWasFollowing] = useState(following);
  if (following !== wasFollowing) {
    setWasFollowing(following);
    if (following) setFollowed(true);
  }
  useEffect(() => {
    if (!following) void queryClient.invalidateQueries({ queryKey: [...campaignKeys.detail(campaignId), "recipients"] });
  }, [following, campaignId, queryClient]);

  const total = recipients.data?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / RECIPIENTS_PAGE_SIZE));
  const pagination: PaginationState = { pageIndex: page - 1, pageSize: RECIPIENTS_PAGE_SIZE };
  const table = useTable({
    features,
    columns,
    data: recipients.data?.items ?? EMPTY,
    getRowId: (r) => String(r.CustomerID),
    manualPagination: true,
    autoResetPageIndex: false,
    rowCount: total,
    state: { pagination },
    onPaginationChange: (updater: Updater<PaginationState>) => {
      const next = typeof updater === "function" ? updater(pagination) : updater;
      router.push(`${pathname}${next.pageIndex > 0 ? `?page=${next.pageIndex + 1}` : ""}`, { scroll: false });
    },
  });

  if (!campaign.data) {
    return campaign.error ? (
      <ErrorState error={campaign.error} onRetry={() => void campaign.refetch()} retrying={campaign.isFetching} />
    ) : (
      <LoadingState label="Loading the campaign…" rows={4} />
    );
  }
  const c = campaign.data;
  const stats = c.Stats;
  const skipped = (Object.entries(stats.Skipped) as [SkipReason, number][]).reduce((sum, [, n]) => sum + n, 0);
  const decided = stats.OffersIssued + skipped;
  const announcement = following
    ? `Deciding: ${formatCount(decided)} of ${formatCount(decided + pending)} customers decided, ${formatCount(pending)} pending.`
    : followed
      ? `All ${formatCount(decided)} customers decided: ${formatCount(stats.OffersIssued)} got an offer, ${formatCount(skipped)} skipped.`
      : "";
  const rows = table.getRowModel().rows;

  return (
    <div className="grid gap-8">
      <div className="grid gap-2">
        <p className="text-sm text-muted-foreground">
          <Link href="/campaigns" className="underline-offset-4 hover:underline">
            Campaigns
          </Link>{" "}
          / #{c.CampaignID}
        </p>
        <h1 className="text-2xl font-semibold tracking-tight">{campaignTitle(c)}</h1>
        <p className="max-w-prose text-muted-foreground">
          {offerInWords(c)}, good at {c.LocationID === null ? "every location" : scopeName(c, groupLocations)} for {daysInWords(c.DaysTillExpiration)} after it is
          issued. Created <LocalTime value={c.CreatedAt} withTime />.
        </p>
        {c.Message ? (
          <blockquote className="max-w-prose border-l-4 pl-3 text-sm">
            <span className="sr-only">Message: </span>
            {c.Message}
          </blockquote>
        ) : null}
      </div>

      <section aria-labelledby="campaign-results" className="grid gap-3">
        <h2 id="campaign-results" className="text-lg font-semibold">
          Results
        </h2>
        <p role="status" aria-live="polite" className={cn("text-sm", following ? "font-medium" : "text-muted-foreground")} data-testid="send-progress">
          {announcement}
        </p>
        <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Stat label="Offers issued" value={formatCount(stats.OffersIssued)} testId="offers-issued" />
          <Stat label="Redeemed" value={formatCount(stats.OffersRedeemed)} hint={stats.OffersIssued ? `${formatRate(stats.RedemptionRate)} redemption rate` : undefined} />
          <Stat label="Redeemed revenue" value={formatMoney(stats.RedeemedRevenue)} hint="The sales that redeemed an offer" />
          <Stat
            label="Skipped"
            value={formatCount(skipped)}
            hint={
              skipped === 0
                ? undefined
                : (Object.entries(stats.Skipped) as [SkipReason, number][])
                    .filter(([, n]) => n > 0)
                    .map(([reason, n]) => `${formatCount(n)} ${skipReasonInWords(reason)}`)
                    .join("; ")
            }
          />
        </dl>
      </section>

      <section ref={outcomesRef} aria-labelledby="campaign-outcomes" tabIndex={-1} className="grid gap-3 outline-none">
        <h2 id="campaign-outcomes" className="text-lg font-semibold">
          Each customer
        </h2>
        {recipients.error && !recipients.data ? (
          <ErrorState error={recipients.error} onRetry={() => void recipients.refetch()} retrying={recipients.isFetching} />
        ) : !recipients.data ? (
          <LoadingState label="Loading each customer's outcome…" rows={3} />
        ) : total === 0 && stats.OffersIssued > 0 ? (
          <EmptyState title="No send list">
            <p>
              Its {formatCount(stats.OffersIssued)} {stats.OffersIssued === 1 ? "offer was" : "offers were"} issued without a send (such as imported
              history), so there is no customer-by-customer outcome to show.
            </p>
          </EmptyState>
        ) : total === 0 ? (
          <EmptyState title="Not sent yet">
            <p>{maySend ? "Choose who gets the offer below." : "Nobody has been sent this campaign's offer yet."}</p>
          </EmptyState>
        ) : (
          <div aria-busy={recipients.isFetching} className="grid gap-3">
            <DataTable label="Each customer's outcome" headerGroups={table.getHeaderGroups()} rows={rows} />
            <TablePager
              label="Pages of customers"
              summary={<>{formatCount(total)} {total === 1 ? "customer" : "customers"}{pageCount > 1 ? ` · page ${page} of ${pageCount}` : ""}</>}
              buttons={pageCount > 1}
              onPrevious={() => table.previousPage()}
              onNext={() => table.nextPage()}
              canPrevious={table.getCanPreviousPage()}
              canNext={table.getCanNextPage()}
            />
          </div>
        )}
      </section>

      {maySend ? (
        <section aria-labelledby="campaign-send" className="grid gap-4">
          <h2 id="campaign-send" className="text-lg font-semibold">
            {total === 0 ? "Send the offer" : "Send to more customers"}
          </h2>
          <p className="max-w-prose text-sm text-muted-foreground">Customers who already have this campaign&apos;s offer are skipped: nobody gets it twice.</p>
          <AudienceFields
            form={audienceForm}
            purchaseLocations={purchaseLocations}
            purchaseHint={c.LocationID === null ? undefined : `Customers who never bought at ${locationName(groupLocations, c.LocationID)} are skipped anyway.`}
          />
          <CampaignSender
            audienceForm={audienceForm}
            getCampaign={async () => c}
            audienceActAt={(cmp, purchasedAt) => (mayActForGroup ? "group" : (purchasedAt ?? campaignActAt(cmp)))}
            onSent={(_, offers) => {
              toast.success(`Sending ${formatCount(offers)} ${offers === 1 ? "offer" : "offers"}. Each customer's outcome appears above.`);
              audienceForm.reset();
              if (page !== 1) router.push(pathname, { scroll: false });
              outcomesRef.current?.focus();
            }}
          />
        </section>
      ) : null}
    </div>
  );
}
