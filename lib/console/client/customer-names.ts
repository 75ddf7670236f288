// The customers a page of receipts names, fetched once each on the same query keys as the
// Customers pages (so a name already loaded there shows at once here, and the other way round).
import { useQueries } from "@tanstack/react-query";
import type { Customer } from "@/lib/engage/schemas/customer";
import { apiFetch } from "./fetch";
import { customerKeys } from "./query-keys";

/** CustomerID → the customer, for those loaded so far. */
export function useCustomersById(customerIds: number[]): Map<number, Customer> {
  return useQueries({
    queries: [...new Set(customerIds)].map((customerId) => ({
      queryKey: customerKeys.detail(customerId),
      queryFn: ({ signal }: { signal: AbortSignal }) => apiFetch<Customer>(`/api/engage/Customers/${customerId}`, { signal }),
    })),
    combine: (results) => {
      const byId = new Map<number, Customer>();
      for (const result of results) if (result.data) byId.set(result.data.CustomerID, result.data);
      return byId;
    },
  });
}
