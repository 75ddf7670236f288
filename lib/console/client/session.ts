// The signed-in user's session in the browser: where they act (location), setup, sign-out.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { authClient } from "./auth-client";
import { ApiError, apiFetch } from "./fetch";
import type { MutationOptions } from "./mutation";

export function useSwitchLocation(options: MutationOptions<void, { LocationID: number | null }> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: (input) => apiFetch<void>("/api/session/location", { method: "PUT", body: input }),
    onSuccess: async (data, variables, onMutateResult, context) => {
      // Every Engage answer depends on the location: nothing cached still holds.
      await queryClient.invalidateQueries();
      await options.onSuccess?.(data, variables, onMutateResult, context);
    },
  });
}

export interface SetupInput {
  GroupName: string;
  Locations: string[];
  Name: string;
  Email: string;
  Password: string;
}

export function useRunSetup(options: MutationOptions<{ GroupID: number }, SetupInput> = {}) {
  return useMutation({
    ...options,
    mutationFn: (input) => apiFetch<{ GroupID: number }>("/api/setup", { method: "POST", body: input }),
  });
}

export function useSignOut(options: MutationOptions<void, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: async () => {
      const { error } = await authClient.signOut();
      if (error) throw new ApiError(error.status, error.code ?? "error", error.message || "Signing out failed. Try again.");
    },
    onSuccess: async (data, variables, onMutateResult, context) => {
      // The next user of this browser must not see this one's data.
      queryClient.clear();
      await options.onSuccess?.(data, variables, onMutateResult, context);
    },
  });
}
