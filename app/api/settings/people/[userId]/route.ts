import { consoleRoute, jsonResponse } from "@/lib/console/route";
import { changePersonAccess } from "@/lib/console/settings";

export const PUT = consoleRoute<{ userId: string }>({
  permission: "settings",
  handler: async ({ user, params, body }) => jsonResponse(await changePersonAccess(user.groupId, params.userId, user.id, body)),
});
