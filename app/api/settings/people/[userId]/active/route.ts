import { recordConsoleAudit } from "@/lib/console/audit";
import { consoleRoute, jsonResponse } from "@/lib/console/route";
import { setPersonActive } from "@/lib/console/settings";

export const POST = consoleRoute<{ userId: string }>({
  permission: "settings",
  handler: async ({ user, request, params, body }) => {
    const person = await setPersonActive(user.groupId, params.userId, user.id, body);
    await recordConsoleAudit(user, request, {
      action: "user.active",
      target: { type: "user", id: person.UserID },
      details: { Email: person.Email, Active: person.Active },
    });
    return jsonResponse(person);
  },
});
