// Reports in the browser: the Home page's period as its URL holds it (?range=7d|30d|90d|month|custom
// &from=&to=), the period before it, and one hook per report. Days are UTC days, as Engage counts
// them. A remote Engage without the reports extension answers 404: reportsUnavailable says so.
import { useQueries, useQuery } from "@tanstack/react-query";
import type { ReportDaily, ReportSummary } from "@/lib/engage/schemas/report";
import { dayDate, dayNumber, MAX_REPORT_DAYS } from "@/lib/engage/schemas/report-days";
import { apiFetch, apiFetchPage, isApiError } from "./fetch";
import { queryKeysFactory } from "./query-keys";

export type { ReportDaily, ReportDay, ReportSummary, ReportFigures, ReportLocation, ReportCampaign } from "@/lib/engage/schemas/report";

export const reportKeys = queryKeysFactory("reports");

export const RANGES = ["7d", "30d", "90d", "month", "custom"] as const;
export type RangeName = (typeof RANGES)[number];

export const RANGE_LABELS: Record<RangeName, string> = {
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  month: "Last month",
  custom: "Custom",
};

export interface Period {
  from: string;
  to: string;
}

export interface ReportRange {
  name: RangeName;
  current: Period;
  /** The period it is compared with: as long, just before (for "Last month", the month before). */
  previous: Period;
  /** What was wrong with a custom range in the URL, which then falls back to the last 30 days. */
  problem?: string;
}

/** Today's date in UTC, the day Engage's reports count in. */
export function utcToday(now = Date.now()): string {
  return new Date(now).toISOString().slice(0, 10);
}

function lastDays(days: number, today: number): ReportRange["current"] {
  return { from: dayDate(today - days + 1), to: dayDate(today) };
}

function before(period: Period): Period {
  const from = dayNumber(period.from)!;
  const to = dayNumber(period.to)!;
  const length = to - from + 1;
  return { from: dayDate(from - length), to: dayDate(from - 1) };
}

/** Why a custom range cannot be reported on, or null when it can. */
export function customRangeProblem(from: string, to: string, today = utcToday()): string | null {
  const f = dayNumber(from);
  const t = dayNumber(to);
  if (f === null) return "Enter the first day as a date.";
  if (t === null) return "Enter the last day as a date.";
  if (t < f) return "The last day must not be before the first.";
  if (t - f + 1 > MAX_REPORT_DAYS) return `A period is at most ${MAX_REPORT_DAYS} days long.`;
  if (f > dayNumber(today)!) return "The period must not start in the future.";
  return null;
}

/** The period the URL asks for; anything that makes no sense falls back to the last 30 days. */
export function reportRangeFrom(params: URLSearchParams, now = Date.now()): ReportRange {
  const today = dayNumber(utcToday(now))!;
  const name = (RANGES as readonly string[]).includes(params.get("range") ?? "") ? (params.get("range") as RangeName) : "30d";
  if (name === "custom") {
    const from = params.get("from") ?? "";
    const to = params.get("to") ?? "";
    const problem = customRangeProblem(from, to, dayDate(today));
    if (!problem) {
      const current = { from, to };
      return { name, current, previous: before(current) };
    }
    const current = lastDays(30, today);
    return { name: "30d", current, previous: before(current), problem };
  }
  if (name === "month") {
    const d = new Date(today * 86_400_000);
    const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1) / 86_400_000;
    const last = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 0) / 86_400_000;
    const prevFirst = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 2, 1) / 86_400_000;
    return {
      name,
      current: { from: dayDate(first), to: dayDate(last) },
      previous: { from: dayDate(prevFirst), to: dayDate(first - 1) },
    };
  }
  const days = { "7d": 7, "30d": 30, "90d": 90 }[name];
  const current = lastDays(days, today);
  return { name, current, previous: before(current) };
}

/** The URL query of a range ("" for the default, the last 30 days). */
export function reportRangeQuery(name: RangeName, custom?: Period): string {
  if (name === "30d") return "";
  const params = new URLSearchParams({ range: name });
  if (name === "custom" && custom) {
    params.set("from", custom.from);
    params.set("to", custom.to);
  }
  return `?${params}`;
}

/**
 * Where a report is made: "group" (an Owner, the group key: every location side by side), a
 * LocationID (that location's key: one of the user's own), or null for where the user works.
 */
export type ReportScope = "group" | number | null;

function scopeHeaders(scope: ReportScope): Record<string, string> | undefined {
  return scope === null ? undefined : { "x-engage-act-at": String(scope) };
}

function reportQuery(period: Period): string {
  return new URLSearchParams({ From: period.from, To: period.to }).toString();
}

/** The server has no reports (an Engage without the extension): a 404 or 405 for them. */
export function reportsUnavailable(error: unknown): boolean {
  return isApiError(error) && (error.status === 404 || error.status === 405) && error.code !== "engage_unavailable";
}

const retryUnlessMissing = (count: number, error: unknown) => !reportsUnavailable(error) && count < 2;

function summaryQuery(period: Period, scope: ReportScope, enabled: boolean) {
  return {
    queryKey: reportKeys.list({ report: "summary", ...period, scope }),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      apiFetch<ReportSummary>(`/api/engage/Reports/Summary?${reportQuery(period)}`, { signal, headers: scopeHeaders(scope) }),
    retry: retryUnlessMissing,
    staleTime: 60_000,
    enabled,
  };
}

export function useReportSummary(period: Period, scope: ReportScope, { enabled = true } = {}) {
  return useQuery(summaryQuery(period, scope, enabled));
}

/** One summary per location, each with that location's own key (the user's locations only). */
export function useLocationSummaries(period: Period, locationIds: number[], { enabled = true } = {}) {
  return useQueries({ queries: locationIds.map((id) => summaryQuery(period, id, enabled)) });
}

export function useReportDaily(period: Period, scope: ReportScope, { enabled = true } = {}) {
  return useQuery({
    queryKey: reportKeys.list({ report: "daily", ...period, scope }),
    queryFn: ({ signal }) => apiFetch<ReportDaily>(`/api/engage/Reports/Daily?${reportQuery(period)}`, { signal, headers: scopeHeaders(scope) }),
    retry: retryUnlessMissing,
    staleTime: 60_000,
    enabled,
  });
}

/**
 * What any Engage can tell without reports: how many customers there are, and how many receipts
 * in the period (the searches' X-Total-Count).
 */
export function useBasicCounts(period: Period, scope: ReportScope, { enabled = true } = {}) {
  return useQuery({
    queryKey: reportKeys.list({ report: "basic", ...period, scope }),
    queryFn: async ({ signal }) => {
      const headers = scopeHeaders(scope);
      const receipts = new URLSearchParams({ From: period.from, To: period.to, PageSize: "1" });
      const [customers, sales] = await Promise.all([
        apiFetchPage<unknown>("/api/engage/Customers?PageSize=1", { signal, headers }),
        apiFetchPage<unknown>(`/api/engage/Receipts?${receipts}`, { signal, headers }),
      ]);
      return { customers: customers.total, receipts: sales.total };
    },
    enabled,
  });
}

/** The change from `previous` to `current`, as a fraction (0.12 is +12%), or null when there was nothing before. */
export function change(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return (current - previous) / previous;
}

/** Daily figures summed per week (weeks start on Monday, UTC), labelled by their first day in the period. */
export function byWeek<T extends { Date: string }>(days: T[], pick: (day: T) => number): { week: string; value: number }[] {
  const weeks: { week: string; value: number }[] = [];
  let key: number | null = null;
  for (const day of days) {
    const n = dayNumber(day.Date)!;
    // 1970-01-01 was a Thursday: day 4 was the first Monday.
    const monday = n - ((n - 4 + 7) % 7);
    if (monday !== key) {
      weeks.push({ week: day.Date, value: 0 });
      key = monday;
    }
    weeks[weeks.length - 1].value += pick(day);
  }
  return weeks;
}
