// The audit log's actions and target types, in words, and the log's wire shape. Imports
// nothing server-side: Settings → Audit log's filters and the server share this list.
export const AUDIT_ACTIONS = {
  "customer.create": "Customer registered",
  "customer.update": "Customer edited",
  "customer.consent": "Consent changed",
  "customer.export": "Customer's data exported",
  "customer.erase": "Customer erased",
  "customers.import": "Customers imported (CSV)",
  "customers.export": "Customers exported (CSV)",
  "receipt.void": "Receipt voided",
  "receipt.test": "Test receipt sent",
  "campaign.create": "Campaign created",
  "campaign.send": "Campaign sent",
  "automation.update": "Automation changed",
  "key.create": "Key created",
  "key.roll": "Key rolled",
  "key.revoke": "Key revoked",
  "user.create": "Person added",
  "user.role": "Role or locations changed",
  "user.password": "Password reset",
  "user.active": "Person activated or deactivated",
  "location.create": "Location added",
  "location.rename": "Location renamed",
  "group.create": "Group created",
  "connection.update": "Engage connection changed",
  "engage.change": "Other Engage change",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const AUDIT_TARGET_TYPES = {
  customer: "Customer",
  customers: "Customers (many)",
  receipt: "Receipt",
  campaign: "Campaign",
  automation: "Automation",
  key: "Key",
  user: "Person",
  location: "Location",
  group: "Group",
  connection: "Engage connection",
  engage: "Engage resource",
} as const;

export type AuditTargetType = keyof typeof AUDIT_TARGET_TYPES;

/** One entry as Settings → Audit log receives it. */
export interface AuditEntry {
  EntryID: number;
  At: string;
  Actor: string;
  ActorRole: string | null;
  Action: string;
  TargetType: string | null;
  TargetID: string | null;
  /** What changed, personal data masked. */
  Details: Record<string, unknown> | null;
  Source: "console" | "cli";
  IP: string | null;
  UserAgent: string | null;
}

export const actionLabel = (action: string): string => (AUDIT_ACTIONS as Record<string, string>)[action] ?? action;
