// How the console's server reaches Engage: one interface, two implementations. Embedded calls
// the Engage core in this process (the same auth, validation and verbs as /v1, no network
// hop); remote calls another Engage server over HTTP. Either way with a secret key the
// console holds encrypted, chosen on the server for the user's location or the group.
import "server-only";
import { getDatabase, type DatabaseHandle } from "../db";
import type { EngageDeps } from "../engage/http/core";
import { handleEngageRequest } from "../engage/http/routes";
import type { EngageResponse } from "../engage/http/types";
import { createKey } from "../engage/tenancy";
import { decrypt, encrypt } from "./secret";

export interface EngageCall {
  method: string;
  /** A path under /v1, such as "/v1/Customers/123". */
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  headers?: Record<string, string>;
  actor?: { type: "user"; id: string; label: string };
}

export interface EngageResult {
  status: number;
  headers: Record<string, string>;
  /** The raw body: JSON text, or null. */
  body: string | null;
}

/** Why Engage could not be reached; the console shows the message and offers a retry. */
export class EngageUnavailableError extends Error {
  constructor(
    message: string,
    readonly status: 502 | 503 | 504,
  ) {
    super(message);
  }
}

export interface EngageClient {
  readonly mode: "embedded" | "remote";
  call(scope: { groupId: number; locationId: number | null }, call: EngageCall): Promise<EngageResult>;
}

export interface Connection {
  mode: "embedded" | "remote";
  remoteUrl: string | null;
}

/**
 * The group's connection: ENGAGE_BASE_URL, when set, makes every group's console use that
 * remote Engage (an Owner enters its keys in Settings); otherwise the Owner's choice, embedded
 * by default.
 */
export async function getConnection(handle: DatabaseHandle, groupId: number): Promise<Connection> {
  const fromEnv = process.env.ENGAGE_BASE_URL?.replace(/\/+$/, "").replace(/\/v1$/i, "");
  if (fromEnv) return { mode: "remote", remoteUrl: fromEnv };
  const row = await handle.db.selectFrom("console_connections").selectAll().where("group_id", "=", groupId).executeTakeFirst();
  return row?.mode === "remote" && row.remote_url ? { mode: "remote", remoteUrl: row.remote_url } : { mode: "embedded", remoteUrl: null };
}

/** The stored key for a scope, decrypted; in embedded mode the console makes its own on first use. */
export async function consoleKey(
  handle: DatabaseHandle,
  mode: "embedded" | "remote",
  groupId: number,
  locationId: number | null,
): Promise<string | null> {
  let q = handle.db
    .selectFrom("console_keys")
    .select("sealed_key")
    .where("group_id", "=", groupId)
    .where("mode", "=", mode)
    .orderBy("id", "desc");
  q = locationId === null ? q.where("location_id", "is", null) : q.where("location_id", "=", locationId);
  const row = await q.executeTakeFirst();
  if (row) return decrypt(row.sealed_key);
  if (mode === "remote") return null;
  const created = await createKey(handle.db, { groupId, locationId, label: "console" });
  await handle.db
    .insertInto("console_keys")
    .values({
      group_id: groupId,
      location_id: locationId,
      mode: "embedded",
      sealed_key: encrypt(created.Key),
      last4: created.Key.slice(-4),
      api_key_id: created.KeyID,
      created_at: Date.now(),
    })
    .execute();
  return created.Key;
}

/** Stores a remote Engage server's key for a scope, replacing the one before. */
export async function storeRemoteKey(handle: DatabaseHandle, groupId: number, locationId: number | null, key: string): Promise<void> {
  await handle.db.transaction().execute(async (trx) => {
    let del = trx.deleteFrom("console_keys").where("group_id", "=", groupId).where("mode", "=", "remote");
    del = locationId === null ? del.where("location_id", "is", null) : del.where("location_id", "=", locationId);
    await del.execute();
    await trx
      .insertInto("console_keys")
      .values({
        group_id: groupId,
        location_id: locationId,
        mode: "remote",
        sealed_key: encrypt(key),
        last4: key.slice(-4),
        api_key_id: null,
        created_at: Date.now(),
      })
      .execute();
  });
}

const globalForEngage = globalThis as typeof globalThis & { __engageDeps?: EngageDeps };

/** server.ts registers the running Engage (with its send worker) so the console shares it. */
export function registerEmbeddedEngage(deps: EngageDeps): void {
  globalForEngage.__engageDeps = deps;
}

async function embeddedDeps(): Promise<EngageDeps> {
  return globalForEngage.__engageDeps ?? { database: await getDatabase() };
}

function toResult(response: EngageResponse): EngageResult {
  return { status: response.status, headers: response.headers, body: response.body };
}

const REMOTE_TIMEOUT_MS = Number(process.env.ENGAGE_TIMEOUT_MS || 10_000);

export async function engageClientFor(groupId: number): Promise<EngageClient> {
  const handle = await getDatabase();
  const connection = await getConnection(handle, groupId);
  if (connection.mode === "embedded") {
    return {
      mode: "embedded",
      async call(scope, call) {
        const key = await consoleKey(handle, "embedded", scope.groupId, scope.locationId);
        const body = call.body === undefined ? null : JSON.stringify(call.body);
        const response = await handleEngageRequest(
          {
            method: call.method,
            path: call.path,
            query: call.query ?? new URLSearchParams(),
            headers: {
              ...Object.fromEntries(Object.entries(call.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
              authorization: key ?? undefined,
              ...(body !== null ? { "content-type": "application/json" } : {}),
            },
            body,
            actor: call.actor,
          },
          await embeddedDeps(),
        );
        return toResult(response);
      },
    };
  }
  const base = connection.remoteUrl!.replace(/\/+$/, "");
  return {
    mode: "remote",
    async call(scope, call) {
      const key = await consoleKey(handle, "remote", scope.groupId, scope.locationId);
      if (!key) {
        throw new EngageUnavailableError(
          scope.locationId === null
            ? "No group key is set for the remote Engage server. An Owner can enter it in Settings → Engage connection."
            : "No key is set for this location on the remote Engage server. An Owner can enter it in Settings → Engage connection.",
          503,
        );
      }
      const url = `${base}${call.path}${call.query && [...call.query].length ? `?${call.query}` : ""}`;
      // The whole exchange, headers and body, races one timer: undici does not always end a
      // body read when its signal aborts, and a stalled remote must not hang the console.
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), REMOTE_TIMEOUT_MS);
      });
      const exchange = (async () => {
        const r = await fetch(url, {
          method: call.method,
          headers: {
            ...call.headers,
            authorization: key,
            ...(call.body !== undefined ? { "content-type": "application/json" } : {}),
          },
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
          signal: controller.signal,
          redirect: "error",
        });
        return { response: r, text: await r.text() };
      })();
      let outcome: { response: Response; text: string } | "timeout";
      try {
        outcome = await Promise.race([exchange, timeout]);
      } catch {
        throw new EngageUnavailableError(`The Engage server at ${base} could not be reached.`, 502);
      } finally {
        clearTimeout(timer);
      }
      if (outcome === "timeout") {
        controller.abort();
        exchange.catch(() => undefined);
        throw new EngageUnavailableError(
          `The Engage server at ${base} did not answer within ${REMOTE_TIMEOUT_MS < 1000 ? `${REMOTE_TIMEOUT_MS} ms` : `${Math.round(REMOTE_TIMEOUT_MS / 1000)} seconds`}.`,
          504,
        );
      }
      const { response, text } = outcome;
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => (headers[name] = value));
      if (response.status >= 500) {
        throw new EngageUnavailableError(`The Engage server at ${base} answered with an error (${response.status}).`, 502);
      }
      return { status: response.status, headers, body: text || null };
    },
  };
}
