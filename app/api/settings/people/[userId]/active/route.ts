import { consoleRoute, jsonResponse } from "@/lib/console/route";
import { setPersonActive } from "@/lib/console/settings";

export const POST = consoleRoute<{ userId: string }>({
  permission: "settings",
  handler: async ({ user, params, body }) => jsonResponse(await setPersonActive(user.groupId, params.userId, user.id, body)),
});
