// The states every list and page shows besides its data: loading, empty, failed (with a retry,
// and the server's own words when Engage could not be reached), and not allowed.
"use client";

import { AlertTriangle, RotateCw } from "lucide-react";
import type { ReactNode } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { isApiError } from "@/lib/console/client/fetch";

export function LoadingState({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <div role="status" className="grid gap-2">
      <span className="sr-only">{label}</span>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-12 w-full" />
      ))}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="grid justify-items-center gap-2 rounded-lg border border-dashed px-6 py-10 text-center">
      <p className="font-medium">{title}</p>
      {children ? <div className="max-w-prose text-sm text-muted-foreground">{children}</div> : null}
    </div>
  );
}

export function errorTitle(error: unknown): string {
  if (isApiError(error)) {
    if (error.engageUnavailable) return "Engage is not answering";
    if (error.status === 403) return "Not allowed";
    if (error.status === 0) return "No connection";
  }
  return "Could not load this";
}

export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.message;
  if (error && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") return (error as { message: string }).message;
  return "Something went wrong. Try again.";
}

export function ErrorState({ error, onRetry, retrying }: { error: unknown; onRetry?: () => void; retrying?: boolean }) {
  return (
    <Alert variant="destructive" role="alert">
      <div className="flex items-start gap-3">
        <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0" />
        <div className="grid flex-1 gap-1">
          <AlertTitle>{errorTitle(error)}</AlertTitle>
          <AlertDescription>
            <p>{errorMessage(error)}</p>
          </AlertDescription>
          {onRetry ? (
            <div className="mt-2">
              <Button variant="outline" size="sm" onClick={onRetry} disabled={retrying}>
                <RotateCw aria-hidden className={retrying ? "animate-spin" : undefined} />
                Retry
              </Button>
            </div>
          ) : null}
        </div>
      </div>
    </Alert>
  );
}

/** A form's error that belongs to no single field (root.serverError). */
export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <Alert variant="destructive" role="alert">
      <AlertDescription>
        <p>{message}</p>
      </AlertDescription>
    </Alert>
  );
}
