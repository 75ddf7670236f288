// React Query's errors in the console are ApiErrors (lib/console/client/fetch.ts).
import type { ApiError } from "./fetch";

declare module "@tanstack/react-query" {
  interface Register {
    defaultError: ApiError;
  }
}
