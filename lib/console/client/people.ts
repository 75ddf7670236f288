// People (the group's console users), one hook per operation: Settings → People, Owner only.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "./fetch";
import { invalidateThen, type MutationOptions } from "./mutation";
import { peopleKeys } from "./query-keys";
import type { PasswordResetValues, Person, PersonAccessValues, PersonCreateValues } from "./schemas";

export function usePeople() {
  return useQuery({
    queryKey: peopleKeys.list(),
    queryFn: ({ signal }) => apiFetch<Person[]>("/api/settings/people", { signal }),
  });
}

export function useAddPerson(options: MutationOptions<Person, PersonCreateValues> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: (input) => apiFetch<Person>("/api/settings/people", { method: "POST", body: input }),
    onSuccess: invalidateThen(queryClient, () => [peopleKeys.lists()], options.onSuccess),
  });
}

export function useChangePersonAccess(userId: string, options: MutationOptions<Person, PersonAccessValues> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: (input) =>
      apiFetch<Person>(`/api/settings/people/${encodeURIComponent(userId)}`, { method: "PUT", body: input }),
    onSuccess: invalidateThen(queryClient, () => [peopleKeys.lists(), peopleKeys.detail(userId)], options.onSuccess),
  });
}

export function useResetPersonPassword(userId: string, options: MutationOptions<void, PasswordResetValues> = {}) {
  return useMutation({
    ...options,
    mutationFn: (input) =>
      apiFetch<void>(`/api/settings/people/${encodeURIComponent(userId)}/password`, { method: "POST", body: input }),
  });
}

export function useSetPersonActive(userId: string, options: MutationOptions<Person, { Active: boolean }> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: (input) =>
      apiFetch<Person>(`/api/settings/people/${encodeURIComponent(userId)}/active`, { method: "POST", body: input }),
    onSuccess: invalidateThen(queryClient, () => [peopleKeys.lists(), peopleKeys.detail(userId)], options.onSuccess),
  });
}
