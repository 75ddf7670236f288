// The customer a profile or edit page is about, read on the server before the page renders:
// an unknown id answers 404 (a real status, not a 200 page saying so), and a known one arrives
// with the page. The key is chosen as the console's proxy chooses it (lib/console/proxy-rules).
import "server-only";
import { cache } from "react";
import { engageClientFor } from "@/lib/console/engage-client";
import type { ConsoleUser } from "@/lib/console/session";
import type { Customer } from "@/lib/engage/schemas/customer";

export type LoadedCustomer =
  | { found: true; customer: Customer; fetchedAt: number }
  | { found: false }
  /** Engage could not answer now (or the user has no location): the page loads it in the browser, with a retry. */
  | { found: null };

/** Once per request (the page and its metadata share it). */
export const loadCustomer = cache(async (user: ConsoleUser, customerIdParam: string): Promise<LoadedCustomer> => {
  if (!/^[1-9]\d{0,14}$/.test(customerIdParam)) return { found: false };
  // Only an Owner ever acts with the group key; anyone else without a location gets the proxy's refusal in the browser.
  if (user.currentLocationId === null && user.role !== "owner") return { found: null };
  try {
    const client = await engageClientFor(user.groupId);
    const result = await client.call(
      { groupId: user.groupId, locationId: user.currentLocationId },
      { method: "GET", path: `/v1/Customers/${customerIdParam}` },
    );
    if (result.status === 404) return { found: false };
    if (result.status !== 200 || !result.body) return { found: null };
    return { found: true, customer: JSON.parse(result.body) as Customer, fetchedAt: Date.now() };
  } catch {
    // Unreachable, slow or failing Engage: the browser shows the message and a Retry.
    return { found: null };
  }
});
