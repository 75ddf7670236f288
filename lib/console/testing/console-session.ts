// Test helpers for the console's route handlers: people made as the CLI makes them, signed in
// through better-auth's own HTTP handler (a real session in the database), and requests built
// as the browser sends them (same origin, JSON). The route modules themselves are imported
// and called as Next calls them.
import "server-only";
import type { DatabaseHandle } from "../../db";
import type { Role } from "../roles";

export const ORIGIN = "http://127.0.0.1:3000";
export const PASSWORD = "correct horse battery";

let counter = 0;
let address = 0;

export interface TestPerson {
  UserID: string;
  Email: string;
  Role: Role;
  GroupID: number;
  cookie: string;
}

/** A person of the group, signed in. */
export async function signedInPerson(
  database: DatabaseHandle,
  groupId: number,
  role: Role,
  locationIds: number[] = [],
): Promise<TestPerson> {
  const { createStaffUser } = await import("../users");
  const user = await createStaffUser(database, {
    groupId,
    email: `${role}.${++counter}.${process.pid}.${Date.now()}@example.com`,
    role,
    locationIds: role === "owner" ? [] : locationIds,
    password: PASSWORD,
  });
  return { UserID: user.UserID, Email: user.Email, Role: role, GroupID: groupId, cookie: await signIn(user.Email) };
}

/** The Cookie header of a new session, signed in through better-auth's handler. */
export async function signIn(email: string): Promise<string> {
  const { getAuth } = await import("../auth");
  const response = await (await getAuth()).handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      // A different address each time: the per-address limit is not what these tests are about.
      headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": `10.77.${(++address >> 8) & 255}.${address & 255}` },
      body: JSON.stringify({ email, password: PASSWORD }),
    }),
  );
  if (response.status !== 200) throw new Error(`sign-in of ${email} failed: ${response.status} ${await response.text()}`);
  return response.headers.getSetCookie().find((c) => c.startsWith("engage.session_token="))!.split(";")[0];
}

/** A request as the console's pages send it: same origin, JSON, from a browser at 203.0.113.7. */
export function consoleRequest(
  method: string,
  path: string,
  options: { cookie?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Request {
  const headers: Record<string, string> = {
    host: new URL(ORIGIN).host,
    origin: ORIGIN,
    "x-forwarded-for": "203.0.113.7",
    "user-agent": "Mozilla/5.0 (audit test)",
    ...options.headers,
  };
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  } else if (method !== "GET" && method !== "HEAD") {
    headers["content-type"] ??= "application/json";
  }
  return new Request(`${ORIGIN}${path}`, { method, headers, body });
}

type Handler = (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>;

/** Calls an exported route handler (GET, POST…) of a route module with its params. */
export function callRoute(module: Record<string, unknown>, method: string, request: Request, params: Record<string, unknown> = {}): Promise<Response> {
  const handler = module[method] as Handler | undefined;
  if (!handler) throw new Error(`the route has no ${method} handler`);
  return handler(request, { params: Promise.resolve(params) });
}
