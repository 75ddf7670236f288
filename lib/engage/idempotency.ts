// Idempotency-Key (ENGAGE_API.md §4, after the IETF draft and Stripe): keys are scoped to the
// API key; the same key and body within 24 hours replay the first response and store nothing
// new; another body is 422. The key's row is inserted first in the request's own transaction,
// so a concurrent duplicate waits on it (PostgreSQL) or queues behind it (SQLite) and then
// replays; the response is written in that same transaction as the data.
import "server-only";
import { createHash } from "node:crypto";
import { prepared } from "../db/prepared";
import type { EngageContext } from "./context";
import { EngageError } from "./errors";

export const IDEMPOTENCY_WINDOW_MS = 24 * 3600_000;

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

/** Paths match case-insensitively and tolerate a trailing slash (ENGAGE_API.md §2), so a retry may spell it either way. */
export function requestHash(method: string, path: string, body: string): string {
  const resource = path.toLowerCase().replace(/\/+$/, "");
  return createHash("sha256").update(`${method} ${resource}\n${body}`).digest("hex");
}

/**
 * Inside a transaction: null when this request is the first with its key (the caller then does
 * the work and calls complete), or the first request's response to replay.
 */
// Built once (lib/db/prepared.ts): every idempotent request runs them.
const dropExpired = prepared((db, p: { keyId: number; idemKey: string; before: number }) =>
  db
    .deleteFrom("idempotency_keys")
    .where("key_id", "=", p.keyId)
    .where("idem_key", "=", p.idemKey)
    .where("created_at", "<", p.before),
);
const claim = prepared((db, p: { keyId: number; idemKey: string; hash: string; now: number }) =>
  db
    .insertInto("idempotency_keys")
    .values({
      key_id: p.keyId,
      idem_key: p.idemKey,
      request_hash: p.hash,
      status_code: null,
      response_headers: null,
      response_body: null,
      created_at: p.now,
    })
    .onConflict((oc) => oc.doNothing()),
);
const stored = prepared((db, p: { keyId: number; idemKey: string }) =>
  db.selectFrom("idempotency_keys").selectAll().where("key_id", "=", p.keyId).where("idem_key", "=", p.idemKey),
);
const complete = prepared(
  (db, p: { keyId: number; idemKey: string; status: number; headers: string; body: string | null }) =>
    db
      .updateTable("idempotency_keys")
      .set({ status_code: p.status, response_headers: p.headers, response_body: p.body })
      .where("key_id", "=", p.keyId)
      .where("idem_key", "=", p.idemKey),
);

/**
 * Inside a transaction: null when this request is the first with its key (the caller then does
 * the work and calls complete), or the first request's response to replay.
 */
export async function beginIdempotent(
  ctx: EngageContext,
  idemKey: string,
  hash: string,
): Promise<StoredResponse | null> {
  const keyId = ctx.scope.keyId ?? 0;
  const now = ctx.now();
  await dropExpired.run(ctx.db, { keyId, idemKey, before: now - IDEMPOTENCY_WINDOW_MS });
  const inserted = await claim.run(ctx.db, { keyId, idemKey, hash, now });
  if (Number(inserted.numAffectedRows ?? 0) === 1) return null;
  const existing = await stored.first(ctx.db, { keyId, idemKey });
  if (!existing) throw new Error(`idempotency key ${idemKey} neither inserted nor found`);
  if (existing.request_hash !== hash) {
    throw new EngageError(
      422,
      "idempotency_key_reused",
      "This Idempotency-Key was already used with a different request.",
    );
  }
  if (existing.status_code === null) {
    throw new EngageError(409, "idempotency_in_flight", "A request with this Idempotency-Key is still in progress.");
  }
  return {
    status: existing.status_code,
    headers: JSON.parse(existing.response_headers ?? "{}") as Record<string, string>,
    body: existing.response_body,
  };
}

export async function completeIdempotent(ctx: EngageContext, idemKey: string, response: StoredResponse): Promise<void> {
  await complete.run(ctx.db, {
    keyId: ctx.scope.keyId ?? 0,
    idemKey,
    status: response.status,
    headers: JSON.stringify(response.headers),
    body: response.body,
  });
}

/** Drops keys past the 24-hour window; run now and then by the server. */
export async function pruneIdempotencyKeys(ctx: Pick<EngageContext, "db" | "now">): Promise<void> {
  await ctx.db.deleteFrom("idempotency_keys").where("created_at", "<", ctx.now() - IDEMPOTENCY_WINDOW_MS).execute();
}
