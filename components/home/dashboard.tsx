// Home: how the business is doing over a period — key figures against the period before, sales,
// new customers and offers over time, locations side by side and the campaigns that earned the
// most. Figures come from Engage's reports (through the console's proxy, with the key of where
// the user works: a Manager's page never asks for a location that is not theirs); an Engage
// without reports still gives the customer and receipt counts any Engage has.
"use client";

import { ArrowDownRight, ArrowRight, ArrowUpRight, Trophy } from "lucide-react";
import { useSearchParams } from "next/navigation";
import { useDeferredValue, type ReactNode } from "react";
import { EmptyState, ErrorState } from "@/components/states/states";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/components/ui/utils";
import { formatMoney } from "@/lib/console/client/format";
import {
  byWeek,
  change,
  RANGE_LABELS,
  reportRangeFrom,
  reportsUnavailable,
  useBasicCounts,
  useLocationSummaries,
  useReportDaily,
  useReportSummary,
  type Period,
  type ReportCampaign,
  type ReportDay,
  type ReportFigures,
  type ReportRange,
  type ReportScope,
  type ReportSummary,
  utcToday,
} from "@/lib/console/client/reports";
import { ChartFigure, ChartSkeleton } from "./chart-figure";
import { campaignBarsHeight, COUNT_CHART_HEIGHT, REVENUE_CHART_HEIGHT } from "./chart-sizes";
import { lazyChart } from "./lazy-chart";
import { RangePicker } from "./range-picker";

// Recharts is loaded in the browser only, after the figures, and each chart is drawn once it is
// near the screen (lazy-chart.tsx).
const RevenueChart = lazyChart(() => import("./charts").then((m) => m.RevenueChart), () => REVENUE_CHART_HEIGHT);
const CountBars = lazyChart(() => import("./charts").then((m) => m.CountBars), () => COUNT_CHART_HEIGHT);
const CampaignBars = lazyChart(() => import("./charts").then((m) => m.CampaignBars), ({ data }) => campaignBarsHeight(data.length));

interface Location {
  LocationID: number;
  Name: string;
}

const whole = new Intl.NumberFormat("en-US");
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
const longDate = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const shortDate = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const day = (date: string) => new Date(`${date}T00:00:00Z`);

function periodInWords({ from, to }: Period): string {
  return from === to ? longDate.format(day(from)) : `${longDate.format(day(from))} – ${longDate.format(day(to))}`;
}

function previousInWords(range: ReportRange): string {
  if (range.name === "month") return new Intl.DateTimeFormat("en-US", { month: "long", timeZone: "UTC" }).format(day(range.previous.from));
  const days = Math.round((day(range.previous.to).getTime() - day(range.previous.from).getTime()) / 86_400_000) + 1;
  return `the previous ${days === 1 ? "day" : `${days} days`}`;
}

function campaignName(c: ReportCampaign): string {
  if (c.Name) return c.Name;
  return c.CampaignID === null ? `Automation: ${c.TemplateName}` : `Campaign ${c.CampaignID}`;
}

export function HomeDashboard({
  locations,
  currentLocationId,
  isOwner,
  groupName,
}: {
  /** Where the user may work (an Owner: every location). */
  locations: Location[];
  currentLocationId: number | null;
  isOwner: boolean;
  groupName: string;
}) {
  const searchParams = useSearchParams();
  const range = reportRangeFrom(new URLSearchParams(searchParams.toString()));
  const groupWide = isOwner && currentLocationId === null;
  const scope: ReportScope = groupWide ? "group" : currentLocationId;
  const where = groupWide ? groupName : (locations.find((l) => l.LocationID === currentLocationId)?.Name ?? "your location");

  const summary = useReportSummary(range.current, scope);
  const previous = useReportSummary(range.previous, scope);
  const daily = useReportDaily(range.current, scope);
  const unavailable = reportsUnavailable(summary.error);
  // Locations side by side: the group key's answer has them all; otherwise each of the user's
  // own locations is asked for with its own key.
  const compareIds = !groupWide && locations.length > 1 ? locations.map((l) => l.LocationID) : [];
  const perLocation = useLocationSummaries(range.current, compareIds, { enabled: !unavailable });
  const basic = useBasicCounts(range.current, scope, { enabled: unavailable });

  // The figures are laid out in a transition (useDeferredValue): drawn all at once when their
  // answers arrive, they made one long task; this way the page stays responsive meanwhile.
  const data = useDeferredValue(summary.data);
  const previousData = useDeferredValue(previous.data);
  const days = useDeferredValue(daily.data?.Days);
  // Nobody has bought to this day, and nothing happened in the period: a merchant just starting.
  // (A past period without sales shows its zeros.)
  const brandNew =
    data !== undefined && data.To >= utcToday() && data.Customers.Total === 0 && data.Receipts.Count === 0 && data.Offers.Issued === 0;

  const side: (ReportFigures & Location)[] | null = groupWide
    ? (data?.Locations ?? null)
    : compareIds.length > 0 && perLocation.every((q) => q.data)
      ? perLocation.flatMap((q) => q.data!.Locations.slice(0, 1))
      : null;

  return (
    <section aria-labelledby="report-title" className="grid gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="grid gap-1">
          <h2 id="report-title" className="text-lg font-semibold">
            How {where} is doing
          </h2>
          <p className="text-sm text-muted-foreground">
            {RANGE_LABELS[range.name]}: {periodInWords(range.current)}, compared with {previousInWords(range)}. Days are UTC days.
          </p>
        </div>
        <RangePicker key={`${range.name}:${range.current.from}:${range.current.to}`} range={range} />
      </div>

      {range.problem ? (
        <Alert role="alert">
          <AlertTitle>That period cannot be shown</AlertTitle>
          <AlertDescription>
            <p>{range.problem} Showing the last 30 days instead.</p>
          </AlertDescription>
        </Alert>
      ) : null}

      <div aria-live="polite" aria-busy={summary.isFetching} className="grid gap-6">
        {unavailable ? (
          <ReportsUnavailable counts={basic.data} loading={basic.isPending} error={basic.error} retry={() => basic.refetch()} />
        ) : summary.isPending || (summary.data !== undefined && data === undefined) ? (
          <ReportSkeleton />
        ) : summary.error ? (
          <ErrorState error={summary.error} onRetry={() => summary.refetch()} retrying={summary.isFetching} />
        ) : brandNew ? (
          <EmptyState title="No sales yet">
            <p>
              When your POS sends receipts to Engage, this page shows revenue, visits, new customers and offers, day by day. Register a customer and
              submit a first receipt (see the Engage API guide), or send an offer from Campaigns.
            </p>
          </EmptyState>
        ) : data ? (
          <>
            <Headline data={data} previous={previousData} range={range} side={side} />
            <KeyFigures data={data} previous={previousData} range={range} />
            <Charts
              days={days}
              loading={daily.isPending || (daily.data !== undefined && days === undefined)}
              error={daily.error}
              retry={() => daily.refetch()}
            />
            {side && side.length > 1 ? <LocationsSideBySide locations={side} /> : null}
            {compareIds.length > 0 && !side ? (
              perLocation.some((q) => q.error) ? (
                <ErrorState error={perLocation.find((q) => q.error)!.error} onRetry={() => perLocation.forEach((q) => q.refetch())} />
              ) : (
                <Skeleton className="h-40 w-full" />
              )
            ) : null}
            <Campaigns campaigns={data.Campaigns} />
          </>
        ) : null}
      </div>
    </section>
  );
}

function ReportSkeleton() {
  return (
    <div role="status" className="grid gap-6">
      <span className="sr-only">Loading the figures…</span>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-28 w-full" />
        ))}
      </div>
      <ChartSkeleton height={REVENUE_CHART_HEIGHT} />
      <div className="grid gap-4 lg:grid-cols-2">
        <ChartSkeleton height={COUNT_CHART_HEIGHT} />
        <ChartSkeleton height={COUNT_CHART_HEIGHT} />
      </div>
    </div>
  );
}

function ReportsUnavailable({
  counts,
  loading,
  error,
  retry,
}: {
  counts?: { customers: number; receipts: number };
  loading: boolean;
  error: unknown;
  retry: () => void;
}) {
  return (
    <>
      <Alert>
        <AlertTitle>Reports are unavailable on this Engage server</AlertTitle>
        <AlertDescription>
          <p>
            The Engage server this console is connected to has no reports (they are an extension of the Engage API). Here is what any Engage
            server can tell; the other sections work as usual.
          </p>
        </AlertDescription>
      </Alert>
      {error ? (
        <ErrorState error={error} onRetry={retry} />
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2" aria-label="What this server can tell">
          <FigureCard label="Customers" value={loading || !counts ? null : whole.format(counts.customers)} note="Registered in all" />
          <FigureCard label="Receipts" value={loading || !counts ? null : whole.format(counts.receipts)} note="In this period" />
        </ul>
      )}
    </>
  );
}

function Headline({
  data,
  previous,
  range,
  side,
}: {
  data: ReportSummary;
  previous?: ReportSummary;
  range: ReportRange;
  side: (ReportFigures & Location)[] | null;
}) {
  const revenue = data.Receipts.Revenue;
  const before = previous?.Receipts.Revenue;
  const delta = before === undefined ? null : change(revenue, before);
  const leader = side && side.length > 1 ? [...side].sort((a, b) => b.Receipts.Revenue - a.Receipts.Revenue)[0] : null;
  const top = data.Campaigns[0];
  let trend: ReactNode = null;
  if (before !== undefined) {
    trend =
      delta === null
        ? revenue > 0
          ? `Revenue ${formatMoney(revenue)}, with none in ${previousInWords(range)}.`
          : `No revenue in this period or ${previousInWords(range)}.`
        : delta === 0
          ? `Revenue ${formatMoney(revenue)}, the same as ${previousInWords(range)}.`
          : `Revenue ${formatMoney(revenue)}: ${delta > 0 ? "up" : "down"} ${percent.format(Math.abs(delta))} on ${previousInWords(range)} (${formatMoney(before)}).`;
  }
  return (
    <Card className="grid gap-2 p-5 sm:p-6">
      <h3 className="sr-only">At a glance</h3>
      <ul className="grid gap-1.5 text-sm sm:text-base">
        {trend ? (
          <li className="flex items-start gap-2" data-testid="headline-trend">
            <TrendIcon delta={delta} />
            <span>{trend}</span>
          </li>
        ) : (
          <li>
            <Skeleton className="h-5 w-2/3" />
          </li>
        )}
        {leader && leader.Receipts.Revenue > 0 ? (
          <li className="flex items-start gap-2">
            <Trophy aria-hidden className="mt-1 size-4 shrink-0 text-primary" />
            <span>
              <strong className="font-semibold">{leader.Name}</strong> leads with {formatMoney(leader.Receipts.Revenue)}.
            </span>
          </li>
        ) : null}
        {top ? (
          <li className="flex items-start gap-2">
            <Trophy aria-hidden className="mt-1 size-4 shrink-0 text-primary" />
            <span>
              <strong className="font-semibold">{campaignName(top)}</strong> earned the most: {formatMoney(top.RedeemedRevenue)} of sales that redeemed its offers.
            </span>
          </li>
        ) : null}
      </ul>
    </Card>
  );
}

function TrendIcon({ delta }: { delta: number | null }) {
  if (delta === null || delta === 0) return <ArrowRight aria-hidden className="mt-1 size-4 shrink-0 text-muted-foreground" />;
  return delta > 0 ? (
    <ArrowUpRight aria-hidden className="mt-1 size-4 shrink-0 text-success" />
  ) : (
    <ArrowDownRight aria-hidden className="mt-1 size-4 shrink-0 text-destructive" />
  );
}

interface Kpi {
  label: string;
  value: string;
  /** This period's and the previous one's values, to say the change. */
  now: number;
  before?: number;
  format: (v: number) => string;
  /** Rates change in percentage points, not percent. */
  rate?: boolean;
  note?: string;
}

function changeText(k: Kpi, previousLabel: string): { text: string; direction: -1 | 0 | 1 } | null {
  if (k.before === undefined) return null;
  if (k.rate) {
    const points = Math.round((k.now - k.before) * 1000) / 10;
    if (points === 0) return { text: `Same as ${previousLabel} (${k.format(k.before)})`, direction: 0 };
    return { text: `${points > 0 ? "+" : "−"}${Math.abs(points)} points on ${previousLabel} (${k.format(k.before)})`, direction: points > 0 ? 1 : -1 };
  }
  const delta = change(k.now, k.before);
  if (delta === null) return k.now === 0 ? { text: `None in ${previousLabel} either`, direction: 0 } : { text: `None in ${previousLabel}`, direction: 1 };
  if (delta === 0) return { text: `Same as ${previousLabel}`, direction: 0 };
  return { text: `${delta > 0 ? "+" : "−"}${percent.format(Math.abs(delta))} on ${previousLabel} (${k.format(k.before)})`, direction: delta > 0 ? 1 : -1 };
}

function KeyFigures({ data, previous, range }: { data: ReportSummary; previous?: ReportSummary; range: ReportRange }) {
  const p = previous;
  const money = formatMoney;
  const count = (v: number) => whole.format(v);
  const pct = (v: number) => percent.format(v);
  const kpis: Kpi[] = [
    { label: "Revenue", value: money(data.Receipts.Revenue), now: data.Receipts.Revenue, before: p?.Receipts.Revenue, format: money },
    { label: "Receipts", value: count(data.Receipts.Count), now: data.Receipts.Count, before: p?.Receipts.Count, format: count },
    { label: "Average ticket", value: money(data.Receipts.AverageTicket), now: data.Receipts.AverageTicket, before: p?.Receipts.AverageTicket, format: money },
    {
      label: "New customers",
      value: count(data.Customers.New),
      now: data.Customers.New,
      before: p?.Customers.New,
      format: count,
      note: `${count(data.Customers.Total)} customers have bought so far`,
    },
    { label: "Repeat-visit rate", value: pct(data.RepeatVisitRate), now: data.RepeatVisitRate, before: p?.RepeatVisitRate, format: pct, rate: true, note: "Receipts from customers who had bought before" },
    { label: "Offers issued", value: count(data.Offers.Issued), now: data.Offers.Issued, before: p?.Offers.Issued, format: count },
    {
      label: "Offers redeemed",
      value: count(data.Offers.Redeemed),
      now: data.Offers.Redeemed,
      before: p?.Offers.Redeemed,
      format: count,
      // Issued and redeemed both count the period's events: with none issued there is no rate to give.
      note: data.Offers.Issued === 0 ? "None issued in this period" : `Redemption rate ${pct(data.Offers.RedemptionRate)}`,
    },
    { label: "Redeemed revenue", value: money(data.Offers.RedeemedRevenue), now: data.Offers.RedeemedRevenue, before: p?.Offers.RedeemedRevenue, format: money, note: "Sales that redeemed an offer" },
  ];
  const previousLabel = previousInWords(range);
  return (
    <div className="grid gap-2">
      <h3 className="sr-only">Key figures</h3>
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" aria-label="Key figures">
        {kpis.map((k) => (
          <FigureCard key={k.label} label={k.label} value={k.value} note={k.note} change={p ? changeText(k, previousLabel) : undefined} />
        ))}
      </ul>
    </div>
  );
}

function FigureCard({
  label,
  value,
  note,
  change: delta,
}: {
  label: string;
  value: string | null;
  note?: string;
  /** undefined while the previous period loads; null when there is none to compare. */
  change?: { text: string; direction: -1 | 0 | 1 } | null;
}) {
  const id = `kpi-${label.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <li aria-labelledby={id} className="grid content-start gap-1 rounded-xl border bg-card p-4 text-card-foreground shadow-sm">
      <span id={id} className="text-sm text-muted-foreground">
        {label}
      </span>
      {value === null ? <Skeleton className="h-8 w-24" /> : <span className="text-2xl font-semibold tabular-nums" data-testid={id}>{value}</span>}
      {delta ? (
        <span
          className={cn(
            "flex items-center gap-1 text-xs",
            delta.direction > 0 ? "text-success" : delta.direction < 0 ? "text-destructive" : "text-muted-foreground",
          )}
          data-testid={`${id}-change`}
        >
          <TrendIcon delta={delta.direction} />
          {delta.text}
        </span>
      ) : null}
      {note ? <span className="text-xs text-muted-foreground">{note}</span> : null}
    </li>
  );
}

function Charts({ days, loading, error, retry }: { days?: ReportDay[]; loading: boolean; error: unknown; retry: () => void }) {
  if (error) return <ErrorState error={error} onRetry={retry} />;
  if (loading || !days) {
    return (
      <div role="status" className="grid gap-4">
        <span className="sr-only">Loading the charts…</span>
        <ChartSkeleton height={REVENUE_CHART_HEIGHT} />
      </div>
    );
  }
  const anySales = days.some((d) => d.Receipts > 0);
  const newByWeek = byWeek(days, (d) => d.NewCustomers);
  const weekly = days.length > 31;
  const offers = weekly
    ? byWeek(days, (d) => d.OffersIssued).map((w, i) => ({ label: w.week, Issued: w.value, Redeemed: byWeek(days, (d) => d.OffersRedeemed)[i].value }))
    : days.map((d) => ({ label: d.Date, Issued: d.OffersIssued, Redeemed: d.OffersRedeemed }));
  const anyOffers = offers.some((o) => o.Issued > 0 || o.Redeemed > 0);
  const dayLabel = (date: string) => shortDate.format(day(date));
  return (
    <div className="grid gap-4">
      <ChartFigure
        title="Revenue and receipts per day"
        rows={days}
        rowKey={(d) => d.Date}
        empty={anySales ? null : "No receipts in this period."}
        columns={[
          { header: "Day", cell: (d) => longDate.format(day(d.Date)) },
          { header: "Revenue", cell: (d) => formatMoney(d.Revenue), numeric: true },
          { header: "Receipts", cell: (d) => whole.format(d.Receipts), numeric: true },
          { header: "Average ticket", cell: (d) => formatMoney(d.AverageTicket), numeric: true },
        ]}
      >
        <RevenueChart data={days} />
      </ChartFigure>
      <div className="grid gap-4 lg:grid-cols-2">
        <ChartFigure
          title="New customers per week"
          description="Customers whose first purchase fell in the week (weeks start on Monday)."
          rows={newByWeek}
          rowKey={(w) => w.week}
          empty={newByWeek.some((w) => w.value > 0) ? null : "No new customers in this period."}
          columns={[
            { header: "Week from", cell: (w) => longDate.format(day(w.week)) },
            { header: "New customers", cell: (w) => whole.format(w.value), numeric: true },
          ]}
        >
          <CountBars data={newByWeek.map((w) => ({ week: w.week, New: w.value }))} series={[{ key: "New", name: "New customers" }]} labelOf={(r) => dayLabel(String(r.week))} />
        </ChartFigure>
        <ChartFigure
          title={weekly ? "Offers issued and redeemed per week" : "Offers issued and redeemed per day"}
          rows={offers}
          rowKey={(o) => o.label}
          empty={anyOffers ? null : "No offers issued or redeemed in this period."}
          columns={[
            { header: weekly ? "Week from" : "Day", cell: (o) => longDate.format(day(o.label)) },
            { header: "Issued", cell: (o) => whole.format(o.Issued), numeric: true },
            { header: "Redeemed", cell: (o) => whole.format(o.Redeemed), numeric: true },
          ]}
        >
          <CountBars
            data={offers}
            series={[
              { key: "Issued", name: "Issued" },
              { key: "Redeemed", name: "Redeemed" },
            ]}
            labelOf={(r) => dayLabel(String(r.label))}
          />
        </ChartFigure>
      </div>
    </div>
  );
}

function LocationsSideBySide({ locations }: { locations: (ReportFigures & Location)[] }) {
  const leader = [...locations].sort((a, b) => b.Receipts.Revenue - a.Receipts.Revenue)[0];
  return (
    <section aria-labelledby="locations-title" className="grid gap-3">
      <h3 id="locations-title" className="font-semibold">
        Locations side by side
      </h3>
      <Table label="Locations side by side">
        <TableHeader>
          <TableRow>
            <TableHead>Location</TableHead>
            <TableHead className="text-right">Revenue</TableHead>
            <TableHead className="text-right">Receipts</TableHead>
            <TableHead className="text-right">Average ticket</TableHead>
            <TableHead className="text-right">New customers</TableHead>
            <TableHead className="text-right">Repeat-visit rate</TableHead>
            <TableHead className="text-right">Offers redeemed</TableHead>
            <TableHead className="text-right">Redeemed revenue</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {locations.map((l) => (
            <TableRow key={l.LocationID}>
              <th scope="row" className="px-3 py-2 text-left font-medium whitespace-nowrap">
                {l.Name}
                {l === leader && l.Receipts.Revenue > 0 ? (
                  <Badge className="ml-2" variant="secondary">
                    Leads
                  </Badge>
                ) : null}
              </th>
              <TableCell className="text-right tabular-nums">{formatMoney(l.Receipts.Revenue)}</TableCell>
              <TableCell className="text-right tabular-nums">{whole.format(l.Receipts.Count)}</TableCell>
              <TableCell className="text-right tabular-nums">{formatMoney(l.Receipts.AverageTicket)}</TableCell>
              <TableCell className="text-right tabular-nums">{whole.format(l.Customers.New)}</TableCell>
              <TableCell className="text-right tabular-nums">{percent.format(l.RepeatVisitRate)}</TableCell>
              <TableCell className="text-right tabular-nums">{whole.format(l.Offers.Redeemed)}</TableCell>
              <TableCell className="text-right tabular-nums">{formatMoney(l.Offers.RedeemedRevenue)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}

function Campaigns({ campaigns }: { campaigns: ReportCampaign[] }) {
  const rows = campaigns.map((c, i) => ({ ...c, rank: i + 1, label: campaignName(c) }));
  return (
    <ChartFigure
      title="Campaigns by redeemed revenue"
      description="Sales in this period that redeemed a campaign's offers."
      rows={rows}
      rowKey={(c) => `${c.CampaignID ?? c.TemplateName}`}
      empty={rows.length === 0 ? "No offers were redeemed in this period." : null}
      columns={[
        { header: "Campaign", cell: (c) => `${c.rank}. ${c.label}` },
        { header: "Offers redeemed", cell: (c) => whole.format(c.OffersRedeemed), numeric: true },
        { header: "Redeemed revenue", cell: (c) => formatMoney(c.RedeemedRevenue), numeric: true },
      ]}
    >
      <CampaignBars data={rows} />
    </ChartFigure>
  );
}
