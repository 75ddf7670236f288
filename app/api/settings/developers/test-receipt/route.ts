// Settings → Developers: "Send a test receipt" — the guide's receipt through the EngageClient
// with a location's key; answers each request and response as sent.
import { recordConsoleAudit } from "@/lib/console/audit";
import { sendTestReceipt } from "@/lib/console/developers";
import { consoleRoute, jsonResponse } from "@/lib/console/route";

export const POST = consoleRoute({
  permission: "settings",
  handler: async ({ user, request, body }) => {
    const sent = await sendTestReceipt(user, new URL(request.url).origin, body);
    // A real sale (of the test customer) at that location: recorded like every change.
    await recordConsoleAudit(user, request, {
      action: "receipt.test",
      target: { type: "location", id: (body as { LocationID?: number } | null)?.LocationID ?? null },
      details: { Requests: sent.Exchanges.length },
    });
    return jsonResponse(sent);
  },
});
