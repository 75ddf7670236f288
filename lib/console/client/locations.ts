// The group's locations, one hook per operation: Settings → Locations, Owner only.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "./fetch";
import { invalidateThen, type MutationOptions } from "./mutation";
import { connectionKeys, locationKeys } from "./query-keys";
import type { Location, LocationNameValues } from "./schemas";

export function useLocations() {
  return useQuery({
    queryKey: locationKeys.list(),
    queryFn: ({ signal }) => apiFetch<Location[]>("/api/settings/locations", { signal }),
  });
}

export function useAddLocation(options: MutationOptions<Location, LocationNameValues> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: (input) => apiFetch<Location>("/api/settings/locations", { method: "POST", body: input }),
    // The connection page lists a key field per location.
    onSuccess: invalidateThen(queryClient, () => [locationKeys.lists(), connectionKeys.all], options.onSuccess),
  });
}

export function useRenameLocation(locationId: number, options: MutationOptions<Location, LocationNameValues> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: (input) => apiFetch<Location>(`/api/settings/locations/${locationId}`, { method: "PUT", body: input }),
    onSuccess: invalidateThen(queryClient, () => [locationKeys.lists(), locationKeys.detail(locationId)], options.onSuccess),
  });
}
