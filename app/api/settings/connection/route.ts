import { recordConsoleAudit } from "@/lib/console/audit";
import { consoleRoute, jsonResponse } from "@/lib/console/route";
import { describeConnection, updateConnection } from "@/lib/console/settings";

export const GET = consoleRoute({
  permission: "settings",
  handler: async ({ user }) => jsonResponse(await describeConnection(user.groupId)),
});

export const PUT = consoleRoute({
  permission: "settings",
  handler: async ({ user, request, body }) => {
    const connection = await updateConnection(user.groupId, body);
    const sent = (body ?? {}) as { GroupKey?: unknown; LocationKeys?: { LocationID?: unknown; Key?: unknown }[] };
    await recordConsoleAudit(user, request, {
      action: "connection.update",
      target: { type: "connection", id: user.groupId },
      // Which keys were entered, never the keys.
      details: {
        Mode: connection.Mode,
        RemoteURL: connection.RemoteURL,
        GroupKeyEntered: typeof sent.GroupKey === "string" && sent.GroupKey.length > 0,
        LocationKeysEntered: Array.isArray(sent.LocationKeys) ? sent.LocationKeys.filter((k) => k && k.Key).map((k) => k.LocationID) : [],
      },
    });
    return jsonResponse(connection);
  },
});
