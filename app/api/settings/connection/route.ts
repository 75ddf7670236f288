import { consoleRoute, jsonResponse } from "@/lib/console/route";
import { describeConnection, updateConnection } from "@/lib/console/settings";

export const GET = consoleRoute({
  permission: "settings",
  handler: async ({ user }) => jsonResponse(await describeConnection(user.groupId)),
});

export const PUT = consoleRoute({
  permission: "settings",
  handler: async ({ user, body }) => jsonResponse(await updateConnection(user.groupId, body)),
});
