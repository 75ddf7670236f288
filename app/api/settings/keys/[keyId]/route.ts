// Settings → Developers: revoke a key (it answers 401 from now on).
import { recordConsoleAudit } from "@/lib/console/audit";
import { revokeDeveloperKey } from "@/lib/console/developers";
import { consoleRoute, errorResponse, jsonResponse } from "@/lib/console/route";

export const DELETE = consoleRoute<{ keyId: string }>({
  permission: "settings",
  handler: async ({ user, request, params }) => {
    if (!/^\d{1,15}$/.test(params.keyId)) return errorResponse(404, "not_found", "No such key.");
    const revoked = await revokeDeveloperKey(user.groupId, Number(params.keyId));
    await recordConsoleAudit(user, request, { action: "key.revoke", target: { type: "key", id: revoked.KeyID } });
    return jsonResponse(revoked);
  },
});
