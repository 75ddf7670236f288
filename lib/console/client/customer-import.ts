// Customers CSV from the browser: the export's address for the list's current view, the
// import's preview, and the import itself read as a stream of progress lines then its result.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ImportEvent, ImportPreview, ImportRequest, ImportResult } from "@/lib/console/customers-csv-format";
import { customerListQuery } from "./customer-list-state";
import type { CustomerListParams } from "./customers";
import { apiFetch, ApiError } from "./fetch";
import type { MutationOptions } from "./mutation";
import { customerKeys } from "./query-keys";

export type { ImportPreview, ImportRequest, ImportResult };

/** The export of what the list shows: its search and sort, every page. */
export function customersExportHref(view: Pick<CustomerListParams, "q" | "sort">): string {
  return `/api/customers/export${customerListQuery({ q: view.q, sort: view.sort, page: 1 })}`;
}

export function usePreviewCustomerImport(options: MutationOptions<ImportPreview, ImportRequest> = {}) {
  return useMutation({
    ...options,
    mutationFn: (request) => apiFetch<ImportPreview>("/api/customers/import/preview", { method: "POST", body: request }),
  });
}

export interface ImportVariables {
  request: ImportRequest;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: { Message?: unknown; Code?: unknown; ModelState?: unknown } | undefined;
  try {
    body = (await response.json()) as typeof body;
  } catch {
    body = undefined;
  }
  if (body && typeof body.Message === "string") {
    return new ApiError(
      response.status,
      typeof body.Code === "string" ? body.Code : "error",
      body.Message,
      body.ModelState && typeof body.ModelState === "object" ? (body.ModelState as Record<string, string[]>) : undefined,
      body as Record<string, unknown>,
    );
  }
  if (response.status === 403) return new ApiError(403, "forbidden", "Your role does not allow this.");
  if (response.status === 401) return new ApiError(401, "unauthorized", "Your session has ended. Sign in again.");
  return new ApiError(response.status, "error", `The console answered with an unexpected error (${response.status}). Try again.`);
}

const LOST = "The connection was lost during the import. Some customers may have been imported: check the file again to see which.";

/** Runs the import, calling onProgress as the server reports it; resolves with the result. */
export async function runCustomerImport({ request, onProgress, signal }: ImportVariables): Promise<ImportResult> {
  let response: Response;
  try {
    response = await fetch("/api/customers/import", {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { accept: "application/x-ndjson", "content-type": "application/json" },
      body: JSON.stringify(request),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, "network_error", "The console could not be reached. Check your connection and try again.");
  }
  if (!response.ok || !response.body) throw await errorOf(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (value) buffered += value;
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        const event = JSON.parse(line) as ImportEvent;
        if (event.Type === "progress") onProgress?.(event.Done, event.Total);
        else if (event.Type === "result") return event.Result;
        else throw new ApiError(500, event.Code, event.Message);
      }
      if (done) break;
    }
  } catch (error) {
    if (error instanceof ApiError || signal?.aborted) throw error;
    throw new ApiError(0, "network_error", LOST);
  }
  throw new ApiError(0, "network_error", LOST);
}

/** The import; afterwards every customer list is fetched again (the new customers are in them). */
export function useImportCustomers(options: MutationOptions<ImportResult, ImportVariables> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: runCustomerImport,
    onSuccess: async (result, variables, onMutateResult, context) => {
      await queryClient.invalidateQueries({ queryKey: customerKeys.lists() });
      await options.onSuccess?.(result, variables, onMutateResult, context);
    },
  });
}
