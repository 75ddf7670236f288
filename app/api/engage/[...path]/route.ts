// The console's proxy to Engage: the browser never holds a key. The session and role are
// checked, the key of the user's current location (or the group's, for an Owner acting
// group-wide) is chosen on the server, and the request is forwarded.
import { engageClientFor } from "@/lib/console/engage-client";
import { beginProxyAudit } from "@/lib/console/proxy-audit";
import { ACT_AT_HEADER, findProxyRule, scopeFor } from "@/lib/console/proxy-rules";
import { can } from "@/lib/console/roles";
import { consoleRoute, errorResponse, NO_STORE } from "@/lib/console/route";

const PASSED_HEADERS = ["content-type", "x-total-count", "link", "location", "idempotent-replayed", "retry-after"];

const proxy = consoleRoute<{ path: string[] }>({
  handler: async ({ user, request, params, body }) => {
    const path = "/" + params.path.map(encodeURIComponent).join("/");
    const rule = findProxyRule(request.method, path);
    if (!rule) return errorResponse(404, "not_found", "No such Engage resource in the console.");
    if (!can(user.role, rule.permission)) return errorResponse(403, "forbidden", "Your role does not allow this.");
    // The rule's key, or the location (or group) the page acts at for this request, checked.
    const chosen = scopeFor(rule, user, request.headers.get(ACT_AT_HEADER));
    if (!chosen.ok) return errorResponse(chosen.status, chosen.code, chosen.message);
    const locationId = chosen.locationId;

    const client = await engageClientFor(user.groupId);
    const url = new URL(request.url);
    const idempotencyKey = request.headers.get("idempotency-key");
    const scope = { groupId: user.groupId, locationId };
    // Changes (and exports) are recorded in the audit log once Engage has made them.
    const audit = await beginProxyAudit({ user, request, method: request.method, path, body, client, scope });
    const result = await client.call(
      scope,
      {
        method: request.method,
        path: `/v1${path}`,
        query: url.searchParams,
        body,
        headers: idempotencyKey ? { "idempotency-key": idempotencyKey } : undefined,
        actor: { type: "user", id: user.id, label: user.email },
      },
    );
    await audit?.(result);
    if (result.status === 401) {
      return errorResponse(502, "engage_unavailable", "The Engage server refused the console's key. An Owner can check Settings → Engage connection.");
    }
    const headers: Record<string, string> = { "cache-control": NO_STORE };
    for (const name of PASSED_HEADERS) {
      const value = result.headers[name];
      if (value) headers[name] = name === "link" || name === "location" ? value.replace(/\/v1\//gi, "/api/engage/") : value;
    }
    return new Response(result.body, { status: result.status, headers });
  },
});

export const GET = proxy;
export const POST = proxy;
export const PUT = proxy;
