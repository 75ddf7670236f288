// Settings → Developers: "Send a test receipt" — the guide's receipt through the EngageClient
// with a location's key; answers each request and response as sent.
import { recordConsoleAudit } from "@/lib/console/audit";
import { sendTestReceipt } from "@/lib/console/developers";
import { consoleRoute, jsonResponse } from "@/lib/console/route";

/** The address the Owner opened the console at (the Host header, as the CSRF check reads it). */
function originOf(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? url.host;
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0].trim() || url.protocol.replace(/:$/, "");
  return `${proto}://${host}`;
}

export const POST = consoleRoute({
  permission: "settings",
  handler: async ({ user, request, body }) => {
    const sent = await sendTestReceipt(user, originOf(request), body);
    // A real sale (of the test customer) at that location: recorded like every change.
    await recordConsoleAudit(user, request, {
      action: "receipt.test",
      target: { type: "location", id: (body as { LocationID?: number } | null)?.LocationID ?? null },
      details: { Requests: sent.Exchanges.length },
    });
    return jsonResponse(sent);
  },
});
