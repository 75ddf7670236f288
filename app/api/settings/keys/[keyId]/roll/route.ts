// Settings → Developers: roll a key — a new one for the same scope (shown once), the old one revoked.
import { recordConsoleAudit } from "@/lib/console/audit";
import { rollDeveloperKey } from "@/lib/console/developers";
import { consoleRoute, errorResponse, jsonResponse } from "@/lib/console/route";

export const POST = consoleRoute<{ keyId: string }>({
  permission: "settings",
  handler: async ({ user, request, params }) => {
    if (!/^\d{1,15}$/.test(params.keyId)) return errorResponse(404, "not_found", "No such key.");
    const key = await rollDeveloperKey(user.groupId, Number(params.keyId));
    await recordConsoleAudit(user, request, {
      action: "key.roll",
      target: { type: "key", id: key.ReplacedKeyID },
      details: { NewKeyID: key.KeyID, MaskedKey: key.Masked, LocationID: key.LocationID },
    });
    return jsonResponse(key, 201);
  },
});
