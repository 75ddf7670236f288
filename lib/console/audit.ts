// The audit log: every change made from the console or the CLI, with who (the user or
// "cli:<os user>"), what (an action, its target, details with personal data masked), when and
// from where (the request's address and browser, or the CLI's host). Append-only: this module
// only inserts and reads, and the database refuses UPDATE and DELETE on the table (0007_audit).
import "server-only";
import os from "node:os";
import { sql, type Transaction } from "kysely";
import { getDatabase, type DB } from "../db";
import type { Database } from "../db/schema";
import { iso } from "../engage/context";
import type { AuditEntry } from "./audit-actions";
import type { ConsoleUser } from "./session";

export type { AuditEntry } from "./audit-actions";

/** Who acted, and from where. */
export interface AuditWho {
  actor: string;
  actorId: string | null;
  actorRole: string | null;
  source: "console" | "cli";
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEvent {
  groupId: number;
  action: string;
  target?: { type: string; id: string | number | null } | null;
  /** Masked again on the way in (maskDetails): a caller that forgets cannot leak. */
  details?: Record<string, unknown> | null;
}

// --- Masking -------------------------------------------------------------------------------

const HIDDEN = "(hidden)";

/** A phone number as its last 4 digits: "…1234". */
export function maskPhone(phone: string | null | undefined): string | null {
  if (phone == null) return null;
  const digits = String(phone).replace(/\D/g, "");
  return digits.length >= 4 ? `…${digits.slice(-4)}` : "…";
}

/** An email as its first letter and its domain: "j…@example.com". */
export function maskEmail(email: string | null | undefined): string | null {
  if (email == null) return null;
  const text = String(email).trim();
  const at = text.lastIndexOf("@");
  if (at < 1 || at === text.length - 1) return "…";
  return `${Array.from(text)[0]}…${text.slice(at)}`;
}

/** A name as its first letter: "J…". */
export function maskName(name: string | null | undefined): string | null {
  if (name == null) return null;
  const first = Array.from(String(name).trim())[0];
  return first ? `${first}…` : "…";
}

/** An identifier (a POS's customer id) as its last 4 characters. */
export function maskTail(value: string | null | undefined): string | null {
  if (value == null) return null;
  const chars = Array.from(String(value));
  return chars.length > 4 ? `…${chars.slice(-4).join("")}` : "…";
}

/** Search text may be a phone, an email or a name: masked as whichever it looks like. */
export function maskSearch(text: string | null | undefined): string | null {
  if (text == null) return null;
  const value = String(text).trim();
  if (value === "") return "";
  if (value.includes("@")) return maskEmail(value);
  if (value.replace(/\D/g, "").length >= 4) return maskPhone(value);
  return value
    .split(/\s+/)
    .map((word) => maskName(word))
    .join(" ");
}

type Masker = (value: string) => string | null;

const hide: Masker = () => HIDDEN;
const secret: Masker = () => "(secret)";

/** Properties that hold personal data or secrets, by lower-cased name, and how each is masked. */
const MASKERS: Record<string, Masker> = {
  phone: maskPhone,
  email: maskEmail,
  firstname: maskName,
  lastname: maskName,
  address: hide,
  city: hide,
  zipcode: hide,
  birthday: hide,
  externalid: maskTail,
  query: maskSearch,
  search: maskSearch,
  password: secret,
  key: secret,
  groupkey: secret,
  secret: secret,
  token: secret,
};

function walk(value: unknown, masker: Masker | null, depth: number): unknown {
  if (depth > 8) return HIDDEN;
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === "string") return masker ? masker(value) : value.length > 500 ? `${value.slice(0, 500)}…` : value;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return masker ? masker(String(value)) : value;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => walk(v, masker, depth + 1));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = walk(v, masker ?? MASKERS[k.toLowerCase()] ?? null, depth + 1);
    }
    return out;
  }
  return String(value);
}

/** The details with every personal or secret property masked, however deep (a From/To pair too). */
export function maskDetails(details: Record<string, unknown>): Record<string, unknown> {
  return walk(details, null, 0) as Record<string, unknown>;
}

// --- Who -----------------------------------------------------------------------------------

/** A signed-in console user, from the request (server.ts sets X-Forwarded-For to the client's address). */
export function consoleWho(user: { id: string | null; email: string; role: string }, request: Request): AuditWho {
  const forwarded = request.headers.get("x-forwarded-for");
  return {
    actor: user.email,
    actorId: user.id,
    actorRole: user.role,
    source: "console",
    ip: forwarded ? forwarded.split(",")[0].trim().slice(0, 64) : null,
    userAgent: request.headers.get("user-agent")?.slice(0, 300) ?? null,
  };
}

/** The operator at the CLI: their OS user and the machine. */
export function cliWho(): AuditWho {
  let name = process.env.USER || process.env.LOGNAME || "unknown";
  try {
    name = os.userInfo().username || name;
  } catch {
    // No passwd entry (a container's arbitrary uid): the environment's name stands.
  }
  return { actor: `cli:${name}`, actorId: null, actorRole: null, source: "cli", ip: null, userAgent: `cli on ${os.hostname()}` };
}

// --- Writing -------------------------------------------------------------------------------

/** Appends one entry. Pass the transaction of the change when there is one: both commit or neither. */
export async function recordAudit(db: DB | Transaction<Database>, who: AuditWho, event: AuditEvent, at = Date.now()): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      group_id: event.groupId,
      at,
      actor: who.actor,
      actor_id: who.actorId,
      actor_role: who.actorRole,
      action: event.action,
      target_type: event.target?.type ?? null,
      target_id: event.target?.id == null ? null : String(event.target.id),
      details: event.details ? JSON.stringify(maskDetails(event.details)) : null,
      source: who.source,
      ip: who.ip,
      user_agent: who.userAgent,
    })
    .execute();
}

/** A console user's change, on the process's database. */
export async function recordConsoleAudit(
  user: Pick<ConsoleUser, "id" | "email" | "role" | "groupId">,
  request: Request,
  event: Omit<AuditEvent, "groupId">,
): Promise<void> {
  const handle = await getDatabase();
  await recordAudit(handle.db, consoleWho(user, request), { ...event, groupId: user.groupId });
}

// --- Reading -------------------------------------------------------------------------------

export interface AuditFilters {
  action?: string;
  /** A prefix of the actor, any case ("cli:", "owner@"). */
  actor?: string;
  from?: number;
  to?: number;
  targetType?: string;
  targetId?: string;
  page: number;
  pageSize: number;
}

function likePrefix(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A group's entries, newest first, filtered, one page and the total. */
export async function listAuditEntries(db: DB, groupId: number, filters: AuditFilters): Promise<{ items: AuditEntry[]; total: number }> {
  let q = db.selectFrom("audit_log").where("group_id", "=", groupId);
  if (filters.action) q = q.where("action", "=", filters.action);
  if (filters.actor) q = q.where(sql<boolean>`lower(actor) like ${likePrefix(filters.actor)} escape '\\'`);
  if (filters.from !== undefined) q = q.where("at", ">=", filters.from);
  if (filters.to !== undefined) q = q.where("at", "<", filters.to);
  if (filters.targetType) q = q.where("target_type", "=", filters.targetType);
  if (filters.targetId) q = q.where("target_id", "=", filters.targetId);
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    q
      .selectAll()
      .orderBy("at", "desc")
      .orderBy("id", "desc")
      .limit(filters.pageSize)
      .offset((filters.page - 1) * filters.pageSize)
      .execute(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      EntryID: r.id,
      At: iso(r.at)!,
      Actor: r.actor,
      ActorRole: r.actor_role,
      Action: r.action,
      TargetType: r.target_type,
      TargetID: r.target_id,
      Details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
      Source: r.source,
      IP: r.ip,
      UserAgent: r.user_agent,
    })),
  };
}
