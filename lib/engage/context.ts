// Who is calling and with what: every verb takes the caller's scope, never trusting the body.
import "server-only";
import type { Transaction } from "kysely";
import type { DB, Dialect } from "../db";
import type { Database } from "../db/schema";

export interface Scope {
  groupId: number;
  /** The key's location; null for a group key (the holding business). */
  locationId: number | null;
  keyId: number | null;
  /** The key's own rate limit ("1200/60s"), when it has one. */
  rateLimit?: string | null;
}

export interface Actor {
  type: "key" | "user" | "system";
  id: string | null;
  label: string | null;
}

export interface EngageContext {
  db: DB | Transaction<Database>;
  dialect: Dialect;
  scope: Scope;
  actor: Actor;
  now: () => number;
}

/** Runs fn in a transaction, or in the caller's when there already is one. */
export async function inTransaction<T>(ctx: EngageContext, fn: (tx: EngageContext) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return (ctx.db as DB).transaction().execute((trx) => fn({ ...ctx, db: trx }));
}

export const isGroupKey = (scope: Scope) => scope.locationId === null;

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
