// The public endpoints outside the API and the console's session: the SMS provider's
// inbound-message webhook and the unsubscribe link's one-click POST (RFC 8058). Plain
// Request → Response, so the Next route handlers are one line and tests call the same code.
// Neither uses the console's route wrapper: the sender is a provider or a mail client, not a
// signed-in page; the Twilio signature and the link's HMAC are what authorize them.
import "server-only";
import type { DatabaseHandle } from "../../db";
import { notificationConfig, type NotificationConfig } from "./config";
import { applySmsReply, smsKeyword, unsubscribeEmail } from "./consent";
import { verifyTwilioSignature } from "./signing";

const MAX_FORM_BYTES = 64 * 1024;

const TWIML_REPLIES = {
  stop: "You are unsubscribed and will get no more offers by text. Reply START to resubscribe.",
  start: "You are subscribed to offers by text again. Reply STOP to unsubscribe.",
  help: "Offers by text from the stores you joined. Reply STOP to unsubscribe, START to resubscribe.",
} as const;

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

function twiml(message: string | null): Response {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response>${message ? `<Message>${escapeXml(message)}</Message>` : ""}</Response>`;
  return new Response(body, { status: 200, headers: { "content-type": "text/xml; charset=utf-8", "cache-control": "no-store" } });
}

function plain(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers } });
}

async function readForm(request: Request): Promise<URLSearchParams | Response> {
  const type = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return plain(415, "Expected a form (application/x-www-form-urlencoded).");
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_FORM_BYTES) return plain(413, "The form is too large.");
  return new URLSearchParams(text);
}

/**
 * Twilio's inbound message webhook (form fields From, To, Body). Its X-Twilio-Signature must
 * match SMS_TOKEN, over the public address (PUBLIC_URL) or the one requested; without SMS_TOKEN
 * nothing is accepted: anyone could otherwise change anyone's consent.
 */
export async function handleInboundSms(
  request: Request,
  handle: DatabaseHandle,
  config: NotificationConfig = notificationConfig(),
): Promise<Response> {
  const form = await readForm(request);
  if (form instanceof Response) return form;
  if (!config.inboundSmsToken) return plain(403, "Inbound SMS is not set up: SMS_TOKEN (the provider's auth token) is needed to check its signature.");
  // Twilio signs the address it was given: PUBLIC_URL's, or the one the request names in its Host
  // (Next's request.url keeps the server's own name, not the Host asked for).
  const url = new URL(request.url);
  const path = `${url.pathname}${url.search}`;
  const candidates = [`${config.publicUrl}${path}`, request.url];
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (host) candidates.push(`${request.headers.get("x-forwarded-proto") ?? url.protocol.replace(":", "")}://${host}${path}`);
  if (!verifyTwilioSignature(config.inboundSmsToken, candidates, form, request.headers.get("x-twilio-signature"))) {
    return plain(403, "The request's X-Twilio-Signature is not valid.");
  }
  const keyword = smsKeyword(form.get("Body") ?? "");
  if (keyword === null) return twiml(null);
  await applySmsReply(handle, form.get("From") ?? "", keyword);
  return twiml(TWIML_REPLIES[keyword]);
}

/**
 * POST /api/unsubscribe?token=…: a mail client's one-click unsubscribe (body
 * "List-Unsubscribe=One-Click") or the unsubscribe page's button, which is sent back to the page.
 */
export async function handleUnsubscribePost(request: Request, handle: DatabaseHandle): Promise<Response> {
  const url = new URL(request.url);
  const form = await readForm(request);
  if (form instanceof Response) return form;
  const token = url.searchParams.get("token") ?? form.get("token");
  const fromPage = form.get("source") === "page";
  const result = await unsubscribeEmail(handle, token);
  if (fromPage) {
    const page = new URL("/unsubscribe", url);
    page.searchParams.set("token", token ?? "");
    if (result) page.searchParams.set("done", "1");
    // Relative: behind a proxy the request's own host may not be the public one.
    return new Response(null, { status: 303, headers: { location: `${page.pathname}${page.search}`, "cache-control": "no-store" } });
  }
  if (!result) return plain(404, "This unsubscribe link is not valid.");
  return plain(200, `Unsubscribed: ${result.target.groupName} will send no more offers to ${result.target.email ?? "this address"}.`);
}

/** A person who opens the one-click address in a browser gets the page, which asks before doing anything. */
export function handleUnsubscribeGet(request: Request): Response {
  const url = new URL(request.url);
  const token = url.searchParams.get("token") ?? "";
  return new Response(null, { status: 303, headers: { location: `/unsubscribe?token=${encodeURIComponent(token)}`, "cache-control": "no-store" } });
}
