// What every channel is given and what it answers: sent (with the provider's id), or failed,
// permanently (retrying cannot help: an invalid number, a refused mailbox) or for now.
import "server-only";
import type { Offer } from "../../offers";
import type { RenderedOffer } from "../templates";

export interface OutgoingMessage {
  notificationId: number;
  /** A 10-digit phone, an email address or the webhook's address. */
  recipient: string;
  firstName: string | null;
  lastName: string | null;
  customerId: number;
  groupName: string;
  locationName: string;
  offer: Offer;
  rendered: RenderedOffer;
  /** The page a person opens, and the RFC 8058 one-click address a mail client POSTs to. */
  unsubscribe: { pageUrl: string; oneClickUrl: string };
}

export type DeliveryOutcome = { ok: true; providerId: string | null } | { ok: false; permanent: boolean; error: string };

export interface Channel {
  send(message: OutgoingMessage): Promise<DeliveryOutcome>;
  close(): void;
}

/** How long one delivery may take before it counts as a failure to retry. */
export const DELIVERY_TIMEOUT_MS = 15_000;

/** An HTTP status that no retry will change: 4xx, but a timeout, a conflict of the moment or a rate limit. */
export function isPermanentHttpStatus(status: number): boolean {
  return status >= 400 && status < 500 && ![408, 409, 425, 429].includes(status);
}

/** An error's message, short enough to store and show. */
export function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `timed out after ${DELIVERY_TIMEOUT_MS / 1000} s`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  const text = [e?.message ?? String(error), cause && !e?.message?.includes(cause) ? `(${cause})` : ""].filter(Boolean).join(" ");
  return text.slice(0, 500);
}
