import { consoleRoute, jsonResponse } from "@/lib/console/route";
import { addLocation, listLocations } from "@/lib/console/settings";

export const GET = consoleRoute({
  permission: "settings",
  handler: async ({ user }) => jsonResponse(await listLocations(user.groupId)),
});

export const POST = consoleRoute({
  permission: "settings",
  handler: async ({ user, body }) => jsonResponse(await addLocation(user.groupId, body), 201),
});
