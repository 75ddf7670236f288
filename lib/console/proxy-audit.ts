// The audit of changes made through the console's proxy to Engage (app/api/engage): which
// action a request is, its target, and what changed, recorded once Engage has said yes. One
// place for every Engage change the console makes; an unknown kind of change is still
// recorded (as engage.change), so a new proxy rule cannot slip past the log.
import "server-only";
import { recordConsoleAudit } from "./audit";
import type { EngageClient, EngageResult } from "./engage-client";
import type { ConsoleUser } from "./session";

type Json = Record<string, unknown>;

/** The customer's properties an edit can change, compared before and after. */
const CUSTOMER_FIELDS = ["ExternalID", "Phone", "Email", "FirstName", "LastName", "Address", "City", "State", "Zipcode", "Birthday"] as const;
const CONSENT_FIELDS = ["AcceptsSMS", "AcceptsEmail"] as const;

function parse(body: string | null): Json | null {
  if (!body) return null;
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : null;
  } catch {
    return null;
  }
}

function pick(source: Json | null, names: readonly string[]): Json {
  const out: Json = {};
  if (!source) return out;
  for (const name of names) if (name in source) out[name] = source[name];
  return out;
}

/** From/To of each property that differs. */
function changes(before: Json, after: Json, names: readonly string[]): Json {
  const out: Json = {};
  for (const name of names) {
    const from = before[name] ?? null;
    const to = after[name] ?? null;
    if (from !== to) out[name] = { From: from, To: to };
  }
  return out;
}

export type ProxyAuditFinish = (result: EngageResult) => Promise<void>;

/**
 * Called before the proxy forwards a request: null when the request changes nothing worth a
 * record (reads, previews), else the function to call with Engage's answer.
 */
export async function beginProxyAudit(options: {
  user: ConsoleUser;
  request: Request;
  method: string;
  /** The path under /v1, as the proxy forwards it. */
  path: string;
  body: unknown;
  client: EngageClient;
  scope: { groupId: number; locationId: number | null };
}): Promise<ProxyAuditFinish | null> {
  const { user, request, client, scope } = options;
  const method = options.method.toUpperCase();
  const path = options.path.toLowerCase().replace(/\/+$/, "");
  const segments = options.path.replace(/\/+$/, "").split("/").filter(Boolean);
  const input = options.body && typeof options.body === "object" && !Array.isArray(options.body) ? (options.body as Json) : null;
  const record = (event: { action: string; target?: { type: string; id: string | number | null } | null; details?: Json | null }) =>
    recordConsoleAudit(user, request, event);

  let finish: ((response: Json | null) => Promise<void>) | null = null;
  let m: RegExpExecArray | null;

  if (method === "GET") {
    if ((m = /^\/customers\/(\d+)\/export$/.exec(path))) {
      const id = m[1];
      finish = (response) =>
        record({
          action: "customer.export",
          target: { type: "customer", id },
          details: {
            Receipts: Array.isArray(response?.Receipts) ? response.Receipts.length : null,
            Offers: Array.isArray(response?.Offers) ? response.Offers.length : null,
          },
        });
    } else {
      return null;
    }
  } else if (method === "POST" && path === "/customers") {
    finish = (response) =>
      record({
        action: "customer.create",
        target: { type: "customer", id: (response?.CustomerID as number | undefined) ?? null },
        details: pick(input, [...CUSTOMER_FIELDS, ...CONSENT_FIELDS]),
      });
  } else if (method === "PUT" && (m = /^\/customers\/(\d+)$/.exec(path))) {
    const id = m[1];
    // The customer as it was, so the record says what changed (an edit form sends every field).
    const before = await client
      .call(scope, { method: "GET", path: `/v1/Customers/${id}` })
      .then((r) => (r.status === 200 ? parse(r.body) : null))
      .catch(() => null);
    finish = async (response) => {
      const after = response ?? {};
      const edited = before ? changes(before, after, CUSTOMER_FIELDS) : pick(input, CUSTOMER_FIELDS);
      const consent = before ? changes(before, after, CONSENT_FIELDS) : pick(input, CONSENT_FIELDS);
      const target = { type: "customer", id };
      if (Object.keys(edited).length > 0) await record({ action: "customer.update", target, details: { Changed: edited } });
      if (Object.keys(consent).length > 0) await record({ action: "customer.consent", target, details: { Changed: consent } });
    };
  } else if (method === "POST" && (m = /^\/customers\/(\d+)\/erase$/.exec(path))) {
    const id = m[1];
    finish = (response) =>
      record({
        action: "customer.erase",
        target: { type: "customer", id },
        details: { AlreadyErased: response?.AlreadyErased ?? null, ReceiptsKept: response?.ReceiptsKept ?? null },
      });
  } else if (method === "POST" && (m = /^\/receipts\/([0-9a-f]{32})\/void$/.exec(path))) {
    const id = m[1];
    finish = (response) =>
      record({
        action: "receipt.void",
        target: { type: "receipt", id },
        details: { CustomerID: response?.CustomerID ?? null, LocationID: response?.LocationID ?? null, Total: response?.Total ?? null },
      });
  } else if (method === "POST" && (m = /^\/campaigns\/(location|group)$/.exec(path))) {
    const level = m[1] === "group" ? "Group" : "Location";
    finish = (response) =>
      record({
        action: "campaign.create",
        target: { type: "campaign", id: (response?.CampaignID as number | undefined) ?? null },
        details: { Level: level, ...pick(response ?? input, ["Name", "AmountOff", "MinimumPurchase", "DaysTillExpiration", "LocationID"]) },
      });
  } else if (method === "POST" && (m = /^\/campaigns\/(\d+)\/offers$/.exec(path))) {
    const id = m[1];
    const customers = Array.isArray(options.body) ? new Set(options.body as unknown[]).size : null;
    finish = () => record({ action: "campaign.send", target: { type: "campaign", id }, details: { Customers: customers } });
  } else if (method === "POST" && /^\/campaigns\/\d+\/preview$/.test(path)) {
    return null;
  } else if (method === "PUT" && segments.length === 2 && segments[0].toLowerCase() === "automations") {
    const name = decodeURIComponent(segments[1]);
    finish = () => record({ action: "automation.update", target: { type: "automation", id: name }, details: input });
  } else {
    finish = () => record({ action: "engage.change", target: { type: "engage", id: `${method} /v1${options.path}` } });
  }

  return async (result) => {
    // Refused changes and replays of an earlier request change nothing.
    if (result.status >= 400 || result.headers["idempotent-replayed"] === "true") return;
    try {
      await finish(parse(result.body));
    } catch (error) {
      // The change is made: the user gets its answer, and the operators the failure to record it.
      console.error(`[audit] could not record ${method} ${options.path} by ${user.email}`, error);
    }
  };
}
