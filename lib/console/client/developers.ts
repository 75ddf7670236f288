// Settings → Developers, one hook per operation: the keys (masked), create / roll / revoke
// (a new key is in the mutation's result, once), and a test receipt. Owner only.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "./fetch";
import { invalidateThen, type MutationOptions } from "./mutation";
import { queryKeysFactory } from "./query-keys";

/** The group's keys: list() is the whole Developers page's data. */
export const developerKeys = queryKeysFactory("developer-keys");

export interface DeveloperKey {
  KeyID: number;
  LocationID: number | null;
  LocationName: string | null;
  Masked: string;
  Label: string | null;
  CreatedAt: string;
  UsedByConsole: boolean;
}

export interface DeveloperSettings {
  Mode: "embedded" | "remote";
  RemoteURL: string | null;
  Locations: { LocationID: number; Name: string }[];
  Keys: DeveloperKey[];
}

/** A key just made: the whole key, this once. */
export type NewKey = DeveloperKey & { Key: string; ReplacedKeyID?: number };

export interface KeyCreateValues {
  LocationID: number | null;
  Label?: string;
}

export interface Exchange {
  Title: string;
  Request: { Method: string; URL: string; Headers: Record<string, string>; Body: unknown };
  Response: { Status: number; Headers: Record<string, string>; Body: unknown };
}

export function useDeveloperSettings() {
  return useQuery({
    queryKey: developerKeys.list(),
    queryFn: ({ signal }) => apiFetch<DeveloperSettings>("/api/settings/keys", { signal }),
  });
}

export function useCreateKey(options: MutationOptions<NewKey, KeyCreateValues> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: (input) => apiFetch<NewKey>("/api/settings/keys", { method: "POST", body: input }),
    onSuccess: invalidateThen(queryClient, () => [developerKeys.lists()], options.onSuccess),
  });
}

export function useRollKey(keyId: number, options: MutationOptions<NewKey, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: () => apiFetch<NewKey>(`/api/settings/keys/${keyId}/roll`, { method: "POST", body: {} }),
    onSuccess: invalidateThen(queryClient, () => [developerKeys.lists()], options.onSuccess),
  });
}

export function useRevokeKey(keyId: number, options: MutationOptions<{ KeyID: number; RevokedAt: string }, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: () => apiFetch<{ KeyID: number; RevokedAt: string }>(`/api/settings/keys/${keyId}`, { method: "DELETE", body: {} }),
    onSuccess: invalidateThen(queryClient, () => [developerKeys.lists()], options.onSuccess),
  });
}

export function useSendTestReceipt(options: MutationOptions<{ Exchanges: Exchange[] }, { LocationID: number }> = {}) {
  return useMutation({
    ...options,
    mutationFn: (input) => apiFetch<{ Exchanges: Exchange[] }>("/api/settings/developers/test-receipt", { method: "POST", body: input }),
  });
}
