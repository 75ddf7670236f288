// A page of the console failed on the server or in the browser: say so, and offer a retry
// rather than a blank page.
"use client";

import { ErrorState } from "@/components/states/states";

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section aria-labelledby="error-title" className="grid max-w-prose gap-4">
      <h1 id="error-title" className="text-2xl font-semibold tracking-tight">
        This page could not be shown
      </h1>
      <ErrorState
        error={{
          message: error.digest ? `Something went wrong on our side. Quote ${error.digest} to support.` : "Something went wrong. Try again.",
        }}
        onRetry={reset}
      />
    </section>
  );
}
