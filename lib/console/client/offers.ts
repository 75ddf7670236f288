// Engage's offers in the browser: the look-up a clerk makes when a customer shows a code.
import { useQuery } from "@tanstack/react-query";
import type { Offer } from "@/lib/engage/offers";
import { apiFetch } from "./fetch";
import { offerKeys } from "./query-keys";

export type { Offer };

/** A code as a person types it ("  abcd 2345 ") in the form Engage issues it ("ABCD2345"). */
export function normalizeOfferCode(code: string): string {
  return code.replace(/\s+/g, "").toUpperCase();
}

export function useOfferByCode(code: string) {
  const normalized = normalizeOfferCode(code);
  return useQuery({
    queryKey: offerKeys.detail(`code:${normalized}`),
    queryFn: ({ signal }) => apiFetch<Offer>(`/api/engage/Offers?Code=${encodeURIComponent(normalized)}`, { signal }),
    enabled: normalized.length > 0,
    // A clerk looks again right after a sale: the status must not be half a minute old.
    staleTime: 0,
  });
}
