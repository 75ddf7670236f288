// SMS through a provider's HTTP API in the shape of Twilio's Messages API: a form POST to
// {SMS_API_URL}/2010-04-01/Accounts/{SMS_ACCOUNT}/Messages.json with HTTP Basic auth; the
// answer's "sid" is the provider's id, an error's "code" and "message" are kept.
import "server-only";
import type { SmsTransport } from "../config";
import { DELIVERY_TIMEOUT_MS, errorText, isPermanentHttpStatus, type Channel, type DeliveryOutcome, type OutgoingMessage } from "./types";

export function createSmsChannel(transport: SmsTransport): Channel {
  const endpoint = `${transport.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(transport.account)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${transport.account}:${transport.token}`).toString("base64")}`;
  return {
    async send(message: OutgoingMessage): Promise<DeliveryOutcome> {
      const form = new URLSearchParams({ To: `+1${message.recipient}`, Body: message.rendered.sms });
      // A messaging service (MG…) picks its own sender; otherwise SMS_FROM is the number.
      if (/^MG[0-9a-f]{32}$/i.test(transport.from)) form.set("MessagingServiceSid", transport.from);
      else form.set("From", transport.from);
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: "POST",
          headers: { authorization, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body: form.toString(),
          redirect: "manual",
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
      } catch (error) {
        return { ok: false, permanent: false, error: errorText(error) };
      }
      let body: { sid?: unknown; code?: unknown; message?: unknown } = {};
      try {
        body = JSON.parse(await response.text());
      } catch {
        // A proxy's HTML error page: the status says enough.
      }
      if (response.status >= 200 && response.status < 300) {
        return { ok: true, providerId: typeof body.sid === "string" ? body.sid : null };
      }
      const detail = [typeof body.code === "number" || typeof body.code === "string" ? body.code : null, typeof body.message === "string" ? body.message : null]
        .filter((x) => x !== null)
        .join(" ");
      return {
        ok: false,
        permanent: isPermanentHttpStatus(response.status),
        error: `SMS provider answered ${response.status}${detail ? `: ${detail}` : ""}`.slice(0, 500),
      };
    },
    close() {},
  };
}
