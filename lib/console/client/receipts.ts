// Engage's receipts in the browser: the filters the receipts page keeps in its URL, the
// search, one receipt, and voiding one (Owner and Manager; the proxy enforces it).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Receipt } from "@/lib/engage/receipts";
import { apiFetch, apiFetchPage } from "./fetch";
import { invalidateThen, type MutationOptions } from "./mutation";
import { customerKeys, offerKeys, receiptKeys } from "./query-keys";

export type { Receipt };
export type Redemption = Receipt["Redemptions"][number];

export const RECEIPTS_PAGE_SIZE = 25;

/** The receipts page's filters, as its URL holds them (?from=&to=&location=&customer=&sku=&min=&max=&page=). */
export interface ReceiptFilters {
  /** Local calendar days, YYYY-MM-DD: the whole day in the browser's time zone. */
  from?: string;
  to?: string;
  location?: number;
  customer?: number;
  sku?: string;
  /** Amounts as typed, normalized: "12.5". */
  min?: string;
  max?: string;
  page: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const AMOUNT = /^\d+(\.\d{1,4})?$/;
const WHOLE = /^[1-9]\d{0,15}$/;

function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number);
  const date = new Date(y, m - 1, d);
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d;
}

export const isValidDay = isDay;
export const isValidAmount = (value: string) => AMOUNT.test(value);
export const isValidWholeNumber = (value: string) => WHOLE.test(value);

/** The filters in a URL's query; a value that makes no sense is left out rather than sent. */
export function receiptFiltersFrom(params: URLSearchParams): ReceiptFilters {
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const from = text("from");
  const to = text("to");
  const location = text("location");
  const customer = text("customer");
  const min = text("min");
  const max = text("max");
  const page = text("page");
  return {
    from: from && isDay(from) ? from : undefined,
    to: to && isDay(to) ? to : undefined,
    location: location && WHOLE.test(location) ? Number(location) : undefined,
    customer: customer && WHOLE.test(customer) ? Number(customer) : undefined,
    sku: text("sku")?.slice(0, 64),
    min: min && AMOUNT.test(min) ? String(Number(min)) : undefined,
    max: max && AMOUNT.test(max) ? String(Number(max)) : undefined,
    page: page && WHOLE.test(page) && Number(page) <= 1_000_000 ? Number(page) : 1,
  };
}

/** The URL query for the filters ("" when none), in a stable order; page 1 is left out. */
export function receiptFiltersQuery(filters: ReceiptFilters): string {
  const params = new URLSearchParams();
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (filters.location !== undefined) params.set("location", String(filters.location));
  if (filters.customer !== undefined) params.set("customer", String(filters.customer));
  if (filters.sku) params.set("sku", filters.sku);
  if (filters.min) params.set("min", filters.min);
  if (filters.max) params.set("max", filters.max);
  if (filters.page > 1) params.set("page", String(filters.page));
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** Whether anything narrows the list (the page number does not). */
export function hasReceiptFilters(filters: ReceiptFilters): boolean {
  return Boolean(filters.from || filters.to || filters.location !== undefined || filters.customer !== undefined || filters.sku || filters.min || filters.max);
}

/** The start of a local day, or the last millisecond of it, as the instant Engage compares with. */
function localDayBound(day: string, end: boolean): string {
  const [y, m, d] = day.split("-").map(Number);
  const start = new Date(y, m - 1, d);
  return (end ? new Date(new Date(y, m - 1, d + 1).getTime() - 1) : start).toISOString();
}

function engageSearch(filters: ReceiptFilters, locationFilter: boolean): string {
  const params = new URLSearchParams();
  if (filters.customer !== undefined) params.set("CustomerID", String(filters.customer));
  // A location key sees its own location's receipts only; the filter is the group key's.
  if (locationFilter && filters.location !== undefined) params.set("LocationID", String(filters.location));
  if (filters.from) params.set("From", localDayBound(filters.from, false));
  if (filters.to) params.set("To", localDayBound(filters.to, true));
  if (filters.sku) params.set("SKU", filters.sku);
  if (filters.min) params.set("MinTotal", filters.min);
  if (filters.max) params.set("MaxTotal", filters.max);
  params.set("Page", String(filters.page));
  params.set("PageSize", String(RECEIPTS_PAGE_SIZE));
  return params.toString();
}

export function useReceipts(filters: ReceiptFilters, { locationFilter, enabled = true }: { locationFilter: boolean; enabled?: boolean }) {
  const search = engageSearch(filters, locationFilter);
  return useQuery({
    queryKey: receiptKeys.list({ search }),
    queryFn: ({ signal }) => apiFetchPage<Receipt>(`/api/engage/Receipts?${search}`, { signal }),
    // Paging and filtering keep the last page on screen (marked busy) until the next arrives.
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useReceipt(receiptId: string) {
  return useQuery({
    queryKey: receiptKeys.detail(receiptId),
    queryFn: ({ signal }) => apiFetch<Receipt>(`/api/engage/Receipts/${encodeURIComponent(receiptId)}`, { signal }),
  });
}

export function useVoidReceipt(receiptId: string, options: MutationOptions<Receipt, void> = {}) {
  const queryClient = useQueryClient();
  const invalidate = invalidateThen<Receipt, void>(
    queryClient,
    // The customer's visits and spend no longer count it; the offers it redeemed are free again.
    (receipt) => [receiptKeys.lists(), customerKeys.detail(receipt.CustomerID), customerKeys.lists(), offerKeys.all],
    options.onSuccess,
  );
  return useMutation({
    ...options,
    mutationFn: () => apiFetch<Receipt>(`/api/engage/Receipts/${encodeURIComponent(receiptId)}/Void`, { method: "POST", body: {} }),
    onSuccess: async (receipt, variables, onMutateResult, context) => {
      // The answer is the voided receipt: show it at once.
      queryClient.setQueryData(receiptKeys.detail(receiptId), receipt);
      await invalidate(receipt, variables, onMutateResult, context);
    },
  });
}

const REJECTION_WORDS: Record<string, string> = {
  UnknownCode: "no offer has this code",
  NotThisCustomer: "the offer belongs to another customer",
  AlreadyRedeemed: "the offer was already redeemed",
  Expired: "the offer had expired",
  NotThisLocation: "the offer is for another location",
  BelowMinimumPurchase: "below the minimum purchase",
};

/** "Redeemed", or "Rejected: below the minimum purchase". */
export function redemptionInWords(redemption: Pick<Redemption, "Status" | "Reason">): string {
  if (redemption.Status === "Redeemed") return "Redeemed";
  const why = redemption.Reason ? (REJECTION_WORDS[redemption.Reason] ?? redemption.Reason) : null;
  return why ? `Rejected: ${why}` : "Rejected";
}
