// Shared plumbing for the per-operation hooks: the options a caller may pass, and a way to run
// the hook's own invalidation before the caller's callback (a spread of the caller's options
// must never drop it).
import type { QueryClient, QueryKey, UseMutationOptions } from "@tanstack/react-query";
import type { ApiError } from "./fetch";

export type MutationOptions<TData, TVariables> = Omit<UseMutationOptions<TData, ApiError, TVariables>, "mutationFn">;

type OnSuccess<TData, TVariables> = NonNullable<UseMutationOptions<TData, ApiError, TVariables>["onSuccess"]>;

/** onSuccess that first invalidates `keys(data, variables)`, then calls the caller's onSuccess. */
export function invalidateThen<TData, TVariables>(
  queryClient: QueryClient,
  keys: (data: TData, variables: TVariables) => QueryKey[],
  callers?: OnSuccess<TData, TVariables>,
): OnSuccess<TData, TVariables> {
  return async (data, variables, onMutateResult, context) => {
    await Promise.all(keys(data, variables).map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    await callers?.(data, variables, onMutateResult, context);
  };
}
