// Settings → Developers: the group's live keys (masked), and a new key (shown once).
import { recordConsoleAudit } from "@/lib/console/audit";
import { createDeveloperKey, listDeveloperKeys } from "@/lib/console/developers";
import { consoleRoute, jsonResponse } from "@/lib/console/route";

export const GET = consoleRoute({
  permission: "settings",
  handler: async ({ user }) => jsonResponse(await listDeveloperKeys(user.groupId)),
});

export const POST = consoleRoute({
  permission: "settings",
  handler: async ({ user, request, body }) => {
    const key = await createDeveloperKey(user.groupId, body);
    await recordConsoleAudit(user, request, {
      action: "key.create",
      target: { type: "key", id: key.KeyID },
      details: { MaskedKey: key.Masked, LocationID: key.LocationID, Label: key.Label },
    });
    return jsonResponse(key, 201);
  },
});
