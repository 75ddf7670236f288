// Loyalty customers through the console's proxy to Engage (/api/engage/Customers…), one hook per
// operation. An update shows at once (optimistic) and is rolled back if Engage refuses it.
import { hashKey, keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useCallback, useRef } from "react";
import type { ConsentChange } from "@/lib/engage/customers";
import type { Offer } from "@/lib/engage/offers";
import type { Receipt } from "@/lib/engage/receipts";
import type { Customer, CustomerInput } from "@/lib/engage/schemas/customer";
import type { CUSTOMER_SORTS } from "@/lib/engage/schemas/query";
import { apiFetch, apiFetchPage, isApiError, type Paged } from "./fetch";
import type { MutationOptions } from "./mutation";
import { customerKeys } from "./query-keys";

export type { ConsentChange, Customer, CustomerInput, Offer, Receipt };
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export const CUSTOMERS_PAGE_SIZE = 25;
export const CUSTOMER_RECEIPTS_PAGE_SIZE = 10;

export interface CustomerListParams {
  q: string;
  page: number;
  sort: CustomerSort;
}

const base = (customerId: number) => `/api/engage/Customers/${customerId}`;

/** One page of the Customers list: for useCustomers, and to start a search before it renders. */
export function customerListOptions({ q, page, sort }: CustomerListParams) {
  return queryOptions({
    queryKey: customerKeys.list({ q, page, sort }),
    // React Query aborts this signal once a newer search replaces the query, so an older, slower
    // answer never lands over a newer one.
    queryFn: ({ signal }) => {
      const query = new URLSearchParams({ Sort: sort, Page: String(page), PageSize: String(CUSTOMERS_PAGE_SIZE) });
      if (q) query.set("Query", q);
      return apiFetchPage<Customer>(`/api/engage/Customers?${query}`, { signal });
    },
  });
}

export function useCustomers(params: CustomerListParams) {
  return useQuery({
    ...customerListOptions(params),
    // The last results stay on screen (marked busy) while the next page or search loads.
    placeholderData: keepPreviousData,
  });
}

/**
 * Starts a list's request at once, ahead of the render that will show it (the address changes
 * first, and the page re-renders for it before useCustomers would ask); the query then finds it
 * under way. A search started this way that nothing came to show is cancelled by the next one.
 */
export function usePrefetchCustomers() {
  const queryClient = useQueryClient();
  const last = useRef<QueryKey | null>(null);
  return useCallback(
    (params: CustomerListParams) => {
      const options = customerListOptions(params);
      const previous = last.current;
      const unused = previous && hashKey(previous) !== hashKey(options.queryKey) && queryClient.getQueryCache().find({ queryKey: previous, exact: true });
      if (previous && unused && unused.getObserversCount() === 0 && unused.state.fetchStatus === "fetching") {
        void queryClient.cancelQueries({ queryKey: previous, exact: true });
      }
      last.current = options.queryKey;
      void queryClient.prefetchQuery(options);
    },
    [queryClient],
  );
}

export function useCustomer(customerId: number, initial?: { customer: Customer; fetchedAt: number }) {
  return useQuery({
    queryKey: customerKeys.detail(customerId),
    queryFn: ({ signal }) => apiFetch<Customer>(base(customerId), { signal }),
    initialData: initial?.customer,
    initialDataUpdatedAt: initial?.fetchedAt,
  });
}

export function useCustomerConsentHistory(customerId: number) {
  return useQuery({
    queryKey: [...customerKeys.detail(customerId), "consent-history"],
    queryFn: ({ signal }) => apiFetch<ConsentChange[]>(`${base(customerId)}/ConsentHistory`, { signal }),
  });
}

/** The customer's receipts visible to the user's location (all of them for an Owner acting group-wide), newest first. */
export function useCustomerReceipts(customerId: number, page: number) {
  return useQuery({
    queryKey: [...customerKeys.detail(customerId), "receipts", { page }],
    queryFn: ({ signal }) =>
      apiFetchPage<Receipt>(`${base(customerId)}/Receipts?Page=${page}&PageSize=${CUSTOMER_RECEIPTS_PAGE_SIZE}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCustomerOffers(customerId: number) {
  return useQuery({
    queryKey: [...customerKeys.detail(customerId), "offers"],
    queryFn: ({ signal }) => apiFetch<Offer[]>(`${base(customerId)}/Offers`, { signal }),
  });
}

export function useRegisterCustomer(options: MutationOptions<Customer, CustomerInput> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: (input) => apiFetch<Customer>("/api/engage/Customers", { method: "POST", body: input }),
    onSuccess: async (customer, variables, onMutateResult, context) => {
      queryClient.setQueryData(customerKeys.detail(customer.CustomerID), customer);
      await queryClient.invalidateQueries({ queryKey: customerKeys.lists() });
      await options.onSuccess?.(customer, variables, onMutateResult, context);
    },
  });
}

/** What the optimistic update keeps: the customer as it was, and the caller's own onMutate result. */
interface UpdateSnapshot {
  previous: Customer | undefined;
  caller: unknown;
}

/**
 * PUT with Engage's semantics: the properties sent replace, null clears, absent ones stay. The
 * profile shows the change at once; an error puts the old customer back. Either way the lists
 * and the customer (with its consent history) are fetched again afterwards.
 */
export function useUpdateCustomer(customerId: number, options: MutationOptions<Customer, CustomerInput> = {}) {
  const queryClient = useQueryClient();
  const key = customerKeys.detail(customerId);
  return useMutation<Customer, Parameters<NonNullable<typeof options.onError>>[0], CustomerInput, UpdateSnapshot>({
    ...options,
    mutationFn: (input) => apiFetch<Customer>(base(customerId), { method: "PUT", body: input }),
    onMutate: async (input, context) => {
      // exact: the customer's receipts and offers (under the same prefix) may keep loading.
      await queryClient.cancelQueries({ queryKey: key, exact: true });
      const previous = queryClient.getQueryData<Customer>(key);
      if (previous) queryClient.setQueryData<Customer>(key, applyUpdate(previous, input));
      return { previous, caller: await options.onMutate?.(input, context) };
    },
    onSuccess: async (customer, input, snapshot, context) => {
      queryClient.setQueryData(key, customer);
      await options.onSuccess?.(customer, input, snapshot.caller, context);
    },
    onError: async (error, input, snapshot, context) => {
      if (snapshot?.previous) queryClient.setQueryData(key, snapshot.previous);
      // Gone meanwhile: nothing cached of it holds.
      if (isApiError(error) && error.status === 404) queryClient.removeQueries({ queryKey: key });
      await options.onError?.(error, input, snapshot?.caller, context);
    },
    onSettled: async (customer, error, input, snapshot, context) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: customerKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: key }),
      ]);
      await options.onSettled?.(customer, error, input, snapshot?.caller, context);
    },
  });
}

/** The customer as the update will leave it: present properties replace, null clears. */
export function applyUpdate(customer: Customer, input: CustomerInput): Customer {
  const next: Customer = { ...customer };
  for (const [property, value] of Object.entries(input) as [keyof CustomerInput, unknown][]) {
    if (value === undefined || property === "CustomerID") continue;
    if (property === "AcceptsSMS" || property === "AcceptsEmail") next[property] = value === true;
    else (next as unknown as Record<string, unknown>)[property] = value;
  }
  return next;
}

export type { Paged };
