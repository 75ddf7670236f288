// The merchant's app, through a webhook (APP_WEBHOOK_URL): a JSON body signed with
// HMAC-SHA256 over "{timestamp}.{body}" (X-Engage-Signature, X-Engage-Timestamp), so the
// receiver refuses forgeries and replays; X-Engage-Delivery repeats on a retry, for dedupe.
import "server-only";
import type { AppTransport } from "../config";
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "../signing";
import { DELIVERY_TIMEOUT_MS, errorText, isPermanentHttpStatus, type Channel, type DeliveryOutcome, type OutgoingMessage } from "./types";

export function appPayload(message: OutgoingMessage): string {
  return JSON.stringify({
    Event: "offer.issued",
    NotificationID: message.notificationId,
    Customer: { CustomerID: message.customerId, FirstName: message.firstName, LastName: message.lastName },
    Offer: message.offer,
    LocationName: message.locationName,
    Subject: message.rendered.subject,
    Message: message.rendered.message,
    Terms: message.rendered.terms,
  });
}

export function createAppChannel(transport: AppTransport, now: () => number = Date.now): Channel {
  return {
    async send(message: OutgoingMessage): Promise<DeliveryOutcome> {
      const body = appPayload(message);
      const timestamp = Math.floor(now() / 1000);
      let response: Response;
      try {
        response = await fetch(transport.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "user-agent": "Engage-Webhook/1",
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: signWebhook(transport.secret, timestamp, body),
            "X-Engage-Delivery": String(message.notificationId),
          },
          body,
          redirect: "manual",
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
        await response.arrayBuffer();
      } catch (error) {
        return { ok: false, permanent: false, error: errorText(error) };
      }
      if (response.status >= 200 && response.status < 300) return { ok: true, providerId: response.headers.get("x-request-id") };
      return {
        ok: false,
        permanent: isPermanentHttpStatus(response.status),
        error: `webhook answered ${response.status}${response.status >= 300 && response.status < 400 ? " (redirects are not followed)" : ""}`,
      };
    },
    close() {},
  };
}
