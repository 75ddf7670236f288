// What importing a CSV file of customers would do, row by row; nothing is written.
import { callerFor, importRequestOf, previewImport } from "@/lib/console/customers-csv";
import { IMPORT_BODY_LIMIT } from "@/lib/console/customers-csv-format";
import { engageClientFor } from "@/lib/console/engage-client";
import { consoleRoute, jsonResponse } from "@/lib/console/route";

export const POST = consoleRoute({
  permission: "customers:import",
  maxBody: IMPORT_BODY_LIMIT,
  handler: async ({ user, body }) => {
    const caller = callerFor(user, await engageClientFor(user.groupId));
    return jsonResponse(await previewImport(caller, importRequestOf(body)));
  },
});
