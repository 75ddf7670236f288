// The Customers page's search as a CSV file, every page of it, streamed out of Engage as the
// browser downloads it (?q=&sort=, as the page's own URL has them).
import { recordConsoleAudit } from "@/lib/console/audit";
import { customerListStateFrom } from "@/lib/console/client/customer-list-state";
import { callerFor, exportCustomersCsv, exportFileName } from "@/lib/console/customers-csv";
import { engageClientFor } from "@/lib/console/engage-client";
import { consoleRoute, NO_STORE } from "@/lib/console/route";
import { listLocations } from "@/lib/console/settings";

export const GET = consoleRoute({
  permission: "customers:export",
  handler: async ({ user, request }) => {
    const client = await engageClientFor(user.groupId);
    const caller = callerFor(user, client);
    const view = customerListStateFrom(new URL(request.url).searchParams);
    // Location names are the console's own: they name the embedded Engage's locations only
    // (a remote Engage numbers its locations its own way).
    const locations = client.mode === "embedded" ? await listLocations(user.groupId) : [];
    const stream = await exportCustomersCsv(caller, view, locations);
    // Who took the customer list, and which part of it: recorded as the download starts.
    await recordConsoleAudit(user, request, { action: "customers.export", target: { type: "customers", id: null }, details: { Query: view.q || null, Sort: view.sort } });
    return new Response(stream, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${exportFileName()}"`,
        "cache-control": NO_STORE,
        "x-content-type-options": "nosniff",
      },
    });
  },
});
