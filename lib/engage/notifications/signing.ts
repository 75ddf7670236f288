// Signatures: the app webhook's (HMAC-SHA256 over "{timestamp}.{body}", so a receiver can
// refuse forgeries and replays), the unsubscribe links' (an HMAC naming the customer), and
// Twilio's X-Twilio-Signature on inbound SMS webhooks (HMAC-SHA1 over the URL and the form).
import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { derivedKey } from "../../console/secret";

export const SIGNATURE_HEADER = "X-Engage-Signature";
export const TIMESTAMP_HEADER = "X-Engage-Timestamp";
/** How old (or how far in the future) a signed webhook may be before a receiver refuses it. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `sha256=<hex>` of "{timestamp}.{body}", the timestamp in whole seconds since the epoch. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * What a receiver does: recompute the signature and check the timestamp is recent, so a
 * captured request replayed later is refused. Returns why it is refused, or null when good.
 */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | null | undefined; signature: string | null | undefined },
  body: string,
  nowMs = Date.now(),
): "missing" | "stale" | "forged" | null {
  if (!headers.timestamp || !headers.signature || !/^\d{1,12}$/.test(headers.timestamp)) return "missing";
  const timestamp = Number(headers.timestamp);
  if (Math.abs(nowMs / 1000 - timestamp) > WEBHOOK_TOLERANCE_SECONDS) return "stale";
  return equal(signWebhook(secret, timestamp, body), headers.signature) ? null : "forged";
}

// Unsubscribe links: "{customer pk}.{signature}". The key is derived from the console's secret
// (ENGAGE_CONSOLE_SECRET), so every instance that shares it accepts every instance's links.
function unsubscribeSignature(customerPk: number): string {
  return createHmac("sha256", derivedKey("unsubscribe-links")).update(`unsubscribe:email:${customerPk}`).digest("base64url");
}

export function unsubscribeToken(customerPk: number): string {
  return `${customerPk}.${unsubscribeSignature(customerPk)}`;
}

/** The customer a token names, or null when it is malformed or not ours. */
export function verifyUnsubscribeToken(token: string | null | undefined): number | null {
  const match = /^(\d{1,15})\.([\w-]{43})$/.exec(token?.trim() ?? "");
  if (!match) return null;
  const customerPk = Number(match[1]);
  return customerPk > 0 && equal(unsubscribeSignature(customerPk), match[2]) ? customerPk : null;
}

/** Twilio's request signature: base64 HMAC-SHA1 of the URL followed by each POST field, sorted by name, name then value. */
export function twilioSignature(token: string, url: string, params: URLSearchParams): string {
  const names = [...new Set(params.keys())].sort();
  let data = url;
  for (const name of names) for (const value of params.getAll(name)) data += name + value;
  return createHmac("sha1", token).update(data, "utf8").digest("base64");
}

export function verifyTwilioSignature(token: string, urls: string[], params: URLSearchParams, signature: string | null): boolean {
  if (!signature) return false;
  return urls.some((url) => equal(twilioSignature(token, url, params), signature));
}
