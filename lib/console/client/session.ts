// The signed-in user's session in the browser: where they act (location), setup, sign-out.
import { useMutation, useQueryClient } from "@tanstack/react-query";
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
    // better-auth's own endpoint, called as its client would (a JSON POST): the shell of every
    // page signs out without loading better-auth's browser client.
    mutationFn: async () => {
      let response: Response;
      try {
        response = await fetch("/api/auth/sign-out", {
          method: "POST",
          credentials: "same-origin",
          headers: { accept: "application/json", "content-type": "application/json" },
          body: "{}",
        });
      } catch {
        throw new ApiError(0, "network_error", "The console could not be reached. Check your connection and try again.");
      }
      if (response.ok) return;
      const error = (await response.json().catch(() => null)) as { code?: unknown; message?: unknown } | null;
      throw new ApiError(
        response.status,
        typeof error?.code === "string" ? error.code : "error",
        typeof error?.message === "string" && error.message ? error.message : "Signing out failed. Try again.",
      );
    },
    onSuccess: async (data, variables, onMutateResult, context) => {
      // The next user of this browser must not see this one's data.
      queryClient.clear();
      await options.onSuccess?.(data, variables, onMutateResult, context);
    },
  });
}
