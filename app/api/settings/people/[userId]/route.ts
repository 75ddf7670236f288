import { recordConsoleAudit } from "@/lib/console/audit";
import { consoleRoute, jsonResponse } from "@/lib/console/route";
import { changePersonAccess } from "@/lib/console/settings";

export const PUT = consoleRoute<{ userId: string }>({
  permission: "settings",
  handler: async ({ user, request, params, body }) => {
    const person = await changePersonAccess(user.groupId, params.userId, user.id, body);
    await recordConsoleAudit(user, request, {
      action: "user.role",
      target: { type: "user", id: person.UserID },
      details: { Email: person.Email, Role: person.Role, LocationIDs: person.LocationIDs },
    });
    return jsonResponse(person);
  },
});
