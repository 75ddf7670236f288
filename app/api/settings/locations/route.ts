import { recordConsoleAudit } from "@/lib/console/audit";
import { consoleRoute, jsonResponse } from "@/lib/console/route";
import { addLocation, listLocations } from "@/lib/console/settings";

export const GET = consoleRoute({
  permission: "settings",
  handler: async ({ user }) => jsonResponse(await listLocations(user.groupId)),
});

export const POST = consoleRoute({
  permission: "settings",
  handler: async ({ user, request, body }) => {
    const location = await addLocation(user.groupId, body);
    await recordConsoleAudit(user, request, { action: "location.create", target: { type: "location", id: location.LocationID }, details: { Name: location.Name } });
    return jsonResponse(location, 201);
  },
});
