// Roles and what each may do in the console. Imports nothing server-side: the navigation
// shows what the role allows, and the server enforces the very same table.
export const ROLES = ["owner", "manager", "staff"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = { owner: "Owner", manager: "Manager", staff: "Staff" };

export type Permission =
  | "customers"
  /** The whole customer list (names, phones, emails, birthdays) in one file: not for the till. */
  | "customers:export"
  /** Registering customers in bulk from a file. */
  | "customers:import"
  | "receipts"
  | "receipts:void"
  | "offers"
  | "campaigns"
  | "campaigns:group"
  | "automations"
  /** The outbox: every notification of an offer, its channel, status and attempts. */
  | "outbox"
  /** People, locations, keys, the Engage connection: the Owner's. */
  | "settings"
  /** The Settings section itself: an Owner's full settings, a Manager's own profile. Staff change their password from the user menu. */
  | "settings:open"
  | "reports"
  /** A customer's data rights: export all of it, or erase it (the group key's, so the Owner's). */
  | "customers:data-rights"
  /** Settings → Audit log: who changed what, when and from where. */
  | "audit";

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set<Permission>(["audit", "customers:data-rights", "customers", "customers:export", "customers:import", "receipts", "receipts:void", "offers", "campaigns", "campaigns:group", "automations", "outbox", "settings", "settings:open", "reports"]),
  manager: new Set<Permission>(["customers", "customers:export", "customers:import", "receipts", "receipts:void", "offers", "campaigns", "automations", "outbox", "settings:open", "reports"]),
  staff: new Set<Permission>(["customers", "receipts", "offers"]),
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

export interface NavItem {
  href: string;
  label: string;
  permission: Permission | null;
}

/** The console's sections, in order; a role sees those it may use. */
export const NAV: NavItem[] = [
  { href: "/", label: "Home", permission: null },
  { href: "/customers", label: "Customers", permission: "customers" },
  { href: "/receipts", label: "Receipts", permission: "receipts" },
  { href: "/offers", label: "Offers", permission: "offers" },
  { href: "/campaigns", label: "Campaigns", permission: "campaigns" },
  { href: "/automations", label: "Automations", permission: "automations" },
  { href: "/outbox", label: "Outbox", permission: "outbox" },
  { href: "/settings", label: "Settings", permission: "settings:open" },
];

export function navFor(role: Role): NavItem[] {
  return NAV.filter((item) => item.permission === null || can(role, item.permission));
}
