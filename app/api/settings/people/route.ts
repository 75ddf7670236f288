import { getDatabase } from "@/lib/db";
import { recordConsoleAudit } from "@/lib/console/audit";
import { consoleRoute, jsonResponse } from "@/lib/console/route";
import { addPerson } from "@/lib/console/settings";
import { listStaffUsers } from "@/lib/console/users";

export const GET = consoleRoute({
  permission: "settings",
  handler: async ({ user }) => jsonResponse(await listStaffUsers(await getDatabase(), user.groupId)),
});

export const POST = consoleRoute({
  permission: "settings",
  handler: async ({ user, request, body }) => {
    const person = await addPerson(user.groupId, body);
    await recordConsoleAudit(user, request, {
      action: "user.create",
      target: { type: "user", id: person.UserID },
      details: { Email: person.Email, Role: person.Role, LocationIDs: person.LocationIDs },
    });
    return jsonResponse(person, 201);
  },
});
