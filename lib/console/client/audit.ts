// Settings → Audit log in the browser: the filters as the URL holds them
// (?action=&actor=&from=&to=&target=&page=), and the page of entries from /api/settings/audit.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AuditEntry } from "@/lib/console/audit-actions";
import { apiFetchPage } from "./fetch";
import { queryKeysFactory } from "./query-keys";

export type { AuditEntry };

export const auditKeys = queryKeysFactory("audit");
export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilters {
  action?: string;
  /** A prefix of who acted: an email, or "cli:". */
  actor?: string;
  /** Days (YYYY-MM-DD) in the browser's time zone, both included. */
  from?: string;
  to?: string;
  /** "customer:123", "customer" or "123". */
  target?: string;
  page: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const text = (value: string | null, max: number) => {
  const trimmed = value?.trim().slice(0, max);
  return trimmed ? trimmed : undefined;
};

export function auditFiltersFrom(params: Pick<URLSearchParams, "get">): AuditFilters {
  const page = params.get("page");
  const from = params.get("from");
  const to = params.get("to");
  return {
    action: text(params.get("action"), 64),
    actor: text(params.get("actor"), 254),
    from: from && isDay(from) ? from : undefined,
    to: to && isDay(to) ? to : undefined,
    target: text(params.get("target"), 200),
    page: page && /^[1-9]\d{0,5}$/.test(page) ? Number(page) : 1,
  };
}

/** The query string of a view ("" for the default one). */
export function auditFiltersQuery(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const name of ["action", "actor", "from", "to", "target"] as const) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  if (filters.page > 1) params.set("page", String(filters.page));
  const query = params.toString();
  return query ? `?${query}` : "";
}

export const hasAuditFilters = (f: AuditFilters) => Boolean(f.action || f.actor || f.from || f.to || f.target);

/** The start of a local day, as an instant. */
function localMidnight(day: string, addDays = 0): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d + addDays).toISOString();
}

export function useAuditLog(filters: AuditFilters) {
  return useQuery({
    queryKey: auditKeys.list({ ...filters }),
    queryFn: ({ signal }) => {
      const query = new URLSearchParams({ Page: String(filters.page), PageSize: String(AUDIT_PAGE_SIZE) });
      if (filters.action) query.set("Action", filters.action);
      if (filters.actor) query.set("Actor", filters.actor);
      if (filters.from) query.set("From", localMidnight(filters.from));
      // The whole last day: up to the next day's midnight.
      if (filters.to) query.set("To", localMidnight(filters.to, 1));
      if (filters.target) query.set("Target", filters.target);
      return apiFetchPage<AuditEntry>(`/api/settings/audit?${query}`, { signal });
    },
    placeholderData: keepPreviousData,
  });
}
