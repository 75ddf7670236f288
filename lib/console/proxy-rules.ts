// Which Engage requests the console forwards, for which roles, and with which key. A request
// not in this table, or not allowed for the role, is refused before anything reaches Engage.
import type { Permission } from "./roles";

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
  { method: "GET", pattern: /^\/receipts$/, permission: "receipts", key: "current" },
  { method: "GET", pattern: /^\/receipts\/[0-9a-f]{32}$/, permission: "receipts", key: "current" },
  { method: "POST", pattern: /^\/receipts\/[0-9a-f]{32}\/void$/, permission: "receipts:void", key: "current" },
  { method: "GET", pattern: /^\/offers$/, permission: "offers", key: "current" },
  { method: "GET", pattern: /^\/offers\/\d+$/, permission: "offers", key: "current" },
  { method: "GET", pattern: /^\/campaigns$/, permission: "campaigns", key: "current" },
  { method: "GET", pattern: /^\/campaigns\/\d+$/, permission: "campaigns", key: "current" },
  { method: "GET", pattern: /^\/campaigns\/\d+\/offers$/, permission: "campaigns", key: "current" },
  { method: "POST", pattern: /^\/campaigns\/location$/, permission: "campaigns", key: "location" },
  { method: "POST", pattern: /^\/campaigns\/group$/, permission: "campaigns:group", key: "group" },
  { method: "POST", pattern: /^\/campaigns\/\d+\/(offers|preview)$/, permission: "campaigns", key: "current" },
];

export function findProxyRule(method: string, path: string): ProxyRule | undefined {
  const lower = path.toLowerCase().replace(/\/+$/, "");
  return PROXY_RULES.find((r) => r.method === method && r.pattern.test(lower));
}
