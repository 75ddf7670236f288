// The group's Engage connection (embedded, or a remote server with its keys): Owner only.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "./fetch";
import type { MutationOptions } from "./mutation";
import { connectionKeys } from "./query-keys";
import type { Connection } from "./schemas";

export interface ConnectionUpdate {
  Mode: "embedded" | "remote";
  RemoteURL?: string | null;
  GroupKey?: string | null;
  LocationKeys?: { LocationID: number; Key: string }[];
}

export function useConnection() {
  return useQuery({
    queryKey: connectionKeys.detail("group"),
    queryFn: ({ signal }) => apiFetch<Connection>("/api/settings/connection", { signal }),
  });
}

export function useUpdateConnection(options: MutationOptions<Connection, ConnectionUpdate> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: (input) => apiFetch<Connection>("/api/settings/connection", { method: "PUT", body: input }),
    onSuccess: async (data, variables, onMutateResult, context) => {
      // The answer is the new state: store it rather than fetch it again.
      queryClient.setQueryData(connectionKeys.detail("group"), data);
      await options.onSuccess?.(data, variables, onMutateResult, context);
    },
  });
}
