// Idempotency-Key (ENGAGE_API.md §4, after the IETF draft and Stripe): keys are scoped to the
// API key; the same key and body within 24 hours replay the first response and store nothing
// new; another body is 422. The key's row is inserted first in the request's own transaction,
// so a concurrent duplicate waits on it (PostgreSQL) or queues behind it (SQLite) and then
// replays; the response is written in that same transaction as the data.
import "server-only";
import { createHash } from "node:crypto";
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
export async function beginIdempotent(
  ctx: EngageContext,
  idemKey: string,
  hash: string,
): Promise<StoredResponse | null> {
  const keyId = ctx.scope.keyId ?? 0;
  const now = ctx.now();
  await ctx.db
    .deleteFrom("idempotency_keys")
    .where("key_id", "=", keyId)
    .where("idem_key", "=", idemKey)
    .where("created_at", "<", now - IDEMPOTENCY_WINDOW_MS)
    .execute();
  const inserted = await ctx.db
    .insertInto("idempotency_keys")
    .values({
      key_id: keyId,
      idem_key: idemKey,
      request_hash: hash,
      status_code: null,
      response_headers: null,
      response_body: null,
      created_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return null;
  const existing = await ctx.db
    .selectFrom("idempotency_keys")
    .selectAll()
    .where("key_id", "=", keyId)
    .where("idem_key", "=", idemKey)
    .executeTakeFirstOrThrow();
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
  await ctx.db
    .updateTable("idempotency_keys")
    .set({
      status_code: response.status,
      response_headers: JSON.stringify(response.headers),
      response_body: response.body,
    })
    .where("key_id", "=", ctx.scope.keyId ?? 0)
    .where("idem_key", "=", idemKey)
    .execute();
}

/** Drops keys past the 24-hour window; run now and then by the server. */
export async function pruneIdempotencyKeys(ctx: Pick<EngageContext, "db" | "now">): Promise<void> {
  await ctx.db.deleteFrom("idempotency_keys").where("created_at", "<", ctx.now() - IDEMPOTENCY_WINDOW_MS).execute();
}
