// A date or time in the browser's own time zone. The server does not know that zone, so on
// the server (and during hydration) it writes the UTC day, then the browser rewrites it.
"use client";

import { useSyncExternalStore } from "react";
import { formatDate, formatDateTime } from "@/lib/console/client/format";

const subscribe = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

const utcDay = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

export function LocalTime({ value, withTime = false, className }: { value: string; withTime?: boolean; className?: string }) {
  const hydrated = useHydrated();
  const text = hydrated ? (withTime ? formatDateTime(value) : formatDate(value)) : utcDay.format(new Date(value));
  return (
    <time dateTime={value} className={className}>
      {text}
    </time>
  );
}
