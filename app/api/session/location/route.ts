// The location the user acts at: checked against the user's locations, kept in a cookie.
import { z } from "zod";
import { isHttps } from "@/lib/console/auth";
import { consoleRoute, errorResponse } from "@/lib/console/route";
import { LOCATION_COOKIE } from "@/lib/console/session";
import { validationFailed } from "@/lib/engage/errors";
import { bind } from "@/lib/engage/schemas/bind";

const schema = z.object({ LocationID: z.number().int().positive().nullable() });

export const PUT = consoleRoute({
  handler: async ({ user, body }) => {
    const bound = bind(schema, body);
    if (!bound.ok) throw validationFailed(bound.modelState);
    const id = bound.value.LocationID;
    if (id === null ? user.role !== "owner" : !user.locations.some((l) => l.LocationID === id)) {
      return errorResponse(403, "forbidden", "You cannot act at that location.");
    }
    const cookie = `${LOCATION_COOKIE}=${id === null ? "all" : id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000${isHttps() ? "; Secure" : ""}`;
    return new Response(null, { status: 204, headers: { "set-cookie": cookie, "cache-control": "private, no-store" } });
  },
});
