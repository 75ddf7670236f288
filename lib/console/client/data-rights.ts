// A customer's data rights from their profile (Owners): download everything held about them
// as a JSON file, and erase them. Both through the console's proxy, which records them in the
// audit log.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "./fetch";
import type { MutationOptions } from "./mutation";
import { customerKeys } from "./query-keys";

export interface ErasedCustomer {
  CustomerID: number;
  ErasedAt: string;
  AlreadyErased: boolean;
  ReceiptsKept: number;
}

/** Saves a value as a JSON file in the browser's downloads. */
function download(filename: string, value: unknown): void {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has been handled: revoking at once can cancel the download in some browsers.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const exportFilename = (customerId: number) => `customer-${customerId}.json`;

export function useExportCustomer(customerId: number, options: MutationOptions<string, void> = {}) {
  return useMutation({
    ...options,
    mutationFn: async () => {
      const data = await apiFetch<unknown>(`/api/engage/Customers/${customerId}/Export`);
      const filename = exportFilename(customerId);
      download(filename, data);
      return filename;
    },
  });
}

export function useEraseCustomer(customerId: number, options: MutationOptions<ErasedCustomer, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: () => apiFetch<ErasedCustomer>(`/api/engage/Customers/${customerId}/Erase`, { method: "POST", body: {} }),
    onSuccess: async (erased, variables, onMutateResult, context) => {
      // Nothing cached of them holds any more: their details, receipts and offers, and every list.
      queryClient.removeQueries({ queryKey: customerKeys.detail(customerId) });
      await queryClient.invalidateQueries({ queryKey: customerKeys.lists() });
      await options.onSuccess?.(erased, variables, onMutateResult, context);
    },
  });
}
