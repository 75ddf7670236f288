// Which Engage requests the console forwards, for which roles, and with which key. A request
// not in this table, or not allowed for the role, is refused before anything reaches Engage.
import type { Permission, Role } from "./roles";

export interface ProxyRule {
  method: string;
  /** Matched against the lower-cased path under /v1. */
  pattern: RegExp;
  permission: Permission;
  /** "group": always the group key (an Owner); "location": the current location's key, required; "current": the current location's, or the group key for an Owner acting group-wide. */
  key: "group" | "location" | "current";
}

export const PROXY_RULES: ProxyRule[] = [
  { method: "GET", pattern: /^\/customers$/, permission: "customers", key: "current" },
  { method: "POST", pattern: /^\/customers$/, permission: "customers", key: "current" },
  { method: "GET", pattern: /^\/customers\/\d+$/, permission: "customers", key: "current" },
  { method: "PUT", pattern: /^\/customers\/\d+$/, permission: "customers", key: "current" },
  { method: "GET", pattern: /^\/customers\/\d+\/(offers|receipts|consenthistory)$/, permission: "customers", key: "current" },
  { method: "GET", pattern: /^\/customers\/\d+\/export$/, permission: "customers:data-rights", key: "group" },
  { method: "POST", pattern: /^\/customers\/\d+\/erase$/, permission: "customers:data-rights", key: "group" },
  { method: "GET", pattern: /^\/receipts$/, permission: "receipts", key: "current" },
  { method: "GET", pattern: /^\/receipts\/[0-9a-f]{32}$/, permission: "receipts", key: "current" },
  { method: "POST", pattern: /^\/receipts\/[0-9a-f]{32}\/void$/, permission: "receipts:void", key: "current" },
  { method: "GET", pattern: /^\/offers$/, permission: "offers", key: "current" },
  { method: "GET", pattern: /^\/offers\/\d+$/, permission: "offers", key: "current" },
  // Reports: the current location's key sees that location only; the group key (an Owner) the whole group, side by side.
  { method: "GET", pattern: /^\/reports\/(summary|daily)$/, permission: "reports", key: "current" },
  { method: "GET", pattern: /^\/campaigns$/, permission: "campaigns", key: "current" },
  { method: "GET", pattern: /^\/campaigns\/\d+$/, permission: "campaigns", key: "current" },
  { method: "GET", pattern: /^\/campaigns\/\d+\/offers$/, permission: "campaigns", key: "current" },
  { method: "POST", pattern: /^\/campaigns\/location$/, permission: "campaigns", key: "location" },
  { method: "POST", pattern: /^\/campaigns\/group$/, permission: "campaigns:group", key: "group" },
  { method: "POST", pattern: /^\/campaigns\/\d+\/(offers|preview)$/, permission: "campaigns", key: "current" },
  // Automations: an Owner group-wide (the group key) or at a location; a Manager at theirs (Engage checks the body's LocationID against the key).
  { method: "GET", pattern: /^\/automations$/, permission: "automations", key: "current" },
  { method: "PUT", pattern: /^\/automations\/[a-z-]+$/, permission: "automations", key: "current" },
  { method: "GET", pattern: /^\/notifications$/, permission: "outbox", key: "current" },
];

/**
 * A page may act, for one request, at another of the user's locations, or (an Owner) for the
 * whole group, without moving where the user works: "group" or a LocationID in this header. A
 * campaign of Silverton is sent with Silverton's key while the Manager works at Durango.
 */
export const ACT_AT_HEADER = "x-engage-act-at";

export interface ScopeUser {
  role: Role;
  locations: { LocationID: number }[];
  currentLocationId: number | null;
}

export type ScopeChoice =
  | { ok: true; locationId: number | null }
  | { ok: false; status: 400 | 403; code: string; message: string };

/** The key a request is made with: the rule's, the header's choice (checked), or where the user works. */
export function scopeFor(rule: ProxyRule, user: ScopeUser, actAt: string | null): ScopeChoice {
  let locationId: number | null;
  const requested = actAt?.trim().toLowerCase() || null;
  if (rule.key === "group") {
    locationId = null;
  } else if (requested === "group") {
    if (rule.key === "location") return { ok: false, status: 400, code: "location_required", message: "This request belongs to one location: choose which." };
    locationId = null;
  } else if (requested !== null) {
    const id = /^\d{1,15}$/.test(requested) ? Number(requested) : NaN;
    if (!user.locations.some((l) => l.LocationID === id)) {
      return { ok: false, status: 403, code: "forbidden", message: "You do not work at that location." };
    }
    locationId = id;
  } else {
    locationId = user.currentLocationId;
    if (rule.key === "location" && locationId === null) {
      return { ok: false, status: 400, code: "location_required", message: "Choose a location first: location campaigns belong to one store." };
    }
  }
  // Only an Owner ever acts with the group key.
  if (locationId === null && user.role !== "owner") return { ok: false, status: 403, code: "forbidden", message: "You have no location to act at." };
  return { ok: true, locationId };
}

export function findProxyRule(method: string, path: string): ProxyRule | undefined {
  const lower = path.toLowerCase().replace(/\/+$/, "");
  return PROXY_RULES.find((r) => r.method === method && r.pattern.test(lower));
}
