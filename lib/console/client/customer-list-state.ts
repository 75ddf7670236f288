// The Customers list's state as its URL holds it (?q=&page=&sort=), so a link reproduces the
// view. Values that make no sense fall back to the default rather than reach Engage.
import { CUSTOMER_SORTS } from "@/lib/engage/schemas/sorts";
import type { CustomerListParams, CustomerSort } from "./customers";

export const DEFAULT_CUSTOMER_SORT: CustomerSort = "name";
const MAX_QUERY = 200;

export function isCustomerSort(value: string | null | undefined): value is CustomerSort {
  return CUSTOMER_SORTS.includes(value as CustomerSort);
}

/** Search text as it is sent: trimmed, inner runs of spaces as one, at most 200 characters. */
export function normalizeSearch(text: string): string {
  return text.trim().replace(/\s+/g, " ").slice(0, MAX_QUERY);
}

export function customerListStateFrom(params: Pick<URLSearchParams, "get">): CustomerListParams {
  const page = params.get("page");
  const sort = params.get("sort");
  return {
    q: normalizeSearch(params.get("q") ?? ""),
    page: page && /^[1-9]\d{0,5}$/.test(page) ? Number(page) : 1,
    sort: isCustomerSort(sort) ? sort : DEFAULT_CUSTOMER_SORT,
  };
}

/** The query string for a state ("" for the default view); defaults are left out. */
export function customerListQuery({ q, page, sort }: CustomerListParams): string {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (page > 1) params.set("page", String(page));
  if (sort !== DEFAULT_CUSTOMER_SORT) params.set("sort", sort);
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** What to prefill when registering from a search that found no one: a phone, an email or a name. */
export function registrationHint(q: string): { Phone?: string; Email?: string; FirstName?: string; LastName?: string } {
  const text = normalizeSearch(q);
  if (!text) return {};
  if (text.includes("@")) return { Email: text };
  const digits = text.replace(/\D/g, "");
  if (/^[\d\s().+-]+$/.test(text) && (digits.length === 10 || (digits.length === 11 && digits.startsWith("1")))) return { Phone: text };
  if (/\d/.test(text)) return {};
  const [first, ...rest] = text.split(" ");
  return rest.length ? { FirstName: first, LastName: rest.join(" ") } : { FirstName: first };
}
