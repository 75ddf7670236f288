// Staff sign-in with better-auth, on the Engage database (both dialects): email and password,
// the library's password hashing, sessions that expire and can be revoked, and sign-in
// throttling stored in the database so it holds across restarts and app instances.
import "server-only";
import { betterAuth, type BetterAuthOptions } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { getMigrations } from "better-auth/db/migration";
import type { ExpressionBuilder } from "kysely";
import { getDatabase, type DatabaseHandle } from "../db";
import type { Database } from "../db/schema";
import { derivedKey } from "./secret";

export const SESSION_SECONDS = 12 * 3600;

/** Wrong passwords an account may take in ACCOUNT_WINDOW_MS before it is locked for the rest of it. */
export const ACCOUNT_FAILURES = 5;
export const ACCOUNT_WINDOW_MS = 15 * 60_000;
/** Sign-in attempts per minute from one address (a store's staff may share one). */
const ADDRESS_LIMIT = Number(process.env.SIGN_IN_ADDRESS_LIMIT || 30);

function tooManyAttempts(): APIError {
  return new APIError("TOO_MANY_REQUESTS", {
    code: "TOO_MANY_ATTEMPTS",
    message: "Too many failed sign-ins for this account. Wait 15 minutes or ask an Owner to reset the password.",
  });
}

/**
 * Counts wrong passwords per account in the database, and refuses a locked account. Each attempt
 * takes its place in the count in one statement before the password is checked, so parallel
 * attempts cannot all pass a count that has not been written yet; a success clears the count,
 * and an attempt that ended neither way (a malformed request) gives its place back.
 */
function accountThrottle(handle: DatabaseHandle) {
  const emailOf = (body: unknown) =>
    typeof (body as { email?: unknown })?.email === "string" ? (body as { email: string }).email.trim().toLowerCase() : null;
  return {
    before: createAuthMiddleware(async (ctx) => {
      if (ctx.path !== "/sign-in/email") return;
      const email = emailOf(ctx.body);
      if (!email) return;
      const now = Date.now();
      // A new window once the old one is over.
      const windowOver = (eb: ExpressionBuilder<Database, "sign_in_failures">) =>
        eb("sign_in_failures.first_failure_at", "<=", now - ACCOUNT_WINDOW_MS);
      const taken = await handle.db
        .insertInto("sign_in_failures")
        .values({ email, failures: 1, first_failure_at: now })
        .onConflict((oc) =>
          oc
            .column("email")
            .doUpdateSet((eb) => ({
              failures: eb.case().when(windowOver(eb)).then(1).else(eb("sign_in_failures.failures", "+", 1)).end(),
              first_failure_at: eb.case().when(windowOver(eb)).then(now).else(eb.ref("sign_in_failures.first_failure_at")).end(),
            }))
            // Locked: no row is updated, none returned.
            .where((eb) => eb.or([eb("sign_in_failures.failures", "<", ACCOUNT_FAILURES), windowOver(eb)])),
        )
        .returning("failures")
        .executeTakeFirst();
      if (!taken) throw tooManyAttempts();
    }),
    after: createAuthMiddleware(async (ctx) => {
      if (ctx.path !== "/sign-in/email") return;
      const email = emailOf(ctx.body);
      if (!email) return;
      const returned = ctx.context.returned;
      // A wrong password (or a deactivated account, which answers the same): it stays counted.
      if (returned instanceof APIError && returned.statusCode === 401) return;
      if (!(returned instanceof APIError)) {
        await handle.db.deleteFrom("sign_in_failures").where("email", "=", email).execute();
        return;
      }
      await handle.db
        .updateTable("sign_in_failures")
        .set((eb) => ({ failures: eb("failures", "-", 1) }))
        .where("email", "=", email)
        .where("failures", ">", 0)
        .execute();
    }),
  };
}

/** The origin the browser used, from the Host header: the console answers on whatever address it is reached at. */
function requestOrigin(request?: Request): string | null {
  const host = request?.headers.get("x-forwarded-host") ?? request?.headers.get("host");
  if (!host) return null;
  const proto = request?.headers.get("x-forwarded-proto") ?? (request ? new URL(request.url).protocol.replace(":", "") : "http");
  return `${proto}://${host}`;
}

/** Served over https (CONSOLE_URL or BETTER_AUTH_URL says so): Secure, __Host- cookies. */
export function isHttps(): boolean {
  return (process.env.CONSOLE_URL ?? process.env.BETTER_AUTH_URL ?? "").startsWith("https://");
}

export function authOptions(handle: DatabaseHandle): BetterAuthOptions {
  const secure = isHttps();
  return {
    appName: "Engage Console",
    database: { db: handle.db, type: handle.dialect },
    secret: derivedKey("sessions").toString("base64url"),
    baseURL: process.env.CONSOLE_URL ?? process.env.BETTER_AUTH_URL,
    basePath: "/api/auth",
    // Without CONSOLE_URL, the origin the request came to is trusted (the Host header), so the
    // console works at localhost, 127.0.0.1 or a LAN name alike; a foreign Origin is still refused.
    trustedOrigins: async (request) => [process.env.CONSOLE_URL ?? requestOrigin(request)],
    emailAndPassword: {
      enabled: true,
      // Accounts are made by an Owner or the CLI, never by signing up.
      disableSignUp: true,
      minPasswordLength: 10,
      maxPasswordLength: 128,
      autoSignIn: false,
      revokeSessionsOnPasswordReset: true,
    },
    session: {
      expiresIn: SESSION_SECONDS,
      updateAge: 3600,
      cookieCache: { enabled: false },
    },
    user: {
      additionalFields: {
        role: { type: "string", required: true, input: false },
        groupId: { type: "number", required: true, input: false },
        active: { type: "boolean", required: false, defaultValue: true, input: false },
      },
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 100,
      customRules: {
        "/sign-in/email": { window: 60, max: ADDRESS_LIMIT },
        "/change-password": { window: 60, max: 5 },
      },
    },
    advanced: {
      // The library skips its Origin check when NODE_ENV=test or TEST is set; a sign-in from
      // another site must be refused whatever the environment says.
      disableOriginCheck: false,
      cookiePrefix: "engage",
      // Not the library's switch: it would prefix "__Secure-" to every name, and
      // "__Secure-__Host-…" is no __Host- cookie. Secure comes from the attributes below.
      useSecureCookies: false,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure, path: "/" },
      cookies: secure ? { session_token: { name: "__Host-engage.session_token" } } : undefined,
      // server.ts sets x-forwarded-for to the socket's address (unless TRUST_PROXY says a proxy does).
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"] },
    },
    hooks: accountThrottle(handle),
    telemetry: { enabled: false },
    // Without CONSOLE_URL the origin comes from each request (checked against Host), which is
    // what we want; the library would warn about it at every start.
    logger: { level: "error" },
    databaseHooks: {
      session: {
        create: {
          // A deactivated user cannot start a session, whatever their password.
          before: async (session) => {
            const user = await handle.db
              .selectFrom("user")
              .select("active")
              .where("id", "=", session.userId)
              .executeTakeFirst();
            // The same answer as a wrong password: it must not tell that the password was right.
            if (!user || !user.active) throw new APIError("UNAUTHORIZED", { code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password" });
            return { data: session };
          },
        },
      },
    },
  };
}

export function createAuth(handle: DatabaseHandle) {
  return betterAuth(authOptions(handle));
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as typeof globalThis & { __engageAuth?: Promise<Auth> };

export function getAuth(): Promise<Auth> {
  globalForAuth.__engageAuth ??= getDatabase().then(authFor);
  return globalForAuth.__engageAuth;
}

const byHandle = new WeakMap<DatabaseHandle, Auth>();

/** better-auth on a given database (the CLI's, a test's), one instance per handle. */
export function authFor(handle: DatabaseHandle): Auth {
  let auth = byHandle.get(handle);
  if (!auth) {
    auth = createAuth(handle);
    byHandle.set(handle, auth);
  }
  return auth;
}

/** Creates or brings forward better-auth's tables (dialect-aware, additive only). */
export async function migrateAuthTables(handle: DatabaseHandle): Promise<void> {
  const { runMigrations } = await getMigrations(authOptions(handle));
  await runMigrations();
}
