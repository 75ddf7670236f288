// The authorization matrix: every route the app serves, and the status each kind of caller
// gets. ONE table, walked by lib/authz-matrix.test.ts (the Engage API, the console's route
// handlers and the proxy's rules) and e2e/authz-matrix.spec.ts (the console's pages); both fail
// when a route exists that has no row here, or a row names a route that does not exist.
//
// Engage callers, for a resource of location L1 of group A (a customer registered at L1, a
// receipt, campaign, offer or notification of L1): no key; a revoked key of L1; group B's group
// key; L2's key (another location of A); L1's key; A's group key.
// Console callers: signed out; Staff at L1; a Manager at L1; A's Owner (acting for the whole
// group); B's Owner. Pages use the demo group ("Bark & Meow") and a second group's Owner.
// Imports nothing: Playwright reads it too.

export const KEY_CALLERS = ["noKey", "revokedKey", "otherGroupKey", "otherLocationKey", "locationKey", "groupKey"] as const;
export type KeyCaller = (typeof KEY_CALLERS)[number];

export const USER_CALLERS = ["signedOut", "staff", "manager", "owner", "otherGroupOwner"] as const;
export type UserCaller = (typeof USER_CALLERS)[number];

type Statuses<C extends string> = Record<C, number>;

const keys = (noKey: number, revokedKey: number, otherGroupKey: number, otherLocationKey: number, locationKey: number, groupKey: number): Statuses<KeyCaller> => ({
  noKey,
  revokedKey,
  otherGroupKey,
  otherLocationKey,
  locationKey,
  groupKey,
});

const users = (signedOut: number, staff: number, manager: number, owner: number, otherGroupOwner: number): Statuses<UserCaller> => ({
  signedOut,
  staff,
  manager,
  owner,
  otherGroupOwner,
});

/** Any key of the group; another group's ids are 404 (ENGAGE_API.md §1). */
const groupResource = keys(401, 401, 404, 200, 200, 200);
/** A location's own: another location's key is 404 as well. */
const locationResource = keys(401, 401, 404, 404, 200, 200);
/** A list every key may read (each sees its own group's, or location's, items). */
const anyKeyList = keys(401, 401, 200, 200, 200, 200);
/** The holding business only: a location key is 403; another group's key finds nothing (404). */
const groupKeyOnly = keys(401, 401, 404, 403, 403, 200);

/** Every Engage endpoint (lib/engage/http/routes.ts), as the router lists it. */
export const ENGAGE_MATRIX: { route: string; expect: Statuses<KeyCaller>; why?: string }[] = [
  { route: "GET /Customers", expect: anyKeyList },
  { route: "POST /Customers", expect: keys(401, 401, 201, 201, 201, 201), why: "any key registers in its own group" },
  { route: "GET /Customers/{CustomerID}", expect: groupResource },
  { route: "PUT /Customers/{CustomerID}", expect: groupResource },
  { route: "GET /Customers/{CustomerID}/Offers", expect: groupResource },
  { route: "GET /Customers/{CustomerID}/ConsentHistory", expect: groupResource },
  { route: "GET /Customers/{CustomerID}/Export", expect: groupKeyOnly },
  { route: "POST /Customers/{CustomerID}/Erase", expect: groupKeyOnly },
  { route: "GET /Customers/{CustomerID}/Receipts", expect: groupResource },
  { route: "GET /Receipts", expect: anyKeyList },
  { route: "POST /Receipts", expect: keys(401, 401, 400, 201, 201, 201), why: "another group has no such customer (400); any store of the group sells to the group's customers" },
  { route: "GET /Receipts/{ReceiptID}", expect: locationResource },
  { route: "POST /Receipts/{ReceiptID}/Void", expect: locationResource },
  { route: "GET /Reports/Summary", expect: anyKeyList },
  { route: "GET /Reports/Daily", expect: anyKeyList },
  { route: "GET /Offers", expect: groupResource, why: "by code: an offer of the group, whichever store" },
  { route: "GET /Offers/{OfferID}", expect: groupResource },
  { route: "POST /Campaigns/Location", expect: keys(401, 401, 403, 201, 201, 403), why: "a location key only, its own store's" },
  { route: "POST /Campaigns/Group", expect: keys(401, 401, 201, 403, 403, 201), why: "a group key only, its own group's" },
  { route: "GET /Campaigns", expect: anyKeyList },
  { route: "GET /Campaigns/{CampaignID}", expect: locationResource },
  { route: "POST /Campaigns/{CampaignID}/Offers", expect: keys(401, 401, 404, 404, 204, 204) },
  { route: "GET /Campaigns/{CampaignID}/Offers", expect: locationResource },
  { route: "POST /Campaigns/{CampaignID}/Preview", expect: locationResource },
  { route: "GET /Notifications", expect: anyKeyList },
  { route: "GET /Notifications/{NotificationID}", expect: locationResource },
  { route: "GET /Automations", expect: anyKeyList },
  { route: "PUT /Automations/{TemplateName}", expect: keys(401, 401, 200, 200, 200, 200), why: "each key configures its own scope" },
];

/** Settings routes: the Owner's, of their own group (another group's ids are 404). */
const ownerOnly = users(401, 403, 403, 200, 200);
const ownersOwn = users(401, 403, 403, 200, 404);
/** Public: no session needed, the same for everyone. */
const publicRoute = (status: number) => users(status, status, status, status, status);

/**
 * Every console route handler (app/**∕route.ts), by its file's path, except the proxy to Engage
 * (app/api/engage/[...path]), which has a row per rule below. `sample` fills a catch-all.
 */
export const CONSOLE_API_MATRIX: { route: string; sample?: string; expect: Statuses<UserCaller>; why?: string }[] = [
  { route: "GET /api/auth/[...all]", sample: "/api/auth/get-session", expect: publicRoute(200), why: "better-auth: the session, or null" },
  { route: "POST /api/auth/[...all]", sample: "/api/auth/sign-in/email", expect: publicRoute(401), why: "a wrong password, whoever asks" },
  { route: "GET /api/customers/export", expect: users(401, 403, 200, 200, 200) },
  { route: "POST /api/customers/import/preview", expect: users(401, 403, 200, 200, 200) },
  { route: "POST /api/customers/import", expect: users(401, 403, 200, 200, 200) },
  { route: "POST /api/hooks/sms", expect: publicRoute(403), why: "the SMS provider's webhook: no session; unsigned (no valid X-Twilio-Signature) is refused, whoever sends it" },
  { route: "PUT /api/session/location", expect: users(401, 403, 403, 204, 204), why: "acting for the whole group: Owners only" },
  { route: "GET /api/settings/audit", expect: ownerOnly },
  { route: "GET /api/settings/connection", expect: ownerOnly },
  { route: "PUT /api/settings/connection", expect: ownerOnly },
  { route: "POST /api/settings/developers/test-receipt", expect: users(401, 403, 403, 200, 400), why: "another group's Owner names a location not theirs" },
  { route: "GET /api/settings/keys", expect: ownerOnly },
  { route: "POST /api/settings/keys", expect: users(401, 403, 403, 201, 400), why: "another group's Owner names a location not theirs" },
  { route: "DELETE /api/settings/keys/[keyId]", expect: ownersOwn },
  { route: "POST /api/settings/keys/[keyId]/roll", expect: users(401, 403, 403, 201, 404) },
  { route: "GET /api/settings/locations", expect: ownerOnly },
  { route: "POST /api/settings/locations", expect: users(401, 403, 403, 201, 201) },
  { route: "PUT /api/settings/locations/[locationId]", expect: ownersOwn },
  { route: "GET /api/settings/people", expect: ownerOnly },
  { route: "POST /api/settings/people", expect: users(401, 403, 403, 201, 201) },
  { route: "PUT /api/settings/people/[userId]", expect: ownersOwn },
  { route: "POST /api/settings/people/[userId]/active", expect: ownersOwn },
  { route: "POST /api/settings/people/[userId]/password", expect: users(401, 403, 403, 204, 404) },
  { route: "GET /api/setup", expect: publicRoute(200) },
  { route: "POST /api/setup", expect: publicRoute(409), why: "set up already: closed to everyone" },
  { route: "GET /api/unsubscribe", expect: publicRoute(303), why: "a person opening the link goes to the page, which asks first" },
  { route: "POST /api/unsubscribe", expect: publicRoute(404), why: "a link that is not valid, whoever follows it" },
  { route: "GET /docs", expect: publicRoute(200) },
  { route: "GET /docs/assets/scalar.js", expect: publicRoute(200) },
];

/**
 * Every request the console's proxy forwards (lib/console/proxy-rules.ts), as /api/engage plus
 * the Engage route. Staff and the Manager act at L1 (its key); the Owner group-wide (the group key).
 */
export const PROXY_MATRIX: { route: string; expect: Statuses<UserCaller>; why?: string }[] = [
  { route: "GET /Customers", expect: users(401, 200, 200, 200, 200) },
  { route: "POST /Customers", expect: users(401, 201, 201, 201, 201) },
  { route: "GET /Customers/{CustomerID}", expect: users(401, 200, 200, 200, 404) },
  { route: "PUT /Customers/{CustomerID}", expect: users(401, 200, 200, 200, 404) },
  { route: "GET /Customers/{CustomerID}/Offers", expect: users(401, 200, 200, 200, 404) },
  { route: "GET /Customers/{CustomerID}/Receipts", expect: users(401, 200, 200, 200, 404) },
  { route: "GET /Customers/{CustomerID}/ConsentHistory", expect: users(401, 200, 200, 200, 404) },
  { route: "GET /Customers/{CustomerID}/Export", expect: users(401, 403, 403, 200, 404) },
  { route: "POST /Customers/{CustomerID}/Erase", expect: users(401, 403, 403, 200, 404) },
  { route: "GET /Receipts", expect: users(401, 200, 200, 200, 200) },
  { route: "GET /Receipts/{ReceiptID}", expect: users(401, 200, 200, 200, 404) },
  { route: "POST /Receipts/{ReceiptID}/Void", expect: users(401, 403, 200, 200, 404) },
  { route: "GET /Offers", expect: users(401, 200, 200, 200, 404) },
  { route: "GET /Offers/{OfferID}", expect: users(401, 200, 200, 200, 404) },
  { route: "GET /Reports/Summary", expect: users(401, 403, 200, 200, 200) },
  { route: "GET /Reports/Daily", expect: users(401, 403, 200, 200, 200) },
  { route: "GET /Campaigns", expect: users(401, 403, 200, 200, 200) },
  { route: "GET /Campaigns/{CampaignID}", expect: users(401, 403, 200, 200, 404) },
  { route: "GET /Campaigns/{CampaignID}/Offers", expect: users(401, 403, 200, 200, 404) },
  { route: "POST /Campaigns/Location", expect: users(401, 403, 201, 400, 400), why: "an Owner acting group-wide must choose a store first" },
  { route: "POST /Campaigns/Group", expect: users(401, 403, 403, 201, 201) },
  { route: "POST /Campaigns/{CampaignID}/Offers", expect: users(401, 403, 204, 204, 404) },
  { route: "POST /Campaigns/{CampaignID}/Preview", expect: users(401, 403, 200, 200, 404) },
  { route: "GET /Automations", expect: users(401, 403, 200, 200, 200) },
  { route: "PUT /Automations/{TemplateName}", expect: users(401, 403, 200, 200, 200) },
  { route: "GET /Notifications", expect: users(401, 403, 200, 200, 200) },
  { route: "GET /Unlisted", expect: users(401, 404, 404, 404, 404), why: "a request no rule names is never forwarded" },
];

/**
 * What a page answers: a status; "sign-in" or "home" (redirected there); or "not-found", a page
 * that loads its record in the browser and says it was not found (the proxy answered 404).
 */
export type PageOutcome = 200 | 404 | "sign-in" | "home" | "not-found";

const pages = (signedOut: PageOutcome, staff: PageOutcome, manager: PageOutcome, owner: PageOutcome, otherGroupOwner: PageOutcome): Record<UserCaller, PageOutcome> => ({
  signedOut,
  staff,
  manager,
  owner,
  otherGroupOwner,
});

const everyone = pages("sign-in", 200, 200, 200, 200);
const managers = pages("sign-in", 404, 200, 200, 200);
const owners = pages("sign-in", 404, 404, 200, 200);
/** One of the demo group's records: another group's Owner gets 404. */
const demoRecord = pages("sign-in", 200, 200, 200, 404);

/** Every page (app/**∕page.tsx), by its route; `sample` fills its params with a demo record. */
export const PAGE_MATRIX: { page: string; sample?: string; expect: Record<UserCaller, PageOutcome>; why?: string }[] = [
  { page: "/", expect: everyone },
  { page: "/customers", expect: everyone },
  { page: "/customers/new", expect: everyone },
  { page: "/customers/import", expect: managers },
  { page: "/customers/[CustomerID]", sample: "/customers/1", expect: demoRecord },
  { page: "/customers/[CustomerID]/edit", sample: "/customers/1/edit", expect: demoRecord },
  { page: "/receipts", expect: everyone },
  {
    page: "/receipts/[ReceiptID]",
    sample: "/receipts/{durango receipt}",
    expect: pages("sign-in", "not-found", 200, 200, "not-found"),
    why: "a Durango sale: Staff work at Cortez; the receipt is read in the browser, through the proxy",
  },
  { page: "/offers", expect: everyone },
  { page: "/campaigns", expect: managers },
  { page: "/campaigns/new", expect: managers },
  { page: "/campaigns/[CampaignID]", sample: "/campaigns/{group campaign}", expect: pages("sign-in", 404, 200, 200, 404) },
  { page: "/automations", expect: managers },
  { page: "/outbox", expect: managers },
  { page: "/settings", expect: managers },
  { page: "/settings/profile", expect: everyone },
  { page: "/settings/people", expect: owners },
  { page: "/settings/locations", expect: owners },
  { page: "/settings/connection", expect: owners },
  { page: "/settings/developers", expect: owners },
  { page: "/settings/audit", expect: owners },
  { page: "/sign-in", expect: pages(200, "home", "home", "home", "home"), why: "signed in already: home" },
  { page: "/setup", expect: pages("sign-in", "home", "home", "home", "home"), why: "set up already" },
  { page: "/unsubscribe", expect: pages(200, 200, 200, 200, 200), why: "a customer's page: no session" },
];

/** The number of cells (route × caller) the tables hold, for the closing figures. */
export function matrixSize() {
  return {
    engage: { rows: ENGAGE_MATRIX.length, cells: ENGAGE_MATRIX.length * KEY_CALLERS.length },
    consoleApi: { rows: CONSOLE_API_MATRIX.length, cells: CONSOLE_API_MATRIX.length * USER_CALLERS.length },
    proxy: { rows: PROXY_MATRIX.length, cells: PROXY_MATRIX.length * USER_CALLERS.length },
    pages: { rows: PAGE_MATRIX.length, cells: PAGE_MATRIX.length * USER_CALLERS.length },
  };
}
