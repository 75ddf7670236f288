import { getDatabase } from "@/lib/db";
import { consoleRoute, jsonResponse } from "@/lib/console/route";
import { addPerson } from "@/lib/console/settings";
import { listStaffUsers } from "@/lib/console/users";

export const GET = consoleRoute({
  permission: "settings",
  handler: async ({ user }) => jsonResponse(await listStaffUsers(await getDatabase(), user.groupId)),
});

export const POST = consoleRoute({
  permission: "settings",
  handler: async ({ user, body }) => jsonResponse(await addPerson(user.groupId, body), 201),
});
