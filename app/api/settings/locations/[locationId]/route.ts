import { recordConsoleAudit } from "@/lib/console/audit";
import { consoleRoute, errorResponse, jsonResponse } from "@/lib/console/route";
import { renameLocation } from "@/lib/console/settings";

export const PUT = consoleRoute<{ locationId: string }>({
  permission: "settings",
  handler: async ({ user, request, params, body }) => {
    if (!/^\d{1,15}$/.test(params.locationId)) return errorResponse(404, "not_found", "No such location.");
    const location = await renameLocation(user.groupId, Number(params.locationId), body);
    await recordConsoleAudit(user, request, { action: "location.rename", target: { type: "location", id: location.LocationID }, details: { Name: location.Name } });
    return jsonResponse(location);
  },
});
