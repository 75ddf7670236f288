import { consoleRoute, jsonResponse } from "@/lib/console/route";
import { resetPersonPassword } from "@/lib/console/settings";

export const POST = consoleRoute<{ userId: string }>({
  permission: "settings",
  handler: async ({ user, params, body }) => {
    await resetPersonPassword(user.groupId, params.userId, body);
    return jsonResponse(undefined, 204);
  },
});
