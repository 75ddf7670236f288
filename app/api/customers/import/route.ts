// Imports a CSV file of customers: the valid, new rows are registered at the user's location.
// The answer is a stream of progress lines (application/x-ndjson), then the result, so a long
// import shows how far it is; a problem with the file itself is a plain JSON error first.
import { recordConsoleAudit } from "@/lib/console/audit";
import { callerFor, importCustomers, importRequestOf, readCustomerCsv } from "@/lib/console/customers-csv";
import { IMPORT_BODY_LIMIT, type ImportEvent } from "@/lib/console/customers-csv-format";
import { engageClientFor } from "@/lib/console/engage-client";
import { consoleRoute, NO_STORE } from "@/lib/console/route";

/** Progress is written at most this often. */
const PROGRESS_EVERY_MS = 200;

export const POST = consoleRoute({
  permission: "customers:import",
  maxBody: IMPORT_BODY_LIMIT,
  handler: async ({ user, request: httpRequest, body }) => {
    const request = importRequestOf(body);
    // The file's own problems answer as an error before anything is registered.
    readCustomerCsv(request.csv);
    const caller = callerFor(user, await engageClientFor(user.groupId));
    const encoder = new TextEncoder();
    // Leaving the page (the download cancelled) stops the import after the rows in flight.
    const stop = new AbortController();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (event: ImportEvent) => {
          try {
            controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
          } catch {
            // Cancelled: nobody reads any more.
          }
        };
        let last = 0;
        try {
          const result = await importCustomers(caller, request, {
            signal: stop.signal,
            onProgress: (done, total) => {
              const now = Date.now();
              if (done === total || now - last >= PROGRESS_EVERY_MS) {
                last = now;
                send({ Type: "progress", Done: done, Total: total });
              }
            },
          });
          try {
            await recordConsoleAudit(user, httpRequest, {
              action: "customers.import",
              target: { type: "customers", id: null },
              details: { FileName: result.FileName, Rows: result.Counts.Total, Imported: result.Counts.Imported, Skipped: result.Counts.Skipped, Failed: result.Counts.Failed },
            });
          } catch (error) {
            // The customers are registered either way: the user still gets the report.
            console.error("[console] customers import: the audit entry could not be written", error);
          }
          send({ Type: "result", Result: result });
        } catch (error) {
          const id = crypto.randomUUID();
          console.error(`[console] ${id} customers import failed`, error);
          send({
            Type: "error",
            Code: "internal_error",
            Message: `The import stopped on an unexpected error; some customers may have been registered (check the file again to see which). Quote ${id} to support.`,
          });
        }
        try {
          controller.close();
        } catch {
          // Already cancelled.
        }
      },
      cancel() {
        stop.abort();
      },
    });
    return new Response(stream, {
      headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": NO_STORE, "x-content-type-options": "nosniff" },
    });
  },
});
