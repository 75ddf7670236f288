// The outbox: every notification of an offer, newest first — channel, masked recipient, status,
// attempts and the last error — filtered by status, channel and campaign, with the filters and
// page in the URL (?status=&channel=&campaign=&page=). Kept current while messages are pending.
"use client";

import { useQuery } from "@tanstack/react-query";
import { createColumnHelper, rowPaginationFeature, tableFeatures, useTable, type PaginationState, type Updater } from "@tanstack/react-table";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, type ReactNode } from "react";
import { campaignTitle } from "@/components/campaigns/campaign-format";
import { EmptyState, ErrorState, LoadingState } from "@/components/states/states";
import { Badge } from "@/components/ui/badge";
import { DataTable, TablePager } from "@/components/ui/data-table";
import { SelectField } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { cn } from "@/components/ui/utils";
import { actAtHeaders, campaignKeys, type ActAt, type ListedCampaign } from "@/lib/console/client/campaigns";
import { customerName } from "@/lib/console/client/customer-format";
import { useCustomersById } from "@/lib/console/client/customer-names";
import { apiFetch } from "@/lib/console/client/fetch";
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_STATUSES,
  OUTBOX_PAGE_SIZE,
  outboxQuery,
  outboxViewFrom,
  useNotifications,
  type Notification,
  type OutboxView,
} from "@/lib/console/client/notifications";
import type { Customer } from "@/lib/engage/schemas/customer";

const features = tableFeatures({ rowPaginationFeature });
const column = createColumnHelper<typeof features, Notification>();
const EMPTY: Notification[] = [];

const STATUS_WORDS: Record<Notification["Status"], string> = { Pending: "Pending", Sent: "Sent", Failed: "Failed", NotSent: "Not sent" };
const STATUS_BADGE: Record<Notification["Status"], "default" | "secondary" | "outline" | "destructive"> = {
  Pending: "secondary",
  Sent: "default",
  Failed: "destructive",
  NotSent: "outline",
};

function columnsFor(customers: Map<number, Customer>, campaigns: Map<number, ListedCampaign>) {
  return column.columns([
    column.accessor("CreatedAt", { id: "created", header: "Queued", cell: ({ getValue }) => <LocalTime value={getValue()} withTime className="whitespace-nowrap" /> }),
    column.accessor("CustomerID", {
      id: "customer",
      header: "Customer",
      cell: ({ getValue }) => {
        const customer = customers.get(getValue());
        return (
          <Link href={`/customers/${getValue()}`} className="text-primary underline-offset-4 hover:underline focus-visible:underline">
            {customer ? customerName(customer) : `Customer #${getValue()}`}
          </Link>
        );
      },
    }),
    column.accessor("Channel", { id: "channel", header: "Channel" }),
    column.accessor("Recipient", {
      id: "recipient",
      header: "Recipient",
      cell: ({ getValue }) => <span className="whitespace-nowrap tabular-nums">{getValue() ?? "—"}</span>,
    }),
    column.accessor("Status", {
      id: "status",
      header: "Status",
      cell: ({ row, getValue }) => (
        <span className="grid gap-0.5">
          <Badge variant={STATUS_BADGE[getValue()]}>{STATUS_WORDS[getValue()]}</Badge>
          {row.original.Status === "Pending" && row.original.NextAttemptAt ? (
            <span className="text-xs text-muted-foreground">
              Next try <LocalTime value={row.original.NextAttemptAt} withTime />
            </span>
          ) : null}
          {row.original.Status === "Sent" && row.original.SentAt ? (
            <span className="text-xs text-muted-foreground">
              <LocalTime value={row.original.SentAt} withTime />
            </span>
          ) : null}
        </span>
      ),
    }),
    column.accessor("Attempts", { id: "attempts", header: "Attempts", cell: ({ getValue }) => <span className="tabular-nums">{getValue()}</span> }),
    column.accessor((n) => n.LastError ?? n.Reason ?? "", {
      id: "error",
      header: "Last error or reason",
      cell: ({ getValue }) =>
        getValue() ? (
          <span className="block max-w-[18rem] text-sm break-words" title={getValue()}>
            {getValue()}
          </span>
        ) : (
          <span className="text-muted-foreground">—</span>
        ),
    }),
    column.accessor("CampaignID", {
      id: "campaign",
      header: "From",
      cell: ({ row, getValue }) => {
        const id = getValue();
        if (id === null || row.original.TemplateName !== "manual") return <span className="whitespace-nowrap">Automation: {row.original.TemplateName}</span>;
        const campaign = campaigns.get(id);
        return (
          <Link href={`/campaigns/${id}`} className="text-primary underline-offset-4 hover:underline focus-visible:underline">
            {campaign ? campaignTitle(campaign) : `Campaign #${id}`}
          </Link>
        );
      },
    }),
  ]);
}

const COLUMN_CLASS: Record<string, string> = {
  created: "hidden md:table-cell",
  recipient: "hidden sm:table-cell",
  attempts: "text-right",
  error: "hidden lg:table-cell",
  campaign: "hidden md:table-cell",
};

export function OutboxBrowser({ actAt, scopeLabel }: { actAt: ActAt | null; scopeLabel: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const view = outboxViewFrom(searchParams);
  const notifications = useNotifications(view, actAt);
  // The campaign filter offers the most recent campaigns the same key sees.
  const campaigns = useQuery({
    queryKey: campaignKeys.list({ actAt, search: "PageSize=200" }),
    queryFn: ({ signal }) => apiFetch<ListedCampaign[]>("/api/engage/Campaigns?PageSize=200", { signal, headers: actAtHeaders(actAt) }),
  });
  const campaignsById = useMemo(() => new Map((campaigns.data ?? []).map((c) => [c.CampaignID, c])), [campaigns.data]);
  const customers = useCustomersById(notifications.data?.items.map((n) => n.CustomerID) ?? []);
  const columns = useMemo(() => columnsFor(customers, campaignsById), [customers, campaignsById]);
  const total = notifications.data?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE));
  const pagination: PaginationState = { pageIndex: view.page - 1, pageSize: OUTBOX_PAGE_SIZE };
  const filtered = Boolean(view.status || view.channel || view.campaign !== undefined);

  function go(next: OutboxView) {
    router.push(`${pathname}${outboxQuery(next)}`, { scroll: false });
  }

  const table = useTable({
    features,
    columns,
    data: notifications.data?.items ?? EMPTY,
    getRowId: (n) => String(n.NotificationID),
    manualPagination: true,
    autoResetPageIndex: false,
    rowCount: total,
    state: { pagination },
    onPaginationChange: (updater: Updater<PaginationState>) => {
      const next = typeof updater === "function" ? updater(pagination) : updater;
      go({ ...view, page: next.pageIndex + 1 });
    },
  });
  const rows = table.getRowModel().rows;
  const stale = notifications.isPlaceholderData;

  let body: ReactNode;
  if (notifications.error && !notifications.data) {
    body = <ErrorState error={notifications.error} onRetry={() => void notifications.refetch()} retrying={notifications.isFetching} />;
  } else if (!notifications.data) {
    body = <LoadingState label="Loading the outbox…" rows={5} />;
  } else if (total === 0) {
    body = filtered ? (
      <EmptyState title="No messages match these filters">
        <p>
          <Link className="font-medium text-primary underline underline-offset-4" href={pathname}>
            Clear filters
          </Link>
        </p>
      </EmptyState>
    ) : (
      <EmptyState title="No messages yet">
        <p>When an offer is issued, a message is queued here for each channel its customer agreed to.</p>
      </EmptyState>
    );
  } else if (rows.length === 0) {
    body = (
      <EmptyState title={`There is no page ${view.page}`}>
        <p>
          <Link className="font-medium text-primary underline underline-offset-4" href={`${pathname}${outboxQuery({ ...view, page: 1 })}`}>
            Go to the first page
          </Link>
        </p>
      </EmptyState>
    );
  } else {
    body = (
      <div aria-busy={stale || notifications.isFetching} className={cn("grid gap-3 transition-opacity", stale && "opacity-60")}>
        {notifications.error ? <ErrorState error={notifications.error} onRetry={() => void notifications.refetch()} retrying={notifications.isFetching} /> : null}
        <DataTable label="Notifications" headerGroups={table.getHeaderGroups()} rows={rows} columnClass={COLUMN_CLASS} />
        <TablePager
          label="Pages of notifications"
          summary={<>Page {view.page} of {pageCount} · {total.toLocaleString("en-US")} {total === 1 ? "message" : "messages"}</>}
          buttons={pageCount > 1}
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
      <p className="text-sm text-muted-foreground">{scopeLabel}</p>
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField
          label="Status"
          value={view.status ?? ""}
          onChange={(e) => go({ ...view, status: (e.target.value || undefined) as OutboxView["status"], page: 1 })}
        >
          <option value="">Any status</option>
          {NOTIFICATION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_WORDS[s]}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Channel"
          value={view.channel ?? ""}
          onChange={(e) => go({ ...view, channel: (e.target.value || undefined) as OutboxView["channel"], page: 1 })}
        >
          <option value="">Any channel</option>
          {NOTIFICATION_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Campaign"
          value={view.campaign === undefined ? "" : String(view.campaign)}
          onChange={(e) => go({ ...view, campaign: e.target.value ? Number(e.target.value) : undefined, page: 1 })}
        >
          <option value="">Any campaign or automation</option>
          {view.campaign !== undefined && !campaignsById.has(view.campaign) ? <option value={view.campaign}>Campaign #{view.campaign}</option> : null}
          {(campaigns.data ?? []).map((c) => (
            <option key={c.CampaignID} value={c.CampaignID}>
              {campaignTitle(c)}
            </option>
          ))}
        </SelectField>
      </div>
      <p role="status" className="sr-only">
        {notifications.data && !stale ? `${total} ${total === 1 ? "message" : "messages"}${filtered ? " match the filters" : ""}` : ""}
      </p>
      {body}
    </div>
  );
}
