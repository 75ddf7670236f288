import { recordConsoleAudit } from "@/lib/console/audit";
import { consoleRoute, jsonResponse } from "@/lib/console/route";
import { resetPersonPassword } from "@/lib/console/settings";

export const POST = consoleRoute<{ userId: string }>({
  permission: "settings",
  handler: async ({ user, request, params, body }) => {
    await resetPersonPassword(user.groupId, params.userId, body);
    await recordConsoleAudit(user, request, { action: "user.password", target: { type: "user", id: params.userId } });
    return jsonResponse(undefined, 204);
  },
});
