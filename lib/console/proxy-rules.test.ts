// The proxy's table against the roles matrix: what each role may ask Engage for through the
// console, written out here independently of roles.ts, so a change to either shows up.
import { describe, expect, test } from "vitest";
import { findProxyRule, PROXY_RULES, scopeFor, type ProxyRule } from "./proxy-rules";
import { can, navFor, ROLES, type Permission, type Role } from "./roles";

const RECEIPT = "0123456789abcdef0123456789abcdef";

/** Every request the console forwards, with who may make it and which key it uses. */
const EXPECTED: { method: string; path: string; roles: Role[]; key: ProxyRule["key"] }[] = [
  { method: "GET", path: "/Customers", roles: ["owner", "manager", "staff"], key: "current" },
  { method: "POST", path: "/Customers", roles: ["owner", "manager", "staff"], key: "current" },
  { method: "GET", path: "/Customers/42", roles: ["owner", "manager", "staff"], key: "current" },
  { method: "PUT", path: "/Customers/42", roles: ["owner", "manager", "staff"], key: "current" },
  { method: "GET", path: "/Customers/42/Offers", roles: ["owner", "manager", "staff"], key: "current" },
  { method: "GET", path: "/Customers/42/Receipts", roles: ["owner", "manager", "staff"], key: "current" },
  { method: "GET", path: "/Customers/42/Export", roles: ["owner"], key: "group" },
  { method: "POST", path: "/Customers/42/Erase", roles: ["owner"], key: "group" },
  { method: "GET", path: "/Receipts", roles: ["owner", "manager", "staff"], key: "current" },
  { method: "GET", path: `/Receipts/${RECEIPT}`, roles: ["owner", "manager", "staff"], key: "current" },
  { method: "POST", path: `/Receipts/${RECEIPT}/Void`, roles: ["owner", "manager"], key: "current" },
  { method: "GET", path: "/Offers", roles: ["owner", "manager", "staff"], key: "current" },
  { method: "GET", path: "/Offers/7", roles: ["owner", "manager", "staff"], key: "current" },
  { method: "GET", path: "/Reports/Summary", roles: ["owner", "manager"], key: "current" },
  { method: "GET", path: "/Reports/Daily", roles: ["owner", "manager"], key: "current" },
  { method: "GET", path: "/Campaigns", roles: ["owner", "manager"], key: "current" },
  { method: "GET", path: "/Campaigns/3", roles: ["owner", "manager"], key: "current" },
  { method: "GET", path: "/Campaigns/3/Offers", roles: ["owner", "manager"], key: "current" },
  { method: "POST", path: "/Campaigns/Location", roles: ["owner", "manager"], key: "location" },
  { method: "POST", path: "/Campaigns/Group", roles: ["owner"], key: "group" },
  { method: "POST", path: "/Campaigns/3/Offers", roles: ["owner", "manager"], key: "current" },
  { method: "POST", path: "/Campaigns/3/Preview", roles: ["owner", "manager"], key: "current" },
  { method: "GET", path: "/Automations", roles: ["owner", "manager"], key: "current" },
  { method: "PUT", path: "/Automations/welcome", roles: ["owner", "manager"], key: "current" },
  { method: "PUT", path: "/Automations/win-back", roles: ["owner", "manager"], key: "current" },
  { method: "GET", path: "/Notifications", roles: ["owner", "manager"], key: "current" },
];

function allowed(method: string, path: string, role: Role): boolean {
  const rule = findProxyRule(method, path);
  return rule !== undefined && can(role, rule.permission);
}

describe("the proxy table", () => {
  test.each(EXPECTED)("$method $path: $roles with the $key key", ({ method, path, roles, key }) => {
    const rule = findProxyRule(method, path);
    expect(rule).toBeDefined();
    expect(rule!.key).toBe(key);
    for (const role of ROLES) expect(allowed(method, path, role), role).toBe(roles.includes(role));
  });

  test("every rule is one of the requests above: nothing is forwarded that is not listed", () => {
    const used = new Set(EXPECTED.map(({ method, path }) => findProxyRule(method, path)));
    expect(PROXY_RULES.filter((rule) => !used.has(rule))).toEqual([]);
  });

  test("Staff cannot create, send or preview campaigns, read them, or void receipts", () => {
    for (const rule of PROXY_RULES.filter((r) => can("staff", r.permission))) {
      expect(rule.permission).not.toMatch(/^campaigns|receipts:void/);
    }
    for (const [method, path] of [
      ["POST", "/Campaigns/Location"],
      ["POST", "/Campaigns/Group"],
      ["POST", "/Campaigns/3/Offers"],
      ["POST", "/Campaigns/3/Preview"],
      ["GET", "/Campaigns"],
      ["POST", `/Receipts/${RECEIPT}/Void`],
    ]) {
      expect(allowed(method, path, "staff"), `${method} ${path}`).toBe(false);
    }
    // The only thing Staff change is customers.
    const staffWrites = PROXY_RULES.filter((r) => r.method !== "GET" && can("staff", r.permission));
    expect(staffWrites.map((r) => r.permission)).toEqual(["customers", "customers"]);
  });

  test("a Manager cannot create group campaigns; only an Owner's rules use the group key", () => {
    expect(allowed("POST", "/Campaigns/Group", "manager")).toBe(false);
    expect(allowed("POST", "/Campaigns/Group", "owner")).toBe(true);
    for (const rule of PROXY_RULES.filter((r) => r.key === "group")) {
      expect(ROLES.filter((role) => can(role, rule.permission))).toEqual(["owner"]);
    }
  });

  test("paths match in any case and with a trailing slash, but only whole paths", () => {
    expect(findProxyRule("GET", "/customers/42/")).toBe(findProxyRule("GET", "/Customers/42"));
    expect(findProxyRule("GET", "/CUSTOMERS")).toBe(findProxyRule("GET", "/Customers"));
    expect(findProxyRule("POST", `/receipts/${RECEIPT.toUpperCase()}/VOID`)).toBe(findProxyRule("POST", `/Receipts/${RECEIPT}/Void`));
    expect(findProxyRule("POST", "/campaigns/group")).toMatchObject({ permission: "campaigns:group", key: "group" });
  });

  test.each([
    ["POST", "/Receipts"], // a sale is the POS's, not the console's
    ["DELETE", "/Customers/42"],
    ["PATCH", "/Customers/42"],
    ["HEAD", "/Customers"],
    ["GET", "/Campaigns/Group"],
    ["GET", "/Campaigns/Location"],
    ["PUT", "/Campaigns/3"],
    ["GET", "/Customers/abc"],
    ["GET", "/Customers/42/Campaigns"],
    ["GET", "/Customers/42/Offers/1"],
    ["GET", "/Receipts/not-a-receipt-id"],
    ["GET", `/Receipts/${RECEIPT}0`],
    ["POST", `/Receipts/${RECEIPT}/Void/again`],
    ["POST", "/Campaigns/3/Send"],
    ["GET", "/v1/Customers"],
    ["GET", "/Customers/../Receipts"],
    ["POST", `/Customers/42/../../Receipts/${RECEIPT}/Void`],
    ["GET", "/Customers%2F42"],
    ["GET", "/Keys"],
    ["GET", "/Groups/1"],
    ["GET", ""],
    ["GET", "/"],
  ])("%s %s has no rule", (method, path) => {
    expect(findProxyRule(method, path)).toBeUndefined();
  });
});

describe("the key a request is made with (scopeFor)", () => {
  const rule = (method: string, path: string) => findProxyRule(method, path)!;
  const owner = { role: "owner" as const, locations: [{ LocationID: 1 }, { LocationID: 2 }, { LocationID: 3 }], currentLocationId: null };
  const manager = { role: "manager" as const, locations: [{ LocationID: 1 }, { LocationID: 2 }], currentLocationId: 1 };
  const staff = { role: "staff" as const, locations: [{ LocationID: 3 }], currentLocationId: 3 };

  test("without the header: where the user works; the group key only for an Owner acting group-wide", () => {
    expect(scopeFor(rule("GET", "/Campaigns"), owner, null)).toEqual({ ok: true, locationId: null });
    expect(scopeFor(rule("GET", "/Campaigns"), manager, null)).toEqual({ ok: true, locationId: 1 });
    expect(scopeFor(rule("POST", "/Campaigns/Location"), owner, null)).toMatchObject({ ok: false, status: 400, code: "location_required" });
    expect(scopeFor(rule("POST", "/Campaigns/Group"), owner, null)).toEqual({ ok: true, locationId: null });
  });

  test("the header acts at another of the user's locations, or for the group (an Owner)", () => {
    expect(scopeFor(rule("POST", "/Campaigns/Location"), manager, "2")).toEqual({ ok: true, locationId: 2 });
    expect(scopeFor(rule("POST", "/Campaigns/Location"), owner, "3")).toEqual({ ok: true, locationId: 3 });
    expect(scopeFor(rule("POST", "/Campaigns/3/Offers"), owner, "group")).toEqual({ ok: true, locationId: null });
    expect(scopeFor(rule("PUT", "/Automations/welcome"), owner, "GROUP")).toEqual({ ok: true, locationId: null });
    // A group rule is the group key whatever the header says.
    expect(scopeFor(rule("POST", "/Campaigns/Group"), owner, "2")).toEqual({ ok: true, locationId: null });
  });

  test("the header never reaches beyond what the user may do", () => {
    // A location the Manager does not work at, or not a location at all.
    for (const value of ["3", "999", "-1", "1.5", "abc", "01x"]) {
      expect(scopeFor(rule("GET", "/Campaigns"), manager, value), value).toMatchObject({ ok: false });
    }
    expect(scopeFor(rule("GET", "/Campaigns"), manager, "3")).toMatchObject({ ok: false, status: 403 });
    // Only an Owner acts for the group.
    expect(scopeFor(rule("GET", "/Campaigns"), manager, "group")).toMatchObject({ ok: false, status: 403 });
    expect(scopeFor(rule("GET", "/Customers"), staff, "group")).toMatchObject({ ok: false, status: 403 });
    expect(scopeFor(rule("GET", "/Customers"), staff, "1")).toMatchObject({ ok: false, status: 403 });
    // A location campaign is one location's, not the group's.
    expect(scopeFor(rule("POST", "/Campaigns/Location"), owner, "group")).toMatchObject({ ok: false, status: 400 });
    // And a Manager never gets the group key, even by a group rule (the role check refuses first; this is the second line).
    expect(scopeFor(rule("POST", "/Campaigns/Group"), manager, null)).toMatchObject({ ok: false, status: 403 });
  });
});

describe("the roles matrix", () => {
  const MATRIX: Record<Role, Permission[]> = {
    owner: ["customers", "receipts", "receipts:void", "offers", "campaigns", "campaigns:group", "automations", "outbox", "settings", "settings:open", "reports", "customers:data-rights", "audit"],
    manager: ["customers", "receipts", "receipts:void", "offers", "campaigns", "automations", "outbox", "settings:open", "reports"],
    staff: ["customers", "receipts", "offers"],
  };
  const ALL = MATRIX.owner;

  test.each(ROLES)("%s has exactly its permissions", (role) => {
    expect(ALL.filter((p) => can(role, p))).toEqual(MATRIX[role]);
  });

  test("each role's navigation shows the sections it may use", () => {
    expect(navFor("owner").map((n) => n.label)).toEqual(["Home", "Customers", "Receipts", "Offers", "Campaigns", "Automations", "Outbox", "Settings"]);
    expect(navFor("manager").map((n) => n.label)).toEqual(["Home", "Customers", "Receipts", "Offers", "Campaigns", "Automations", "Outbox", "Settings"]);
    expect(navFor("staff").map((n) => n.label)).toEqual(["Home", "Customers", "Receipts", "Offers"]);
  });
});
