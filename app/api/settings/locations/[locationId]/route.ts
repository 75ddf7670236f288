import { consoleRoute, errorResponse, jsonResponse } from "@/lib/console/route";
import { renameLocation } from "@/lib/console/settings";

export const PUT = consoleRoute<{ locationId: string }>({
  permission: "settings",
  handler: async ({ user, params, body }) => {
    if (!/^\d{1,15}$/.test(params.locationId)) return errorResponse(404, "not_found", "No such location.");
    return jsonResponse(await renameLocation(user.groupId, Number(params.locationId), body));
  },
});
