// Settings → Developers: "Send a test receipt" — the guide's receipt through the EngageClient
// with a location's key; answers each request and response as sent.
import { sendTestReceipt } from "@/lib/console/developers";
import { consoleRoute, jsonResponse } from "@/lib/console/route";

export const POST = consoleRoute({
  permission: "settings",
  handler: async ({ user, request, body }) => jsonResponse(await sendTestReceipt(user, new URL(request.url).origin, body)),
});
