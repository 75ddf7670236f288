// The browser side's providers: one React Query client per page load, the toasts, and a
// watcher that sends the user to sign in when their session has ended.
"use client";

import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { Toaster } from "@/components/ui/toaster";
import { isApiError } from "@/lib/console/client/fetch";

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // One quiet retry for a blip; a refusal (4xx) or an unreachable Engage (which already
        // waited for its timeout) is shown at once, with a Retry button.
        retry: (failureCount, error) =>
          failureCount < 1 && !(isApiError(error) && ((error.status >= 400 && error.status < 500) || error.engageUnavailable)),
        refetchOnWindowFocus: false,
      },
    },
  });
}

/** A 401 from any query or mutation: the session expired, was revoked or the user deactivated. */
function SignInWhenSessionEnds() {
  const queryClient = useQueryClient();
  const router = useRouter();
  useEffect(() => {
    const onError = (error: unknown) => {
      if (isApiError(error) && error.status === 401) {
        const next = window.location.pathname + window.location.search;
        router.replace(`/sign-in?next=${encodeURIComponent(next)}`);
      }
    };
    const unsubscribeQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === "updated" && event.action.type === "error") onError(event.action.error);
    });
    const unsubscribeMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === "updated" && event.action.type === "error") onError(event.action.error);
    });
    return () => {
      unsubscribeQueries();
      unsubscribeMutations();
    };
  }, [queryClient, router]);
  return null;
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <SignInWhenSessionEnds />
      {children}
      <Toaster />
    </QueryClientProvider>
  );
}
